/**
 * TeamUp API v2 (`/teamup/api/v2`): customers, memberships, customer memberships (+ usage), registration
 * blocks, invoices, events, attendances, venues, confirm attendance, check-ins. Behaviour follows
 * docs/reference/teamup-api.md; choices where TeamUp is silent are listed in sandbox/README.md.
 */
import type { Clock } from './clock';
import type { TeamUpScenario } from './scenario';
import { TEAMUP_INVOICE_STATUSES } from './scenario';
import { type Ctx, type Route, type ServiceApi, isObject } from './service';
import { type HttpResult, ListCache, MultiIndex, csv, csvInts, isDateOnly, isInt, json, listKey, nextId } from './util';

type Rec = Record<string, unknown>;
type Customer = TeamUpScenario['customers'][number];
type Membership = TeamUpScenario['memberships'][number];
type CustomerMembership = TeamUpScenario['customer_memberships'][number];
type Usage = TeamUpScenario['customer_membership_usage'][string];
type Block = TeamUpScenario['customer_registration_blocks'][number];
type Event = TeamUpScenario['events'][number];
type Attendance = TeamUpScenario['attendances'][number];
type Invoice = TeamUpScenario['invoices'][number];
type Venue = TeamUpScenario['venues'][number];
type Checkin = TeamUpScenario['checkins'][number];
type Subscription = TeamUpScenario['payment_subscriptions'][number];

export interface TeamUpPrincipal {
	token: string;
}

/** `expand=event,event.venue` as a tree. */
type Expand = Map<string, Expand>;
function parseExpand(value: string | undefined): Expand {
	const root: Expand = new Map();
	for (const path of csv(value) ?? []) {
		let node = root;
		for (const part of path.split('.')) {
			let next = node.get(part);
			if (!next) node.set(part, (next = new Map()));
			node = next;
		}
	}
	return root;
}

const DEFAULT_MESSAGES: Record<number, [string, string, string]> = {
	400: ['parameter_invalid', 'You request was invalid', 'invalid_request_error'],
	401: ['authentication_failed', 'Incorrect authentication credentials.', 'invalid_request_error'],
	403: ['permission_denied', 'You do not have permission to perform this action.', 'invalid_request_error'],
	404: ['not_found', 'Not found.', 'invalid_request_error'],
	405: ['method_not_allowed', 'Method not allowed.', 'invalid_request_error'],
	409: ['conflict', 'Conflict.', 'conflict'],
	415: ['unsupported_media_type', 'Unsupported media type in request.', 'invalid_request_error'],
	429: ['throttled', 'Request was throttled.', 'invalid_request_error'],
	500: ['server_error', 'A server error occurred.', 'api_error'],
	502: ['bad_gateway', 'Bad gateway.', 'api_error'],
	503: ['service_unavailable', 'Service temporarily unavailable, try again later.', 'api_error'],
	504: ['gateway_timeout', 'Gateway timeout.', 'api_error'],
};

export function teamupError(status: number, opts: { code?: string; message?: string; field_errors?: Record<string, string[]>; type?: string } = {}): HttpResult {
	const [code, message, type] = DEFAULT_MESSAGES[status] ?? ['error', 'Error.', 'invalid_request_error'];
	const body: Rec = { code: opts.code ?? code };
	if (opts.field_errors) body.field_errors = opts.field_errors;
	body.message = opts.message ?? message;
	body.type = opts.type ?? type;
	return json(status, body);
}
const invalid = (field_errors: Record<string, string[]>): HttpResult => teamupError(400, { field_errors });
const isResult = (v: unknown): v is HttpResult => isObject(v) && typeof v.status === 'number' && ('body' in v || 'raw' in v);

const money = (decimal: number): Rec => ({
	decimal,
	string: `£${Number.isInteger(decimal) ? decimal : decimal.toFixed(2)}`,
	iso_currency_code: 'gbp',
	currency_symbol: '£',
	currency_symbol_position: 'before',
});

const CM_STATUS_FILTER: Record<string, CustomerMembership['status']> = {
	active: 'active',
	hold: 'hold',
	complete: 'completed',
	completed: 'completed',
	cancelled: 'cancelled',
};
const CM_TYPE_FILTER: Record<string, Membership['type']> = {
	pack: 'pack',
	recurring: 'recurring_plan',
	prepaid: 'prepaid_plan',
	recurring_plan: 'recurring_plan',
	prepaid_plan: 'prepaid_plan',
};
const ATTENDANCE_STATUS_FILTER = ['not_registered', 'registered', 'attended', 'no_show', 'late_cancelled', 'plans_to_attend'];

export class TeamUpStore implements ServiceApi<TeamUpPrincipal> {
	readonly name = 'teamup' as const;
	readonly prefix = '/teamup/api/v2';
	readonly routes: Route<TeamUpPrincipal>[];

	tokens: Set<string>;
	providerId: number;
	provider: Rec | undefined;
	readonly venues = new Map<number, Venue>();
	readonly memberships = new Map<number, Membership>();
	readonly customers = new Map<number, Customer>();
	readonly customerMemberships = new Map<number, CustomerMembership>();
	private readonly cmsByCustomer = new MultiIndex<number, CustomerMembership>();
	readonly usage = new Map<number, Usage>();
	readonly subscriptions = new Map<number, Subscription>();
	readonly blocks = new Map<number, Block>();
	private readonly blocksByCustomer = new MultiIndex<number, Block>();
	readonly events = new Map<number, Event>();
	private readonly eventTimes = new Map<number, { start: number; end: number }>();
	readonly attendances = new Map<number, Attendance>();
	private readonly attendancesByCustomer = new MultiIndex<number, Attendance>();
	private readonly attendancesByEvent = new MultiIndex<number, Attendance>();
	readonly invoices = new Map<number, Invoice>();
	readonly checkins = new Map<number, Checkin>();
	readonly cache = new ListCache();

