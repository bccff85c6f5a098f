/**
 * Glofox (`/glofox/prod`): members, users-by-email, memberships, credits, branch, events, bookings
 * (2.0 and 2.2), access (with valid_on_entry) and attendances. Behaviour follows
 * docs/reference/glofox-api.md; choices where Glofox is silent are listed in sandbox/README.md.
 */
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Clock } from './clock';
import type { GlofoxScenario } from './scenario';
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

	membershipOf(m: Member): Rec | null {
		const ms = m.membership;
		if (!ms) return null;
		if (ms.type === 'payg') return { status: 'ACTIVE', start_date: null, ...ms };
		const plan = typeof ms.plan_code === 'number' ? this.plans.get(ms.plan_code) : undefined;
		const cat = ms.membership_id ? this.memberships.get(ms.membership_id) : plan?.membership;
		return {
			status: 'ACTIVE',
			start_date: null,
			expiry_date: null,
			membership_id: cat?._id ?? null,
			membership_name: cat?.name ?? null,
			membership_plan_name: plan?.plan.name ?? null,
			plan_code: plan ? plan.plan.code : null,
			plan_name: plan?.plan.name ?? null,
			plan_price: (plan?.plan.price as number | undefined) ?? null,
			plan_upfront_fee: (plan?.plan.upfront_fee as number | undefined) ?? 0,
			starts_on: (plan?.plan.starts_on as string | undefined) ?? 'PURCHASE_DATE',
			user_membership_id: null,
			branches: [this.branchId],
			subscription: null,
			...ms,
		};
	}
	memberJson(m: Member): Rec {
		const first = m.first_name ?? '';
		const last = m.last_name ?? '';
		return {
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
			gender: null,
			...m,
			first_name: first,
			last_name: last,
			name: (m.name as string | undefined) ?? `${first} ${last}`.trim(),
			email: m.email ?? null,
			active: m.active ?? true,
			membership: this.membershipOf(m),
		};
	}
	catalogueJson(m: CatalogueMembership): Rec {
		return {
			branch_id: this.branchId,
			namespace: this.namespace,
			active: true,
			description: '',
			buy_just_once: false,
			type: 'membership',
			private: false,
			plans: [],
			...m,
		};
	}
	creditJson(c: Credit): Rec {
		const bookings = this.bookingsByUser
			.get(c.user_id)
			.filter((b) => b.status === 'BOOKED' && (b.metadata as Rec | undefined)?.service && ((b.metadata as Rec).service as Rec).id === c._id)
			.map((b) => b._id);
		return {
			branch_id: this.branchId,
			namespace: this.namespace,
			active: true,
			model: 'programs',
			category_id: null,
			model_ids: null,
			num_sessions: c.available,
			bookings,
			start_date: null,
			end_date: null,
			type: 'usercredit',
			membership_id: null,
			membership_name: null,
			...c,
		};
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
		return {
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
		};
	}
	private bookingCommon(b: Booking): Rec {
		const e = this.events.get(b.event_id)!;
		const m = this.members.get(b.user_id);
		return {
			branch_id: this.branchId,
			namespace: this.namespace,
			user_name: m ? `${m.first_name ?? ''} ${m.last_name ?? ''}`.trim() : null,
			type: 'events',
			model: 'events',
			model_id: e._id,
			model_name: e.name,
			program_id: e.program_id ?? null,
			event_name: e.name,
			paid: true,
			payment_method: null,
			guest_bookings: 0,
			is_first: false,
			is_from_waiting_list: false,
			is_late_cancellation: false,
			canceled_at: null,
			...b,
		};
	}
	booking20Json(b: Booking): Rec {
		return {
			is_free: false,
			...this.bookingCommon(b),
			time_start: this.bookingStart(b),
			duration: this.bookingDuration(b),
		};
	}
	booking22Json(b: Booking): Rec {
		const start = this.bookingStart(b);
		const out = this.bookingCommon(b);
		delete out.duration;
		delete out.is_free;
		return {
			time_slot_id: null,
			course_id: null,
			session_id: null,
			cancellations: [],
			origin: null,
			batch_id: null,
			metadata: null,
			...out,
			time_start: this.localString(start),
			time_finish: this.localString(start + this.bookingDuration(b) * 60),
			canceled_at: typeof b.canceled_at === 'number' ? this.localString(b.canceled_at) : (b.canceled_at ?? null),
			created: this.utcString(b.created!),
			modified: this.utcString(b.modified!),
		};
	}
	branchJson(): Rec {
		const extra = this.branch ?? {};
		const address = isObject(extra.address) ? extra.address : {};
		return {
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
			address: {
				street: null,
				city: null,
				state: null,
				country: null,
				country_code: null,
				postal_code: null,
				latitude: null,
				longitude: null,
				currency: 'GBP',
				...address,
				timezone_id: this.timezone,
				timezone_name: DateTime.fromSeconds(this.clock.nowSec(), { zone: this.timezone }).offsetNameLong ?? this.timezone,
			},
		};
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
		if (v === 'any' || v === '*') return 'any';
		if (v === 'true' || v === '1') return true;
		if (v === 'false' || v === '0') return false;
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
			return m ? json(200, this.memberJson(m)) : fail('User not found', 'USER_NOT_FOUND');
		});
		add('GET', '/2.1/branches/:branch/users', (ctx) => {
			const bad = this.checkBranch(ctx);
			if (bad) return bad;
			const email = ctx.query['filters[email]'];
			const items = email !== undefined ? this.membersByEmail.get(email) : [...this.members.values()];
			return this.listA(ctx, items, (m) => this.memberJson(m));
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
			const eventTypes = csv(ctx.query.event_type);
			const eventId = ctx.query.event_id;
			const inRange = (v: number, from?: number, to?: number) => (from === undefined || v >= from) && (to === undefined || v <= to);
			const items = this.cache.get(listKey(ctx.path, ctx.query), () => [...this.bookings.values()].filter((b) => {
				if (statuses && !statuses.includes(b.status)) return false;
				if (eventId && b.event_id !== eventId) return false;
				if (eventTypes && !eventTypes.includes(String(b.type ?? 'events'))) return false;
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
			if (ctx.query.branchId !== undefined && ctx.query.branchId !== this.branchId)
				return fail('The branchId does not match the x-glofox-branch-id header', 'INVALID_BRANCH_ID');
			const t = this.unixParams(ctx, ['time_start', 'time_end']);
			if (isResult(t)) return t;
			const from = t.time_start ?? this.clock.nowSec();
			const to = t.time_end;
			const userId = ctx.query.user_id;
			const excludeCancelled = ctx.query.exclude_cancelled === 'true' || ctx.query.exclude_cancelled === '1';
			const eventId = ctx.query.event_id;
			const status = csv(ctx.query.status);
			const attended = ctx.query.attended === undefined ? undefined : ctx.query.attended === 'true' || ctx.query.attended === '1';
			const sortBy = ctx.query.sort_by ?? '-created';
			const sortKey = sortBy.replace(/^-/, '');
			if (!['created', 'time_start', 'modified'].includes(sortKey)) return fail(`The sort_by ${sortBy} is invalid.`, 'INVALID_SORT_BY');
			const key = (b: Booking): number => (sortKey === 'time_start' ? this.bookingStart(b) : (b[sortKey] as number));
			const dir = sortBy.startsWith('-') ? -1 : 1;
			const items = () => (userId !== undefined ? this.bookingsByUser.get(userId) : [...this.bookings.values()]).filter((b) => {
				const start = this.bookingStart(b);
				return (
					start >= from &&
					(to === undefined || start <= to) &&
					!(excludeCancelled && b.status === 'CANCELED') &&
					(!eventId || b.event_id === eventId) &&
					(!status || status.includes(b.status)) &&
					(attended === undefined || Boolean(b.attended) === attended)
				);
			}).sort((a, b) => dir * (key(a) - key(b)));
			return this.listA(ctx, items, (b) => this.booking20Json(b), undefined, String(from));
		});

		// Access and attendances -----------------------------------------------------------------
		add('POST', '/2.0/access', (ctx) => {
			const parsed = jsonBody(ctx);
			if (!parsed.ok) return fail(`The request body is not valid JSON: ${parsed.error}`, 'INVALID_JSON');
			const body = isObject(parsed.value) ? parsed.value : {};
			const userId = body.user_id;
			if (userId === undefined || userId === null || userId === '') return fail('The user id field is required.', 'USER_ID_IS_REQUIRED');
			const member = typeof userId === 'string' ? this.members.get(userId) : undefined;
			if (!member) return fail('User not found', 'USER_NOT_FOUND');
			let entry = this.clock.nowSec();
			if (body.entry_at !== undefined && body.entry_at !== null) {
				const n = typeof body.entry_at === 'number' ? body.entry_at : typeof body.entry_at === 'string' && /^\d+$/.test(body.entry_at) ? Number(body.entry_at) : NaN;
				if (!Number.isFinite(n)) return fail('The entry at must be a Unix timestamp in seconds.', 'INVALID_ENTRY_AT');
				entry = Math.floor(n);
			}
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
			return json(200, { success: true, access });
		});
		add('POST', '/2.0/attendances', (ctx) => {
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
