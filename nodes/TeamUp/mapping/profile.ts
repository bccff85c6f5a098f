/**
 * TeamUp → access profile (docs/spec/access-rules.md §1 shape, §6 mapping). Pure module: no n8n imports.
 *
 * Input is what the TeamUp API lists return (customers, customer memberships, plans, usage,
 * registration blocks, invoices, events, attendances, venues), read tolerantly: where TeamUp's
 * documentation leaves a shape open (`usage_summary`, what an invoice's `billed_item` identifies,
 * waitlisted attendances, expanded vs. id-only relations) every plausible reading is accepted, and
 * the reading that opens fewer doors wins when they disagree.
 */
import { DateTime } from 'luxon';

import { localDateToInstant } from '../../AccessRuleEvaluator/engine/dates';
import type {
	AccessProfile,
	AccessProfileBlock,
	AccessProfileMembership,
	AccessProfileRegistration,
} from '../../AccessRuleEvaluator/engine/types';
import type { RegistrationKind } from '../../AccessRuleEvaluator/engine/params';

export type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Small readers

export function isObject(value: unknown): value is Json {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** An id given as a number, digits, or an expanded object with `id`. */
export function idOf(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (isObject(value)) return idOf(value.id);
	return null;
}

function text(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
	if (typeof value === 'number') return String(value);
	return null;
}

function truthy(value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value !== 0;
	if (typeof value === 'string') return /^(true|1|yes)$/i.test(value.trim());
	return false;
}

/** An ISO instant (any offset) as ISO UTC, or null when absent / unreadable. */
export function isoInstant(value: unknown): string | null {
	if (typeof value !== 'string' || value.trim() === '') return null;
	const parsed = DateTime.fromISO(value.trim(), { setZone: true });
	if (!parsed.isValid) return null;
	// TeamUp documents timestamps with an offset; one without is read as UTC.
	const ms = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/.test(value.trim())
		? parsed.toMillis()
		: DateTime.fromISO(value.trim(), { zone: 'utc' }).toMillis();
	return new Date(ms).toISOString();
}

function isDateOnly(value: unknown): value is string {
	return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim());
}

/** A TeamUp date field: `YYYY-MM-DD`, or (other reading) a full timestamp. */
function dateStart(value: unknown, zone: string): string | null {
	if (isDateOnly(value)) return localDateToInstant(value.trim(), zone);
	return isoInstant(value);
}

/** The exclusive end of a TeamUp expiration date: 00:00 local on the following day. */
function dateEnd(value: unknown, zone: string): string | null {
	if (isDateOnly(value)) return localDateToInstant(value.trim(), zone, true);
	return isoInstant(value);
}

