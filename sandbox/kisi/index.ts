/**
 * Kisi (`/kisi`): users, groups, group locks, shares and role assignments (one underlying "group
 * access" record), places, locks (with unlock), event webhook integrations. Behaviour follows
 * docs/reference/kisi-api.md; choices where Kisi is silent are listed in sandbox/README.md.
 *
 * The store holds the state and its indexes; each resource's routes are in a module of their own
 * (`users.ts`, `groups.ts`, …), Kisi's HTTP conventions in `http.ts`, its objects in `json.ts`.
 */
import type { Clock } from '../clock';
import type { Ctx, Route, ServiceApi } from '../service';
import { type HttpResult, ListCache, MultiIndex, nextId } from '../util';
import type { DeliveryResult } from '../webhooks';
import { type UnlockAttempt, type UnlockDecision, recordUnlock, unlockDecision } from './events';
import { groupRoutes } from './groups';
import { KISI_OFFSET_MAX, kisiError } from './http';
import { integrationRoutes } from './integrations';
import { lockRoutes } from './locks';
import { placeRoutes } from './places';
import type { Access, ApiKey, Group, GroupLock, Integration, KisiEvent, KisiPrincipal, Lock, Place, Rec, Role, UnlockOutcome, User, WebhookPayload } from './records';
import { kisiTime, normEmail, normTime } from './records';
import { roleAssignmentRoutes } from './roleAssignments';
import type { KisiScenario } from './schema';
import { shareRoutes } from './shares';
import { userRoutes } from './users';

export { KISI_ERROR_CODES, KISI_OFFSET_MAX, kisiError } from './http';
export { MEMBER_ID_OFFSET } from './json';
export { documentedPayload } from './events';
export { kisiTime } from './records';
export type { KisiEvent, KisiPrincipal, UnlockOutcome, WebhookPayload } from './records';

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
	readonly usersByEmail = new Map<string, User>();
	readonly places = new Map<number, Place>();
	readonly locks = new Map<number, Lock>();
	readonly groups = new Map<number, Group>();
	readonly groupLocks = new Map<number, GroupLock>();
	readonly groupLocksByGroup = new MultiIndex<number, GroupLock>();
	readonly groupLocksByLock = new MultiIndex<number, GroupLock>();
	readonly access = new Map<number, Access>();
	readonly accessByGroup = new MultiIndex<number, Access>();
	readonly accessByUser = new MultiIndex<number, Access>();
	readonly accessByPair = new Map<string, Access>();
	readonly roles = new Map<number, Role>();
	readonly rolesByUser = new MultiIndex<number, Role>();
	readonly integrations = new Map<number, Integration>();
	readonly events: KisiEvent[] = [];
	readonly deliveries = new Map<string, DeliveryResult[]>();
	readonly pending = new Set<Promise<unknown>>();
	/** The next event `sequence`. */
	sequence = 1;
	readonly cache = new ListCache();

	constructor(
		k: KisiScenario | undefined,
		readonly clock: Clock,
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


	// ------------------------------------------------------------------------------------------
	// Index maintenance

	addUser(u: User): void {
		this.users.set(u.id, u);
		this.usersByEmail.set(normEmail(u.email), u);
	}
	removeUser(u: User): void {
		for (const a of this.accessByUser.get(u.id)) this.removeAccess(a);
		for (const r of this.rolesByUser.get(u.id)) this.removeRole(r);
		this.users.delete(u.id);
		this.usersByEmail.delete(normEmail(u.email));
	}
	userForEmail(email: string, now: string): User {
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
	addGroupLock(gl: GroupLock): void {
		this.groupLocks.set(gl.id, gl);
		this.groupLocksByGroup.add(gl.group_id, gl);
		this.groupLocksByLock.add(gl.lock_id, gl);
	}
	removeGroupLock(gl: GroupLock): void {
		this.groupLocks.delete(gl.id);
		this.groupLocksByGroup.remove(gl.group_id, gl);
		this.groupLocksByLock.remove(gl.lock_id, gl);
	}
	addAccess(a: Access): void {
		this.access.set(a.id, a);
		this.accessByGroup.add(a.group_id, a);
		this.accessByUser.add(a.user_id, a);
		this.accessByPair.set(`${a.group_id}:${a.user_id}`, a);
	}
	removeAccess(a: Access): void {
		this.access.delete(a.id);
		this.accessByGroup.remove(a.group_id, a);
		this.accessByUser.remove(a.user_id, a);
		this.accessByPair.delete(`${a.group_id}:${a.user_id}`);
	}
	addRole(r: Role): void {
		this.roles.set(r.id, r);
		this.rolesByUser.add(r.user_id, r);
	}
	removeRole(r: Role): void {
		this.roles.delete(r.id);
		this.rolesByUser.remove(r.user_id, r);
	}
	nextAccessId(): number {
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
	// Routes and the queries several resources share

	/** The routes, in the order the server registers them (one module per resource). */
	private buildRoutes(): Route<KisiPrincipal>[] {
		return [
			...userRoutes(this),
			...groupRoutes(this),
			...shareRoutes(this),
			...roleAssignmentRoutes(this),
			...placeRoutes(this),
			...lockRoutes(this),
			...integrationRoutes(this),
		];
	}

	/** The clock's time as Kisi writes date-times (seconds, no fraction: `2022-10-06T13:49:35Z`). */
	nowIso(): string {
		return kisiTime(this.clock.nowIso());
	}

	groupsWithLocksAt(placeId: number): Set<number> {
		const out = new Set<number>();
		for (const gl of this.groupLocks.values()) if (this.locks.get(gl.lock_id)?.place_id === placeId) out.add(gl.group_id);
		return out;
	}

	findUserByEmail(email: string): User | undefined {
		return this.usersByEmail.get(normEmail(email));
	}

	// ------------------------------------------------------------------------------------------
	// Unlocks (the control endpoint records them too)

	/** Whether `user` may open `lock` now; the denial when not. */
	unlockDecision(user: User, lock: Lock, asAdmin: boolean): UnlockDecision {
		return unlockDecision(this, user, lock, asAdmin);
	}

	/** Records a `lock.unlock` event and delivers it to the matching webhooks (`times` deliveries each). */
	recordUnlock(attempt: UnlockAttempt): UnlockOutcome {
		return recordUnlock(this, attempt);
	}

	/** Waits for deliveries still under way. */
	async drain(): Promise<void> {
		await Promise.allSettled([...this.pending]);
	}
}
