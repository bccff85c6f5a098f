/**
 * Glofox's objects as the API serves them, each with the fields Glofox documents for it
 * (`fields.ts`) and no others; a scenario may hold more fields, they are not served.
 */
import { isObject } from '../service';
import { pick } from '../util';
import type { GlofoxStore } from '.';
import {
	BOOKING20_FIELDS,
	BOOKING22_FIELDS,
	BRANCH_ADDRESS_FIELDS,
	BRANCH_FIELDS,
	CATALOGUE_FIELDS,
	CREDIT_FIELDS,
	EVENT_FIELDS,
	MEMBER_LIST_FIELDS,
	MEMBER_SINGLE_FIELDS,
	PLAN_FIELDS,
	THIN_MEMBERSHIP_FIELDS,
	USER_MEMBERSHIP_FIELDS,
} from './fields';
import type { Booking, CatalogueMembership, Credit, Event, Member, Rec } from './records';

/** The member's `membership` as `GET /2.0/members/{id}` carries it (names and prices from the catalogue plan that `plan_code` names). */
export function membershipOf(g: GlofoxStore, m: Member): Rec | null {
	const ms = m.membership;
	if (!ms) return null;
	if (ms.type === 'payg') return pick({ status: 'ACTIVE', start_date: null, ...ms }, USER_MEMBERSHIP_FIELDS);
	const plan = ms.plan_code != null ? g.plans.get(Number(ms.plan_code)) : undefined;
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
			branches: [g.branchId],
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
export function memberJson(g: GlofoxStore, m: Member, shape: 'list' | 'single' = 'list'): Rec {
	const first = m.first_name ?? '';
	const last = m.last_name ?? '';
	const membership = membershipOf(g, m);
	const rec: Rec = {
		branch_id: g.branchId,
		namespace: g.namespace,
		origin_branch_id: g.branchId,
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
		membership: membership && shape === 'list' && g.thinMemberList ? pick(membership, THIN_MEMBERSHIP_FIELDS) : membership,
	};
	return pick(rec, shape === 'list' ? MEMBER_LIST_FIELDS : MEMBER_SINGLE_FIELDS);
}
export function catalogueJson(g: GlofoxStore, m: CatalogueMembership): Rec {
	return pick(
		{
			branch_id: g.branchId,
			namespace: g.namespace,
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
export function creditJson(g: GlofoxStore, c: Credit): Rec {
	const bookings = g.bookingsByUser
		.get(c.user_id)
		.filter((b) => b.status === 'BOOKED' && (b.metadata as Rec | undefined)?.service && ((b.metadata as Rec).service as Rec).id === c._id)
		.map((b) => b._id);
	return pick(
		{
			branch_id: g.branchId,
			namespace: g.namespace,
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
export function eventJson(g: GlofoxStore, e: Event): Rec {
	let booked = 0;
	let waiting = 0;
	for (const b of g.bookingsByEvent.get(e._id)) {
		if (b.status === 'BOOKED') booked += 1 + (b.guest_bookings ?? 0);
		else if (b.status === 'WAITING') waiting++;
	}
	const size = e.size ?? 20;
	const closes = (e.close_booking_time as number | undefined) ?? e.time_start;
	const status = g.clock.nowSec() >= closes ? 'BOOKING_WINDOW_PASSED' : booked >= size ? 'FULLY_BOOKED' : 'AVAILABLE';
	return pick(
		{
			type: 'event',
			namespace: g.namespace,
			branch_id: g.branchId,
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
export function bookingKind(e: Event): { kind: 'event' | 'course' | 'timeslot'; model20: string } {
	const kind = e.type ?? 'event';
	const model20 = kind === 'course' ? 'courses' : kind === 'timeslot' ? String(e.model ?? 'appointments') : 'events';
	return { kind, model20 };
}
function bookingCommon(g: GlofoxStore, b: Booking, e: Event): Rec {
	const m = g.members.get(b.user_id);
	return {
		branch_id: g.branchId,
		namespace: g.namespace,
		user_name: m ? `${m.first_name ?? ''} ${m.last_name ?? ''}`.trim() : null,
		model_name: e.name,
		event_name: e.name,
		paid: true,
		guest_bookings: 0,
	};
}
export function booking20Json(g: GlofoxStore, b: Booking): Rec {
	const e = g.events.get(b.event_id)!;
	const { kind, model20 } = bookingKind(e);
	return pick(
		{
			...bookingCommon(g, b, e),
			// ClassBooking: "For events this is event_id"; a time slot's is its appointment / facility.
			model: model20,
			model_id: kind === 'timeslot' ? String(e.model_id ?? e._id) : e._id,
			description: e.description ?? '',
			is_free: false,
			...b,
			time_start: g.bookingStart(b),
			duration: g.bookingDuration(b),
		},
		BOOKING20_FIELDS,
	);
}
export function booking22Json(g: GlofoxStore, b: Booking): Rec {
	const e = g.events.get(b.event_id)!;
	const { kind, model20 } = bookingKind(e);
	const start = g.bookingStart(b);
	return pick(
		{
			...bookingCommon(g, b, e),
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
			time_start: g.localString(start),
			time_finish: g.localString(start + g.bookingDuration(b) * 60),
			canceled_at: typeof b.canceled_at === 'number' ? g.localString(b.canceled_at) : (b.canceled_at ?? null),
			created: g.utcString(b.created!),
			modified: g.utcString(b.modified!),
		},
		BOOKING22_FIELDS,
	);
}
export function branchJson(g: GlofoxStore): Rec {
	const extra = g.branch ?? {};
	const address = isObject(extra.address) ? extra.address : {};
	return pick(
		{
			_id: g.branchId,
			name: 'Sandbox Branch',
			namespace: g.namespace,
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
					timezone_id: g.timezone,
					timezone_name: g.timezone,
				},
				BRANCH_ADDRESS_FIELDS,
			),
		},
		BRANCH_FIELDS,
	);
}
