/**
 * TeamUp API v2 (`/teamup/api/v2`): customers, memberships, customer memberships (+ usage), registration
 * blocks, invoices, events, attendances, venues, confirm attendance, check-ins. Behaviour follows
 * docs/reference/teamup-api.md; choices where TeamUp is silent are listed in sandbox/README.md.
 */
import { DateTime } from 'luxon';

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
/** A scenario amount: a Money object as given, or a number made into one. */
const moneyOf = (value: unknown): Rec => (isObject(value) ? value : money(typeof value === 'number' ? value : 0));

/** The `billed_item.type` of each line-item `type`, for a billed item the scenario gives as an id only. */
const BILLED_ITEM_TYPE: Record<string, string> = {
	flat_fee: 'billed_flat_fee',
	course_session: 'billed_course_session_registration',
	store_order: 'billed_store_product',
	course: 'billed_course_registration',
	event_registration: 'billed_event_registration',
	recurring_plan_membership: 'billed_membership',
	prepaid_plan_membership: 'billed_membership',
	pack_membership: 'billed_membership',
	membership_penalty_fee: 'billed_membership_penalty',
	joining_fee: 'billed_joining_fee',
	gift_card: 'billed_gift_card',
};

/** The filter spellings of `GET /customer_memberships` (they differ from the objects' values). */
const CM_STATUS_FILTER: Record<string, CustomerMembership['status']> = {
	active: 'active',
	hold: 'hold',
	complete: 'completed',
	cancelled: 'cancelled',
};
const CM_TYPE_FILTER: Record<string, Membership['type']> = {
	pack: 'pack',
	recurring: 'recurring_plan',
	prepaid: 'prepaid_plan',
};
const ATTENDANCE_STATUS_FILTER = ['not_registered', 'registered', 'attended', 'no_show', 'late_cancelled', 'plans_to_attend'];

export class TeamUpStore implements ServiceApi<TeamUpPrincipal> {
	readonly name = 'teamup' as const;
	readonly prefix = '/teamup/api/v2';
	readonly routes: Route<TeamUpPrincipal>[];

