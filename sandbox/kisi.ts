/**
 * Kisi (`/kisi`): users, groups, group locks, shares and role assignments (one underlying "group
 * access" record), places, locks (with unlock), event webhook integrations. Behaviour follows
 * docs/reference/kisi-api.md; choices where Kisi is silent are listed in sandbox/README.md.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock';
import type { KisiScenario } from './scenario';
import { type Ctx, type Route, type ServiceApi, isObject, jsonBody } from './service';
import { type HttpResult, ListCache, MultiIndex, csvInts, isInt, isIsoInstant, json, nextId, noContent } from './util';
import { type DeliveryResult, deliverWebhook } from './webhooks';

type Rec = Record<string, unknown>;

interface User extends Rec {
	id: number;
	email: string;
	name: string | null;
	access_enabled: boolean;
	created_at: string;
	updated_at: string;
}
interface Place extends Rec {
	id: number;
	name: string;
	created_at: string;
	updated_at: string;
}
interface Lock extends Rec {
	id: number;
	name: string;
	place_id: number;
	created_at: string;
	updated_at: string;
}
interface Group extends Rec {
	id: number;
	name: string;
	place_id: number | null;
	description: string | null;
	created_at: string;
	updated_at: string;
}
interface GroupLock {
	id: number;
	group_id: number;
	lock_id: number;
	created_at: string;
	updated_at: string;
}
/** One person's access to one group: served as a Share and as a group RoleAssignment. */
interface Access {
	id: number;
	group_id: number;
	user_id: number;
	role: 'basic' | 'manager';
	notify: boolean | null;
	valid_from: string | null;
	valid_until: string | null;
	created_by_type: 'User' | 'MarketplaceInstallation' | null;
	created_by_id: number | null;
	created_at: string;
	updated_at: string;
	/** A share's deprecated `role` when a scenario gives one (else the role id). */
	legacy_role?: string | null;
}
/** Organization- and place-level role assignments (admins, owners, managers). */
interface Role {
	id: number;
	role_id: string;
	applies_to_type: 'Organization' | 'Place';
	applies_to_id: number;
	user_id: number;
	notify: boolean | null;
	created_by_type: 'User' | 'MarketplaceInstallation' | null;
	created_by_id: number | null;
	created_at: string;
	updated_at: string;
}
interface Integration extends Rec {
	id: number;
	type: string;
	name: string;
	url: string | null;
	enabled: boolean;
	enabled_events: string[] | null;
	signature_key: string | null;
	place_id: number | null;
	created_at: string;
	updated_at: string;
}
export interface KisiEvent extends Rec {
	uuid: string;
	type: string;
	created_at: string;
}
interface ApiKey {
	key: string;
	user_id: number;
	id: number;
	name?: string;
}
export interface KisiPrincipal {
	user: User;
	keyId: number;
}

const LIST_LIMITS: Record<string, { def: number; max: number }> = {
	groups: { def: 10, max: 250 },
	group_locks: { def: 10, max: 250 },
	shares: { def: 10, max: 250 },
	role_assignments: { def: 10, max: 250 },
	integrations: { def: 10, max: 250 },
	users: { def: 50, max: 100 },
	places: { def: 50, max: 250 },
	locks: { def: 50, max: 250 },
};

export const KISI_OFFSET_MAX = 20000;

/** A share's `member_id`: the member wrapping the user (the sandbox does not emulate members). */
export const MEMBER_ID_OFFSET = 1_000_000;

/** Error codes the sandbox uses where Kisi documents none (the unlock codes are Kisi's own). */
export const KISI_ERROR_CODES: Record<number, string> = {
	400: 'e40000',
	401: 'e40100',
	403: 'e40300',
	404: 'e40400',
	405: 'e40500',
	409: 'e40900',
	422: 'e42200',
	429: 'e42900',
	500: 'ffffff',
	502: 'ffffff',
	503: 'fac001',
	504: 'ffffff',
};
const DEFAULT_MESSAGES: Record<number, string> = {
	400: 'Bad request',
	401: 'Unauthorized: missing or invalid login',
	403: 'Forbidden',
	404: 'Not found',
	405: 'Method not allowed',
	409: 'Conflict',
	422: 'Unprocessable entity',
	429: 'Too many requests: the rate limit is 5 requests per second per user',
	500: 'An unexpected issue occurred',
	502: 'Bad gateway',
	503: 'Service unavailable',
	504: 'Gateway timeout',
};

export function kisiError(status: number, message?: string, code?: string): HttpResult {
	return json(status, {
		error: message ?? DEFAULT_MESSAGES[status] ?? 'Error',
		code: code ?? KISI_ERROR_CODES[status] ?? 'ffffff',
	});
}
const validationError = (errors: Record<string, string[]>): HttpResult => json(422, { errors });

const INTEGRATION_TYPES = [
	'active_directory_user_import',
	'jumpcloud_user_import',
	'event_webhook',
	'braxos_elevator',
	'rhombus_systems_camera',
];
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const normEmail = (e: string): string => e.trim().toLowerCase();
const isAdminRole = (roleId: string): boolean => /owner|admin/i.test(roleId);

/** Unlock denials: Kisi's codes; the HTTP statuses are the sandbox's choice. */
const UNLOCK_DENIALS = {
	lockedDown: { status: 403, code: 'fad001', message: 'The door is locked down' },
	placeLockedDown: { status: 403, code: 'fad002', message: 'The place is locked down' },
	offline: { status: 503, code: 'fac001', message: 'The controller is unavailable' },
	disabled: { status: 403, code: 'fcd8ff', message: 'Access is disabled for this user' },
	notYetValid: { status: 403, code: 'f358de', message: 'Access is not yet valid' },
	expired: { status: 403, code: 'f35ade', message: 'Access is no longer valid' },
	denied: { status: 403, code: 'afc496', message: 'Access denied' },
} as const;
type Denial = (typeof UNLOCK_DENIALS)[keyof typeof UNLOCK_DENIALS];

/**
 * What an Event Webhook delivery carries: `documented` (default) the fields of Kisi's sample
 * payload ("Track unlocks using webhooks", docs.kisi.io), in its order; `event` the whole Event
 * object of Kisi's event sets (with `actor_email`, `action`, `authenticated_by_*`, …). Which one
 * Kisi sends is not documented; the trigger handles both.
 */
export type WebhookPayload = 'documented' | 'event';
const DOCUMENTED_WEBHOOK_KEYS = [
	'uuid',
	'actor_type',
	'actor_id',
	'actor_name',
	'object_type',
	'object_id',
	'object_name',
	'organization_id',
	'place_id',
	'success',
	'type',
	'error_code',
	'error_message',
	'created_at',
] as const;

export function documentedPayload(event: KisiEvent): Rec {
	const out: Rec = {};
	for (const key of DOCUMENTED_WEBHOOK_KEYS) out[key] = event[key] ?? null;
	return out;
}

export interface UnlockOutcome {
	event: KisiEvent;
	deliveries: Promise<DeliveryResult[]>;
}

export class KisiStore implements ServiceApi<KisiPrincipal> {
	readonly name = 'kisi' as const;
	readonly prefix = '/kisi';
	/** Kisi requires integration partners to send both; it documents no answer to a request without them. */
	readonly loggedHeaders = ['x-kisi-integration-identifier', 'x-kisi-integration-contact'] as const;
	readonly routes: Route<KisiPrincipal>[];

	organization: Rec & { id: number; name: string };
	offsetMax: number;
	webhookPayload: WebhookPayload;
	private readonly apiKeys = new Map<string, ApiKey>();
	readonly users = new Map<number, User>();
	private readonly usersByEmail = new Map<string, User>();
	readonly places = new Map<number, Place>();
	readonly locks = new Map<number, Lock>();
	readonly groups = new Map<number, Group>();
	readonly groupLocks = new Map<number, GroupLock>();
	private readonly groupLocksByGroup = new MultiIndex<number, GroupLock>();
	private readonly groupLocksByLock = new MultiIndex<number, GroupLock>();
	readonly access = new Map<number, Access>();
	private readonly accessByGroup = new MultiIndex<number, Access>();
	private readonly accessByUser = new MultiIndex<number, Access>();
	private readonly accessByPair = new Map<string, Access>();
	readonly roles = new Map<number, Role>();
	private readonly rolesByUser = new MultiIndex<number, Role>();
	readonly integrations = new Map<number, Integration>();
	readonly events: KisiEvent[] = [];
	readonly deliveries = new Map<string, DeliveryResult[]>();
	private readonly pending = new Set<Promise<unknown>>();
	private sequence = 1;
	readonly cache = new ListCache();

