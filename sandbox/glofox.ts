/**
 * Glofox (`/glofox/prod`): members, users-by-email, memberships, credits, branch, events, bookings
 * (2.0 and 2.2), access (with valid_on_entry) and attendances. Behaviour follows
 * docs/reference/glofox-api.md; choices where Glofox is silent are listed in sandbox/README.md.
 *
 * Every object is served with the fields Glofox documents for it and no others: those of its
 * schema or example in Glofox's OpenAPI 2.3.0 (Zchasse63/potential-chainsaw
 * docs/glofox/openapi.json, source S1 of the reference), plus the few the reference quotes from
 * live answers (S5). A scenario may hold more fields; they are not served.
 */
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Clock } from './clock';
import { GLOFOX_BOOKING_STATUSES, type GlofoxScenario } from './scenario';
import { type Ctx, type Route, type ServiceApi, isObject, jsonBody } from './service';
import { HEX24, type HttpResult, ListCache, MultiIndex, csv, isInt, json, listKey } from './util';

type Rec = Record<string, unknown>;
type Member = GlofoxScenario['members'][number];
type CatalogueMembership = GlofoxScenario['memberships'][number];
type Credit = GlofoxScenario['credits'][number];
type Event = GlofoxScenario['events'][number];
type Booking = GlofoxScenario['bookings'][number];
type Access = GlofoxScenario['accesses'][number];

export type GlofoxPrincipal = Record<string, never>;

const fail = (message: string, message_code: string, status = 200): HttpResult => json(status, { success: false, message, message_code });
const isResult = (v: unknown): v is HttpResult => isObject(v) && typeof v.status === 'number' && 'body' in v && !('_id' in v);

/** Window around a class in which `POST /2.0/access` counts a booking: from 60 min before start to the end. */
export const ACCESS_BOOKING_WINDOW_BEFORE_SEC = 3600;
/** `event_type` values of `GET /2.2/branches/{b}/bookings`. */
const BOOKING22_EVENT_TYPES = ['events', 'courses', 'facilities', 'users', 'appointments'];

// ---------------------------------------------------------------------------------------------
// The fields Glofox documents, per object (OpenAPI schema names in brackets)