	constructor(
		t: TeamUpScenario | undefined,
		private readonly clock: Clock,
	) {
		const now = clock.nowIso();
		this.tokens = new Set(t?.tokens ?? []);
		this.providerId = t?.provider_id ?? 1;
		this.provider = t?.provider;
		for (const v of t?.venues ?? []) this.venues.set(v.id, v);
		for (const m of t?.memberships ?? []) this.memberships.set(m.id, m);
		for (const c of t?.customers ?? []) this.customers.set(c.id, { ...c, created_at: c.created_at ?? now });
		for (const cm of t?.customer_memberships ?? []) {
			const rec = { ...cm, name: cm.name ?? this.memberships.get(cm.membership)?.name };
			this.customerMemberships.set(cm.id, rec);
			this.cmsByCustomer.add(cm.customer, rec);
		}
		for (const [id, u] of Object.entries(t?.customer_membership_usage ?? {})) this.usage.set(Number(id), u);
		for (const s of t?.payment_subscriptions ?? []) this.subscriptions.set(s.id, s);
		for (const b of t?.customer_registration_blocks ?? []) {
			const rec = { ...b, created_at: b.created_at ?? now };
			this.blocks.set(b.id, rec);
			this.blocksByCustomer.add(b.customer, rec);
		}
		for (const e of t?.events ?? []) {
			this.events.set(e.id, e);
			this.eventTimes.set(e.id, { start: Date.parse(e.starts_at), end: Date.parse(e.ends_at) });
		}
		for (const a of t?.attendances ?? []) this.addAttendance({ ...a });
		for (const i of t?.invoices ?? []) this.invoices.set(i.id, { ...i, created_at: i.created_at ?? now });
		for (const c of t?.checkins ?? []) this.checkins.set(c.id, c);
		this.routes = this.buildRoutes();
	}

	private addAttendance(a: Attendance): void {
		this.attendances.set(a.id, a);
		this.attendancesByCustomer.add(a.customer, a);
		this.attendancesByEvent.add(a.event, a);
	}

	toScenario(): TeamUpScenario {
		const usage: TeamUpScenario['customer_membership_usage'] = {};
		for (const [id, u] of this.usage) usage[String(id)] = u;
		return {
			tokens: [...this.tokens],
			provider_id: this.providerId,
			provider: this.provider,
			venues: [...this.venues.values()],
			memberships: [...this.memberships.values()],
			customers: [...this.customers.values()],
			customer_memberships: [...this.customerMemberships.values()],
			customer_membership_usage: usage,
			payment_subscriptions: [...this.subscriptions.values()],
			customer_registration_blocks: [...this.blocks.values()],
			events: [...this.events.values()],
			attendances: [...this.attendances.values()],
			invoices: [...this.invoices.values()],
			checkins: [...this.checkins.values()],
		};
	}

	// ------------------------------------------------------------------------------------------
	// ServiceApi

	private tokenFrom(ctx: Ctx<unknown>): string | undefined {
		const m = /^(Token|Bearer)\s+(\S+)\s*$/i.exec(String(ctx.headers.authorization ?? ''));
		return m ? m[2] : undefined;
	}
	rateKey(ctx: Ctx<undefined>): string {
		const token = this.tokenFrom(ctx);
		return token ? `token:${token}` : `ip:${ctx.ip}`;
	}
	authenticate(ctx: Ctx<undefined>): { principal: TeamUpPrincipal } | HttpResult {
		if (!ctx.headers.authorization)
			return teamupError(401, { message: 'Authentication credentials were not provided.' });
		const token = this.tokenFrom(ctx);
		if (!token || !this.tokens.has(token)) return teamupError(401, { message: 'Invalid token.' });
		const provider = ctx.headers['teamup-provider-id'];
		if (provider !== undefined) {
			const value = String(provider).trim();
			if (!/^\d+$/.test(value))
				return teamupError(400, { code: 'provider_header_invalid', message: 'The TeamUp-Provider-ID header must be an integer.' });
			if (Number(value) !== this.providerId)
				return teamupError(403, { code: 'provider_invalid', message: 'You do not have access to this provider.' });
		}
		const mode = ctx.headers['teamup-request-mode'];
		if (mode !== undefined && String(mode).trim().toLowerCase() !== 'provider')
			return teamupError(403, { code: 'mode_not_allowed', message: 'These credentials can only be used in provider mode.' });
		return { principal: { token } };
	}
	errorResult(status: number, message?: string): HttpResult {
		return teamupError(status, message ? { message } : {});
	}
	rateLimited(): HttpResult {
		return teamupError(429);
	}
	routeNotFound(): HttpResult {
		return teamupError(404);
	}

	// ------------------------------------------------------------------------------------------
	// Serializers

	private url(ctx: Ctx<unknown>, path: string): string {
		return `${ctx.origin}${this.prefix}${path}`;
	}