	tokens: Set<string>;
	/** Undocumented calls this TeamUp offers (scenario `features`; off by default, as in TeamUp's v2 reference). */
	features: { confirm_attendance: boolean; usage_summary: boolean };
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
		this.features = { confirm_attendance: t?.features?.confirm_attendance === true, usage_summary: t?.features?.usage_summary === true };
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
		const features = Object.fromEntries(Object.entries(this.features).filter(([, on]) => on));
		return {
			tokens: [...this.tokens],
			...(Object.keys(features).length > 0 ? { features } : {}),
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

	// Every object is built from the fields TeamUp's v2 reference documents for it (the page of
	// github.com/rob693/teamup-api-docs named above each serializer): fields a scenario adds beyond those are kept in the state
	// but never served. Deferred fields are served only when named in `expand`.

	/** github.com/rob693/teamup-api-docs/blob/HEAD/customers/endpoints_customers-list.md. */
	customerJson(c: Customer, ctx: Ctx<unknown>, exp: Expand = new Map()): Rec {
		const r = c as Rec;
		const out: Rec = {
			created_at: c.created_at,
			email: c.email ?? null,
			family_role: r.family_role ?? null,
			family: r.family ?? null,
			first_name: c.first_name ?? null,
			id: c.id,
			image: r.image ?? null,
			is_lead: c.is_lead ?? false,
			last_name: c.last_name ?? null,
			lead_source: r.lead_source ?? null,
			object: 'customer',
			participating: r.participating ?? true,
			provider: this.providerId,
			referral_code: r.referral_code ?? { code: `REF${c.id}`, share_url: this.url(ctx, `/referrals/REF${c.id}`) },
			visibility: r.visibility ?? 'visible',
		};
		if (exp.has('field_values')) out.field_values = r.field_values ?? [];
		if (exp.has('is_opted_into_broadcast_messages')) out.is_opted_into_broadcast_messages = r.is_opted_into_broadcast_messages ?? false;
		if (exp.has('is_opted_into_sms_marketing')) out.is_opted_into_sms_marketing = r.is_opted_into_sms_marketing ?? false;
		if (exp.has('sms_account')) out.sms_account = r.sms_account ?? null;
		if (exp.has('customer_venue')) {
			const home = r.customer_venue;
			const venue = typeof home === 'number' ? this.venues.get(home) : undefined;
			out.customer_venue = venue ? this.venueJson(venue, ctx) : isObject(home) ? home : null;
		}
		if (exp.has('credit_balance')) out.credit_balance = r.credit_balance === undefined || r.credit_balance === null ? null : moneyOf(r.credit_balance);
		return out;
	}
	/** github.com/rob693/teamup-api-docs/blob/HEAD/memberships/endpoints_memberships-list.md. */
	membershipJson(m: Membership, ctx: Ctx<unknown>): Rec {
		const r = m as Rec;
		const active = this.activeCounts().get(m.id) ?? 0;
		return {
			id: m.id,
			object: 'membership',
			type: m.type,
			name: m.name,
			description: r.description ?? '',
			begin_on_first_registration: r.begin_on_first_registration ?? false,
			start_date: r.start_date ?? null,
			expiration_date: r.expiration_date ?? null,
			duration: r.duration ?? 0,
			duration_unit: r.duration_unit ?? 'days',
			one_time_fee: moneyOf(r.one_time_fee ?? 0),
			price: moneyOf(r.price ?? 0),
			display_price: moneyOf(r.display_price ?? r.price ?? 0),
			use_prorate: r.use_prorate ?? false,
			category: r.category ?? null,
			is_dropin: r.is_dropin ?? false,
			for_sale: r.for_sale ?? true,
			has_active_members: active > 0,
			active_member_count: active,
			allow_repeat_purchases: r.allow_repeat_purchases ?? true,
			visible_to_customers: r.visible_to_customers ?? true,
			purchasable_only_by_provider: r.purchasable_only_by_provider ?? false,
			new_customers_only: r.new_customers_only ?? false,
			penalty_system: r.penalty_system ?? null,
			allotment: this.url(ctx, `/memberships/${m.id}/allotment`),
			plans: this.url(ctx, `/memberships/${m.id}/plans`),
			terms: this.url(ctx, `/memberships/${m.id}/terms`),
			is_draft: r.is_draft ?? false,
			incomplete_reasons: r.incomplete_reasons ?? [],
			shareable: r.shareable ?? false,
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
	/** Not in TeamUp's reference (an opt-in feature, see `features.usage_summary`): `{max_uses, used_count, remaining_count}` for packs. */
	usageSummary(cm: CustomerMembership): Rec | null {
		if (this.memberships.get(cm.membership)?.type !== 'pack') return null;
		const p = this.usagePeriods(cm)[0];
		return { max_uses: p.max_uses, used_count: p.used_count, remaining_count: p.remaining_count };
	}
	/** The periods of `GET …/usage`: github.com/rob693/teamup-api-docs/blob/HEAD/customers/endpoints_customer-memberships-usage-retrieve.md */
	usagePeriods(cm: CustomerMembership): Rec[] {
		const u = this.usage.get(cm.id);
		const period = (x: Rec): Rec => {
			const max = x.max_uses === undefined ? null : (x.max_uses as number | null);
			const used = (x.used_count as number | undefined) ?? 0;
			return {
				start_date: x.start_date !== undefined ? x.start_date : (cm.start_date ?? null),
				end_date: x.end_date !== undefined ? x.end_date : (cm.expiration_date ?? null),
				period_type: x.period_type ?? 'membership',
				max_uses: max,
				used_count: used,
				remaining_count: x.remaining_count !== undefined ? x.remaining_count : max === null ? null : Math.max(0, max - used),
				offering_type_limits: x.offering_type_limits ?? [],
				prorate_adjustment: x.prorate_adjustment ?? null,
			};
		};
		if (!u) return [period({})];
		if ('usage_periods' in u && Array.isArray(u.usage_periods)) return u.usage_periods.map((p) => period(p as Rec));
		return [period(u as Rec)];
	}
	/** github.com/rob693/teamup-api-docs/blob/HEAD/customers/endpoints_customer-memberships-list.md. */
	customerMembershipJson(cm: CustomerMembership, ctx: Ctx<unknown>, exp: Expand): Rec {
		const r = cm as Rec;
		const m = this.memberships.get(cm.membership)!;
		const hold = cm.active_hold ?? null;
		const holdId = typeof hold === 'number' ? hold : hold?.id;
		const sub = cm.payment_subscription != null ? this.subscriptions.get(cm.payment_subscription) : undefined;
		const out: Rec = {
			id: cm.id,
			object: 'customermembership',
			name: cm.name ?? m.name,
			start_date: cm.start_date ?? null,
			expiration_date: cm.expiration_date ?? null,
			renewal_date: cm.renewal_date ?? null,
			status: cm.status,
			membership: exp.has('membership') ? this.membershipJson(m, ctx) : m.id,
			customer: exp.has('customer') ? this.customerJson(this.customers.get(cm.customer)!, ctx, exp.get('customer')) : cm.customer,
			discount_code: r.discount_code ?? null,
			billed_price: moneyOf(cm.billed_price ?? (m as Rec).price ?? 0),
			active_hold: holdId === undefined ? null : exp.has('active_hold') ? this.holdJson(cm) : holdId,
			payment_subscription: sub ? (exp.has('payment_subscription') ? this.subscriptionJson(sub) : sub.id) : null,
			discount_code_makes_free_forever: r.discount_code_makes_free_forever ?? false,
			is_set_for_cancellation: r.is_set_for_cancellation ?? false,
			cancellation_reason: r.cancellation_reason ?? null,
		};
		if (exp.has('next_billing_date')) out.next_billing_date = m.type === 'recurring_plan' ? (cm.renewal_date ?? null) : null;
		if (this.features.usage_summary && exp.has('usage_summary')) out.usage_summary = this.usageSummary(cm);
		return out;
	}
	/** The hold as `customer_membership_hold` (schema: github.com/rob693/teamup-api-docs/blob/HEAD/customers/endpoints_customer-memberships-list.md) */
	private holdJson(cm: CustomerMembership): Rec {
		const h = (typeof cm.active_hold === 'number' ? { id: cm.active_hold } : cm.active_hold!) as Rec;
		return {
			id: h.id,
			object: 'customer_membership_hold',
			customer_membership: cm.id,
			active: h.active ?? true,
			start_date: h.start_date ?? null,
			end_date: h.end_date ?? null,
			days_to_add: h.days_to_add ?? null,
			prorate_usage: h.prorate_usage ?? null,
		};
	}
	/** `payment_subscription` (schema: github.com/rob693/teamup-api-docs/blob/HEAD/customers/endpoints_customer-memberships-list.md) */
	private subscriptionJson(s: Subscription): Rec {
		const r = s as Rec;
		return {
			id: s.id,
			object: 'payment_subscription',
			plan: r.plan ?? null,
			retry_count: s.retry_count,
			start_date: r.start_date ?? null,
			end_date: r.end_date ?? null,
			payment_method: r.payment_method ?? null,
		};
	}
	/** github.com/rob693/teamup-api-docs/blob/HEAD/venues/endpoints_venues-list.md. */
	venueJson(v: Venue, ctx: Ctx<unknown>): Rec {
		const r = v as Rec;
		return {
			id: v.id,
			object: 'venue',
			name: v.name,
			description: r.description ?? null,
			address: r.address ?? '',
			physical_address: r.physical_address ?? null,
			timezone: v.timezone,
			video_url: r.video_url ?? null,
			zoom_user: r.zoom_user ?? null,
			venue_type: r.venue_type ?? 'physical',
			venue_rooms: this.url(ctx, `/venues/${v.id}/venue_rooms`),
			lat: r.lat ?? null,
			lng: r.lng ?? null,
			archived: r.archived ?? false,
			is_online: r.is_online ?? false,
			video_url_type: r.video_url_type ?? 'static',
		};
	}
	/** github.com/rob693/teamup-api-docs/blob/HEAD/events/endpoints_events-list.md. */
	eventJson(e: Event, ctx: Ctx<unknown>, exp: Expand): Rec {
		const r = e as Rec;
		let attending = 0;
		let waiting = 0;
		const attendances = this.attendancesByEvent.get(e.id);
		for (const a of attendances) {
			if (a.status === 'registered' || a.status === 'attended') attending++;
			else if (a.waitlist_spot?.status === 'on_waitlist') waiting++;
		}
		const venue = e.venue != null ? this.venues.get(e.venue) : undefined;
		const out: Rec = {
			id: e.id,
			object: 'event',
			name: e.name,
			starts_at: e.starts_at,
			ends_at: e.ends_at,
			status: e.status ?? 'active',
			max_occupancy: e.max_occupancy ?? null,
			waitlist_max_override: r.waitlist_max_override ?? null,
			attending_count: attending,
			waiting_count: waiting,
			is_appointment: e.is_appointment ?? false,
			small_session_attendances: exp.has('small_session_attendances')
				? attendances.map((a) => this.attendanceJson(a, ctx, exp.get('small_session_attendances')!))
				: attendances.map((a) => a.id),
			venue: venue ? (exp.has('venue') ? this.venueJson(venue, ctx) : venue.id) : null,
			venue_room: r.venue_room ?? null,
			registrations_open_at: r.registrations_open_at ?? null,
			registrations_close_at: r.registrations_close_at ?? e.starts_at,
			late_cancel_deadline: r.late_cancel_deadline ?? new Date(Date.parse(e.starts_at) - 12 * 3600_000).toISOString(),
			instructors: this.url(ctx, `/events/${e.id}/instructors`),
			offering_type: e.offering_type ?? null,
			customer_url: `${ctx.origin}/teamup/c/events/${e.id}`,
			provider_url: `${ctx.origin}/teamup/p/events/${e.id}`,
			description: r.description ?? '',
			schedule_type: r.schedule_type ?? 'single',
		};
		if (exp.has('category')) out.category = r.category ?? null;
		return out;
	}
	/**
	 * github.com/rob693/teamup-api-docs/blob/HEAD/attendance/endpoints_attendances-retrieve.md (the schema, complete:
	 * small_session_attendances in github.com/rob693/teamup-api-docs/blob/HEAD/events/endpoints_events-list.md).
	 */
	attendanceJson(a: Attendance, ctx: Ctx<unknown>, exp: Expand): Rec {
		const r = a as Rec;
		const cm = a.customer_membership != null ? this.customerMemberships.get(a.customer_membership) : undefined;
		const out: Rec = {
			id: a.id,
			object: 'attendance',
			customer: exp.has('customer') ? this.customerJson(this.customers.get(a.customer)!, ctx, exp.get('customer')) : a.customer,
			event: exp.has('event') ? this.eventJson(this.events.get(a.event)!, ctx, exp.get('event')!) : a.event,
			status: a.status,
			customer_membership: cm ? (exp.has('customer_membership') ? this.customerMembershipJson(cm, ctx, exp.get('customer_membership')!) : cm.id) : null,
			booking_source: r.booking_source ?? null,
		};
		if (exp.has('gympass_booking')) out.gympass_booking = r.gympass_booking ?? null;
		if (exp.has('waitlist_spot')) {
			const w = a.waitlist_spot as Rec | null | undefined;
			out.waitlist_spot = w
				? {
						id: w.id,
						object: 'waitlist_spot',
						status: w.status,
						added_at: w.added_at ?? null,
						spot_reserved_at: w.spot_reserved_at ?? null,
						reserved_spot_expires_at: w.reserved_spot_expires_at ?? null,
						...(exp.get('waitlist_spot')!.has('position') ? { position: w.position ?? null } : {}),
					}
				: null;
		}
		return out;
	}
	/**
	 * github.com/rob693/teamup-api-docs/blob/HEAD/invoices/endpoints_invoices-list.md: no field names the customer
	 * membership an invoice bills.
	 */
	invoiceJson(i: Invoice, exp: Expand): Rec {
		const r = i as Rec;
		const payer = i.payer != null ? this.customers.get(i.payer) : undefined;
		const out: Rec = {
			id: i.id,
			object: 'invoice',
			status: i.status,
			due_date: i.due_date ?? i.created_at!.slice(0, 10),
			created_at: i.created_at,
			is_credit_note: r.is_credit_note ?? false,
			total_amount_due: moneyOf(i.total_amount_due ?? 0),
			// Expanded, the payer is `{id, name}` (not a customer object).
			payer: payer ? (exp.has('payer') ? { id: payer.id, name: [payer.first_name, payer.last_name].filter(Boolean).join(' ') } : payer.id) : null,
			legacy_invoice_key: r.legacy_invoice_key ?? '',
		};
		for (const deferred of ['charges', 'discounts', 'adjustments', 'applied_credits', 'taxes', 'credit_notes']) {
			if (exp.has(deferred)) out[deferred] = r[deferred] ?? [];
		}
		if (exp.has('line_items')) {
			const expandBilled = exp.get('line_items')!.has('billed_item');
			out.line_items = (i.line_items ?? []).map((li, n) => {
				const billed = typeof li.billed_item === 'number' ? { id: li.billed_item, name: '', type: BILLED_ITEM_TYPE[li.type] } : li.billed_item;
				return {
					id: li.id ?? i.id * 100 + n + 1,
					object: 'invoice_line_item',
					billed_item: expandBilled ? billed : billed.id,
					type: li.type,
					price: moneyOf(li.price ?? li.total_amount_due ?? 0),
					total_amount_due: moneyOf(li.total_amount_due ?? li.price ?? 0),
				};
			});
		}
		return out;
	}
	/** No `object` field: github.com/rob693/teamup-api-docs/blob/HEAD/customers/endpoints_customer-registration-blocks-list.md */
	blockJson(b: Block): Rec {
		return { id: b.id, customer: b.customer, is_active: b.is_active, created_at: b.created_at, deactivated_at: b.deactivated_at ?? null };
	}
	/** The 201 answer, without the customer and venue: github.com/rob693/teamup-api-docs/blob/HEAD/endpoints_checkins-create.md */
	checkinJson(c: Checkin): Rec {
		return { id: c.id, object: 'checkin', timestamp: c.timestamp, comped: c.comped ?? false, customer_membership: c.customer_membership ?? null };
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

	/** A filter on a date field that TeamUp types `date-time` (customer memberships): a date or a date-time, compared by its date. */
	private date(ctx: Ctx<unknown>, name: string): string | undefined | HttpResult {
		const v = ctx.query[name];
		if (v === undefined || v === '') return undefined;
		if (isDateOnly(v)) return v;
		const instant = this.instant(ctx, name);
		if (isResult(instant)) return invalid({ [name]: ['Enter a valid date/time.'] });
		return new Date(instant!).toISOString().slice(0, 10);
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
			const exp = expandOf(ctx);
			return this.page(ctx, items, (c) => this.customerJson(c, ctx, exp));
		});
		add('GET', '/customers/:id', (ctx) => {
			const c = byId(this.customers, ctx.params.id);
			return this.one(ctx, c && this.customerJson(c, ctx, expandOf(ctx)));
		});

		// Memberships ----------------------------------------------------------------------------
		add('GET', '/memberships', (ctx) => {
			// Documented filters: the booleans and `categories` are applied; `forms`, `offering_type` and
			// `permits_registration_for_event` are not emulated (no forms or offering types here).
			const flags: Record<string, boolean | undefined> = {};
			for (const name of ['allow_repeat_purchases', 'for_sale', 'is_dropin', 'visible_to_customers']) {
				const v = this.bool(ctx, name);
				if (isResult(v)) return v;
				flags[name] = v;
			}
			const categories = this.ids(ctx, 'categories');
			if (isResult(categories)) return categories;
			const items = [...this.memberships.values()].filter((m) => {
				const r = this.membershipJson(m, ctx);
				for (const [name, wanted] of Object.entries(flags)) if (wanted !== undefined && r[name] !== wanted) return false;
				return !categories || (typeof r.category === 'number' && categories.has(r.category));
			});
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
					const holding = h != null && (typeof h === 'number' || h.end_date == null || h.end_date >= today);
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
			// Documented filters: `status` (comma lists accepted: undocumented), `sort` ±due_date and
			// `store_order` (no invoice here belongs to a store order). Others (`payer`, `ids`) are not
			// TeamUp's and, as Django REST framework does, are ignored.
			const statuses = this.choices(ctx, 'status', [...TEAMUP_INVOICE_STATUSES]);
			if (isResult(statuses)) return statuses;
			const sort = ctx.query.sort;
			if (sort !== undefined && !['due_date', '-due_date'].includes(sort)) return invalid({ sort: [`Select a valid choice. ${sort} is not one of the available choices.`] });
			const storeOrder = ctx.query.store_order;
			if (storeOrder !== undefined && storeOrder !== '' && Number.isNaN(Number(storeOrder))) return invalid({ store_order: ['Enter a number.'] });
			const items = () => {
				const list = [...this.invoices.values()].filter((i) => (!statuses || statuses.includes(i.status)) && (storeOrder === undefined || storeOrder === ''));
				if (sort) {
					const dir = sort.startsWith('-') ? -1 : 1;
					const due = (i: Invoice) => i.due_date ?? i.created_at!.slice(0, 10);
					list.sort((a, b) => dir * due(a).localeCompare(due(b)) || a.id - b.id);
				}
				return list;
			};
			const exp = expandOf(ctx);
			return this.page(ctx, items, (i) => this.invoiceJson(i, exp));
		});
		add('GET', '/invoices/:id', (ctx) => {
			const i = byId(this.invoices, ctx.params.id);
			return this.one(ctx, i && this.invoiceJson(i, expandOf(ctx)));
		});

		// Venues ---------------------------------------------------------------------------------
		add('GET', '/venues', (ctx) => {
			// `status` takes one value (a string in the reference, not a list).
			const status = ctx.query.status;
			if (status !== undefined && status !== '' && !['active', 'archived'].includes(status))
				return invalid({ status: [`Select a valid choice. ${status} is not one of the available choices.`] });
			const hasSessions = this.bool(ctx, 'has_active_sessions');
			if (isResult(hasSessions)) return hasSessions;
			const items = [...this.venues.values()].filter((v) => {
				if (status && status !== ((v as Rec).archived ? 'archived' : 'active')) return false;
				if (hasSessions === undefined) return true;
				const active = [...this.events.values()].some((e) => e.venue === v.id && (e.status ?? 'active') === 'active');
				return active === hasSessions;
			});
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
		// Not in TeamUp's v2 reference: served only when the scenario switches `features.confirm_attendance`
		// on; otherwise the answer to an unknown route.
		add('POST', '/events/:id/confirm_attendance', (ctx) => {
			if (!this.features.confirm_attendance) return this.routeNotFound();
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
			(attendance as Rec).confirmed_at = this.clock.nowIso();
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
			// `date` is `string<date>` (a calendar date, the venue's local day): a date-time is refused
			// as Django REST framework's DateField refuses it.
			if (body.date === undefined || body.date === null || body.date === '') errors.date = [required];
			else if (typeof body.date !== 'string' || !isDateOnly(body.date) || !DateTime.fromISO(body.date).isValid)
				errors.date = ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'];
			const venue = pk(body.venue, this.venues, 'venue', errors);
			const customer = pk(body.customer, this.customers, 'customer', errors);
			let cm: CustomerMembership | undefined;
			if (body.customer_membership != null) {
				cm = pk(body.customer_membership, this.customerMemberships, 'customer_membership', errors);
				if (cm && customer && cm.customer !== customer.id)
					errors.customer_membership = ['This membership does not belong to the customer.'];
			}
			const comped = body.comped === undefined ? false : drfBoolean(body.comped);
			if (comped === undefined) errors.comped = ['Must be a valid boolean.'];
			if (Object.keys(errors).length) return invalid(errors);
			// The time of the check-in: now when `date` is the venue's today, else the start of that day there.
			const zone = venue!.timezone;
			const now = DateTime.fromISO(this.clock.nowIso(), { zone });
			const timestamp = body.date === now.toISODate() ? this.clock.nowIso() : DateTime.fromISO(body.date as string, { zone }).toUTC().toISO()!;
			const checkin: Checkin = {
				id: nextId(this.checkins.keys(), 1),
				timestamp,
				comped: comped!,
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

/** Django REST framework's BooleanField: booleans, and the usual spellings in form bodies. */
function drfBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	if (typeof value === 'string') {
		if (['true', 'True', 'TRUE', '1', 'yes', 'on'].includes(value)) return true;
		if (['false', 'False', 'FALSE', '0', 'no', 'off'].includes(value)) return false;
	}
	return undefined;
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