/** Today's date (`YYYY-MM-DD`) in a zone. */
export function localDate(nowMs: number, zone: string): string {
	return DateTime.fromMillis(nowMs, { zone }).toISODate() ?? new Date(nowMs).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

/** TeamUp plan `type` → profile type (§6): recurring_plan → recurring, prepaid_plan → prepaid. */
export function membershipType(raw: unknown): string | null {
	const value = text(raw)?.toLowerCase();
	if (!value) return null;
	if (value === 'recurring_plan' || value === 'recurring') return 'recurring';
	if (value === 'prepaid_plan' || value === 'prepaid') return 'prepaid';
	if (value === 'pack') return 'pack';
	return value;
}

/** TeamUp's customer-membership status as TeamUp spells it (`complete`, the filter spelling, → `completed`). */
export function membershipStatus(raw: unknown): string {
	const value = text(raw)?.toLowerCase() ?? 'unknown';
	if (value === 'complete') return 'completed';
	if (value === 'on_hold') return 'hold';
	if (value === 'canceled') return 'cancelled';
	return value;
}

const WAITLIST_SPOT_WAITING = new Set(['on_waitlist', 'spot_reserved']);

/**
 * Attendance status → profile status. TeamUp's values are `not_registered`, `registered`,
 * `attended`, `no_show`, `late_cancelled`; a waitlisted customer is (reading 1) an attendance with
 * a `waitlist_spot` that is `on_waitlist`/`spot_reserved` (its status `not_registered`), or
 * (reading 2) an attendance whose status itself says waitlist. A cancelled event cancels it.
 */
export function registrationStatus(attendance: Json, event?: Json): string {
	const raw = text(attendance.status)?.toLowerCase() ?? '';
	if (event && text(event.status)?.toLowerCase() === 'cancelled') return 'cancelled';
	const spot = attendance.waitlist_spot;
	const spotStatus = isObject(spot) ? text(spot.status)?.toLowerCase() : undefined;
	if (raw === 'registered' || raw === 'attended' || raw === 'no_show' || raw === 'late_cancelled') return raw;
	if (['waitlisted', 'waitlist', 'on_waitlist', 'waiting', 'waitlisting'].includes(raw)) return 'waitlisted';
	if (spotStatus !== undefined) return WAITLIST_SPOT_WAITING.has(spotStatus) ? 'waitlisted' : 'not_registered';
	// An id-only waitlist_spot on a non-registration: the customer is on the waitlist.
	if (raw === 'not_registered' || raw === 'plans_to_attend' || raw === '') {
		if (typeof spot === 'number') return 'waitlisted';
		if (raw === 'plans_to_attend') return 'registered';
		return 'not_registered';
	}
	if (raw === 'late_canceled') return 'late_cancelled';
	if (raw === 'noshow') return 'no_show';
	if (raw === 'canceled') return 'cancelled';
	return raw;
}

export function registrationKind(event: Json | undefined, isCourse = false): RegistrationKind {
	if (isCourse) return 'course';
	if (event && truthy(event.is_appointment)) return 'appointment';
	if (event && (text(event.type)?.toLowerCase() === 'course' || event.course !== undefined && event.course !== null)) return 'course';
	return 'class';
}

/** Registration statuses that hold a place (or a waitlist spot) in a session. */
export const HOLDING_STATUSES = new Set(['registered', 'attended', 'waitlisted']);

// ---------------------------------------------------------------------------------------------
// Usage

/**
 * Uses left on a pack from an expanded `usage_summary` or the `/usage` answer. Shapes accepted:
 * `{max_uses, used_count, remaining_count}`, `{usage_periods: [...]}` or an array of periods; the
 * period containing `today` wins, else the latest. null = unlimited / unknown.
 * Returns undefined when the value carries no usage at all.
 */
export function remainingUsesOf(usage: unknown, today: string): number | null | undefined {
	let summary: unknown = usage;
	const periods = Array.isArray(usage) ? usage : isObject(usage) && Array.isArray(usage.usage_periods) ? usage.usage_periods : undefined;
	if (periods) {
		const valid = periods.filter(isObject);
		if (valid.length === 0) return undefined;
		const current = valid.find((period) => {
			const start = isDateOnly(period.start_date) ? period.start_date : null;
			const end = isDateOnly(period.end_date) ? period.end_date : null;
			return (start === null || start <= today) && (end === null || today <= end);
		});
		summary = current ?? valid[valid.length - 1];
	}
	if (!isObject(summary)) return undefined;
	const remaining = summary.remaining_count ?? summary.remaining_uses ?? summary.remaining;
	if (typeof remaining === 'number') return Math.max(0, remaining);
	const max = summary.max_uses;
	const used = summary.used_count ?? summary.uses;
	if (typeof max === 'number' && typeof used === 'number') return Math.max(0, max - used);
	if ('remaining_count' in summary || 'max_uses' in summary) return null;
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// Blocks

/**
 * Invoice line-item `type` → the plan type of the membership it bills (TeamUp's reference:
 * github.com/rob693/teamup-api-docs/blob/HEAD/invoices/endpoints_invoices-list.md). `null`: a
 * membership's charge of any type (a penalty, a joining fee, or a flat fee, which is how ad-hoc
 * payments are added to a membership).
 */
const LINE_ITEM_MEMBERSHIP_TYPES: Record<string, string | null> = {
	recurring_plan_membership: 'recurring',
	prepaid_plan_membership: 'prepaid',
	pack_membership: 'pack',
	membership_penalty_fee: null,
	joining_fee: null,
	flat_fee: null,
};
/** Line items that bill no membership: a class or course booking, the shop, a gift card. */
const NON_MEMBERSHIP_LINE_ITEMS = new Set(['event_registration', 'course', 'course_session', 'store_order', 'gift_card']);
/** The same, as the `type` of an expanded `billed_item`. */
const NON_MEMBERSHIP_BILLED_ITEMS = new Set([
	'billed_event_registration',
	'billed_course_registration',
	'billed_course_session_registration',
	'billed_store_product',
	'billed_gift_card',
]);

/** What one line item bills: a membership of `type` (null = any type), maybe named by its billed item. */
interface BilledMembership {
	type: string | null;
	billedId: string | null;
	billedName: string | null;
}

/** Undefined when the line item bills no membership. An unknown line-item type counts as a membership of any type. */
function billedMembership(line: Json): BilledMembership | undefined {
	const lineType = text(line.type)?.toLowerCase();
	const billed = line.billed_item;
	const billedType = isObject(billed) ? text(billed.type)?.toLowerCase() : undefined;
	const notMembership = lineType !== undefined && NON_MEMBERSHIP_LINE_ITEMS.has(lineType);
	const notMembershipItem = billedType === undefined || NON_MEMBERSHIP_BILLED_ITEMS.has(billedType);
	if (notMembership && notMembershipItem) return undefined;
	if (lineType === undefined && billedType !== undefined && NON_MEMBERSHIP_BILLED_ITEMS.has(billedType)) return undefined;
	const type = lineType !== undefined && lineType in LINE_ITEM_MEMBERSHIP_TYPES ? LINE_ITEM_MEMBERSHIP_TYPES[lineType] : null;
	return { type, billedId: idOf(billed), billedName: isObject(billed) ? text(billed.name) : null };
}

function sameName(a: string | null, b: string | null): boolean {
	if (!a || !b) return false;
	const x = a.toLowerCase().replace(/\s+/g, ' ').trim();
	const y = b.toLowerCase().replace(/\s+/g, ' ').trim();
	return x === y || y.includes(x);
}

/**
 * Why a membership is blocked, and since when: `payment` (a failed or retrying invoice, a payment
 * subscription being retried) or `manual` (a registration block). `date` is the invoice's due date
 * (`YYYY-MM-DD`, a day in the venue's zone), `at` an instant (the invoice's `created_at` when it
 * has no due date, a block's `created_at`); both null when TeamUp does not say.
 */
export interface MembershipBlock {
	kind: 'payment' | 'manual';
	reason: string;
	date: string | null;
	at: string | null;
}

/**
 * The block as the profile carries it (`blocks[]`, docs/spec/access-rules.md §1): `since` is the
 * due date's 00:00 in the venue's zone (the payment failed that day at the earliest, so grace
 * counted from it never runs long), else the instant TeamUp gives, else null.
 */
export function profileBlock(block: MembershipBlock, zone: string): AccessProfileBlock {
	return { kind: block.kind, since: block.date !== null ? localDateToInstant(block.date, zone) : block.at, reason: block.reason };
}

const KNOWN_PLAN_TYPES = new Set(['recurring', 'prepaid', 'pack']);
const FAILED_INVOICE = new Set(['failed', 'retry_failed']);
const RETRYING_INVOICE = new Set(['retrying']);

/**
 * When an invoice's payment failed, as far as TeamUp says: the day it fell due (`due_date`, required
 * in TeamUp's reference: github.com/rob693/teamup-api-docs/blob/HEAD/invoices/endpoints_invoices-list.md),
 * else the instant it was created (`created_at`). TeamUp gives no failure time.
 */
function invoiceDate(invoice: Json): { date: string | null; at: string | null; text: string } {
	if (isDateOnly(invoice.due_date)) return { date: invoice.due_date.trim(), at: null, text: ` due ${invoice.due_date.trim()}` };
	const created = isoInstant(invoice.created_at);
	return created ? { date: null, at: created, text: ` created ${created.slice(0, 10)}` } : { date: null, at: null, text: '' };
}

export interface PaymentBlockContext {
	/** Plans by id, for the plan type and name of each membership. */
	plans?: Map<string, Json>;
	/** Customers (for the payer's family: a family manager pays for the family's memberships). */
	customers?: Json[];
}

/**
 * Customer memberships blocked by payments: customer membership id → blocks.
 *
 * TeamUp's invoice has no field naming the customer membership it bills (reference:
 * github.com/rob693/teamup-api-docs/blob/HEAD/invoices/endpoints_invoices-list.md): it names its
 * `payer`, and each line item its `type` (`recurring_plan_membership`, `prepaid_plan_membership`, `pack_membership`, …) and `billed_item`
 * (an id, or expanded `{id, name, type}`). A failed or retrying invoice therefore blocks:
 * - the memberships of its payer, and of the payer's family when the payer is not a family child
 *   (a manager pays for the children);
 * - of those, the ones of the plan type its membership line items bill (an unknown line-item type:
 *   any type; none of that type: all of them);
 * - narrowed to the ones its billed item identifies (by name, or by an id equal to the customer
 *   membership's or its plan's) when it identifies any: whether `billed_item` carries those is
 *   not documented, so without a match nothing is narrowed;
 * - all of the payer's memberships when the line items are not there (not expanded, or empty);
 * - nothing for an invoice whose line items bill no membership (a class, the shop, a gift card).
 * A payment subscription with `retry_count` > 0 blocks its membership too (a payment block; the
 * subscription has no failure date, so it takes the earliest due date of the failed or retrying
 * invoices blocking the same membership, whose payment it retries, else none), and a membership
 * flagged as registration-blocked gets a manual block.
 */
export function paymentBlocks(invoices: Json[], memberships: Json[], context: PaymentBlockContext = {}): Map<string, MembershipBlock[]> {
	const blocks = new Map<string, MembershipBlock[]>();
	const add = (cmId: string, block: MembershipBlock) => {
		const list = blocks.get(cmId) ?? [];
		if (!list.some((b) => b.reason === block.reason)) list.push(block);
		blocks.set(cmId, list);
	};
	const byCustomer = new Map<string, Json[]>();
	for (const cm of memberships) {
		const customer = idOf(cm.customer);
		if (!customer) continue;
		byCustomer.set(customer, [...(byCustomer.get(customer) ?? []), cm]);
	}
	const customers = new Map<string, Json>();
	const families = new Map<string, string[]>();
	for (const customer of context.customers ?? []) {
		const id = idOf(customer.id);
		if (!id) continue;
		customers.set(id, customer);
		const family = idOf(customer.family);
		if (family) families.set(family, [...(families.get(family) ?? []), id]);
	}
	const plans = context.plans ?? new Map<string, Json>();
	const planOf = (cm: Json) => plans.get(idOf(cm.membership) ?? '') ?? (isObject(cm.membership) ? cm.membership : undefined);
	const typeOf = (cm: Json) => membershipType(planOf(cm)?.type ?? cm.membership_type ?? cm.type);
	const paidBy = (payer: string): Json[] => {
		const customer = customers.get(payer);
		const family = customer ? idOf(customer.family) : null;
		const role = customer ? text(customer.family_role)?.toLowerCase() : undefined;
		const members = family && role !== 'child' ? (families.get(family) ?? [payer]) : [payer];
		return [...new Set([payer, ...members])].flatMap((id) => byCustomer.get(id) ?? []);
	};

	for (const invoice of invoices) {
		const status = text(invoice.status)?.toLowerCase() ?? '';
		const failed = FAILED_INVOICE.has(status);
		if (!failed && !RETRYING_INVOICE.has(status)) continue;
		const payer = idOf(invoice.payer);
		if (!payer) continue;
		const candidates = paidBy(payer);
		if (candidates.length === 0) continue;
		const when = invoiceDate(invoice);
		const label = `invoice ${idOf(invoice.id) ?? '?'}${when.text}`;
		const block: MembershipBlock = {
			kind: 'payment',
			reason: failed ? `Failed payment (${label})` : `Payment being retried (${label})`,
			date: when.date,
			at: when.at,
		};

		const lines = Array.isArray(invoice.line_items) ? invoice.line_items.filter(isObject) : [];
		const targets = new Set<Json>();
		if (lines.length === 0) {
			for (const cm of candidates) targets.add(cm);
		}
		for (const line of lines) {
			const billed = billedMembership(line);
			if (!billed) continue;
			let ofType = billed.type === null ? candidates : candidates.filter((cm) => typeOf(cm) === billed.type || !KNOWN_PLAN_TYPES.has(typeOf(cm) ?? ''));
			if (ofType.length === 0) ofType = candidates;
			const byId = billed.billedId ? ofType.filter((cm) => idOf(cm.id) === billed.billedId || idOf(cm.membership) === billed.billedId) : [];
			const byName = billed.billedName ? ofType.filter((cm) => sameName(text(cm.name), billed.billedName) || sameName(text(planOf(cm)?.name), billed.billedName)) : [];
			let chosen = ofType;
			if (billed.billedName !== null && byName.length > 0) {
				const both = byName.filter((cm) => byId.includes(cm));
				chosen = both.length > 0 ? both : byName;
			} else if (billed.billedName === null && byId.length > 0) {
				chosen = byId;
			}
			for (const cm of chosen) targets.add(cm);
		}
		for (const cm of targets) {
			const id = idOf(cm.id);
			if (id) add(id, block);
		}
	}
	for (const cm of memberships) {
		const id = idOf(cm.id);
		const subscription = cm.payment_subscription;
		if (id && isObject(subscription) && typeof subscription.retry_count === 'number' && subscription.retry_count > 0) {
			const retries = `${subscription.retry_count} ${subscription.retry_count === 1 ? 'retry' : 'retries'}`;
			// Dated by the invoice it retries: the earliest dated failed or retrying invoice of this membership.
			const invoiceBlocks = (blocks.get(id) ?? []).filter((block) => block.kind === 'payment' && block.date !== null);
			const earliest = invoiceBlocks.map((block) => block.date as string).sort()[0] ?? null;
			add(id, {
				kind: 'payment',
				reason: `Payment being retried (${retries}${earliest !== null ? `; the invoice due ${earliest}` : ''})`,
				date: earliest,
				at: null,
			});
		}
		if (id && (truthy(cm.registrations_blocked) || truthy(cm.is_registration_blocked) || truthy(cm.registration_blocked))) {
			add(id, { kind: 'manual', reason: 'Registrations blocked on this membership in TeamUp', date: null, at: null });
		}
	}
	return blocks;
}

// ---------------------------------------------------------------------------------------------
// The profile

export interface TeamUpData {
	customers: Json[];
	customerMemberships: Json[];
	/** Membership plans by id (for `type` and `name`). */
	plans: Map<string, Json>;
	/** Usage answers by customer membership id (from `/usage`), used when no `usage_summary` is expanded. */
	usage: Map<string, unknown>;
	/** Active customer registration blocks. */
	registrationBlocks: Json[];
	/** Invoices with a failed / retrying status. */
	invoices: Json[];
	/** Payers of those invoices that are not among `customers` (read for their family only). */
	payers?: Json[];
	/** Events (classes and appointments) by id. */
	events: Map<string, Json>;
	attendances: Json[];
	/** Course sessions by id, when courses are read. */
	courseSessions?: Map<string, Json>;
	courseAttendances?: Json[];
	venues: Json[];
}

export interface ProfileOptions {
	/** Epoch ms of "now". */
	now: number;
	lookAheadHours: number;
	lookBackHours: number;
	includeInactive: boolean;
}

/** The business's time zone: the first active venue's, else the first other venue's; null when no venue gives a valid one. */
export function businessZone(venues: Json[]): string | null {
	const active = venues.filter((venue) => !truthy(venue.archived) && text(venue.status)?.toLowerCase() !== 'archived');
	for (const venue of [...active, ...venues]) {
		const zone = text(venue.timezone) ?? text(venue.time_zone);
		if (zone && DateTime.now().setZone(zone).isValid) return zone;
	}
	return null;
}

/**
 * The business's time zone, or an error saying what is missing and how to fix it. TeamUp's dates
 * (a membership's start and expiration, a check-in's day) are calendar days in the venue's zone;
 * guessing a zone (n8n's, UTC) would move every membership's start and end by hours, opening or
 * shutting doors early or late. So without one nothing is guessed (docs/CONVENTIONS.md "Time zones").
 */
export function requireBusinessZone(venues: Json[]): string {
	const zone = businessZone(venues);
	if (zone !== null) return zone;
	const given = venues.map((venue) => text(venue.timezone) ?? text(venue.time_zone)).filter((value): value is string => value !== null);
	const missing =
		venues.length === 0
			? 'TeamUp lists no venue'
			: given.length === 0
				? venues.length === 1
					? "TeamUp's venue has no time zone"
					: `None of TeamUp's ${venues.length} venues has a time zone`
				: `No TeamUp venue has a valid time zone (TeamUp gave ${given.slice(0, 3).map((value) => JSON.stringify(value)).join(', ')})`;
	throw new Error(
		`${missing}, so membership dates and check-in days cannot be placed in time. Set your venue's time zone in TeamUp ` +
			'(an IANA zone such as Europe/London) and run again: the node does not guess one, as a wrong zone moves every membership\'s start and end by hours.',
	);
}

function venueZones(venues: Json[]): Map<string, string> {
	const zones = new Map<string, string>();
	for (const venue of venues) {
		const id = idOf(venue.id);
		const zone = text(venue.timezone) ?? text(venue.time_zone);
		if (id && zone && DateTime.now().setZone(zone).isValid) zones.set(id, zone);
	}
	return zones;
}

function customerName(customer: Json): string | null {
	const full = [text(customer.first_name), text(customer.last_name)].filter(Boolean).join(' ');
	return full || text(customer.name);
}

/** Whether a hold covers `today` (a customer membership still marked `active` while a hold runs). */
function holdRunsOn(hold: unknown, today: string): boolean {
	if (!isObject(hold)) return false;
	if (hold.active === false) return false;
	const start = isDateOnly(hold.start_date) ? hold.start_date : null;
	const end = isDateOnly(hold.end_date) ? hold.end_date : null;
	if (start === null && end === null) return hold.active === true;
	return (start === null || start <= today) && (end === null || today <= end);
}

export function mapMembership(
	cm: Json,
	context: { plans: Map<string, Json>; usage: Map<string, unknown>; zone: string; today: string; blocks: MembershipBlock[] },
): AccessProfileMembership {
	const id = idOf(cm.id) ?? '';
	const planId = idOf(cm.membership);
	const plan = (planId ? context.plans.get(planId) : undefined) ?? (isObject(cm.membership) ? cm.membership : undefined);
	const type = membershipType(plan?.type ?? cm.membership_type ?? cm.type);
	let status = membershipStatus(cm.status);
	if (status === 'active' && holdRunsOn(cm.active_hold, context.today)) status = 'hold';

	let remainingUses: number | null = null;
	if (type === 'pack') {
		const fromSummary = remainingUsesOf(cm.usage_summary, context.today);
		const fromEndpoint = fromSummary === undefined ? remainingUsesOf(context.usage.get(id), context.today) : undefined;
		remainingUses = fromSummary ?? fromEndpoint ?? null;
	}
	const reasons = context.blocks.map((block) => block.reason);
	return {
		id,
		planId,
		name: text(cm.name) ?? text(plan?.name),
		type,
		status,
		startsAt: dateStart(cm.start_date, context.zone),
		expiresAt: dateEnd(cm.expiration_date, context.zone),
		remainingUses,
		blocked: reasons.length > 0,
		blockReason: reasons.length > 0 ? reasons.join('; ') : null,
		blocks: context.blocks.map((block) => profileBlock(block, context.zone)),
	} satisfies AccessProfileMembership;
}

/** Whether a session `[startsAt, endsAt]` falls in the profile window (§ Access Profile → Get Many). */
export function inRegistrationWindow(startsAtMs: number, endsAtMs: number, options: Pick<ProfileOptions, 'now' | 'lookAheadHours' | 'lookBackHours'>): boolean {
	return startsAtMs < options.now + options.lookAheadHours * 3_600_000 && endsAtMs > options.now - options.lookBackHours * 3_600_000;
}

/** TeamUp always reads a registration's id and session times (a session without them is left out). */
type TeamUpRegistration = AccessProfileRegistration & { id: string; startsAt: string; endsAt: string };

function mapRegistration(
	attendance: Json,
	event: Json | undefined,
	isCourse: boolean,
	options: ProfileOptions,
): TeamUpRegistration | undefined {
	const source = event ?? (isObject(attendance.event) ? attendance.event : isObject(attendance.course_session) ? attendance.course_session : undefined);
	if (!source) return undefined;
	const startsAt = isoInstant(source.starts_at);
	const endsAt = isoInstant(source.ends_at) ?? startsAt;
	if (!startsAt || !endsAt) return undefined;
	if (!inRegistrationWindow(Date.parse(startsAt), Date.parse(endsAt), options)) return undefined;
	return {
		id: idOf(attendance.id) ?? '',
		kind: registrationKind(source, isCourse),
		status: registrationStatus(attendance, source),
		startsAt,
		endsAt,
		eventId: idOf(source.id),
		eventName: text(source.name),
	} satisfies TeamUpRegistration;
}

/**
 * One profile per customer, in the customers' order. Memberships keep TeamUp's order; registrations
 * are sorted by start. With `includeInactive` false only customers with an active membership or a
 * registration (registered, attended, waitlisted) in the window are returned.
 */
export function buildProfiles(data: TeamUpData, options: ProfileOptions): AccessProfile[] {
	const zone = requireBusinessZone(data.venues);
	const zones = venueZones(data.venues);
	const today = localDate(options.now, zone);

	const blockedCustomers = new Map<string, MembershipBlock>();
	for (const block of data.registrationBlocks) {
		if (block.is_active === false) continue;
		const customer = idOf(block.customer);
		if (!customer || blockedCustomers.has(customer)) continue;
		const since = isoInstant(block.created_at);
		blockedCustomers.set(customer, {
			kind: 'manual',
			reason: `Registrations blocked in TeamUp${since ? ` since ${since.slice(0, 10)}` : ''}`,
			date: null,
			at: since,
		});
	}
	const paymentReasons = paymentBlocks(data.invoices, data.customerMemberships, {
		plans: data.plans,
		customers: [...data.customers, ...(data.payers ?? [])],
	});

	const membershipsOf = new Map<string, Json[]>();
	for (const cm of data.customerMemberships) {
		const customer = idOf(cm.customer);
		if (customer) membershipsOf.set(customer, [...(membershipsOf.get(customer) ?? []), cm]);
	}

	const registrationsOf = new Map<string, TeamUpRegistration[]>();
	const addRegistration = (attendance: Json, event: Json | undefined, isCourse: boolean) => {
		const customer = idOf(attendance.customer);
		if (!customer) return;
		const registration = mapRegistration(attendance, event, isCourse, options);
		if (!registration) return;
		registrationsOf.set(customer, [...(registrationsOf.get(customer) ?? []), registration]);
	};
	for (const attendance of data.attendances) {
		const eventId = idOf(attendance.event);
		addRegistration(attendance, eventId ? data.events.get(eventId) : undefined, false);
	}
	for (const attendance of data.courseAttendances ?? []) {
		const sessionId = idOf(attendance.course_session);
		addRegistration(attendance, sessionId ? data.courseSessions?.get(sessionId) : undefined, true);
	}

	const profiles: AccessProfile[] = [];
	const seen = new Set<string>();
	for (const customer of data.customers) {
		const id = idOf(customer.id);
		if (!id || seen.has(id)) continue;
		seen.add(id);
		// The customer's home venue (deferred `customer_venue`, when expanded) is narrower than the
		// business's first venue.
		const home = customer.customer_venue;
		const homeZone = isObject(home) ? (text(home.timezone) ?? zones.get(idOf(home.venue ?? home.id) ?? '')) : zones.get(idOf(home) ?? '');
		const customerZone = homeZone && DateTime.now().setZone(homeZone).isValid ? homeZone : zone;
		const blockedBy = blockedCustomers.get(id);
		const memberships = (membershipsOf.get(id) ?? []).map((cm) =>
			mapMembership(cm, {
				plans: data.plans,
				usage: data.usage,
				zone: customerZone,
				today,
				blocks: [...(blockedBy ? [blockedBy] : []), ...(paymentReasons.get(idOf(cm.id) ?? '') ?? [])],
			}),
		);
		const registrations = (registrationsOf.get(id) ?? []).sort(
			(a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.id.localeCompare(b.id, 'en', { numeric: true }),
		);
		if (!options.includeInactive && !isRelevant(memberships, registrations)) continue;
		profiles.push({
			source: 'teamup',
			sourceId: id,
			email: text(customer.email),
			name: customerName(customer),
			timeZone: customerZone,
			memberships,
			registrations,
		} satisfies AccessProfile);
	}
	return profiles;
}

/** A customer with an active membership or a registration holding a place in the window. */
export function isRelevant(memberships: readonly AccessProfileMembership[], registrations: readonly AccessProfileRegistration[]): boolean {
	return memberships.some((m) => m.status === 'active') || registrations.some((r) => HOLDING_STATUSES.has(r.status));
}