/** `GET /2.0/members` items [ExtendedUser + the path's example]; `gender`, `origin`, `account_email`, `contact_email`: live (reference §3.1). */
export const MEMBER_LIST_FIELDS = [
	'_id', 'branch_id', 'namespace', 'origin_branch_id', 'first_name', 'last_name', 'name', 'email', 'phone', 'emergency_contact',
	'access_barcode', 'type', 'role', 'active', 'lead_status', 'birth', 'gender', 'image_url', 'consent', 'membership', 'leads',
	'joined_at', 'source', 'origin', 'account_email', 'contact_email', 'parent_id', 'use_parent_email', 'use_parent_phone', 'created', 'modified',
] as const;
/** `GET /2.0/members/{id}` and `GET /2.1/branches/{b}/users` [UserResponseBirthAsString]: no `active`, `name`, `branch_id`. */
export const MEMBER_SINGLE_FIELDS = [
	'_id', 'first_name', 'last_name', 'email', 'phone', 'emergency_contact', 'access_barcode', 'type', 'parent_id', 'lead_status',
	'birth', 'image_url', 'account_email', 'contact_email', 'consent', 'membership', 'leads', 'joined_at',
] as const;
/** `user.membership` [UserMembership]. */
export const USER_MEMBERSHIP_FIELDS = [
	'type', 'status', 'start_date', 'expiry_date', 'membership_name', 'description', 'membership_plan_name', 'plan_code', 'plan_name',
	'plan_price', 'plan_upfront_fee', 'starts_on', 'user_membership_id', 'branches', 'subscription',
] as const;
/** The thin `membership` of the member list's example (and of live lists, reference §3.1). */
export const THIN_MEMBERSHIP_FIELDS = ['type', 'start_date', 'user_membership_id', 'status'] as const;
/** Catalogue [Membership]; `type`: live (reference §4.1). */
export const CATALOGUE_FIELDS = ['_id', 'branch_id', 'namespace', 'active', 'name', 'description', 'buy_just_once', 'plans', 'type'] as const;
/** [MembershipPlan]; `name`, `auto_renewal`, `credits`: live (reference §4.1). */
export const PLAN_FIELDS = ['code', 'name', 'type', 'price', 'upfront_fee', 'starts_on', 'auto_renewal', 'duration_time_unit', 'duration_time_unit_count', 'credits'] as const;
/** `GET /2.0/credits` items [Credits]. */
export const CREDIT_FIELDS = [
	'_id', 'branch_id', 'namespace', 'user_id', 'active', 'model', 'category_id', 'model_ids', 'num_sessions', 'available', 'bookings',
	'start_date', 'end_date', 'type', 'image_url', 'membership_id', 'membership_name', 'created', 'modified',
] as const;
/** Events [BasicEvent + Class | Course | TimeSlot]; the class example of the reference §5.1 (live) carries `model`, `model_id`, `session_id` too. */
export const EVENT_FIELDS = [
	'_id', 'type', 'namespace', 'branch_id', 'program_id', 'name', 'description', 'active', 'private', 'is_online', 'image_url',
	'time_start', 'duration', 'size', 'booked', 'waiting', 'level', 'facility', 'trainers', 'status', 'open_booking_time',
	'close_booking_time', 'model', 'model_id', 'session_id', 'modified',
] as const;
/** `GET /2.0/bookings` items [ClassBooking | CourseBooking | TimeSlotBooking]: no `event_id`, the event is `model_id`. */
export const BOOKING20_FIELDS = [
	'_id', 'branch_id', 'namespace', 'user_id', 'user_name', 'status', 'attended', 'time_start', 'duration', 'paid', 'guest_bookings',
	'description', 'image_url', 'model', 'model_id', 'model_name', 'event_name', 'is_free', 'created', 'modified',
] as const;
/** `GET /2.2/branches/{b}/bookings` items [BranchBooking]; `cancellations`, `origin`, `metadata`: live (reference §6.1). */
export const BOOKING22_FIELDS = [
	'_id', 'namespace', 'branch_id', 'user_id', 'user_name', 'type', 'program_id', 'event_id', 'event_name', 'time_slot_id', 'model',
	'model_id', 'model_name', 'course_id', 'session_id', 'guest_bookings', 'status', 'attended', 'paid', 'payment_method', 'time_start',
	'time_finish', 'is_first', 'is_from_waiting_list', 'is_late_cancellation', 'canceled_at', 'cancellations', 'origin', 'metadata',
	'batch_id', 'created', 'modified',
] as const;
/** `GET /2.0/branches/{id}` [BranchBaseResponse]; `opening_times`, `features`, `configuration`: live (reference §5.3). */
export const BRANCH_FIELDS = [
	'_id', 'name', 'namespace', 'address', 'phone', 'email', 'website', 'facebook', 'instagram', 'about', 'corporate_id', 'opening_times', 'features', 'configuration',
] as const;
/** [BranchAddress]; `country`, `timezone_name`: live (reference §5.3). */
export const BRANCH_ADDRESS_FIELDS = [
	'street', 'city', 'state', 'district', 'country', 'country_code', 'postal_code', 'latitude', 'longitude', 'currency', 'timezone_id', 'timezone_name',
] as const;
/** `POST /2.0/access` answer's `access` [AccessResponse]. */
export const ACCESS_FIELDS = ['_id', 'user_id', 'branch_id', 'namespace', 'entry_at', 'status', 'valid_on_entry', 'door', 'door_type', 'created', 'modified'] as const;