	constructor(
		k: KisiScenario | undefined,
		private readonly clock: Clock,
	) {
		const now = kisiTime(clock.nowIso());
		const stamp = <T extends Rec>(r: T) => ({ ...r, created_at: r.created_at ?? now, updated_at: r.updated_at ?? r.created_at ?? now });
		const byId = <T extends { id: number }>(list: T[]) => [...list].sort((a, b) => a.id - b.id);
		this.organization = { ...(k?.organization ?? { id: 1, name: 'Sandbox Organization' }) };
		this.offsetMax = k?.offsetMax ?? KISI_OFFSET_MAX;
		this.webhookPayload = k?.webhookPayload ?? 'documented';
		k?.apiKeys.forEach((a, i) => this.apiKeys.set(a.key, { ...a, id: a.id ?? i + 1 }));
		for (const u of byId(k?.users ?? [])) {
			this.addUser(stamp({ ...u, name: u.name ?? null, access_enabled: u.access_enabled ?? true }) as User);
		}
		for (const p of byId(k?.places ?? [])) this.places.set(p.id, stamp(p) as Place);
		for (const l of byId(k?.locks ?? [])) this.locks.set(l.id, stamp(l) as Lock);
		for (const g of byId(k?.groups ?? [])) {
			this.groups.set(g.id, stamp({ ...g, place_id: g.place_id ?? null, description: g.description ?? null }) as Group);
		}
		if (k?.group_locks) {
			k.group_locks.forEach((gl, i) => this.addGroupLock({ ...stamp(gl), id: gl.id ?? i + 1 } as GroupLock));
		} else {
			let id = 1;
			for (const g of this.groups.values())
				for (const l of this.locks.values())
					if (g.place_id === null || g.place_id === l.place_id)
						this.addGroupLock({ id: id++, group_id: g.id, lock_id: l.id, created_at: g.created_at, updated_at: g.created_at });
		}
		const records: { id: number; add: () => void }[] = [];
		for (const s of k?.shares ?? []) {
			records.push({
				id: s.id,
				add: () => {
					const user = s.user_id !== undefined ? this.users.get(s.user_id)! : this.userForEmail(s.email!, now);
					this.addAccess({
						id: s.id,
						group_id: s.group_id,
						user_id: user.id,
						role: s.role_id ?? 'basic',
						notify: s.notify === undefined ? false : s.notify,
						...('role' in s ? { legacy_role: (s.role as string | null | undefined) ?? null } : {}),
						valid_from: normTime(s.valid_from),
						valid_until: normTime(s.valid_until),
						created_by_type: s.created_by_type !== undefined ? s.created_by_type : s.created_by_id != null ? 'User' : null,
						created_by_id: s.created_by_id ?? null,
						created_at: s.created_at ?? now,
						updated_at: s.updated_at ?? s.created_at ?? now,
					});
				},
			});
		}
		for (const r of k?.role_assignments ?? []) {
			const type = r.applies_to_type ?? (r.group_id != null ? 'Group' : r.place_id != null ? 'Place' : 'Organization');
			const userId = (r.assignee_id ?? r.user_id)!;
			const common = {
				id: r.id,
				user_id: userId,
				notify: r.notify ?? false,
				created_by_type: r.created_by_type !== undefined ? r.created_by_type : r.created_by_id != null ? 'User' : null,
				created_by_id: r.created_by_id ?? null,
				created_at: r.created_at ?? now,
				updated_at: r.updated_at ?? r.created_at ?? now,
			} as const;
			records.push({
				id: r.id,
				add: () => {
					if (type === 'Group') {
						this.addAccess({
							...common,
							group_id: (r.applies_to_id ?? r.group_id)!,
							role: r.role_id === 'group_manager' ? 'manager' : 'basic',
							valid_from: normTime(r.valid_from),
							valid_until: normTime(r.valid_until),
						});
					} else {
						this.addRole({
							...common,
							role_id: r.role_id,
							applies_to_type: type,
							applies_to_id: r.applies_to_id ?? (type === 'Place' ? r.place_id! : this.organization.id),
						});
					}
				},
			});
		}
		records.sort((a, b) => a.id - b.id).forEach((r) => r.add());
		for (const it of byId(k?.integrations ?? [])) {
			this.integrations.set(
				it.id,
				stamp({
					...it,
					url: it.url ?? null,
					enabled: it.enabled ?? true,
					enabled_events: it.enabled_events ?? null,
					signature_key: it.signature_key ?? null,
					place_id: it.place_id ?? null,
				}) as Integration,
			);
		}
		for (const e of k?.events ?? []) this.events.push({ ...e, created_at: String(e.created_at ?? now) } as KisiEvent);
		this.routes = this.buildRoutes();
	}

	/** The clock's time as Kisi writes date-times (seconds, no fraction: `2022-10-06T13:49:35Z`). */
	private nowIso(): string {
		return kisiTime(this.clock.nowIso());
	}

	// ------------------------------------------------------------------------------------------
	// Index maintenance

	private addUser(u: User): void {
		this.users.set(u.id, u);
		this.usersByEmail.set(normEmail(u.email), u);
	}
	private removeUser(u: User): void {
		for (const a of this.accessByUser.get(u.id)) this.removeAccess(a);
		for (const r of this.rolesByUser.get(u.id)) this.removeRole(r);
		this.users.delete(u.id);
		this.usersByEmail.delete(normEmail(u.email));
	}
	private userForEmail(email: string, now: string): User {
		const existing = this.usersByEmail.get(normEmail(email));
		if (existing) return existing;
		const user: User = {
			id: nextId(this.users.keys(), 1),
			email: normEmail(email),
			name: null,
			access_enabled: true,
			created_at: now,
			updated_at: now,
		};
		this.addUser(user);
		return user;
	}
	private addGroupLock(gl: GroupLock): void {
		this.groupLocks.set(gl.id, gl);
		this.groupLocksByGroup.add(gl.group_id, gl);
		this.groupLocksByLock.add(gl.lock_id, gl);
	}
	private removeGroupLock(gl: GroupLock): void {
		this.groupLocks.delete(gl.id);
		this.groupLocksByGroup.remove(gl.group_id, gl);
		this.groupLocksByLock.remove(gl.lock_id, gl);
	}
	private addAccess(a: Access): void {
		this.access.set(a.id, a);
		this.accessByGroup.add(a.group_id, a);
		this.accessByUser.add(a.user_id, a);
		this.accessByPair.set(`${a.group_id}:${a.user_id}`, a);
	}
	private removeAccess(a: Access): void {
		this.access.delete(a.id);
		this.accessByGroup.remove(a.group_id, a);
		this.accessByUser.remove(a.user_id, a);
		this.accessByPair.delete(`${a.group_id}:${a.user_id}`);
	}
	private addRole(r: Role): void {
		this.roles.set(r.id, r);
		this.rolesByUser.add(r.user_id, r);
	}
	private removeRole(r: Role): void {
		this.roles.delete(r.id);
		this.rolesByUser.remove(r.user_id, r);
	}
	private nextAccessId(): number {
		return Math.max(nextId(this.access.keys(), 1), nextId(this.roles.keys(), 1));
	}

	// ------------------------------------------------------------------------------------------
	// Scenario export

	toScenario(): KisiScenario {
		const strip = <T extends Rec>(r: T) => ({ ...r });
		return {
			apiKeys: [...this.apiKeys.values()].map((k) => ({ ...k })),
			organization: { ...this.organization },
			users: [...this.users.values()].map(strip),
			places: [...this.places.values()].map(strip),
			locks: [...this.locks.values()].map(strip),
			groups: [...this.groups.values()].map(strip),
			group_locks: [...this.groupLocks.values()].map((gl) => ({ ...gl })),
			shares: [...this.access.values()].map((a) => ({
				id: a.id,
				email: this.users.get(a.user_id)!.email,
				user_id: a.user_id,
				group_id: a.group_id,
				role_id: a.role,
				notify: a.notify,
				valid_from: a.valid_from,
				valid_until: a.valid_until,
				created_by_type: a.created_by_type,
				created_by_id: a.created_by_id,
				created_at: a.created_at,
				updated_at: a.updated_at,
				...(a.legacy_role !== undefined ? { role: a.legacy_role } : {}),
			})),
			role_assignments: [...this.roles.values()].map((r) => ({
				id: r.id,
				role_id: r.role_id,
				applies_to_type: r.applies_to_type,
				applies_to_id: r.applies_to_id,
				assignee_type: 'User' as const,
				assignee_id: r.user_id,
				notify: r.notify,
				created_by_type: r.created_by_type,
				created_by_id: r.created_by_id,
				created_at: r.created_at,
				updated_at: r.updated_at,
			})),
			integrations: [...this.integrations.values()].map(strip) as KisiScenario['integrations'],
			events: this.events.map((e) => ({ ...e })),
			offsetMax: this.offsetMax === KISI_OFFSET_MAX ? undefined : this.offsetMax,
			webhookPayload: this.webhookPayload === 'documented' ? undefined : this.webhookPayload,
		};
	}

	// ------------------------------------------------------------------------------------------
	// ServiceApi

	private keyFrom(ctx: Ctx<unknown>): ApiKey | undefined {
		const auth = String(ctx.headers.authorization ?? '');
		const m = /^KISI-LOGIN\s+(.+)$/i.exec(auth.trim());
		return m ? this.apiKeys.get(m[1].trim()) : undefined;
	}
	rateKey(ctx: Ctx<undefined>): string {
		const key = this.keyFrom(ctx);
		return key ? `user:${key.user_id}` : `ip:${ctx.ip}`;
	}
	authenticate(ctx: Ctx<undefined>): { principal: KisiPrincipal } | HttpResult {
		const auth = ctx.headers.authorization;
		if (!auth) return kisiError(401, 'Unauthorized: the Authorization header is missing (expected "KISI-LOGIN <api key>")');
		const key = this.keyFrom(ctx);
		const user = key && this.users.get(key.user_id);
		if (!key || !user) return kisiError(401, 'Unauthorized: the login is invalid or has expired');
		return { principal: { user, keyId: key.id } };
	}
	errorResult(status: number, message?: string): HttpResult {
		return kisiError(status, message);
	}
	rateLimited(): HttpResult {
		return kisiError(429);
	}
	routeNotFound(): HttpResult {
		return kisiError(404, 'Not found: no such route');
	}

