/**
 * Glofox (`/glofox/prod`): members, users-by-email, memberships, credits, branch, events, bookings
 * (2.0 and 2.2), access (with valid_on_entry) and attendances. Behaviour follows
 * docs/reference/glofox-api.md; choices where Glofox is silent are listed in sandbox/README.md.
 *
 * Every object is served with the fields Glofox documents for it and no others (`fields.ts`). The
 * store holds the state and its indexes; each resource's routes are in a module of their own
 * (`members.ts`, `bookings.ts`, …), Glofox's HTTP conventions in `http.ts`, its objects in `json.ts`.
 */
import { DateTime } from 'luxon';
import type { Clock } from '../clock';
import type { Ctx, Route, ServiceApi } from '../service';
import { type HttpResult, ListCache, MultiIndex, json } from '../util';
import { accessRoutes } from './access';
import { bookingRoutes } from './bookings';
import { eventRoutes } from './events';
import { fail, wrongUrl } from './http';
import { memberRoutes } from './members';
import { membershipRoutes } from './memberships';
import type { Access, Booking, CatalogueMembership, Credit, Event, GlofoxPrincipal, Member, Rec } from './records';
import type { GlofoxScenario } from './schema';
import type { GlofoxWebhookTarget } from './webhooks';

export * from './fields';
export { ACCESS_BOOKING_WINDOW_BEFORE_SEC } from './access';
export {
	deliverChange,
	deliverEvents,
	glofoxRecord,
	glofoxWebhookEvents,
	registerGlofoxWebhookControl,
	signGlofoxPayload,
	type GlofoxChange,
	type GlofoxChangeRequest,
	type GlofoxDelivery,
	type GlofoxWebhookTarget,
} from './webhooks';
export type { GlofoxPrincipal } from './records';

export class GlofoxStore implements ServiceApi<GlofoxPrincipal> {
	readonly name = 'glofox' as const;
	readonly prefix = '/glofox/prod';
	readonly routes: Route<GlofoxPrincipal>[];

	readonly branchId: string;
	readonly apiKey: string;
	readonly apiToken: string;
	readonly namespace: string;
	readonly timezone: string;
	readonly branch: Rec | undefined;
	/** False: a key Glofox lets read but not write (every POST answers INVALID_USER_TYPE). */
	readonly writeAccess: boolean;
	/** True: `GET /2.0/members` carries the thin membership of Glofox's example. */
	readonly thinMemberList: boolean;
	readonly members = new Map<string, Member>();
	readonly membersByEmail = new MultiIndex<string, Member>();
	readonly memberships = new Map<string, CatalogueMembership>();
	readonly plans = new Map<number, { membership: CatalogueMembership; plan: Rec }>();
	readonly credits = new Map<string, Credit>();
	readonly creditsByUser = new MultiIndex<string, Credit>();
	readonly events = new Map<string, Event>();
	readonly bookings = new Map<string, Booking>();
	readonly bookingsByUser = new MultiIndex<string, Booking>();
	readonly bookingsByEvent = new MultiIndex<string, Booking>();
	readonly accesses = new Map<string, Access>();
	/** Where Glofox delivers its signed webhooks (`./webhooks.ts`); one target per URL. */
	readonly webhookTargets: GlofoxWebhookTarget[] = [];
	readonly offsetCache = new Map<number, number>();
	readonly cache = new ListCache();

	constructor(
		g: GlofoxScenario | undefined,
		readonly clock: Clock,
	) {
		this.branchId = g?.branch_id ?? '000000000000000000000000';
		this.apiKey = g?.api_key ?? '';
		this.apiToken = g?.api_token ?? '';
		this.namespace = g?.namespace ?? 'sandbox';
		this.timezone = g?.timezone_id ?? 'UTC';
		this.branch = g?.branch;
		this.writeAccess = g?.write_access ?? true;
		this.thinMemberList = g?.member_list_membership === 'thin';
		this.fill(g);
		this.routes = this.buildRoutes();
	}

	/** Loads a scenario section's records into the (empty) maps and indexes. */
	private fill(g: GlofoxScenario | undefined): void {
		const now = this.clock.nowSec();
		for (const m of g?.members ?? []) {
			const rec: Member = { ...m, created: m.created ?? now, modified: m.modified ?? m.created ?? now };
			this.members.set(m._id, rec);
			if (typeof m.email === 'string') this.membersByEmail.add(m.email, rec);
		}
		for (const m of g?.memberships ?? []) {
			this.memberships.set(m._id, m);
			for (const p of m.plans ?? []) this.plans.set(p.code, { membership: m, plan: p });
		}
		for (const c of g?.credits ?? []) {
			const rec = { ...c, created: (c.created as number | undefined) ?? now, modified: (c.modified as number | undefined) ?? now };
			this.credits.set(c._id, rec);
			this.creditsByUser.add(c.user_id, rec);
		}
		for (const e of g?.events ?? []) this.events.set(e._id, { ...e, created: (e.created as number | undefined) ?? now, modified: (e.modified as number | undefined) ?? now });
		for (const b of g?.bookings ?? []) {
			const rec: Booking = { ...b, attended: b.attended ?? false, created: b.created ?? now, modified: b.modified ?? b.created ?? now };
			this.bookings.set(b._id, rec);
			this.bookingsByUser.add(b.user_id, rec);
			this.bookingsByEvent.add(b.event_id, rec);
		}
		for (const a of g?.accesses ?? []) this.accesses.set(a._id, a);
		for (const w of g?.webhooks ?? []) this.webhookTargets.push({ url: w.url, secret: w.secret });
	}

