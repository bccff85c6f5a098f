/**
 * TeamUp's objects as the v2 API serves them. Every object is built from the fields TeamUp's v2
 * reference documents for it (the page of github.com/rob693/teamup-api-docs named above each
 * serializer): fields a scenario adds beyond those are kept in the state but never served.
 * Deferred fields are served only when named in `expand`.
 */
import { type Ctx, isObject } from '../service';
import type { TeamUpStore } from '.';
import type { Expand } from './http';
import type { Attendance, Block, Checkin, Customer, CustomerMembership, Event, Invoice, Membership, Rec, Subscription, Venue } from './records';

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

/** An absolute URL of this API, as the client addressed it. */
const url = (t: TeamUpStore, ctx: Ctx<unknown>, path: string): string => `${ctx.origin}${t.prefix}${path}`;

/** github.com/rob693/teamup-api-docs/blob/HEAD/customers/endpoints_customers-list.md. */
export function customerJson(t: TeamUpStore, c: Customer, ctx: Ctx<unknown>, exp: Expand = new Map()): Rec {
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
		provider: t.providerId,
		referral_code: r.referral_code ?? { code: `REF${c.id}`, share_url: url(t, ctx, `/referrals/REF${c.id}`) },
		visibility: r.visibility ?? 'visible',
	};
	if (exp.has('field_values')) out.field_values = r.field_values ?? [];
	if (exp.has('is_opted_into_broadcast_messages')) out.is_opted_into_broadcast_messages = r.is_opted_into_broadcast_messages ?? false;
	if (exp.has('is_opted_into_sms_marketing')) out.is_opted_into_sms_marketing = r.is_opted_into_sms_marketing ?? false;
	if (exp.has('sms_account')) out.sms_account = r.sms_account ?? null;
	if (exp.has('customer_venue')) {
		const home = r.customer_venue;
		const venue = typeof home === 'number' ? t.venues.get(home) : undefined;
		out.customer_venue = venue ? venueJson(t, venue, ctx) : isObject(home) ? home : null;
	}
	if (exp.has('credit_balance')) out.credit_balance = r.credit_balance === undefined || r.credit_balance === null ? null : moneyOf(r.credit_balance);
	return out;
}
/** github.com/rob693/teamup-api-docs/blob/HEAD/memberships/endpoints_memberships-list.md. */
export function membershipJson(t: TeamUpStore, m: Membership, ctx: Ctx<unknown>): Rec {
	const r = m as Rec;
	const active = activeCounts(t).get(m.id) ?? 0;
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
		allotment: url(t, ctx, `/memberships/${m.id}/allotment`),
		plans: url(t, ctx, `/memberships/${m.id}/plans`),
		terms: url(t, ctx, `/memberships/${m.id}/terms`),
		is_draft: r.is_draft ?? false,
		incomplete_reasons: r.incomplete_reasons ?? [],
		shareable: r.shareable ?? false,
	};
}
/** Active customer memberships per plan (computed once per state version). */
function activeCounts(t: TeamUpStore): Map<number, number> {
	return t.cache.get('#active-counts', () => {
		const out = new Map<number, number>();
		for (const cm of t.customerMemberships.values())
			if (cm.status === 'active') out.set(cm.membership, (out.get(cm.membership) ?? 0) + 1);
		return [out];
	})[0];
}
/** Not in TeamUp's reference (an opt-in feature, see `features.usage_summary`): `{max_uses, used_count, remaining_count}` for packs. */
export function usageSummary(t: TeamUpStore, cm: CustomerMembership): Rec | null {
	if (t.memberships.get(cm.membership)?.type !== 'pack') return null;
	const p = usagePeriods(t, cm)[0];
	return { max_uses: p.max_uses, used_count: p.used_count, remaining_count: p.remaining_count };
}
/** The periods of `GET …/usage`: github.com/rob693/teamup-api-docs/blob/HEAD/customers/endpoints_customer-memberships-usage-retrieve.md */
export function usagePeriods(t: TeamUpStore, cm: CustomerMembership): Rec[] {
	const u = t.usage.get(cm.id);
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
export function customerMembershipJson(t: TeamUpStore, cm: CustomerMembership, ctx: Ctx<unknown>, exp: Expand): Rec {
	const r = cm as Rec;
	const m = t.memberships.get(cm.membership)!;
	const hold = cm.active_hold ?? null;
	const holdId = typeof hold === 'number' ? hold : hold?.id;
	const sub = cm.payment_subscription != null ? t.subscriptions.get(cm.payment_subscription) : undefined;
	const out: Rec = {
		id: cm.id,
		object: 'customermembership',
		name: cm.name ?? m.name,
		start_date: cm.start_date ?? null,
		expiration_date: cm.expiration_date ?? null,
		renewal_date: cm.renewal_date ?? null,
		status: cm.status,
		membership: exp.has('membership') ? membershipJson(t, m, ctx) : m.id,
		customer: exp.has('customer') ? customerJson(t, t.customers.get(cm.customer)!, ctx, exp.get('customer')) : cm.customer,
		discount_code: r.discount_code ?? null,
		billed_price: moneyOf(cm.billed_price ?? (m as Rec).price ?? 0),
		active_hold: holdId === undefined ? null : exp.has('active_hold') ? holdJson(cm) : holdId,
		payment_subscription: sub ? (exp.has('payment_subscription') ? subscriptionJson(sub) : sub.id) : null,
		discount_code_makes_free_forever: r.discount_code_makes_free_forever ?? false,
		is_set_for_cancellation: r.is_set_for_cancellation ?? false,
		cancellation_reason: r.cancellation_reason ?? null,
	};
	if (exp.has('next_billing_date')) out.next_billing_date = m.type === 'recurring_plan' ? (cm.renewal_date ?? null) : null;
	if (t.features.usage_summary && exp.has('usage_summary')) out.usage_summary = usageSummary(t, cm);
	return out;
}
/** The hold as `customer_membership_hold` (schema: github.com/rob693/teamup-api-docs/blob/HEAD/customers/endpoints_customer-memberships-list.md) */
function holdJson(cm: CustomerMembership): Rec {
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
function subscriptionJson(s: Subscription): Rec {
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
export function venueJson(t: TeamUpStore, v: Venue, ctx: Ctx<unknown>): Rec {
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
		venue_rooms: url(t, ctx, `/venues/${v.id}/venue_rooms`),
		lat: r.lat ?? null,
		lng: r.lng ?? null,
		archived: r.archived ?? false,
		is_online: r.is_online ?? false,
		video_url_type: r.video_url_type ?? 'static',
	};
}
/** github.com/rob693/teamup-api-docs/blob/HEAD/events/endpoints_events-list.md. */
export function eventJson(t: TeamUpStore, e: Event, ctx: Ctx<unknown>, exp: Expand): Rec {
	const r = e as Rec;
	let attending = 0;
	let waiting = 0;
	const attendances = t.attendancesByEvent.get(e.id);
	for (const a of attendances) {
		if (a.status === 'registered' || a.status === 'attended') attending++;
		else if (a.waitlist_spot?.status === 'on_waitlist') waiting++;
	}
	const venue = e.venue != null ? t.venues.get(e.venue) : undefined;
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
			? attendances.map((a) => attendanceJson(t, a, ctx, exp.get('small_session_attendances')!))
			: attendances.map((a) => a.id),
		venue: venue ? (exp.has('venue') ? venueJson(t, venue, ctx) : venue.id) : null,
		venue_room: r.venue_room ?? null,
		registrations_open_at: r.registrations_open_at ?? null,
		registrations_close_at: r.registrations_close_at ?? e.starts_at,
		late_cancel_deadline: r.late_cancel_deadline ?? new Date(Date.parse(e.starts_at) - 12 * 3600_000).toISOString(),
		instructors: url(t, ctx, `/events/${e.id}/instructors`),
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
export function attendanceJson(t: TeamUpStore, a: Attendance, ctx: Ctx<unknown>, exp: Expand): Rec {
	const r = a as Rec;
	const cm = a.customer_membership != null ? t.customerMemberships.get(a.customer_membership) : undefined;
	const out: Rec = {
		id: a.id,
		object: 'attendance',
		customer: exp.has('customer') ? customerJson(t, t.customers.get(a.customer)!, ctx, exp.get('customer')) : a.customer,
		event: exp.has('event') ? eventJson(t, t.events.get(a.event)!, ctx, exp.get('event')!) : a.event,
		status: a.status,
		customer_membership: cm ? (exp.has('customer_membership') ? customerMembershipJson(t, cm, ctx, exp.get('customer_membership')!) : cm.id) : null,
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
export function invoiceJson(t: TeamUpStore, i: Invoice, exp: Expand): Rec {
	const r = i as Rec;
	const payer = i.payer != null ? t.customers.get(i.payer) : undefined;
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
export function blockJson(b: Block): Rec {
	return { id: b.id, customer: b.customer, is_active: b.is_active, created_at: b.created_at, deactivated_at: b.deactivated_at ?? null };
}
/** The 201 answer, without the customer and venue: github.com/rob693/teamup-api-docs/blob/HEAD/endpoints_checkins-create.md */
export function checkinJson(c: Checkin): Rec {
	return { id: c.id, object: 'checkin', timestamp: c.timestamp, comped: c.comped ?? false, customer_membership: c.customer_membership ?? null };
}