/** `rec` with the documented `keys` only, in that order (keys it lacks stay absent). */
export function pick(rec: Rec, keys: readonly string[]): Rec {
	const out: Rec = {};
	for (const key of keys) if (rec[key] !== undefined) out[key] = rec[key];
	return out;
}

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
	private readonly membersByEmail = new MultiIndex<string, Member>();
	readonly memberships = new Map<string, CatalogueMembership>();
	private readonly plans = new Map<number, { membership: CatalogueMembership; plan: Rec }>();
	readonly credits = new Map<string, Credit>();
	private readonly creditsByUser = new MultiIndex<string, Credit>();
	readonly events = new Map<string, Event>();
	readonly bookings = new Map<string, Booking>();
	private readonly bookingsByUser = new MultiIndex<string, Booking>();
	private readonly bookingsByEvent = new MultiIndex<string, Booking>();
	readonly accesses = new Map<string, Access>();
	private readonly offsetCache = new Map<number, number>();
	readonly cache = new ListCache();

	constructor(
		g: GlofoxScenario | undefined,
		private readonly clock: Clock,
	) {
		const now = clock.nowSec();
		this.branchId = g?.branch_id ?? '000000000000000000000000';
		this.apiKey = g?.api_key ?? '';
		this.apiToken = g?.api_token ?? '';
		this.namespace = g?.namespace ?? 'sandbox';
		this.timezone = g?.timezone_id ?? 'UTC';
		this.branch = g?.branch;
		this.writeAccess = g?.write_access ?? true;
		this.thinMemberList = g?.member_list_membership === 'thin';
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
		this.routes = this.buildRoutes();
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
		return fail('Route not found', 'WRONG_URL', 404);
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
	private utcString(sec: number): string {
		return new Date(sec * 1000).toISOString().slice(0, 19).replace('T', ' ');
	}
	private bookingStart(b: Booking): number {
		return (b.time_start as number | undefined) ?? this.events.get(b.event_id)!.time_start;
	}
	private bookingDuration(b: Booking): number {
		return (b.duration as number | undefined) ?? this.events.get(b.event_id)!.duration;
	}

	// ------------------------------------------------------------------------------------------
	// Serializers

	/** The member's `membership` as `GET /2.0/members/{id}` carries it (names and prices from the catalogue plan that `plan_code` names). */
	membershipOf(m: Member): Rec | null {
		const ms = m.membership;
		if (!ms) return null;
		if (ms.type === 'payg') return pick({ status: 'ACTIVE', start_date: null, ...ms }, USER_MEMBERSHIP_FIELDS);
		const plan = ms.plan_code != null ? this.plans.get(Number(ms.plan_code)) : undefined;
		return pick(
			{
				status: 'ACTIVE',
				start_date: null,
				expiry_date: null,
				membership_name: plan?.membership.name ?? null,
				membership_plan_name: plan?.plan.name ?? null,
				plan_name: plan?.plan.name ?? null,
				plan_price: (plan?.plan.price as number | undefined) ?? null,
				plan_upfront_fee: (plan?.plan.upfront_fee as number | undefined) ?? 0,
				starts_on: (plan?.plan.starts_on as string | undefined) ?? 'PURCHASE_DATE',
				user_membership_id: null,
				branches: [this.branchId],
				subscription: null,
				...ms,
				// UserMembership documents the plan code as a string (the catalogue's as an integer).
				plan_code: ms.plan_code == null ? null : String(ms.plan_code),
			},
			USER_MEMBERSHIP_FIELDS,
		);
	}
	/**
	 * A member as `GET /2.0/members` lists it (`list`) or as `GET /2.0/members/{id}` and the users
	 * search answer it (`single`: that schema has no `active`, `name`, `branch_id`…). The list
	 * carries the full membership, or the thin one of Glofox's example with `member_list_membership: "thin"`.
	 */
	memberJson(m: Member, shape: 'list' | 'single' = 'list'): Rec {
		const first = m.first_name ?? '';
		const last = m.last_name ?? '';
		const membership = this.membershipOf(m);
		const rec: Rec = {
			branch_id: this.branchId,
			namespace: this.namespace,
			origin_branch_id: this.branchId,
			phone: null,
			access_barcode: null,
			type: 'member',
			role: 'member',
			lead_status: null,
			consent: { email: { active: false }, sms: { active: false }, push: { active: true } },
			source: 'DASHBOARD',
			image_url: null,
			birth: null,
			...m,
			first_name: first,
			last_name: last,
			name: (m.name as string | undefined) ?? `${first} ${last}`.trim(),
			email: m.email ?? null,
			active: m.active ?? true,
			membership: membership && shape === 'list' && this.thinMemberList ? pick(membership, THIN_MEMBERSHIP_FIELDS) : membership,
		};
		return pick(rec, shape === 'list' ? MEMBER_LIST_FIELDS : MEMBER_SINGLE_FIELDS);
	}
	catalogueJson(m: CatalogueMembership): Rec {
		return pick(
			{
				branch_id: this.branchId,
				namespace: this.namespace,
				active: true,
				description: '',
				buy_just_once: false,
				type: 'membership',
				...m,
				plans: (m.plans ?? []).map((plan) => pick(plan, PLAN_FIELDS)),
			},
			CATALOGUE_FIELDS,
		);
	}
	creditJson(c: Credit): Rec {
		const bookings = this.bookingsByUser
			.get(c.user_id)
			.filter((b) => b.status === 'BOOKED' && (b.metadata as Rec | undefined)?.service && ((b.metadata as Rec).service as Rec).id === c._id)
			.map((b) => b._id);
		return pick(
			{
				branch_id: this.branchId,
				namespace: this.namespace,
				active: true,
				model: 'programs',
				category_id: null,
				model_ids: null,
				num_sessions: c.available,
				type: 'usercredit',
				...c,
				bookings,
			},
			CREDIT_FIELDS,
		);
	}
	eventJson(e: Event): Rec {
		let booked = 0;
		let waiting = 0;
		for (const b of this.bookingsByEvent.get(e._id)) {
			if (b.status === 'BOOKED') booked += 1 + (b.guest_bookings ?? 0);
			else if (b.status === 'WAITING') waiting++;
		}
		const size = e.size ?? 20;
		const closes = (e.close_booking_time as number | undefined) ?? e.time_start;
		const status = this.clock.nowSec() >= closes ? 'BOOKING_WINDOW_PASSED' : booked >= size ? 'FULLY_BOOKED' : 'AVAILABLE';
		return pick(
			{
				type: 'event',
				namespace: this.namespace,
				branch_id: this.branchId,
				program_id: null,
				description: '',
				active: true,
				private: false,
				is_online: false,
				level: 'All Levels',
				facility: null,
				trainers: [],
				status,
				open_booking_time: null,
				close_booking_time: e.time_start,
				model: null,
				model_id: null,
				session_id: null,
				...e,
				size,
				booked,
				waiting,
			},
			EVENT_FIELDS,
		);
	}
	/** What a booking is for, in each listing's words: classes (`events`), courses, time slots (appointments, facilities). */
	private bookingKind(e: Event): { kind: 'event' | 'course' | 'timeslot'; model20: string } {
		const kind = e.type ?? 'event';
		const model20 = kind === 'course' ? 'courses' : kind === 'timeslot' ? String(e.model ?? 'appointments') : 'events';
		return { kind, model20 };
	}
	private bookingCommon(b: Booking, e: Event): Rec {
		const m = this.members.get(b.user_id);
		return {
			branch_id: this.branchId,
			namespace: this.namespace,
			user_name: m ? `${m.first_name ?? ''} ${m.last_name ?? ''}`.trim() : null,
			model_name: e.name,
			event_name: e.name,
			paid: true,
			guest_bookings: 0,
		};
	}
	booking20Json(b: Booking): Rec {
		const e = this.events.get(b.event_id)!;
		const { kind, model20 } = this.bookingKind(e);
		return pick(
			{
				...this.bookingCommon(b, e),
				// ClassBooking: "For events this is event_id"; a time slot's is its appointment / facility.
				model: model20,
				model_id: kind === 'timeslot' ? String(e.model_id ?? e._id) : e._id,
				description: e.description ?? '',
				is_free: false,
				...b,
				time_start: this.bookingStart(b),
				duration: this.bookingDuration(b),
			},
			BOOKING20_FIELDS,
		);
	}
	booking22Json(b: Booking): Rec {
		const e = this.events.get(b.event_id)!;
		const { kind, model20 } = this.bookingKind(e);
		const start = this.bookingStart(b);
		return pick(
			{
				...this.bookingCommon(b, e),
				type: kind === 'course' ? 'courses' : kind === 'timeslot' ? 'time_slots' : 'events',
				// As in Glofox's live example: a class booking has model "events" and model_id null.
				model: model20,
				model_id: kind === 'timeslot' ? ((e.model_id as string | undefined) ?? null) : null,
				program_id: e.program_id ?? null,
				session_id: kind === 'course' ? (e.session_id ?? null) : null,
				payment_method: null,
				is_first: false,
				is_from_waiting_list: false,
				is_late_cancellation: false,
				cancellations: [],
				origin: null,
				batch_id: null,
				metadata: null,
				...b,
				event_id: kind === 'event' ? e._id : null,
				time_slot_id: kind === 'timeslot' ? e._id : null,
				course_id: kind === 'course' ? e._id : null,
				time_start: this.localString(start),
				time_finish: this.localString(start + this.bookingDuration(b) * 60),
				canceled_at: typeof b.canceled_at === 'number' ? this.localString(b.canceled_at) : (b.canceled_at ?? null),
				created: this.utcString(b.created!),
				modified: this.utcString(b.modified!),
			},
			BOOKING22_FIELDS,
		);
	}
	branchJson(): Rec {
		const extra = this.branch ?? {};
		const address = isObject(extra.address) ? extra.address : {};
		return pick(
			{
				_id: this.branchId,
				name: 'Sandbox Branch',
				namespace: this.namespace,
				phone: null,
				email: null,
				website: null,
				opening_times: [],
				features: {
					booking: { booking_cancel_window: 2, waiting_list: true, late_cancellation_enabled: true, strike_system: false },
					memberships: { payg: { enabled: true }, time: { enabled: true }, num_classes: { enabled: true }, time_classes: { enabled: true } },
				},
				...extra,
				address: pick(
					{
						street: null,
						city: null,
						state: null,
						country_code: null,
						postal_code: null,
						latitude: null,
						longitude: null,
						currency: 'GBP',
						...address,
						timezone_id: this.timezone,
						timezone_name: this.timezone,
					},
					BRANCH_ADDRESS_FIELDS,
				),
			},
			BRANCH_FIELDS,
		);
	}

	// ------------------------------------------------------------------------------------------
	// Paging

	private paging(ctx: Ctx<unknown>): { page: number; limit: number } | HttpResult {
		let page = 1;
		let limit = 50;
		if (ctx.query.page !== undefined) {
			if (!isInt(ctx.query.page) || Number(ctx.query.page) < 1) return fail('The page must be an integer of at least 1.', 'INVALID_PAGE');
			page = Number(ctx.query.page);
		}
		if (ctx.query.limit !== undefined) {
			if (!isInt(ctx.query.limit) || Number(ctx.query.limit) < 1) return fail('The limit must be an integer of at least 1.', 'INVALID_LIMIT');
			limit = Number(ctx.query.limit);
			if (limit > 100) return fail('The limit may not be greater than 100.', 'INVALID_LIMIT');
		}
		return { page, limit };
	}

	/** Envelope A: `{object:"list", page, limit, has_more, total_count, data}`. */
	private listA<T>(ctx: Ctx<unknown>, source: T[] | (() => T[]), serialize: (t: T) => Rec, extra?: (page: Rec[]) => Rec, cacheExtra = ''): HttpResult {
		const p = this.paging(ctx);
		if (isResult(p)) return p;
		const items = typeof source === 'function' ? this.cache.get(listKey(ctx.path, ctx.query, cacheExtra), source) : source;
		const data = items.slice((p.page - 1) * p.limit, p.page * p.limit).map(serialize);
		return json(200, {
			object: 'list',
			page: p.page,
			limit: p.limit,
			has_more: p.page * p.limit < items.length,
			total_count: items.length,
			...(extra ? extra(data) : {}),
			data,
		});
	}

	/** `true` (default) | `false` | `any` filters. */
	private triState(ctx: Ctx<unknown>, name: string, def: boolean): boolean | 'any' | HttpResult {
		const v = ctx.query[name];
		if (v === undefined || v === '') return def;
		if (v === 'any') return 'any';
		if (v === 'true') return true;
		if (v === 'false') return false;
		return fail(`The ${name} parameter must be true, false or any.`, `INVALID_${name.toUpperCase()}`);
	}

	private unixParam(ctx: Ctx<unknown>, name: string): number | undefined | HttpResult {
		const v = ctx.query[name];
		if (v === undefined || v === '') return undefined;
		if (!/^-?\d+(\.\d+)?$/.test(v)) return fail(`The ${name} must be a Unix timestamp in seconds.`, `INVALID_${name.toUpperCase()}`);
		return Math.floor(Number(v));
	}

	private unixParams(ctx: Ctx<unknown>, names: string[]): Record<string, number | undefined> | HttpResult {
		const out: Record<string, number | undefined> = {};
		for (const n of names) {
			const v = this.unixParam(ctx, n);
			if (isResult(v)) return v;
			out[n] = v;
		}
		return out;
	}

	private checkBranch(ctx: Ctx<unknown>): HttpResult | undefined {
		const b = ctx.params.branch;
		if (!HEX24.test(b)) return this.routeNotFound();
		if (b !== this.branchId) return fail('The branch id in the path does not match the x-glofox-branch-id header', 'INVALID_BRANCH_ID');
		return undefined;
	}

	/** A 2.2 booking's `event_type`: what `type` / `model` it lists with. */
	private bookingEventType(b: Booking): string {
		const e = this.events.get(b.event_id)!;
		const { kind, model20 } = this.bookingKind(e);
		return kind === 'event' ? 'events' : kind === 'course' ? 'courses' : model20;
	}

	/**
	 * A key without write access (`write_access: false`): Glofox's INVALID_USER_TYPE. Its HTTP status
	 * is undocumented; the sandbox answers 403 (sandbox/README.md), the pack reads it at any status.
	 */
	private refuseWrite(): HttpResult | undefined {
		if (this.writeAccess) return undefined;
		return fail('This user type is not allowed to perform this action', 'INVALID_USER_TYPE', 403);
	}

	// ------------------------------------------------------------------------------------------
	// Access

	/** Glofox's `valid_on_entry` and the booking an entry attends. */
	evaluateEntry(member: Member, entry: number): { valid: boolean; membershipValid: boolean; booking: Booking | undefined } {
		const ms = member.membership;
		const active = member.active !== false;
		const membershipValid =
			active &&
			!!ms &&
			ms.type !== 'payg' &&
			(ms.status ?? 'ACTIVE') === 'ACTIVE' &&
			(ms.start_date == null || ms.start_date <= entry) &&
			(ms.expiry_date == null || entry < ms.expiry_date);
		const candidates = this.bookingsByUser
			.get(member._id)
			.filter((b) => {
				if (b.status !== 'BOOKED') return false;
				const start = this.bookingStart(b);
				return start - ACCESS_BOOKING_WINDOW_BEFORE_SEC <= entry && entry <= start + this.bookingDuration(b) * 60;
			})
			.sort((a, b) => this.bookingStart(a) - this.bookingStart(b));
		const bookingValid = active && candidates.length > 0;
		return { valid: membershipValid || bookingValid, membershipValid, booking: candidates.find((b) => !b.attended) };
	}

	// ------------------------------------------------------------------------------------------
	// Routes

	private buildRoutes(): Route<GlofoxPrincipal>[] {
		const r: Route<GlofoxPrincipal>[] = [];
		const add = (method: string, pattern: string, handler: Route<GlofoxPrincipal>['handler']) => r.push({ method, pattern, handler });

		// Members --------------------------------------------------------------------------------
		add('GET', '/2.0/members', (ctx) => {
			const active = this.triState(ctx, 'active', true);
			if (isResult(active)) return active;
			const t = this.unixParams(ctx, ['utc_modified_start_date', 'utc_modified_end_date']);
			if (isResult(t)) return t;
			const from = t.utc_modified_start_date;
			const to = t.utc_modified_end_date;
			const items = () => [...this.members.values()].filter(
				(m) =>
					(active === 'any' || (m.active ?? true) === active) &&
					(from === undefined || m.modified! >= from) &&
					(to === undefined || m.modified! <= to),
			);
			return this.listA(ctx, items, (m) => this.memberJson(m));
		});
		add('GET', '/2.0/members/:id', (ctx) => {
			if (!HEX24.test(ctx.params.id)) return this.routeNotFound();
			const m = this.members.get(ctx.params.id);
			return m ? json(200, this.memberJson(m, 'single')) : fail('User not found', 'USER_NOT_FOUND');
		});
		add('GET', '/2.1/branches/:branch/users', (ctx) => {
			const bad = this.checkBranch(ctx);
			if (bad) return bad;
			const email = ctx.query['filters[email]'];
			if (!email) return fail('The filters.email field is required.', 'EMAIL_IS_REQUIRED');
			return this.listA(ctx, this.membersByEmail.get(email), (m) => this.memberJson(m, 'single'));
		});

		// Memberships and credits ----------------------------------------------------------------
		add('GET', '/2.0/memberships', (ctx) => {
			const priv = this.triState(ctx, 'private', false);
			if (isResult(priv)) return priv;
			const items = [...this.memberships.values()].filter((m) => priv === 'any' || (m.private ?? false) === priv);
			return this.listA(ctx, items, (m) => this.catalogueJson(m));
		});
		add('GET', '/2.0/memberships/:id', (ctx) => {
			if (!HEX24.test(ctx.params.id)) return this.routeNotFound();
			const m = this.memberships.get(ctx.params.id);
			return m ? json(200, this.catalogueJson(m)) : fail('Membership not found', 'MEMBERSHIP_NOT_FOUND');
		});
		add('GET', '/2.0/credits', (ctx) => {
			const userId = ctx.query.user_id;
			if (!userId) return fail('The user id field is required.', 'USER_ID_IS_REQUIRED');
			const items = this.creditsByUser.get(userId);
			return this.listA(ctx, items, (c) => this.creditJson(c), (page) => ({
				total_value: page.reduce((sum, c) => sum + (typeof c.available === 'number' ? c.available : 0), 0),
			}));
		});

		// Branch and events ----------------------------------------------------------------------
		add('GET', '/2.0/branches/:branch', (ctx) => this.checkBranch(ctx) ?? json(200, this.branchJson()));
		const listEvents = (ctx: Ctx<GlofoxPrincipal>): HttpResult => {
			const t = this.unixParams(ctx, ['start', 'end', 'utc_modified_start_date', 'utc_modified_end_date']);
			if (isResult(t)) return t;
			const start = t.start ?? this.clock.nowSec();
			const end = t.end ?? start + 86400;
			const filters = csv(ctx.query.filter) ?? ['event'];
			const bad = filters.find((f) => !['event', 'course', 'timeslot'].includes(f));
			if (bad) return fail(`The filter ${bad} is invalid: use event, course or timeslot.`, 'INVALID_FILTER');
			const active = this.triState(ctx, 'active', true);
			if (isResult(active)) return active;
			const priv = this.triState(ctx, 'private', false);
			if (isResult(priv)) return priv;
			const programs = csv(ctx.query.programs);
			const trainers = csv(ctx.query.trainers);
			const sortBy = ctx.query.sort_by ?? '-created';
			const sortKey = sortBy.replace(/^-/, '');
			if (!['created', 'time_start', 'time_finish'].includes(sortKey)) return fail(`The sort_by ${sortBy} is invalid.`, 'INVALID_SORT_BY');
			const key = (e: Event): number => (sortKey === 'created' ? (e.created as number) : sortKey === 'time_start' ? e.time_start : e.time_start + e.duration * 60);
			const dir = sortBy.startsWith('-') ? -1 : 1;
			const items = () => [...this.events.values()].filter(
				(e) =>
					e.time_start >= start &&
					e.time_start <= end &&
					filters.includes(e.type ?? 'event') &&
					(active === 'any' || (e.active ?? true) === active) &&
					(priv === 'any' || (e.private ?? false) === priv) &&
					(!programs || programs.includes(String(e.program_id))) &&
					(!trainers || (Array.isArray(e.trainers) && e.trainers.some((x) => trainers.includes(String(x))))) &&
					(t.utc_modified_start_date === undefined || (e.modified as number) >= t.utc_modified_start_date) &&
					(t.utc_modified_end_date === undefined || (e.modified as number) <= t.utc_modified_end_date),
			).sort((a, b) => dir * (key(a) - key(b)));
			return this.listA(ctx, items, (e) => this.eventJson(e), undefined, `${start}-${end}`);
		};
		add('GET', '/2.0/branches/:branch/events', (ctx) => this.checkBranch(ctx) ?? listEvents(ctx));
		add('GET', '/2.0/events', listEvents);
		const oneEvent = (id: string): HttpResult => {
			if (!HEX24.test(id)) return this.routeNotFound();
			const e = this.events.get(id);
			return e ? json(200, this.eventJson(e)) : fail('Event not found', 'EVENT_NOT_FOUND');
		};
		add('GET', '/2.0/branches/:branch/events/:id', (ctx) => this.checkBranch(ctx) ?? oneEvent(ctx.params.id));
		add('GET', '/2.0/events/:id', (ctx) => oneEvent(ctx.params.id));

		// Bookings -------------------------------------------------------------------------------
		add('GET', '/2.2/branches/:branch/bookings', (ctx) => {
			const bad = this.checkBranch(ctx);
			if (bad) return bad;
			const t = this.unixParams(ctx, [
				'start_date',
				'end_date',
				'modified_start_date',
				'modified_end_date',
				'time_start_start_date',
				'time_start_end_date',
				'time_finish_start_date',
				'time_finish_end_date',
			]);
			if (isResult(t)) return t;
			const p = this.paging(ctx);
			if (isResult(p)) return p;
			const statuses = csv(ctx.query.status);
			const badStatus = statuses?.find((x) => !(GLOFOX_BOOKING_STATUSES as readonly string[]).includes(x));
			if (badStatus) return fail(`The selected status ${badStatus} is invalid.`, 'INVALID_STATUS');
			const eventTypes = csv(ctx.query.event_type);
			const badType = eventTypes?.find((x) => !BOOKING22_EVENT_TYPES.includes(x));
			if (badType) return fail(`The selected event type ${badType} is invalid.`, 'INVALID_EVENT_TYPE');
			const eventId = ctx.query.event_id;
			const inRange = (v: number, from?: number, to?: number) => (from === undefined || v >= from) && (to === undefined || v <= to);
			const items = this.cache.get(listKey(ctx.path, ctx.query), () => [...this.bookings.values()].filter((b) => {
				if (statuses && !statuses.includes(b.status)) return false;
				if (eventId && b.event_id !== eventId) return false;
				if (eventTypes && !eventTypes.includes(this.bookingEventType(b))) return false;
				if (!inRange(b.created!, t.start_date, t.end_date) || !inRange(b.modified!, t.modified_start_date, t.modified_end_date)) return false;
				const start = this.bookingStart(b);
				if (!inRange(this.localSec(start), t.time_start_start_date, t.time_start_end_date)) return false;
				const finish = start + this.bookingDuration(b) * 60;
				return inRange(this.localSec(finish), t.time_finish_start_date, t.time_finish_end_date);
			}));
			const data = items.slice((p.page - 1) * p.limit, p.page * p.limit).map((b) => this.booking22Json(b));
			return json(200, { success: true, meta: { totalCount: items.length, page: p.page, limit: p.limit }, data });
		});
		add('GET', '/2.0/bookings', (ctx) => {
			// Glofox's OpenAPI marks branchId and user_id required.
			if (!ctx.query.branchId) return fail('The branch id field is required.', 'BRANCH_ID_IS_REQUIRED');
			if (ctx.query.branchId !== this.branchId) return fail('The branchId does not match the x-glofox-branch-id header', 'INVALID_BRANCH_ID');
			const userId = ctx.query.user_id;
			if (!userId) return fail('The user id field is required.', 'USER_ID_IS_REQUIRED');
			const t = this.unixParams(ctx, ['time_start', 'time_end']);
			if (isResult(t)) return t;
			const from = t.time_start ?? this.clock.nowSec();
			const to = t.time_end ?? from + 86400;
			const excludeCancelled = this.triState(ctx, 'exclude_cancelled', false);
			if (isResult(excludeCancelled)) return excludeCancelled;
			const eventId = ctx.query.event_id;
			const sortBy = ctx.query.sort_by ?? '-created';
			const sortKey = sortBy.replace(/^-/, '');
			if (!['created', 'time_start', 'time_finish'].includes(sortKey)) return fail(`The sort_by ${sortBy} is invalid.`, 'INVALID_SORT_BY');
			const key = (b: Booking): number =>
				sortKey === 'created' ? b.created! : this.bookingStart(b) + (sortKey === 'time_finish' ? this.bookingDuration(b) * 60 : 0);
			const dir = sortBy.startsWith('-') ? -1 : 1;
			const items = () => this.bookingsByUser.get(userId).filter((b) => {
				const start = this.bookingStart(b);
				return start >= from && start <= to && !(excludeCancelled === true && b.status === 'CANCELED') && (!eventId || b.event_id === eventId);
			}).sort((a, b) => dir * (key(a) - key(b)));
			return this.listA(ctx, items, (b) => this.booking20Json(b), undefined, `${from}-${to}`);
		});

		// Access and attendances -----------------------------------------------------------------
		add('POST', '/2.0/access', (ctx) => {
			const readOnly = this.refuseWrite();
			if (readOnly) return readOnly;
			const parsed = jsonBody(ctx);
			if (!parsed.ok) return fail(`The request body is not valid JSON: ${parsed.error}`, 'INVALID_JSON');
			const body = isObject(parsed.value) ? parsed.value : {};
			const userId = body.user_id;
			if (userId === undefined || userId === null || userId === '') return fail('The user id field is required.', 'USER_ID_IS_REQUIRED');
			if (typeof userId !== 'string') return fail('The user id must be a string.', 'INVALID_USER_ID');
			const member = this.members.get(userId);
			if (!member) return fail('User not found', 'USER_NOT_FOUND');
			let entry = this.clock.nowSec();
			if (body.entry_at !== undefined && body.entry_at !== null) {
				// The Access schema types entry_at as an integer (UTC Unix seconds).
				if (typeof body.entry_at !== 'number' || !Number.isInteger(body.entry_at))
					return fail('The entry at must be an integer Unix timestamp in seconds.', 'INVALID_ENTRY_AT');
				entry = body.entry_at;
			}
			if (body.door !== undefined && body.door !== null && typeof body.door !== 'string') return fail('The door must be a string.', 'INVALID_DOOR');
			const doorType = body.door_type ?? 'external';
			if (doorType !== 'external' && doorType !== 'internal') return fail('The selected door type is invalid.', 'INVALID_DOOR_TYPE');
			if (body.status !== undefined && body.status !== 'GRANTED' && body.status !== 'FAILED')
				return fail('The selected status is invalid.', 'INVALID_STATUS');
			const verdict = this.evaluateEntry(member, entry);
			const now = this.clock.nowSec();
			if (verdict.booking) {
				verdict.booking.attended = true;
				verdict.booking.modified = now;
			}
			const access: Access = {
				_id: randomBytes(12).toString('hex'),
				user_id: member._id,
				branch_id: this.branchId,
				namespace: this.namespace,
				entry_at: entry,
				status: (body.status as string | undefined) ?? (verdict.valid ? 'GRANTED' : 'FAILED'),
				valid_on_entry: verdict.valid,
				door: typeof body.door === 'string' ? body.door : null,
				door_type: doorType,
				created: now,
				modified: now,
			};
			this.accesses.set(access._id, { ...access, attended_booking_id: verdict.booking?._id ?? null });
			return json(200, { success: true, access: pick(access, ACCESS_FIELDS) });
		});
		add('POST', '/2.0/attendances', (ctx) => {
			const readOnly = this.refuseWrite();
			if (readOnly) return readOnly;
			const parsed = jsonBody(ctx);
			if (!parsed.ok) return fail(`The request body is not valid JSON: ${parsed.error}`, 'INVALID_JSON');
			const body = isObject(parsed.value) ? parsed.value : {};
			const ids = body.model_ids;
			if (body.model !== 'bookings' || !Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string'))
				return fail('Invalid model or model_ids', 'INVALID_MODEL');
			const bookings = (ids as string[]).map((id) => this.bookings.get(id));
			if (bookings.some((b) => !b)) return fail('Booking not found', 'BOOKING_NOT_FOUND');
			const now = this.clock.nowSec();
			for (const b of bookings) {
				b!.attended = true;
				b!.modified = now;
			}
			return json(200, { success: true, model_ids: ids });
		});
		return r;
	}
}