	// ------------------------------------------------------------------------------------------
	// Serializers: each object has exactly the keys Kisi's OpenAPI lists for it, in its order
	// (docs/reference/kisi-api.md; the key lists are checked in test/sandbox/kisi-shapes.test.ts
	// against test/fixtures/vendor/kisi/documented-keys.json). Scenario fields beyond them are kept
	// in the state but not served.

	/** A user's `name` is a string in every Kisi schema; Kisi's own example of a user created without one shows the email. */
	private displayName(u: User): string {
		return u.name ?? u.email;
	}
	private organizationRef(): Rec {
		const o = this.organization;
		return { id: o.id, resource_type: 'Organization', name: o.name, domain: typeof o.domain === 'string' ? o.domain : 'sandbox' };
	}
	private placeRef(id: number | null): Rec | undefined {
		const p = id === null ? undefined : this.places.get(id);
		return p ? { id: p.id, resource_type: 'Place', name: p.name } : undefined;
	}
	private groupRef(g: Group): Rec {
		return { id: g.id, resource_type: 'Group', name: g.name };
	}
	private userRef(id: number | null): Rec | undefined {
		const u = id === null ? undefined : this.users.get(id);
		return u ? { id: u.id, resource_type: 'User', email: u.email, name: this.displayName(u) } : undefined;
	}
	/** The deprecated members API is not emulated; a share's member is its user's, with an id of its own. */
	private memberRef(u: User): Rec {
		return { id: MEMBER_ID_OFFSET + u.id, resource_type: 'Member', name: this.displayName(u) };
	}
	private createdByRef(type: string | null, id: number | null): Rec | undefined {
		if (type === 'User') return this.userRef(id);
		if (type === 'MarketplaceInstallation' && id !== null) return { id, resource_type: 'MarketplaceInstallation' };
		return undefined;
	}
	private groupUserCount(groupId: number): number {
		return this.accessByGroup.count(groupId);
	}

	userJson(u: User): Rec {
		return {
			id: u.id,
			resource_type: 'User',
			name: this.displayName(u),
			email: u.email,
			created_at: u.created_at,
			updated_at: u.updated_at,
			metadata: u.metadata ?? {},
			image: u.image ?? null,
			otp_required_for_login: u.otp_required_for_login ?? false,
			password_flow_enabled: u.password_flow_enabled ?? false,
			access_enabled: u.access_enabled,
			last_accessed_at: u.last_accessed_at ?? null,
			// "always true if the user is not managed by SCIM" (the sandbox has no SCIM)
			scim_access_enabled: u.scim_access_enabled ?? true,
			notes: u.notes ?? null,
			organization_id: this.organization.id,
			confirmed: u.confirmed ?? true,
			groups_count: this.accessByUser.count(u.id),
		};
	}
	/** `GET /user`: the key's own user, a shape of its own (no access fields, the organization embedded). */
	currentUserJson(u: User): Rec {
		return {
			id: u.id,
			resource_type: 'User',
			name: this.displayName(u),
			email: u.email,
			image: u.image ?? null,
			locale: u.locale ?? null,
			notifications_unread_count: u.notifications_unread_count ?? 0,
			otp_required_for_login: u.otp_required_for_login ?? false,
			otp_enabled_at: u.otp_enabled_at ?? null,
			primary_login_exists: u.primary_login_exists ?? false,
			created_at: u.created_at,
			updated_at: u.updated_at,
			announcements_last_seen_at: u.announcements_last_seen_at ?? null,
			last_read_at: u.last_read_at ?? null,
			notes: u.notes ?? null,
			organization_id: this.organization.id,
			organization: this.organizationRef(),
		};
	}
	groupJson(g: Group): Rec {
		const users = this.groupUserCount(g.id);
		const place = this.placeRef(g.place_id);
		return {
			id: g.id,
			resource_type: 'Group',
			name: g.name,
			description: g.description,
			created_at: g.created_at,
			updated_at: g.updated_at,
			geofence_restriction_enabled: g.geofence_restriction_enabled ?? false,
			geofence_restriction_radius: g.geofence_restriction_radius ?? 100,
			primary_device_restriction_enabled: g.primary_device_restriction_enabled ?? false,
			managed_device_restriction_enabled: g.managed_device_restriction_enabled ?? false,
			reader_restriction_enabled: g.reader_restriction_enabled ?? false,
			time_restriction_enabled: g.time_restriction_enabled ?? false,
			tap_to_access_restriction_enabled: g.tap_to_access_restriction_enabled ?? false,
			login_enabled: g.login_enabled ?? true,
			users_count: users,
			locks_count: this.groupLocksByGroup.count(g.id),
			elevator_stops_count: 0,
			place_id: g.place_id,
			...(place ? { place } : {}),
			time_restriction_time_zone: g.time_restriction_time_zone ?? null,
			members_count: users,
		};
	}
	placeJson(p: Place): Rec {
		let locks = 0;
		for (const l of this.locks.values()) if (l.place_id === p.id) locks++;
		let integrations = 0;
		for (const it of this.integrations.values()) if (it.place_id === p.id) integrations++;
		const groups = this.groupsWithLocksAt(p.id);
		const members = new Set<number>();
		for (const groupId of groups) for (const a of this.accessByGroup.get(groupId)) members.add(a.user_id);
		return {
			id: p.id,
			resource_type: 'Place',
			name: p.name,
			description: p.description ?? null,
			created_at: p.created_at,
			updated_at: p.updated_at,
			latitude: p.latitude ?? null,
			longitude: p.longitude ?? null,
			// Required when a place is created, so always a string.
			address: p.address ?? '',
			image: p.image ?? null,
			time_zone: p.time_zone ?? 'UTC',
			tz_time_zone: p.time_zone ?? 'UTC',
			locks_count: locks,
			integrations_count: integrations,
			locked_down: p.locked_down ?? false,
			locked_down_since: p.locked_down_since ?? null,
			occupancy_rate: p.occupancy_rate ?? null,
			organization_id: this.organization.id,
			organization: this.organizationRef(),
			color: p.color ?? null,
			logo: p.logo ?? null,
			user_id: null,
			members_count: members.size,
		};
	}
	lockJson(l: Lock): Rec {
		const place = this.places.get(l.place_id);
		return {
			id: l.id,
			resource_type: 'Lock',
			created_at: l.created_at,
			updated_at: l.updated_at,
			configured: l.configured ?? true,
			description: l.description ?? null,
			first_to_arrive_required_until: l.first_to_arrive_required_until ?? null,
			first_to_arrive_satisfied: l.first_to_arrive_satisfied ?? false,
			latitude: l.latitude ?? null,
			locked_down: l.locked_down ?? false,
			locked_down_since: l.locked_down_since ?? null,
			longitude: l.longitude ?? null,
			name: l.name,
			on_scheduled_unlock: l.on_scheduled_unlock ?? false,
			online: l.online === undefined ? true : l.online,
			open: l.open ?? false,
			order_id: l.order_id ?? null,
			unlocked: l.unlocked ?? false,
			geofence_restriction_enabled: l.geofence_restriction_enabled === undefined ? false : l.geofence_restriction_enabled,
			geofence_restriction_radius: l.geofence_restriction_radius ?? 100,
			reader_restriction_enabled: l.reader_restriction_enabled === undefined ? false : l.reader_restriction_enabled,
			time_restriction_enabled: l.time_restriction_enabled === undefined ? false : l.time_restriction_enabled,
			time_restriction_time_zone: l.time_restriction_time_zone ?? null,
			place_id: l.place_id,
			place: place
				? { id: place.id, name: place.name, latitude: place.latitude ?? null, longitude: place.longitude ?? null }
				: { id: l.place_id, name: '', latitude: null, longitude: null },
			floor_id: l.floor_id ?? null,
			groups_count: this.groupLocksByLock.count(l.id),
			unlocked_until: l.unlocked_until ?? null,
		};
	}
	shareJson(a: Access): Rec {
		const group = this.groups.get(a.group_id)!;
		const user = this.users.get(a.user_id)!;
		const place = this.placeRef(group.place_id);
		const createdBy = this.createdByRef(a.created_by_type, a.created_by_id);
		const issuedBy = a.created_by_type === 'User' ? this.userRef(a.created_by_id) : undefined;
		return {
			id: a.id,
			resource_type: 'Share',
			created_at: a.created_at,
			updated_at: a.updated_at,
			email: user.email,
			notify: a.notify,
			role_id: a.role,
			valid_from: a.valid_from,
			valid_until: a.valid_until,
			group_id: a.group_id,
			group: this.groupRef(group),
			member_id: MEMBER_ID_OFFSET + user.id,
			member: this.memberRef(user),
			place_id: group.place_id,
			...(place ? { place } : {}),
			user_id: a.user_id,
			user: this.userRef(a.user_id),
			created_by_type: a.created_by_type,
			created_by_id: a.created_by_id,
			...(createdBy ? { created_by: createdBy } : {}),
			lock_id: null,
			apply_to_place: false,
			role: a.legacy_role !== undefined ? a.legacy_role : a.role,
			issued_to_id: a.user_id,
			issued_to_email: user.email,
			issued_by_id: a.created_by_type === 'User' ? a.created_by_id : null,
			...(issuedBy ? { issued_by: issuedBy } : {}),
		};
	}
	roleAssignmentJson(x: Access | Role): Rec {
		const user = this.userRef(x.user_id);
		const isGroup = 'group_id' in x;
		const appliesToType = isGroup ? 'Group' : x.applies_to_type;
		const group = isGroup ? this.groups.get(x.group_id)! : undefined;
		const appliesTo =
			appliesToType === 'Group' ? this.groupRef(group!) : appliesToType === 'Place' ? this.placeRef((x as Role).applies_to_id) : this.organizationRef();
		const head: Rec = {
			id: x.id,
			resource_type: 'RoleAssignment',
			created_at: x.created_at,
			updated_at: x.updated_at,
			role_id: isGroup ? `group_${x.role}` : x.role_id,
			notify: x.notify ?? false,
			applies_to_type: appliesToType,
			applies_to_id: isGroup ? x.group_id : x.applies_to_id,
			applies_to: appliesTo,
			assignee_type: 'User',
			assignee_id: x.user_id,
			assignee: user,
			created_by_type: x.created_by_type,
			created_by_id: x.created_by_id,
			user_id: x.user_id,
			user,
			assignee_team_id: null,
			guest_id: null,
			issued_by_id: x.created_by_type === 'User' ? x.created_by_id : null,
			type: appliesToType.toLowerCase(),
			scope: appliesToType.toLowerCase(),
		};
		if (isGroup) return { ...head, group_id: x.group_id, group: this.groupRef(group!), valid_from: x.valid_from, valid_until: x.valid_until };
		if (appliesToType === 'Place') return { ...head, place_id: x.applies_to_id, place: appliesTo };
		return { ...head, organization_id: this.organization.id, organization: this.organizationRef() };
	}
	/**
	 * The fields every integration type has, plus the Event Webhook's `url` and `enabled_events`.
	 * `signature_key` is write-only (stored, never returned).
	 */
	integrationJson(it: Integration): Rec {
		const place = this.placeRef(it.place_id);
		return {
			id: it.id,
			resource_type: 'Integration',
			name: it.name,
			type: it.type,
			enabled: it.enabled,
			disabled_due_to_error: it.disabled_due_to_error ?? false,
			disabled_due_to_error_at: it.disabled_due_to_error_at ?? null,
			created_at: it.created_at,
			updated_at: it.updated_at,
			organization_id: this.organization.id,
			organization: this.organizationRef(),
			place_id: it.place_id,
			...(place ? { place } : {}),
			...(it.type === 'event_webhook' ? { url: it.url, enabled_events: it.enabled_events ?? [] } : {}),
		};
	}
	groupLockJson(gl: GroupLock): Rec {
		const group = this.groups.get(gl.group_id)!;
		const lock = this.locks.get(gl.lock_id)!;
		return {
			id: gl.id,
			resource_type: 'GroupLock',
			created_at: gl.created_at,
			updated_at: gl.updated_at,
			group_id: gl.group_id,
			group: this.groupRef(group),
			lock_id: gl.lock_id,
			lock: { id: lock.id, description: lock.description ?? null, name: lock.name },
			place_id: lock.place_id,
			place: this.placeRef(lock.place_id) ?? { id: lock.place_id, resource_type: 'Place', name: '' },
		};
	}