	customerJson(c: Customer, ctx: Ctx<unknown>): Rec {
		return {
			family: null,
			family_role: null,
			image: null,
			is_lead: false,
			lead_source: null,
			participating: true,
			visibility: 'visible',
			referral_code: { code: `REF${c.id}`, share_url: this.url(ctx, `/referrals/REF${c.id}`) },
			...c,
			email: c.email ?? null,
			object: 'customer',
			provider: this.providerId,
		};
	}
	membershipJson(m: Membership, ctx: Ctx<unknown>): Rec {
		const active = this.activeCounts().get(m.id) ?? 0;
		const price = typeof m.price === 'number' ? m.price : 0;
		return {
			description: '',
			begin_on_first_registration: false,
			start_date: null,
			expiration_date: null,
			duration: null,
			duration_unit: null,
			one_time_fee: null,
			use_prorate: false,
			category: null,
			is_dropin: false,
			for_sale: true,
			allow_repeat_purchases: true,
			visible_to_customers: true,
			purchasable_only_by_provider: false,
			new_customers_only: false,
			penalty_system: null,
			is_draft: false,
			incomplete_reasons: [],
			shareable: false,
			...m,
			object: 'membership',
			price: money(price),
			display_price: money(price),
			has_active_members: active > 0,
			active_member_count: active,
			allotment: this.url(ctx, `/memberships/${m.id}/allotment`),
			plans: this.url(ctx, `/memberships/${m.id}/plans`),
			terms: this.url(ctx, `/memberships/${m.id}/terms`),
		};
	}
	/** Active customer memberships per plan (computed once per state version). */
	private activeCounts(): Map<number, number> {
		return this.cache.get('#active-counts', () => {
			const out = new Map<number, number>();
			for (const cm of this.customerMemberships.values())
				if (cm.status === 'active') out.set(cm.membership, (out.get(cm.membership) ?? 0) + 1);
			return [out];
		})[0];
	}
	usageSummary(cm: CustomerMembership): Rec | null {
		if (this.memberships.get(cm.membership)?.type !== 'pack') return null;
		const p = this.usagePeriods(cm)[0];
		return { max_uses: p.max_uses, used_count: p.used_count, remaining_count: p.remaining_count };
	}
	usagePeriods(cm: CustomerMembership): Rec[] {
		const u = this.usage.get(cm.id);
		const period = (x: Rec): Rec => ({
			start_date: cm.start_date ?? null,
			end_date: cm.expiration_date ?? null,
			period_type: 'membership',
			max_uses: null,
			used_count: 0,
			remaining_count: null,
			offering_type_limits: [],
			prorate_adjustment: null,
			...x,
		});
		if (!u) return [period({})];
		if ('usage_periods' in u && Array.isArray(u.usage_periods)) return u.usage_periods.map((p) => period(p));
		const s = u as Rec;
		const max = (s.max_uses as number | null | undefined) ?? null;
		const used = (s.used_count as number | undefined) ?? 0;
		const remaining = s.remaining_count !== undefined ? (s.remaining_count as number | null) : max === null ? null : Math.max(0, max - used);
		return [period({ ...s, max_uses: max, used_count: used, remaining_count: remaining })];
	}
	customerMembershipJson(cm: CustomerMembership, ctx: Ctx<unknown>, exp: Expand): Rec {
		const m = this.memberships.get(cm.membership)!;
		const hold = cm.active_hold ?? null;
		const sub = cm.payment_subscription != null ? this.subscriptions.get(cm.payment_subscription) : undefined;
		const out: Rec = {
			renewal_date: null,
			discount_code: null,
			billed_price: money(typeof m.price === 'number' ? m.price : 0),
			discount_code_makes_free_forever: false,
			is_set_for_cancellation: false,
			cancellation_reason: null,
			...cm,
			object: 'customermembership',
			name: cm.name ?? m.name,
			start_date: cm.start_date ?? null,
			expiration_date: cm.expiration_date ?? null,
			membership: exp.has('membership') ? this.membershipJson(m, ctx) : m.id,
			customer: exp.has('customer') ? this.customerJson(this.customers.get(cm.customer)!, ctx) : cm.customer,
			active_hold: hold ? (exp.has('active_hold') ? this.holdJson(cm) : hold.id) : null,
			payment_subscription: sub ? (exp.has('payment_subscription') ? this.subscriptionJson(sub) : sub.id) : null,
		};
		if (exp.has('usage_summary')) out.usage_summary = this.usageSummary(cm);
		if (exp.has('next_billing_date')) out.next_billing_date = m.type === 'recurring_plan' ? (cm.renewal_date ?? null) : null;
		return out;
	}
	private holdJson(cm: CustomerMembership): Rec {
		return {
			active: true,
			days_to_add: 0,
			prorate_usage: false,
			...cm.active_hold!,
			object: 'customer_membership_hold',
			customer_membership: cm.id,
		};
	}
	private subscriptionJson(s: Subscription): Rec {
		return { plan: null, start_date: null, end_date: null, payment_method: null, ...s, object: 'payment_subscription' };
	}
	venueJson(v: Venue, ctx: Ctx<unknown>): Rec {
		return {
			description: '',
			address: '',
			physical_address: null,
			video_url: null,
			zoom_user: null,
			venue_type: 'physical',
			lat: null,
			lng: null,
			archived: false,
			is_online: false,
			video_url_type: 'static',
			...v,
			object: 'venue',
			venue_rooms: this.url(ctx, `/venues/${v.id}/venue_rooms`),
		};
	}
	eventJson(e: Event, ctx: Ctx<unknown>, exp: Expand): Rec {
		let attending = 0;
		let waiting = 0;
		for (const a of this.attendancesByEvent.get(e.id)) {
			if (a.status === 'registered' || a.status === 'attended') attending++;
			else if (a.waitlist_spot?.status === 'on_waitlist') waiting++;
		}
		const venue = e.venue != null ? this.venues.get(e.venue) : undefined;
		return {
			status: 'active',
			max_occupancy: null,
			waitlist_max_override: null,
			is_appointment: false,
			venue_room: null,
			offering_type: null,
			registrations_open_at: null,
			registrations_close_at: e.starts_at,
			late_cancel_deadline: new Date(Date.parse(e.starts_at) - 12 * 3600_000).toISOString(),
			description: '',
			schedule_type: 'single',
			...e,
			object: 'event',
			attending_count: attending,
			waiting_count: waiting,
			venue: venue ? (exp.has('venue') ? this.venueJson(venue, ctx) : venue.id) : null,
			instructors: this.url(ctx, `/events/${e.id}/instructors`),
			customer_url: `${ctx.origin}/teamup/c/events/${e.id}`,
			provider_url: `${ctx.origin}/teamup/p/events/${e.id}`,
		};
	}
	attendanceJson(a: Attendance, ctx: Ctx<unknown>, exp: Expand): Rec {
		const cm = a.customer_membership != null ? this.customerMemberships.get(a.customer_membership) : undefined;
		const out: Rec = {
			booking_source: null,
			...a,
			object: 'attendance',
			customer: exp.has('customer') ? this.customerJson(this.customers.get(a.customer)!, ctx) : a.customer,
			event: exp.has('event') ? this.eventJson(this.events.get(a.event)!, ctx, exp.get('event')!) : a.event,
			customer_membership: cm ? (exp.has('customer_membership') ? this.customerMembershipJson(cm, ctx, exp.get('customer_membership')!) : cm.id) : null,
		};
		delete out.waitlist_spot;
		delete out.gympass_booking;
		if (exp.has('waitlist_spot'))
			out.waitlist_spot = a.waitlist_spot
				? { added_at: null, spot_reserved_at: null, reserved_spot_expires_at: null, ...a.waitlist_spot, object: 'waitlist_spot' }
				: null;
		if (exp.has('gympass_booking')) out.gympass_booking = (a as Rec).gympass_booking ?? null;
		return out;
	}
	invoiceJson(i: Invoice, ctx: Ctx<unknown>, exp: Expand): Rec {
		const payer = i.payer != null ? this.customers.get(i.payer) : undefined;
		const out: Rec = {
			due_date: null,
			is_credit_note: false,
			legacy_invoice_key: null,
			...i,
			object: 'invoice',
			total_amount_due: money(typeof i.total === 'number' ? i.total : 0),
			payer: payer ? (exp.has('payer') ? this.customerJson(payer, ctx) : payer.id) : null,
		};
		delete out.line_items;
		delete out.total;
		if (exp.has('line_items')) {
			const sub = exp.get('line_items')!;
			out.line_items = (i.line_items ?? []).map((li, n) => {
				const cm = li.customer_membership != null ? this.customerMemberships.get(li.customer_membership) : undefined;
				return {
					id: i.id * 100 + n + 1,
					object: 'invoice_line_item',
					description: cm?.name ?? li.type,
					...li,
					customer_membership: cm ? (sub.has('customer_membership') ? this.customerMembershipJson(cm, ctx, sub.get('customer_membership')!) : cm.id) : null,
				};
			});
		}
		return out;
	}
	blockJson(b: Block): Rec {
		return { deactivated_at: null, ...b, object: 'customer_registration_block' };
	}
	checkinJson(c: Checkin): Rec {
		return { comped: false, customer_membership: null, ...c, object: 'checkin' };
	}