	/**
	 * Replaces every record with those of a (checked) scenario section, keeping this instance (the
	 * server's routes are bound to it): how `POST /__sandbox/change` applies a change.
	 */
	replaceData(g: GlofoxScenario): void {
		for (const map of [this.members, this.memberships, this.plans, this.credits, this.events, this.bookings, this.accesses] as Array<Map<unknown, unknown>>) map.clear();
		for (const index of [this.membersByEmail, this.creditsByUser, this.bookingsByUser, this.bookingsByEvent] as Array<MultiIndex<string, unknown>>) index.clear();
		this.webhookTargets.splice(0);
		this.fill(g);
		this.cache.bump();
	}

	toScenario(): GlofoxScenario | undefined {
		if (!this.apiKey) return undefined;
		return {
			branch_id: this.branchId,
			api_key: this.apiKey,
			api_token: this.apiToken,
			namespace: this.namespace,
			timezone_id: this.timezone,
			branch: this.branch,
			...(this.writeAccess ? {} : { write_access: false }),
			...(this.thinMemberList ? { member_list_membership: 'thin' as const } : {}),
			members: [...this.members.values()],
			memberships: [...this.memberships.values()],
			credits: [...this.credits.values()],
			events: [...this.events.values()],
			bookings: [...this.bookings.values()],
			accesses: [...this.accesses.values()],
			...(this.webhookTargets.length > 0 ? { webhooks: this.webhookTargets.map((w) => ({ ...w })) } : {}),
		};
	}

	// ------------------------------------------------------------------------------------------
	// ServiceApi

	rateKey(ctx: Ctx<undefined>): string {
		const key = ctx.headers['x-api-key'];
		return key ? `key:${String(key)}` : `ip:${ctx.ip}`;
	}
	authenticate(ctx: Ctx<undefined>): { principal: GlofoxPrincipal } | HttpResult {
		if (!this.apiKey || ctx.headers['x-api-key'] !== this.apiKey) return json(403, { message: 'Forbidden' });
		const token = ctx.headers['x-glofox-api-token'];
		if (!token) return fail('The x-glofox-api-token header is missing', 'MISSING_API_TOKEN');
		if (token !== this.apiToken) return fail('Unauthorized: the API token is not valid', 'UNAUTHORIZED');
		const branch = ctx.headers['x-glofox-branch-id'];
		if (!branch) return fail('The x-glofox-branch-id header is missing', 'MISSING_BRANCH_ID');
		if (branch !== this.branchId) return fail('Unauthorized: the branch is not accessible with these credentials', 'INVALID_BRANCH_ID');
		return { principal: {} };
	}
	errorResult(status: number, message?: string): HttpResult {
		if (status === 404) return fail(message ?? 'Route not found', 'WRONG_URL', 404);
		if (status === 403) return json(403, { message: message ?? 'Forbidden' });
		if (status === 429) return json(429, { message: message ?? 'Too Many Requests' });
		if (status >= 500) return json(status, { message: message ?? 'Internal server error' });
		return fail(message ?? 'Bad request', status === 401 ? 'UNAUTHORIZED' : 'BAD_REQUEST', status);
	}
	rateLimited(): HttpResult {
		return json(429, { message: 'Too Many Requests' });
	}
	routeNotFound(): HttpResult {
		return wrongUrl();
	}

	// ------------------------------------------------------------------------------------------
	// Time helpers

	/** Offset of the branch time zone at a Unix second (cached per 15 minutes). */
	private offsetSec(sec: number): number {
		const bucket = Math.floor(sec / 900);
		let off = this.offsetCache.get(bucket);
		if (off === undefined) {
			off = DateTime.fromSeconds(bucket * 900, { zone: this.timezone }).offset * 60;
			this.offsetCache.set(bucket, off);
		}
		return off;
	}
	/** The branch-local wall-clock time read as if it were UTC, in Unix seconds. */
	localSec(sec: number): number {
		return sec + this.offsetSec(sec);
	}
	localString(sec: number): string {
		return new Date(this.localSec(sec) * 1000).toISOString().slice(0, 19).replace('T', ' ');
	}
	utcString(sec: number): string {
		return new Date(sec * 1000).toISOString().slice(0, 19).replace('T', ' ');
	}
	bookingStart(b: Booking): number {
		return (b.time_start as number | undefined) ?? this.events.get(b.event_id)!.time_start;
	}
	bookingDuration(b: Booking): number {
		return (b.duration as number | undefined) ?? this.events.get(b.event_id)!.duration;
	}

	/** The routes, in the order the server registers them (one module per resource). */
	private buildRoutes(): Route<GlofoxPrincipal>[] {
		return [...memberRoutes(this), ...membershipRoutes(this), ...eventRoutes(this), ...bookingRoutes(this), ...accessRoutes(this)];
	}
}