	// ------------------------------------------------------------------------------------------
	// Listing: limit/offset + X-Collection-Range

	private list<T>(ctx: Ctx<unknown>, resource: string, items: T[], serialize: (t: T) => unknown): HttpResult {
		const { def, max } = LIST_LIMITS[resource];
		const errors: Record<string, string[]> = {};
		const num = (name: string, value: string | undefined, fallback: number, upper: number): number => {
			if (value === undefined || value === '') return fallback;
			if (!isInt(value)) {
				errors[name] = ['must be an integer'];
				return fallback;
			}
			const n = Number(value);
			if (n < 0) errors[name] = ['must be greater than or equal to 0'];
			else if (n > upper) errors[name] = [`must be less than or equal to ${upper}`];
			return n;
		};
		const limit = num('limit', ctx.query.limit, def, max);
		const offset = num('offset', ctx.query.offset, 0, this.offsetMax);
		if (Object.keys(errors).length) return validationError(errors);
		const total = items.length;
		const page = items.slice(offset, offset + limit);
		const range = page.length === 0 ? `*/${total}` : `${offset}-${offset + limit - 1}/${total}`;
		return json(200, page.map(serialize), { 'X-Collection-Range': range });
	}

	private sortByName<T extends { name: string | null; id: number }>(ctx: Ctx<unknown>, items: T[]): T[] | HttpResult {
		const sort = ctx.query.sort;
		if (sort === undefined || sort === '') return items;
		if (sort !== 'name' && sort !== '-name') return validationError({ sort: ['is not included in the list'] });
		const dir = sort === 'name' ? 1 : -1;
		return [...items].sort((a, b) => dir * (a.name ?? '').localeCompare(b.name ?? '') || a.id - b.id);
	}

	/** `ids=1,2,3`: a set, or an error result. */
	private idsFilter(ctx: Ctx<unknown>): Set<number> | undefined | HttpResult {
		const ids = csvInts(ctx.query.ids);
		if (ids === null) return validationError({ ids: ['must be a comma-separated list of integers'] });
		return ids ? new Set(ids) : undefined;
	}

	private intParam(ctx: Ctx<KisiPrincipal>, name: string, allowMe = false): number | undefined | HttpResult {
		const v = ctx.query[name];
		if (v === undefined || v === '') return undefined;
		if (allowMe && v === 'me') return ctx.principal.user.id;
		if (!isInt(v)) return validationError({ [name]: ['must be an integer'] });
		return Number(v);
	}

	// ------------------------------------------------------------------------------------------
	// Access rules (unlock)

	isAdmin(user: User, lock?: Lock): boolean {
		return this.rolesByUser
			.get(user.id)
			.some((r) => isAdminRole(r.role_id) && (r.applies_to_type === 'Organization' || (lock && r.applies_to_id === lock.place_id)));
	}

	/** Whether `user` may open `lock` now; the denial when not. */
	unlockDecision(user: User, lock: Lock, asAdmin: boolean): { ok: true; via: Access | Role | null } | { ok: false; denial: Denial } {
		const place = this.places.get(lock.place_id);
		if (lock.locked_down) return { ok: false, denial: UNLOCK_DENIALS.lockedDown };
		if (place?.locked_down) return { ok: false, denial: UNLOCK_DENIALS.placeLockedDown };
		if (lock.online === false) return { ok: false, denial: UNLOCK_DENIALS.offline };
		if (!user.access_enabled) return { ok: false, denial: UNLOCK_DENIALS.disabled };
		if (asAdmin || this.isAdmin(user, lock)) {
			const role = this.rolesByUser.get(user.id).find((r) => isAdminRole(r.role_id)) ?? null;
			return { ok: true, via: role };
		}
		const now = this.clock.now();
		let future = false;
		let past = false;
		for (const a of this.accessByUser.get(user.id)) {
			if (!this.groupLocksByGroup.get(a.group_id).some((gl) => gl.lock_id === lock.id)) continue;
			const from = a.valid_from ? Date.parse(a.valid_from) : -Infinity;
			const until = a.valid_until ? Date.parse(a.valid_until) : Infinity;
			if (from <= now && now < until) return { ok: true, via: a };
			if (now < from) future = true;
			else past = true;
		}
		return { ok: false, denial: future ? UNLOCK_DENIALS.notYetValid : past ? UNLOCK_DENIALS.expired : UNLOCK_DENIALS.denied };
	}

	/** Records a `lock.unlock` event and delivers it to the matching webhooks (`times` deliveries each). */
	recordUnlock(opts: {
		user: User;
		lock: Lock;
		success: boolean;
		errorCode?: string | null;
		errorMessage?: string | null;
		authenticatedBy: { type: string; id: number | null };
		via?: Access | Role | null;
		times?: number;
		payload?: WebhookPayload;
	}): UnlockOutcome {
		const { user, lock, success } = opts;
		const via = opts.via ?? null;
		const authorized =
			!success || !via
				? { type: null, id: null, role: null }
				: 'group_id' in via
					? { type: 'Group', id: via.group_id, role: `group_${via.role}` }
					: { type: via.applies_to_type, id: via.applies_to_id, role: via.role_id };
		const actorName = user.name ?? user.email;
		const event: KisiEvent = {
			uuid: randomUUID(),
			type: 'lock.unlock',
			action: 'unlock',
			actor_type: 'User',
			actor_id: user.id,
			actor_name: actorName,
			actor_email: user.email,
			authenticated_by_type: opts.authenticatedBy.type,
			authenticated_by_id: opts.authenticatedBy.id,
			authorized_by_type: authorized.type,
			authorized_by_id: authorized.id,
			authorized_by_role_id: authorized.role,
			object_type: 'Lock',
			object_id: lock.id,
			object_name: lock.name,
			object: { id: lock.id, resource_type: 'Lock', name: lock.name },
			organization_id: this.organization.id,
			place_id: lock.place_id,
			success,
			code: success ? null : (opts.errorCode ?? UNLOCK_DENIALS.denied.code),
			message: success ? `${actorName} unlocked ${lock.name}` : `${actorName} failed to unlock ${lock.name}`,
			error_code: success ? null : (opts.errorCode ?? UNLOCK_DENIALS.denied.code),
			error_message: success ? null : (opts.errorMessage ?? UNLOCK_DENIALS.denied.message),
			sequence: this.sequence++,
			created_at: this.nowIso(),
		};
		this.events.push(event);
		const deliveries = this.deliver(event, opts.times ?? 1, opts.payload);
		return { event, deliveries };
	}