	// ------------------------------------------------------------------------------------------
	// Paging and filters

	/** DRF page-number paging: `{count, next, previous, results}`. */
	private page<T>(ctx: Ctx<unknown>, source: T[] | (() => T[]), serialize: (t: T) => Rec, maxPageSize = 100, cacheExtra = ''): HttpResult {
		let size = maxPageSize === 250 ? 100 : maxPageSize;
		if (ctx.query.page_size !== undefined) {
			if (!isInt(ctx.query.page_size) || Number(ctx.query.page_size) < 1)
				return invalid({ page_size: ['A valid integer greater than or equal to 1 is required.'] });
			size = Number(ctx.query.page_size);
			if (size > maxPageSize) return invalid({ page_size: [`Ensure this value is less than or equal to ${maxPageSize}.`] });
		}
		const items = typeof source === 'function' ? this.cache.get(listKey(ctx.path, ctx.query, cacheExtra), source) : source;
		const count = items.length;
		const pages = Math.max(1, Math.ceil(count / size));
		let page = 1;
		const raw = ctx.query.page;
		if (raw !== undefined) {
			if (raw === 'last') page = pages;
			else if (!isInt(raw) || Number(raw) < 1) return teamupError(404, { message: 'Invalid page.' });
			else page = Number(raw);
		}
		if (page > pages) return teamupError(404, { message: 'Invalid page.' });
		const link = (n: number | null): string | null => {
			if (n === null) return null;
			const params = new URLSearchParams(ctx.rawQuery);
			if (n === 1) params.delete('page');
			else params.set('page', String(n));
			const qs = params.toString();
			return `${ctx.origin}${this.prefix}${ctx.path}${qs ? `?${qs}` : ''}`;
		};
		const fields = csv(ctx.query.fields);
		const results = items.slice((page - 1) * size, page * size).map((t) => project(serialize(t), fields));
		return json(200, { count, next: link(page < pages ? page + 1 : null), previous: link(page > 1 ? page - 1 : null), results });
	}

	private one(ctx: Ctx<unknown>, obj: Rec | undefined): HttpResult {
		return obj ? json(200, project(obj, csv(ctx.query.fields))) : teamupError(404);
	}