	/** Delivers an event to every enabled event_webhook whose enabled_events (null = all) include its type. */
	deliver(event: KisiEvent, times = 1, payload: WebhookPayload = this.webhookPayload): Promise<DeliveryResult[]> {
		const targets = [...this.integrations.values()].filter(
			(it) =>
				it.type === 'event_webhook' &&
				it.enabled &&
				it.url &&
				(it.enabled_events === null || it.enabled_events.includes(event.type)) &&
				(it.place_id === null || it.place_id === event.place_id),
		);
		const body = JSON.stringify(payload === 'event' ? event : documentedPayload(event));
		const run = (async () => {
			const results: DeliveryResult[] = [];
			for (let i = 0; i < times; i++) {
				results.push(...(await Promise.all(targets.map((it) => deliverWebhook(it.id, it.url!, body, it.signature_key)))));
			}
			const list = this.deliveries.get(event.uuid) ?? [];
			list.push(...results);
			this.deliveries.set(event.uuid, list);
			return results;
		})();
		this.pending.add(run);
		void run.finally(() => this.pending.delete(run));
		return run;
	}

	/** Waits for deliveries still under way. */
	async drain(): Promise<void> {
		await Promise.allSettled([...this.pending]);
	}

	findUserByEmail(email: string): User | undefined {
		return this.usersByEmail.get(normEmail(email));
	}

	// ------------------------------------------------------------------------------------------
	// Routes

	private buildRoutes(): Route<KisiPrincipal>[] {
		const r: Route<KisiPrincipal>[] = [];
		const add = (method: string, pattern: string, handler: Route<KisiPrincipal>['handler']) =>
			r.push({ method, pattern, handler });

		add('GET', '/user', (ctx) => json(200, this.currentUserJson(ctx.principal.user)));

		// Users ----------------------------------------------------------------------------------
		add('GET', '/users', (ctx) => {
			const ids = this.idsFilter(ctx);
			if (isResult(ids)) return ids;
			const groupId = this.intParam(ctx, 'group_id');
			if (isResult(groupId)) return groupId;
			const placeId = this.intParam(ctx, 'place_id');
			if (isResult(placeId)) return placeId;
			const userId = this.intParam(ctx, 'user_id', true);
			if (isResult(userId)) return userId;
			let items: User[];
			if (ctx.query.email !== undefined) {
				const u = this.usersByEmail.get(normEmail(ctx.query.email));
				items = u ? [u] : [];
			} else if (groupId !== undefined) {
				items = this.accessByGroup
					.get(groupId)
					.map((a) => this.users.get(a.user_id)!)
					.sort((a, b) => a.id - b.id);
			} else items = [...this.users.values()];
			const q = ctx.query.query?.toLowerCase();
			const placeGroups = placeId === undefined ? undefined : this.groupsWithLocksAt(placeId);
			items = items.filter(
				(u) =>
					(!ids || ids.has(u.id)) &&
					(userId === undefined || u.id === userId) &&
					(groupId === undefined || this.accessByPair.has(`${groupId}:${u.id}`)) &&
					(!placeGroups || this.accessByUser.get(u.id).some((a) => placeGroups.has(a.group_id))) &&
					(!q || [u.email, u.name, u.notes].some((f) => typeof f === 'string' && f.toLowerCase().includes(q))),
			);
			const sorted = this.sortByName(ctx, items);
			if (isResult(sorted)) return sorted;
			return this.list(ctx, 'users', sorted, (u) => this.userJson(u));
		});
		add('POST', '/users', (ctx) => {
			const body = wrapped(ctx, 'user');
			if (isResult(body)) return body;
			const email = typeof body.email === 'string' ? body.email.trim() : '';
			if (!EMAIL_RE.test(email)) return validationError({ email: ["can't be blank or invalid"] });
			if (this.usersByEmail.has(normEmail(email))) return validationError({ email: ['has already been taken'] });
			const metadataProblem = 'metadata' in body ? metadataError(body.metadata) : undefined;
			if (metadataProblem) return validationError({ metadata: [metadataProblem] });
			const now = this.nowIso();
			const user: User = {
				id: nextId(this.users.keys(), 1),
				email: normEmail(email),
				name: typeof body.name === 'string' ? body.name : null,
				access_enabled: typeof body.access_enabled === 'boolean' ? body.access_enabled : true,
				created_at: now,
				updated_at: now,
			};
			for (const f of ['image', 'password_flow_enabled', 'metadata', 'notes'] as const) if (f in body) user[f] = body[f];
			this.addUser(user);
			return json(200, this.userJson(user));
		});
		add('GET', '/users/:id', (ctx) => {
			const u = this.users.get(Number(ctx.params.id));
			return u ? json(200, this.userJson(u)) : kisiError(404, 'User not found');
		});
		add('PATCH', '/users/:id', (ctx) => {
			const u = this.users.get(Number(ctx.params.id));
			if (!u) return kisiError(404, 'User not found');
			const body = wrapped(ctx, 'user');
			if (isResult(body)) return body;
			if ('name' in body) u.name = body.name === null ? null : String(body.name);
			if ('access_enabled' in body) {
				if (typeof body.access_enabled !== 'boolean') return validationError({ access_enabled: ['must be true or false'] });
				u.access_enabled = body.access_enabled;
			}
			const metadataProblem = 'metadata' in body ? metadataError(body.metadata) : undefined;
			if (metadataProblem) return validationError({ metadata: [metadataProblem] });
			for (const f of ['image', 'password_flow_enabled', 'metadata', 'notes'] as const) if (f in body) u[f] = body[f];
			u.updated_at = this.nowIso();
			return noContent();
		});
		add('DELETE', '/users/:id', (ctx) => {
			const u = this.users.get(Number(ctx.params.id));
			if (!u) return kisiError(404, 'User not found');
			if (u.id === ctx.principal.user.id) return validationError({ base: ['you cannot delete yourself'] });
			this.removeUser(u);
			return noContent();
		});

		// Groups ---------------------------------------------------------------------------------
		add('GET', '/groups', (ctx) => {
			const ids = this.idsFilter(ctx);
			if (isResult(ids)) return ids;
			const placeId = this.intParam(ctx, 'place_id');
			if (isResult(placeId)) return placeId;
			const lockId = this.intParam(ctx, 'lock_id');
			if (isResult(lockId)) return lockId;
			const scope = ctx.query.scope;
			if (scope !== undefined && scope !== 'organization' && scope !== 'place')
				return validationError({ scope: ['is not included in the list'] });
			const q = ctx.query.query?.toLowerCase();
			const items = [...this.groups.values()].filter(
				(g) =>
					(!ids || ids.has(g.id)) &&
					(placeId === undefined || g.place_id === placeId) &&
					(scope === undefined || (scope === 'organization' ? g.place_id === null : g.place_id !== null)) &&
					(lockId === undefined || this.groupLocksByGroup.get(g.id).some((gl) => gl.lock_id === lockId)) &&
					(!q || g.name.toLowerCase().includes(q)),
			);
			const sorted = this.sortByName(ctx, items);
			if (isResult(sorted)) return sorted;
			return this.list(ctx, 'groups', sorted, (g) => this.groupJson(g));
		});
		add('POST', '/groups', (ctx) => {
			const body = wrapped(ctx, 'group');
			if (isResult(body)) return body;
			if (typeof body.name !== 'string' || body.name.trim() === '') return validationError({ name: ["can't be blank"] });
			const placeId = body.place_id ?? null;
			if (placeId !== null && (typeof placeId !== 'number' || !this.places.has(placeId)))
				return validationError({ place: ['must exist'] });
			const now = this.nowIso();
			const group: Group = {
				...pick(body, GROUP_FIELDS),
				id: nextId(this.groups.keys(), 1),
				name: body.name,
				description: typeof body.description === 'string' ? body.description : null,
				place_id: placeId as number | null,
				created_at: now,
				updated_at: now,
			};
			this.groups.set(group.id, group);
			return json(200, this.groupJson(group));
		});
		add('GET', '/groups/:id', (ctx) => {
			const g = this.groups.get(Number(ctx.params.id));
			return g ? json(200, this.groupJson(g)) : kisiError(404, 'Group not found');
		});
		add('PATCH', '/groups/:id', (ctx) => {
			const g = this.groups.get(Number(ctx.params.id));
			if (!g) return kisiError(404, 'Group not found');
			const body = wrapped(ctx, 'group');
			if (isResult(body)) return body;
			if ('name' in body && (typeof body.name !== 'string' || body.name.trim() === ''))
				return validationError({ name: ["can't be blank"] });
			Object.assign(g, pick(body, GROUP_FIELDS));
			if (typeof body.name === 'string') g.name = body.name;
			if ('description' in body) g.description = body.description === null ? null : String(body.description);
			g.updated_at = this.nowIso();
			return noContent();
		});
		add('DELETE', '/groups/:id', (ctx) => {
			const g = this.groups.get(Number(ctx.params.id));
			if (!g) return kisiError(404, 'Group not found');
			for (const a of this.accessByGroup.get(g.id)) this.removeAccess(a);
			for (const gl of this.groupLocksByGroup.get(g.id)) this.removeGroupLock(gl);
			this.groups.delete(g.id);
			return noContent();
		});

		// Group locks ----------------------------------------------------------------------------
		add('GET', '/group_locks', (ctx) => {
			const groupId = this.intParam(ctx, 'group_id');
			if (isResult(groupId)) return groupId;
			if (groupId === undefined) return validationError({ group_id: ["can't be blank"] });
			const ids = this.idsFilter(ctx);
			if (isResult(ids)) return ids;
			const lockId = this.intParam(ctx, 'lock_id');
			if (isResult(lockId)) return lockId;
			const q = ctx.query.query?.toLowerCase();
			const items = this.groupLocksByGroup
				.get(groupId)
				.filter(
					(gl) =>
						(!ids || ids.has(gl.id)) &&
						(lockId === undefined || gl.lock_id === lockId) &&
						(!q || this.locks.get(gl.lock_id)!.name.toLowerCase().includes(q)),
				)
				.sort((a, b) => a.id - b.id);
			return this.list(ctx, 'group_locks', items, (gl) => this.groupLockJson(gl));
		});
		add('POST', '/group_locks', (ctx) => {
			const body = wrapped(ctx, 'group_lock');
			if (isResult(body)) return body;
			const group = typeof body.group_id === 'number' ? this.groups.get(body.group_id) : undefined;
			const lock = typeof body.lock_id === 'number' ? this.locks.get(body.lock_id) : undefined;
			if (!group) return validationError({ group: ['must exist'] });
			if (!lock) return validationError({ lock: ['must exist'] });
			if (group.place_id !== null && group.place_id !== lock.place_id)
				return validationError({ lock: ['must belong to the place of the group'] });
			if (this.groupLocksByGroup.get(group.id).some((gl) => gl.lock_id === lock.id))
				return validationError({ lock_id: ['has already been taken'] });
			const now = this.nowIso();
			const gl: GroupLock = { id: nextId(this.groupLocks.keys(), 1), group_id: group.id, lock_id: lock.id, created_at: now, updated_at: now };
			this.addGroupLock(gl);
			return json(200, this.groupLockJson(gl));
		});
		add('GET', '/group_locks/:id', (ctx) => {
			const gl = this.groupLocks.get(Number(ctx.params.id));
			return gl ? json(200, this.groupLockJson(gl)) : kisiError(404, 'Group lock not found');
		});
		add('DELETE', '/group_locks/:id', (ctx) => {
			const gl = this.groupLocks.get(Number(ctx.params.id));
			if (!gl) return kisiError(404, 'Group lock not found');
			this.removeGroupLock(gl);
			return noContent();
		});

		// Shares ---------------------------------------------------------------------------------
		add('GET', '/shares', (ctx) => {
			const items = this.filterAccess(ctx, 'share');
			if (isResult(items)) return items;
			return this.list(ctx, 'shares', items, (a) => this.shareJson(a));
		});
		add('POST', '/shares', (ctx) => {
			const body = wrapped(ctx, 'share');
			if (isResult(body)) return body;
			const email = typeof body.email === 'string' ? body.email.trim() : '';
			const errors: Record<string, string[]> = {};
			if (!EMAIL_RE.test(email)) errors.email = ["can't be blank or invalid"];
			const group = typeof body.group_id === 'number' ? this.groups.get(body.group_id) : undefined;
			if (!group) errors.group = ['must exist'];
			const role = body.role_id ?? 'basic';
			if (role !== 'basic' && role !== 'manager') errors.role_id = ['is not included in the list'];
			const validity = parseValidity(body, errors);
			if (Object.keys(errors).length) return validationError(errors);
			const existing = this.usersByEmail.get(normEmail(email));
			if (existing && this.accessByPair.has(`${group!.id}:${existing.id}`))
				return validationError({ email: ['has already been taken'] });
			const now = this.nowIso();
			const user = existing ?? this.userForEmail(email, now);
			const access: Access = {
				id: this.nextAccessId(),
				group_id: group!.id,
				user_id: user.id,
				role: role as 'basic' | 'manager',
				notify: typeof body.notify === 'boolean' ? body.notify : false,
				valid_from: validity.valid_from ?? null,
				valid_until: validity.valid_until ?? null,
				created_by_type: 'User',
				created_by_id: ctx.principal.user.id,
				created_at: now,
				updated_at: now,
			};
			this.addAccess(access);
			return json(200, this.shareJson(access));
		});
		add('GET', '/shares/:id', (ctx) => {
			const a = this.access.get(Number(ctx.params.id));
			return a ? json(200, this.shareJson(a)) : kisiError(404, 'Share not found');
		});
		add('PATCH', '/shares/:id', (ctx) => {
			const a = this.access.get(Number(ctx.params.id));
			if (!a) return kisiError(404, 'Share not found');
			const body = wrapped(ctx, 'share');
			if (isResult(body)) return body;
			return this.patchAccess(a, body, (v) => (v === 'basic' || v === 'manager' ? v : undefined));
		});
		add('DELETE', '/shares/:id', (ctx) => {
			const a = this.access.get(Number(ctx.params.id));
			if (!a) return kisiError(404, 'Share not found');
			this.removeAccess(a);
			return noContent();
		});

		// Role assignments -----------------------------------------------------------------------
		add('GET', '/role_assignments', (ctx) => {
			const groups = this.filterAccess(ctx, 'role_assignment');
			if (isResult(groups)) return groups;
			const roles = this.filterRoles(ctx);
			if (isResult(roles)) return roles;
			const items: (Access | Role)[] = [...groups, ...roles].sort((a, b) => a.id - b.id);
			return this.list(ctx, 'role_assignments', items, (x) => this.roleAssignmentJson(x));
		});
		add('POST', '/role_assignments', (ctx) => this.createRoleAssignment(ctx));
		add('GET', '/role_assignments/:id', (ctx) => {
			const x = this.access.get(Number(ctx.params.id)) ?? this.roles.get(Number(ctx.params.id));
			return x ? json(200, this.roleAssignmentJson(x)) : kisiError(404, 'Role assignment not found');
		});
		add('PATCH', '/role_assignments/:id', (ctx) => {
			const id = Number(ctx.params.id);
			const body = wrapped(ctx, 'role_assignment');
			if (isResult(body)) return body;
			const a = this.access.get(id);
			if (a) return this.patchAccess(a, body, (v) => (v === 'group_basic' ? 'basic' : v === 'group_manager' ? 'manager' : undefined));
			const role = this.roles.get(id);
			if (!role) return kisiError(404, 'Role assignment not found');
			if ('role_id' in body) {
				if (typeof body.role_id !== 'string' || body.role_id === '' || body.role_id.startsWith('group_'))
					return validationError({ role_id: ['is not included in the list'] });
				role.role_id = body.role_id;
			}
			if ('notify' in body) role.notify = body.notify === null ? null : Boolean(body.notify);
			role.updated_at = this.nowIso();
			return noContent();
		});
		add('DELETE', '/role_assignments/:id', (ctx) => {
			const id = Number(ctx.params.id);
			const a = this.access.get(id);
			if (a) this.removeAccess(a);
			else {
				const role = this.roles.get(id);
				if (!role) return kisiError(404, 'Role assignment not found');
				this.removeRole(role);
			}
			return noContent();
		});

		// Places and locks -----------------------------------------------------------------------
		add('GET', '/places', (ctx) => {
			const ids = this.idsFilter(ctx);
			if (isResult(ids)) return ids;
			const q = ctx.query.query?.toLowerCase();
			const items = [...this.places.values()].filter((p) => (!ids || ids.has(p.id)) && (!q || p.name.toLowerCase().includes(q)));
			const sorted = this.sortByName(ctx, items);
			if (isResult(sorted)) return sorted;
			return this.list(ctx, 'places', sorted, (p) => this.placeJson(p));
		});
		add('GET', '/places/:id', (ctx) => {
			const p = this.places.get(Number(ctx.params.id));
			return p ? json(200, this.placeJson(p)) : kisiError(404, 'Place not found');
		});
		add('GET', '/locks', (ctx) => {
			const ids = this.idsFilter(ctx);
			if (isResult(ids)) return ids;
			const placeId = this.intParam(ctx, 'place_id');
			if (isResult(placeId)) return placeId;
			const q = ctx.query.query?.toLowerCase();
			const bool = (name: string) => (ctx.query[name] === 'true' ? true : ctx.query[name] === 'false' ? false : undefined);
			const online = bool('online');
			const lockedDown = bool('locked_down');
			const items = [...this.locks.values()].filter(
				(l) =>
					(!ids || ids.has(l.id)) &&
					(placeId === undefined || l.place_id === placeId) &&
					(online === undefined || (l.online !== false) === online) &&
					(lockedDown === undefined || Boolean(l.locked_down) === lockedDown) &&
					(!q || l.name.toLowerCase().includes(q)),
			);
			const sorted = this.sortByName(ctx, items);
			if (isResult(sorted)) return sorted;
			return this.list(ctx, 'locks', sorted, (l) => this.lockJson(l));
		});
		add('GET', '/locks/:id', (ctx) => {
			const l = this.locks.get(Number(ctx.params.id));
			return l ? json(200, this.lockJson(l)) : kisiError(404, 'Lock not found', 'fad10e');
		});
		add('POST', '/locks/:id/unlock', (ctx) => {
			const lock = this.locks.get(Number(ctx.params.id));
			if (!lock) return kisiError(404, 'Lock not found', 'fad10e');
			const user = ctx.principal.user;
			const decision = this.unlockDecision(user, lock, false);
			const authenticatedBy = { type: 'Login', id: ctx.principal.keyId };
			if (!decision.ok) {
				this.recordUnlock({ user, lock, success: false, errorCode: decision.denial.code, errorMessage: decision.denial.message, authenticatedBy });
				return kisiError(decision.denial.status, decision.denial.message, decision.denial.code);
			}
			this.recordUnlock({ user, lock, success: true, authenticatedBy, via: decision.via });
			return json(200, { message: 'Unlocked!' });
		});

		// Integrations ---------------------------------------------------------------------------
		add('GET', '/integrations', (ctx) => {
			const ids = this.idsFilter(ctx);
			if (isResult(ids)) return ids;
			const placeId = this.intParam(ctx, 'place_id');
			if (isResult(placeId)) return placeId;
			const scope = ctx.query.scope;
			if (scope !== undefined && scope !== 'organization' && scope !== 'place')
				return validationError({ scope: ['is not included in the list'] });
			const enabled = ctx.query.enabled === 'true' ? true : ctx.query.enabled === 'false' ? false : undefined;
			const q = ctx.query.query?.toLowerCase();
			const items = [...this.integrations.values()].filter(
				(it) =>
					(!ids || ids.has(it.id)) &&
					(placeId === undefined || it.place_id === placeId) &&
					(scope === undefined || (scope === 'organization' ? it.place_id === null : it.place_id !== null)) &&
					(enabled === undefined || it.enabled === enabled) &&
					(!q || it.name.toLowerCase().includes(q)),
			);
			return this.list(ctx, 'integrations', items, (it) => this.integrationJson(it));
		});
		add('POST', '/integrations', (ctx) => {
			const body = wrapped(ctx, 'integration');
			if (isResult(body)) return body;
			const errors: Record<string, string[]> = {};
			if (typeof body.name !== 'string' || body.name.trim() === '') errors.name = ["can't be blank"];
			if (typeof body.type !== 'string' || body.type === '') errors.type = ["can't be blank"];
			else if (!INTEGRATION_TYPES.includes(body.type)) errors.type = ['is not included in the list'];
			else if (body.type !== 'event_webhook') errors.type = ['is not emulated by the sandbox (only event_webhook)'];
			checkIntegrationFields(body, errors, true);
			const placeId = body.place_id ?? null;
			if (placeId !== null && (typeof placeId !== 'number' || !this.places.has(placeId))) errors.place = ['must exist'];
			if (Object.keys(errors).length) return validationError(errors);
			const now = this.nowIso();
			const it: Integration = {
				id: nextId(this.integrations.keys(), 1),
				type: body.type as string,
				name: body.name as string,
				url: (body.url as string | undefined) ?? null,
				enabled: typeof body.enabled === 'boolean' ? body.enabled : true,
				enabled_events: (body.enabled_events as string[] | undefined) ?? null,
				signature_key: (body.signature_key as string | undefined) ?? null,
				place_id: placeId as number | null,
				created_at: now,
				updated_at: now,
			};
			this.integrations.set(it.id, it);
			return json(200, this.integrationJson(it));
		});
		add('GET', '/integrations/:id', (ctx) => {
			const it = this.integrations.get(Number(ctx.params.id));
			return it ? json(200, this.integrationJson(it)) : kisiError(404, 'Integration not found');
		});
		add('PATCH', '/integrations/:id', (ctx) => {
			const it = this.integrations.get(Number(ctx.params.id));
			if (!it) return kisiError(404, 'Integration not found');
			const body = wrapped(ctx, 'integration');
			if (isResult(body)) return body;
			const errors: Record<string, string[]> = {};
			if ('name' in body && (typeof body.name !== 'string' || body.name.trim() === '')) errors.name = ["can't be blank"];
			checkIntegrationFields(body, errors, false);
			if (Object.keys(errors).length) return validationError(errors);
			if (typeof body.name === 'string') it.name = body.name;
			if ('url' in body) it.url = body.url as string;
			if (typeof body.enabled === 'boolean') it.enabled = body.enabled;
			if ('enabled_events' in body) it.enabled_events = body.enabled_events as string[] | null;
			if ('signature_key' in body) it.signature_key = (body.signature_key as string | null) ?? null;
			it.updated_at = this.nowIso();
			return noContent();
		});
		add('DELETE', '/integrations/:id', (ctx) => {
			const it = this.integrations.get(Number(ctx.params.id));
			if (!it) return kisiError(404, 'Integration not found');
			this.integrations.delete(it.id);
			return noContent();
		});
		return r;
	}