	private ids(ctx: Ctx<unknown>, name: string): Set<number> | undefined | HttpResult {
		const ids = csvInts(ctx.query[name]);
		if (ids === null) return invalid({ [name]: ['Enter a whole number.'] });
		return ids ? new Set(ids) : undefined;
	}

	private instant(ctx: Ctx<unknown>, name: string): number | undefined | HttpResult {
		const v = ctx.query[name];
		if (v === undefined || v === '') return undefined;
		const s = isDateOnly(v) ? `${v}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`;
		const ms = Date.parse(s);
		if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(v)) return invalid({ [name]: ['Enter a valid date/time.'] });
		return ms;
	}

	private date(ctx: Ctx<unknown>, name: string): string | undefined | HttpResult {
		const v = ctx.query[name];
		if (v === undefined || v === '') return undefined;
		return isDateOnly(v) ? v : invalid({ [name]: ['Enter a valid date.'] });
	}

	private bool(ctx: Ctx<unknown>, name: string): boolean | undefined | HttpResult {
		const v = ctx.query[name];
		if (v === undefined || v === '') return undefined;
		if (/^(true|1|True)$/.test(v)) return true;
		if (/^(false|0|False)$/.test(v)) return false;
		return invalid({ [name]: ['Must be a valid boolean.'] });
	}

	private choices(ctx: Ctx<unknown>, name: string, allowed: string[]): string[] | undefined | HttpResult {
		const values = csv(ctx.query[name]);
		if (!values) return undefined;
		const bad = values.find((v) => !allowed.includes(v));
		if (bad !== undefined) return invalid({ [name]: [`Select a valid choice. ${bad} is not one of the available choices.`] });
		return values;
	}

	// ------------------------------------------------------------------------------------------
	// Routes

	private buildRoutes(): Route<TeamUpPrincipal>[] {
		const r: Route<TeamUpPrincipal>[] = [];
		const add = (method: string, pattern: string, handler: Route<TeamUpPrincipal>['handler']) => r.push({ method, pattern, handler });
		const expandOf = (ctx: Ctx<unknown>) => parseExpand(ctx.query.expand);
		const byId = <T>(map: Map<number, T>, id: string): T | undefined => (/^\d+$/.test(id) ? map.get(Number(id)) : undefined);

		// Customers ------------------------------------------------------------------------------
		add('GET', '/customers', (ctx) => {
			const ids = this.ids(ctx, 'ids');
			if (isResult(ids)) return ids;
			const plans = this.ids(ctx, 'active_memberships');
			if (isResult(plans)) return plans;
			const q = ctx.query.query?.trim().toLowerCase();
			const prefix = ctx.query.autocomplete?.trim().toLowerCase();
			const items = () => [...this.customers.values()].filter((c) => {
				if (ids && !ids.has(c.id)) return false;
				if (q || prefix) {
					const name = `${c.first_name ?? ''} ${c.last_name ?? ''}`.toLowerCase();
					const email = (c.email ?? '').toLowerCase();
					if (q && !email.includes(q) && !name.includes(q)) return false;
					if (prefix && ![email, name, (c.last_name ?? '').toLowerCase()].some((f) => f.startsWith(prefix))) return false;
				}
				if (plans && !this.cmsByCustomer.get(c.id).some((cm) => cm.status === 'active' && plans.has(cm.membership))) return false;
				return true;
			});
			return this.page(ctx, items, (c) => this.customerJson(c, ctx));
		});
		add('GET', '/customers/:id', (ctx) => {
			const c = byId(this.customers, ctx.params.id);
			return this.one(ctx, c && this.customerJson(c, ctx));
		});

		// Memberships ----------------------------------------------------------------------------
		add('GET', '/memberships', (ctx) => {
			const ids = this.ids(ctx, 'ids');
			if (isResult(ids)) return ids;
			const items = [...this.memberships.values()].filter((m) => !ids || ids.has(m.id));
			return this.page(ctx, items, (m) => this.membershipJson(m, ctx));
		});
		add('GET', '/memberships/:id', (ctx) => {
			const m = byId(this.memberships, ctx.params.id);
			return this.one(ctx, m && this.membershipJson(m, ctx));
		});

		// Customer memberships -------------------------------------------------------------------
		add('GET', '/customer_memberships', (ctx) => {
			const customers = this.ids(ctx, 'customer');
			if (isResult(customers)) return customers;
			const ids = this.ids(ctx, 'ids');
			if (isResult(ids)) return ids;
			const plans = this.ids(ctx, 'membership');
			if (isResult(plans)) return plans;
			const statuses = this.choices(ctx, 'status', Object.keys(CM_STATUS_FILTER));
			if (isResult(statuses)) return statuses;
			const types = this.choices(ctx, 'membership_type', Object.keys(CM_TYPE_FILTER));
			if (isResult(types)) return types;
			const hasHold = this.bool(ctx, 'has_active_hold');
			if (isResult(hasHold)) return hasHold;
			const hasExpiration = this.bool(ctx, 'has_expiration_date');
			if (isResult(hasExpiration)) return hasExpiration;
			const dates: Record<string, string | undefined> = {};
			for (const f of ['start_date_gte', 'start_date_lte', 'expiration_date_gte', 'expiration_date_lte']) {
				const d = this.date(ctx, f);
				if (isResult(d)) return d;
				dates[f] = d;
			}
			const statusSet = statuses && new Set(statuses.map((s) => CM_STATUS_FILTER[s]));
			const typeSet = types && new Set(types.map((t) => CM_TYPE_FILTER[t]));
			const today = this.clock.nowIso().slice(0, 10);
			const sort = ctx.query.sort;
			const desc = sort?.startsWith('-') ?? false;
			const sortKey = sort ? (desc ? sort.slice(1) : sort) : undefined;
			const sortGet: Record<string, (cm: CustomerMembership) => string> = {
				start_date: (cm) => cm.start_date ?? '',
				expiration_date: (cm) => cm.expiration_date ?? '9999-99-99',
				status: (cm) => cm.status,
				'membership.name': (cm) => this.memberships.get(cm.membership)!.name,
				'membership.type': (cm) => this.memberships.get(cm.membership)!.type,
			};
			if (sortKey && !sortGet[sortKey]) return invalid({ sort: [`Select a valid choice. ${sort} is not one of the available choices.`] });
			const items = () => {
			const source = customers ? [...customers].flatMap((c) => this.cmsByCustomer.get(c)).sort((a, b) => a.id - b.id) : [...this.customerMemberships.values()];
			const inRange = (v: string | null | undefined, gte?: string, lte?: string) =>
				(!gte || (v != null && v >= gte)) && (!lte || (v != null && v <= lte));
			let filtered = source.filter((cm) => {
				if (ids && !ids.has(cm.id)) return false;
				if (plans && !plans.has(cm.membership)) return false;
				if (statusSet && !statusSet.has(cm.status)) return false;
				if (typeSet && !typeSet.has(this.memberships.get(cm.membership)!.type)) return false;
				if (hasHold !== undefined) {
					const h = cm.active_hold;
					const holding = !!h && (h.end_date == null || h.end_date >= today);
					if (holding !== hasHold) return false;
				}
				if (hasExpiration !== undefined && (cm.expiration_date != null) !== hasExpiration) return false;
				return inRange(cm.start_date, dates.start_date_gte, dates.start_date_lte) && inRange(cm.expiration_date, dates.expiration_date_gte, dates.expiration_date_lte);
			});
			if (sortKey) {
				const get = sortGet[sortKey];
				filtered = [...filtered].sort((a, b) => (desc ? -1 : 1) * get(a).localeCompare(get(b)) || a.id - b.id);
			}
			return filtered;
			};
			const exp = expandOf(ctx);
			return this.page(ctx, items, (cm) => this.customerMembershipJson(cm, ctx, exp), 100, today);
		});
		add('GET', '/customer_memberships/:id', (ctx) => {
			const cm = byId(this.customerMemberships, ctx.params.id);
			return this.one(ctx, cm && this.customerMembershipJson(cm, ctx, expandOf(ctx)));
		});
		add('GET', '/customer_memberships/:id/usage', (ctx) => {
			const cm = byId(this.customerMemberships, ctx.params.id);
			if (!cm) return teamupError(404);
			if (ctx.query.date !== undefined && !isDateOnly(ctx.query.date)) return invalid({ date: ['Enter a valid date.'] });
			return json(200, { usage_periods: this.usagePeriods(cm) });
		});

		// Registration blocks --------------------------------------------------------------------
		add('GET', '/customer_registration_blocks', (ctx) => {
			const customers = this.ids(ctx, 'customer');
			if (isResult(customers)) return customers;
			const active = this.bool(ctx, 'is_active');
			if (isResult(active)) return active;
			const source = customers ? [...customers].flatMap((c) => this.blocksByCustomer.get(c)).sort((a, b) => a.id - b.id) : [...this.blocks.values()];
			const items = source.filter((b) => active === undefined || b.is_active === active);
			return this.page(ctx, items, (b) => this.blockJson(b));
		});

		// Invoices -------------------------------------------------------------------------------
		add('GET', '/invoices', (ctx) => {
			const statuses = this.choices(ctx, 'status', [...TEAMUP_INVOICE_STATUSES]);
			if (isResult(statuses)) return statuses;
			const payers = this.ids(ctx, 'payer');
			if (isResult(payers)) return payers;
			const ids = this.ids(ctx, 'ids');
			if (isResult(ids)) return ids;
			const items = () => [...this.invoices.values()].filter(
				(i) => (!statuses || statuses.includes(i.status)) && (!payers || (i.payer != null && payers.has(i.payer))) && (!ids || ids.has(i.id)),
			);
			const exp = expandOf(ctx);
			return this.page(ctx, items, (i) => this.invoiceJson(i, ctx, exp));
		});
		add('GET', '/invoices/:id', (ctx) => {
			const i = byId(this.invoices, ctx.params.id);
			return this.one(ctx, i && this.invoiceJson(i, ctx, expandOf(ctx)));
		});

		// Venues ---------------------------------------------------------------------------------
		add('GET', '/venues', (ctx) => {
			const status = this.choices(ctx, 'status', ['active', 'archived']);
			if (isResult(status)) return status;
			const items = [...this.venues.values()].filter((v) => !status || status.includes(v.archived ? 'archived' : 'active'));
			return this.page(ctx, items, (v) => this.venueJson(v, ctx));
		});
		add('GET', '/venues/:id', (ctx) => {
			const v = byId(this.venues, ctx.params.id);
			return this.one(ctx, v && this.venueJson(v, ctx));
		});

		// Events ---------------------------------------------------------------------------------
		add('GET', '/events', (ctx) => {
			const bounds: Record<string, number | undefined> = {};
			for (const f of ['starts_at_gte', 'starts_at_lte', 'ends_at_gte', 'ends_at_lte']) {
				const v = this.instant(ctx, f);
				if (isResult(v)) return v;
				bounds[f] = v;
			}
			const ids = this.ids(ctx, 'ids');
			if (isResult(ids)) return ids;
			const venues = this.ids(ctx, 'venues');
			if (isResult(venues)) return venues;
			const offeringTypes = this.ids(ctx, 'offering_types');
			if (isResult(offeringTypes)) return offeringTypes;
			const status = this.choices(ctx, 'status', ['active', 'cancelled']);
			if (isResult(status)) return status;
			const sort = ctx.query.sort ?? 'start';
			if (!['start', '-start', 'end', '-end'].includes(sort)) return invalid({ sort: [`Select a valid choice. ${sort} is not one of the available choices.`] });
			const key = sort.endsWith('start') ? 'start' : 'end';
			const dir = sort.startsWith('-') ? -1 : 1;
			const items = () => [...this.events.values()].filter((e) => {
				const t = this.eventTimes.get(e.id)!;
				return (
					(bounds.starts_at_gte === undefined || t.start >= bounds.starts_at_gte) &&
					(bounds.starts_at_lte === undefined || t.start <= bounds.starts_at_lte) &&
					(bounds.ends_at_gte === undefined || t.end >= bounds.ends_at_gte) &&
					(bounds.ends_at_lte === undefined || t.end <= bounds.ends_at_lte) &&
					(!ids || ids.has(e.id)) &&
					(!venues || (e.venue != null && venues.has(e.venue))) &&
					(!offeringTypes || (e.offering_type != null && offeringTypes.has(e.offering_type))) &&
					(!status || status.includes(e.status ?? 'active'))
				);
			}).sort((a, b) => dir * (this.eventTimes.get(a.id)![key] - this.eventTimes.get(b.id)![key]) || a.id - b.id);
			const exp = expandOf(ctx);
			return this.page(ctx, items, (e) => this.eventJson(e, ctx, exp), 250);
		});
		add('GET', '/events/:id', (ctx) => {
			const e = byId(this.events, ctx.params.id);
			return this.one(ctx, e && this.eventJson(e, ctx, expandOf(ctx)));
		});
		add('POST', '/events/:id/confirm_attendance', (ctx) => {
			const event = byId(this.events, ctx.params.id);
			if (!event) return teamupError(404);
			const body = this.body(ctx);
			if (isResult(body)) return body;
			const customer = this.customerField(body);
			if (isResult(customer)) return customer;
			let attendance = this.attendancesByEvent.get(event.id).find((a) => a.customer === customer.id);
			if (attendance) {
				attendance.status = 'attended';
				if (attendance.waitlist_spot) attendance.waitlist_spot = null;
			} else {
				attendance = { id: nextId(this.attendances.keys(), 1), customer: customer.id, event: event.id, status: 'attended', customer_membership: null };
				this.addAttendance(attendance);
			}
			attendance.confirmed_at = this.clock.nowIso();
			return json(200, this.attendanceJson(attendance, ctx, expandOf(ctx)));
		});

		// Attendances ----------------------------------------------------------------------------
		add('GET', '/attendances', (ctx) => {
			const customers = this.ids(ctx, 'customer');
			if (isResult(customers)) return customers;
			const events = this.ids(ctx, 'event');
			if (isResult(events)) return events;
			const venues = this.ids(ctx, 'venue');
			if (isResult(venues)) return venues;
			const offeringTypes = this.ids(ctx, 'offering_types');
			if (isResult(offeringTypes)) return offeringTypes;
			const statuses = this.choices(ctx, 'status', ATTENDANCE_STATUS_FILTER);
			if (isResult(statuses)) return statuses;
			const gte = this.instant(ctx, 'event_starts_at_gte');
			if (isResult(gte)) return gte;
			const lte = this.instant(ctx, 'event_starts_at_lte');
			if (isResult(lte)) return lte;
			const sort = ctx.query.sort;
			const sorts = ['event_starts_at', '-event_starts_at', 'customer.created_at', '-customer.created_at'];
			if (sort !== undefined && !sorts.includes(sort)) return invalid({ sort: [`Select a valid choice. ${sort} is not one of the available choices.`] });
			const items = () => {
			let source: Attendance[];
			if (customers) source = [...customers].flatMap((c) => this.attendancesByCustomer.get(c));
			else if (events) source = [...events].flatMap((e) => this.attendancesByEvent.get(e));
			else source = [...this.attendances.values()];
			if (customers || events) source.sort((a, b) => a.id - b.id);
			const plans = statuses?.includes('plans_to_attend');
			const filtered = source.filter((a) => {
				if (customers && !customers.has(a.customer)) return false;
				if (events && !events.has(a.event)) return false;
				if (statuses) {
					const waiting = a.waitlist_spot != null && (a.waitlist_spot.status === 'on_waitlist' || a.waitlist_spot.status === 'spot_reserved');
					const ok = statuses.includes(a.status) || (plans && (a.status === 'registered' || waiting));
					if (!ok) return false;
				}
				const e = this.events.get(a.event)!;
				const start = this.eventTimes.get(a.event)!.start;
				if (gte !== undefined && start < gte) return false;
				if (lte !== undefined && start > lte) return false;
				if (venues && (e.venue == null || !venues.has(e.venue))) return false;
				if (offeringTypes && (e.offering_type == null || !offeringTypes.has(e.offering_type))) return false;
				return true;
			});
			if (sort) {
				const dir = sort.startsWith('-') ? -1 : 1;
				const key = sort.endsWith('event_starts_at')
					? (a: Attendance) => this.eventTimes.get(a.event)!.start
					: (a: Attendance) => Date.parse(this.customers.get(a.customer)!.created_at ?? '');
				filtered.sort((a, b) => dir * (key(a) - key(b)) || a.id - b.id);
			}
			return filtered;
			};
			const exp = expandOf(ctx);
			return this.page(ctx, items, (a) => this.attendanceJson(a, ctx, exp));
		});
		add('GET', '/attendances/:id', (ctx) => {
			const a = byId(this.attendances, ctx.params.id);
			return this.one(ctx, a && this.attendanceJson(a, ctx, expandOf(ctx)));
		});

		// Courses: scenarios hold none, so these documented lists are always empty; their filters are checked.
		// Reference: github.com/rob693/teamup-api-docs/blob/HEAD/endpoints_course-sessions-list.md and
		// github.com/rob693/teamup-api-docs/blob/HEAD/attendance/endpoints_course-session-attendances-list.md
		add('GET', '/course_sessions', (ctx) => {
			for (const f of ['starts_at_gte', 'starts_at_lte', 'ends_at_gte', 'ends_at_lte', 'local_starts_at_gte', 'local_starts_at_lte']) {
				const v = this.instant(ctx, f);
				if (isResult(v)) return v;
			}
			for (const f of ['course', 'venues', 'offering_types', 'instructors']) {
				const v = this.ids(ctx, f);
				if (isResult(v)) return v;
			}
			const status = this.choices(ctx, 'status', ['active', 'cancelled']);
			return isResult(status) ? status : this.page(ctx, [] as Rec[], (s) => s);
		});
		add('GET', '/course_session_attendances', (ctx) => {
			for (const f of ['course_session_starts_at_gte', 'course_session_starts_at_lte', 'course_session_local_starts_at_gte', 'course_session_local_starts_at_lte']) {
				const v = this.instant(ctx, f);
				if (isResult(v)) return v;
			}
			const customers = this.ids(ctx, 'customer');
			return isResult(customers) ? customers : this.page(ctx, [] as Rec[], (a) => a);
		});

		// Check-ins ------------------------------------------------------------------------------
		add('POST', '/checkins', (ctx) => {
			const body = this.body(ctx);
			if (isResult(body)) return body;
			const errors: Record<string, string[]> = {};
			const required = 'This field is required.';
			let timestamp: string | undefined;
			if (body.date === undefined || body.date === null || body.date === '') errors.date = [required];
			else if (typeof body.date === 'string' && isDateOnly(body.date)) {
				timestamp = body.date === this.clock.nowIso().slice(0, 10) ? this.clock.nowIso() : `${body.date}T00:00:00.000Z`;
			} else if (typeof body.date === 'string' && !Number.isNaN(Date.parse(body.date)) && /^\d{4}-\d{2}-\d{2}T/.test(body.date)) {
				timestamp = new Date(Date.parse(body.date)).toISOString();
			} else errors.date = ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].'];
			const venue = pk(body.venue, this.venues, 'venue', errors);
			const customer = pk(body.customer, this.customers, 'customer', errors);
			let cm: CustomerMembership | undefined;
			if (body.customer_membership != null) {
				cm = pk(body.customer_membership, this.customerMemberships, 'customer_membership', errors);
				if (cm && customer && cm.customer !== customer.id)
					errors.customer_membership = ['This membership does not belong to the customer.'];
			}
			if (body.comped !== undefined && typeof body.comped !== 'boolean') errors.comped = ['Must be a valid boolean.'];
			if (Object.keys(errors).length) return invalid(errors);
			const checkin: Checkin = {
				id: nextId(this.checkins.keys(), 1),
				timestamp: timestamp!,
				comped: (body.comped as boolean | undefined) ?? false,
				customer_membership: cm?.id ?? null,
				customer: customer!.id,
				venue: venue!.id,
			};
			this.checkins.set(checkin.id, checkin);
			return json(201, this.checkinJson(checkin));
		});
		return r;
	}

	/** JSON or form body (DRF parsers); 415 for other content types. */
	private body(ctx: Ctx<unknown>): Rec | HttpResult {
		const raw = ctx.rawBody;
		if (raw === undefined || raw.trim() === '') return {};
		const type = String(ctx.headers['content-type'] ?? '').toLowerCase();
		if (type.includes('json')) {
			try {
				const v = JSON.parse(raw);
				return isObject(v) ? v : invalid({ non_field_errors: ['Invalid data. Expected a dictionary.'] });
			} catch (e) {
				return teamupError(400, { code: 'parse_error', message: `JSON parse error - ${(e as Error).message}` });
			}
		}
		if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
		return teamupError(415, { message: `Unsupported media type "${type || 'none'}" in request.` });
	}

	private customerField(body: Rec): Customer | HttpResult {
		const errors: Record<string, string[]> = {};
		if (body.customer === undefined || body.customer === null || body.customer === '') return invalid({ customer: ['This field is required.'] });
		const c = pk(body.customer, this.customers, 'customer', errors);
		return c ?? invalid(errors);
	}
}

function pk<T>(value: unknown, map: Map<number, T>, field: string, errors: Record<string, string[]>): T | undefined {
	if (value === undefined || value === null || value === '') {
		errors[field] = ['This field is required.'];
		return undefined;
	}
	const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
	if (!Number.isInteger(n)) {
		errors[field] = [`Incorrect type. Expected pk value, received ${typeof value}.`];
		return undefined;
	}
	const found = map.get(n);
	if (!found) errors[field] = [`Invalid pk "${n}" - object does not exist.`];
	return found;
}

/** `fields=id,name`: only those top-level fields. */
function project(obj: Rec, fields: string[] | undefined): Rec {
	if (!fields) return obj;
	const out: Rec = {};
	for (const f of fields) {
		const top = f.split('.')[0];
		if (top in obj) out[top] = obj[top];
	}
	return out;
}