	private groupsWithLocksAt(placeId: number): Set<number> {
		const out = new Set<number>();
		for (const gl of this.groupLocks.values()) if (this.locks.get(gl.lock_id)?.place_id === placeId) out.add(gl.group_id);
		return out;
	}

	/** Shares / group role assignments matching the list filters of `GET /shares` and `GET /role_assignments`. */
	private filterAccess(ctx: Ctx<KisiPrincipal>, view: 'share' | 'role_assignment'): Access[] | HttpResult {
		const ids = this.idsFilter(ctx);
		if (isResult(ids)) return ids;
		let groupId = this.intParam(ctx, 'group_id');
		if (isResult(groupId)) return groupId;
		const placeId = this.intParam(ctx, 'place_id');
		if (isResult(placeId)) return placeId;
		let userId = this.intParam(ctx, 'user_id', true);
		if (isResult(userId)) return userId;
		let role: string | undefined = ctx.query.role_id;
		if (view === 'role_assignment') {
			const assigneeId = this.intParam(ctx, 'assignee_id');
			if (isResult(assigneeId)) return assigneeId;
			const appliesId = this.intParam(ctx, 'applies_to_id');
			if (isResult(appliesId)) return appliesId;
			const appliesType = ctx.query.applies_to_type;
			const scope = ctx.query.scope;
			if (ctx.query.assignee_type && ctx.query.assignee_type !== 'User') return [];
			if ((appliesType && appliesType !== 'Group') || (scope && scope !== 'group')) return [];
			if (role !== undefined) {
				if (!role.startsWith('group_')) return [];
				role = role.slice('group_'.length);
			}
			for (const [a, b] of [
				[userId, assigneeId],
				[groupId, appliesId],
			]) {
				if (a !== undefined && b !== undefined && a !== b) return [];
			}
			userId = userId ?? assigneeId;
			groupId = groupId ?? appliesId;
		}
		let items: Access[];
		if (groupId !== undefined) items = this.accessByGroup.get(groupId);
		else if (userId !== undefined) items = this.accessByUser.get(userId);
		else items = [...this.access.values()];
		const q = ctx.query.query?.toLowerCase();
		return items
			.filter((a) => {
				if (ids && !ids.has(a.id)) return false;
				if (groupId !== undefined && a.group_id !== groupId) return false;
				if (userId !== undefined && a.user_id !== userId) return false;
				if (role !== undefined && a.role !== role) return false;
				if (placeId !== undefined && this.groups.get(a.group_id)!.place_id !== placeId) return false;
				return !q || this.userMatches(a.user_id, q);
			})
			.sort((a, b) => a.id - b.id);
	}

	private userMatches(userId: number, q: string): boolean {
		const u = this.users.get(userId)!;
		return u.email.toLowerCase().includes(q) || (u.name ?? '').toLowerCase().includes(q);
	}

	private filterRoles(ctx: Ctx<KisiPrincipal>): Role[] | HttpResult {
		if (ctx.query.group_id !== undefined) return [];
		const ids = this.idsFilter(ctx);
		if (isResult(ids)) return ids;
		const userId = this.intParam(ctx, 'user_id', true);
		if (isResult(userId)) return userId;
		const assigneeId = this.intParam(ctx, 'assignee_id');
		if (isResult(assigneeId)) return assigneeId;
		const appliesId = this.intParam(ctx, 'applies_to_id');
		if (isResult(appliesId)) return appliesId;
		const placeId = this.intParam(ctx, 'place_id');
		if (isResult(placeId)) return placeId;
		const appliesType = ctx.query.applies_to_type;
		const scope = ctx.query.scope;
		const q = ctx.query.query?.toLowerCase();
		if (ctx.query.assignee_type && ctx.query.assignee_type !== 'User') return [];
		return [...this.roles.values()].filter((r) => {
			if (ids && !ids.has(r.id)) return false;
			if (userId !== undefined && r.user_id !== userId) return false;
			if (assigneeId !== undefined && r.user_id !== assigneeId) return false;
			if (appliesType && r.applies_to_type !== appliesType) return false;
			if (appliesId !== undefined && r.applies_to_id !== appliesId) return false;
			if (placeId !== undefined && !(r.applies_to_type === 'Place' && r.applies_to_id === placeId)) return false;
			if (scope && scope !== r.applies_to_type.toLowerCase()) return false;
			if (ctx.query.role_id !== undefined && r.role_id !== ctx.query.role_id) return false;
			return !q || this.userMatches(r.user_id, q);
		});
	}

	private patchAccess(a: Access, body: Rec, role: (v: unknown) => 'basic' | 'manager' | undefined): HttpResult {
		const errors: Record<string, string[]> = {};
		let newRole: 'basic' | 'manager' | undefined;
		if ('role_id' in body) {
			newRole = role(body.role_id);
			if (!newRole) errors.role_id = ['is not included in the list'];
		}
		const validity = parseValidity(body, errors, a);
		if (Object.keys(errors).length) return validationError(errors);
		if (newRole) a.role = newRole;
		if ('notify' in body) a.notify = body.notify === null ? null : Boolean(body.notify);
		if (validity.valid_from !== undefined) a.valid_from = validity.valid_from;
		if (validity.valid_until !== undefined) a.valid_until = validity.valid_until;
		a.updated_at = this.nowIso();
		return noContent();
	}

	private createRoleAssignment(ctx: Ctx<KisiPrincipal>): HttpResult {
		const body = wrapped(ctx, 'role_assignment');
		if (isResult(body)) return body;
		const legacy = body.applies_to_type === undefined && body.assignee_id === undefined;
		const userField = legacy ? 'user_id' : 'assignee_id';
		const userId = legacy ? body.user_id : body.assignee_id;
		const type = legacy
			? body.group_id != null
				? 'Group'
				: body.place_id != null
					? 'Place'
					: 'Organization'
			: body.applies_to_type;
		const targetId = legacy ? (type === 'Group' ? body.group_id : type === 'Place' ? body.place_id : (body.organization_id ?? this.organization.id)) : body.applies_to_id;
		const errors: Record<string, string[]> = {};
		const user = typeof userId === 'number' ? this.users.get(userId) : undefined;
		if (!legacy && body.assignee_type !== undefined && body.assignee_type !== 'User')
			errors.assignee_type = ['is not supported by the sandbox (only User)'];
		if (!user) errors[legacy ? 'user' : 'assignee'] = ['must exist'];
		if (typeof body.role_id !== 'string' || body.role_id === '') errors.role_id = ["can't be blank"];
		if (type !== 'Group' && type !== 'Place' && type !== 'Organization') errors.applies_to_type = ['is not included in the list'];
		const now = this.nowIso();
		if (type === 'Group') {
			const group = typeof targetId === 'number' ? this.groups.get(targetId) : undefined;
			if (!group) errors[legacy ? 'group' : 'applies_to'] = ['must exist'];
			if (typeof body.role_id === 'string' && body.role_id !== 'group_basic' && body.role_id !== 'group_manager')
				errors.role_id = ['is not included in the list'];
			const validity = parseValidity(body, errors);
			if (Object.keys(errors).length) return validationError(errors);
			if (this.accessByPair.has(`${group!.id}:${user!.id}`)) return validationError({ [userField]: ['has already been taken'] });
			const access: Access = {
				id: this.nextAccessId(),
				group_id: group!.id,
				user_id: user!.id,
				role: body.role_id === 'group_manager' ? 'manager' : 'basic',
				notify: typeof body.notify === 'boolean' ? body.notify : false,
				valid_from: validity.valid_from ?? null,
				valid_until: validity.valid_until ?? null,
				created_by_type: 'User',
				created_by_id: ctx.principal.user.id,
				created_at: now,
				updated_at: now,
			};
			this.addAccess(access);
			return json(200, this.roleAssignmentJson(access));
		}
		if (type === 'Place' && (typeof targetId !== 'number' || !this.places.has(targetId)))
			errors[legacy ? 'place' : 'applies_to'] = ['must exist'];
		if (type === 'Organization' && targetId !== this.organization.id) errors[legacy ? 'organization' : 'applies_to'] = ['must exist'];
		if (typeof body.role_id === 'string' && body.role_id.startsWith('group_')) errors.role_id = ['is not included in the list'];
		if (Object.keys(errors).length) return validationError(errors);
		if (this.rolesByUser.get(user!.id).some((r) => r.applies_to_type === type && r.applies_to_id === targetId))
			return validationError({ [userField]: ['has already been taken'] });
		const role: Role = {
			id: this.nextAccessId(),
			role_id: body.role_id as string,
			applies_to_type: type as 'Place' | 'Organization',
			applies_to_id: targetId as number,
			user_id: user!.id,
			notify: typeof body.notify === 'boolean' ? body.notify : false,
			created_by_type: 'User',
			created_by_id: ctx.principal.user.id,
			created_at: now,
			updated_at: now,
		};
		this.addRole(role);
		return json(200, this.roleAssignmentJson(role));
	}
}

const GROUP_FIELDS = [
	'login_enabled',
	'geofence_restriction_enabled',
	'primary_device_restriction_enabled',
	'managed_device_restriction_enabled',
	'reader_restriction_enabled',
	'time_restriction_enabled',
	'tap_to_access_restriction_enabled',
	'time_restriction_time_zone',
];

function pick(body: Rec, fields: string[]): Rec {
	const out: Rec = {};
	for (const f of fields) if (f in body) out[f] = body[f];
	return out;
}

export function isResult(v: unknown): v is HttpResult {
	return !!v && typeof v === 'object' && 'status' in v && typeof (v as HttpResult).status === 'number' && !Array.isArray(v);
}

/** The `{"<resource>": {...}}` payload Kisi expects on writes. */
function wrapped(ctx: Ctx<unknown>, resource: string): Rec | HttpResult {
	const parsed = jsonBody(ctx);
	if (!parsed.ok) return kisiError(400, `The request body is not valid JSON: ${parsed.error}`);
	const body = parsed.value;
	if (!isObject(body) || !isObject(body[resource])) return kisiError(400, `param is missing or the value is empty: ${resource}`);
	return body[resource] as Rec;
}

/**
 * Kisi's documented limits on user metadata: a flat object of at most 50 keys of at most 50
 * characters, values string, number, boolean or null of at most 500 characters.
 */
function metadataError(value: unknown): string | undefined {
	if (value === null) return undefined;
	if (!isObject(value)) return 'must be an object';
	const entries = Object.entries(value);
	if (entries.length > 50) return 'can have at most 50 keys';
	for (const [key, v] of entries) {
		if (key.length > 50) return `key ${key.slice(0, 20)}… is longer than 50 characters`;
		if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) return `value of ${key} must be a string, number, boolean or null`;
		if (String(v).length > 500) return `value of ${key} is longer than 500 characters`;
	}
	return undefined;
}

function normTime(v: string | null | undefined): string | null {
	return v ? kisiTime(new Date(Date.parse(v)).toISOString()) : null;
}

/**
 * A UTC instant as Kisi's examples write it: `2022-10-06T13:49:35Z` (fractional seconds only when
 * there are some).
 */
export function kisiTime(iso: string): string {
	return iso.replace(/\.000Z$/, 'Z');
}

/** valid_from / valid_until of a write: `undefined` = not sent, `null` = cleared. */
function parseValidity(
	body: Rec,
	errors: Record<string, string[]>,
	current?: { valid_from: string | null; valid_until: string | null },
): { valid_from?: string | null; valid_until?: string | null } {
	const out: { valid_from?: string | null; valid_until?: string | null } = {};
	for (const f of ['valid_from', 'valid_until'] as const) {
		if (!(f in body)) continue;
		const v = body[f];
		if (v === null || v === '') out[f] = null;
		else if (isIsoInstant(v)) out[f] = normTime(v);
		else errors[f] = ['is not a valid date-time'];
	}
	const from = out.valid_from !== undefined ? out.valid_from : (current?.valid_from ?? null);
	const until = out.valid_until !== undefined ? out.valid_until : (current?.valid_until ?? null);
	if (!errors.valid_from && !errors.valid_until && from && until && Date.parse(until) <= Date.parse(from))
		errors.valid_until = ['must be after valid_from'];
	return out;
}

function checkIntegrationFields(body: Rec, errors: Record<string, string[]>, creating: boolean): void {
	const type = body.type;
	if ('url' in body || (creating && type === 'event_webhook')) {
		let ok = false;
		if (typeof body.url === 'string') {
			try {
				ok = /^https?:$/.test(new URL(body.url).protocol);
			} catch {
				ok = false;
			}
		}
		if (!ok) errors.url = [body.url === undefined || body.url === '' ? "can't be blank" : 'is invalid'];
	}
	if ('enabled_events' in body && body.enabled_events !== null) {
		const ev = body.enabled_events;
		if (!Array.isArray(ev) || ev.some((e) => typeof e !== 'string' || !/^[a-z_]+\.[a-z_]+$/.test(e)))
			errors.enabled_events = ['must be a list of event types such as lock.unlock'];
	}
	if ('signature_key' in body && body.signature_key !== null && typeof body.signature_key !== 'string')
		errors.signature_key = ['must be a string'];
	if ('enabled' in body && typeof body.enabled !== 'boolean') errors.enabled = ['must be true or false'];
}
