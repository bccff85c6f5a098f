/**
 * The `teamup` section of a scenario: TeamUp's objects with the v2 reference's field names
 * (sandbox/README.md, "Scenario format"), and the invariants the API keeps across them.
 */
import { z } from 'zod';
import { checkRef, checkUnique, dateOnly, instant, int, label, zone } from '../scenarioKit';

const money = z.object({ decimal: z.number() }).passthrough();
const usageSummary = z
	.object({
		max_uses: int.nullable().optional(),
		used_count: int.optional(),
		remaining_count: int.nullable().optional(),
	})
	.passthrough();
const usagePeriod = usageSummary.extend({
	start_date: dateOnly.nullable().optional(),
	end_date: dateOnly.nullable().optional(),
});
export const TEAMUP_CM_STATUSES = ['active', 'hold', 'completed', 'cancelled'] as const;
export const TEAMUP_ATTENDANCE_STATUSES = ['not_registered', 'registered', 'attended', 'no_show', 'late_cancelled'] as const;
export const TEAMUP_INVOICE_STATUSES = [
	'open',
	'paid',
	'pending_offline',
	'pending',
	'failed',
	'voided',
	'retrying',
	'retry_failed',
	'upcoming',
	'draft',
	'skipped',
] as const;
/**
 * Invoice line-item `type` and expanded `billed_item.type`, as TeamUp's reference lists them:
 * github.com/rob693/teamup-api-docs/blob/HEAD/invoices/endpoints_invoices-list.md
 */
export const TEAMUP_LINE_ITEM_TYPES = [
	'flat_fee',
	'course_session',
	'store_order',
	'course',
	'event_registration',
	'recurring_plan_membership',
	'prepaid_plan_membership',
	'pack_membership',
	'membership_penalty_fee',
	'joining_fee',
	'gift_card',
] as const;
export const TEAMUP_BILLED_ITEM_TYPES = [
	'billed_course_session_registration',
	'billed_event_registration',
	'billed_flat_fee',
	'billed_membership',
	'billed_course_registration',
	'billed_store_product',
	'billed_membership_penalty',
	'billed_joining_fee',
	'billed_gift_card',
] as const;
/** A Money object, or a plain amount the sandbox turns into one. */
const amount = z.union([z.number(), money]);
const lineItem = z
	.object({
		id: int.optional(),
		object: z.literal('invoice_line_item').optional(),
		type: z.enum(TEAMUP_LINE_ITEM_TYPES),
		/** An id (the billed item's, as TeamUp gives it unexpanded), or the expanded `{id, name, type}`. */
		billed_item: z.union([int, z.object({ id: int, name: z.string(), type: z.enum(TEAMUP_BILLED_ITEM_TYPES) }).strict()]),
		price: amount.optional(),
		total_amount_due: amount.optional(),
	})
	.strict();
export const teamupSchema = z
	.object({
		tokens: z.array(z.string().min(1)).default([]),
		/**
		 * Calls and expansions that TeamUp's v2 reference does not document, off unless switched on:
		 * `POST /events/{id}/confirm_attendance` (404 when off) and `expand=usage_summary` on customer
		 * memberships (ignored when off).
		 */
		features: z.object({ confirm_attendance: z.boolean().optional(), usage_summary: z.boolean().optional() }).strict().optional(),
		provider_id: int.default(1),
		provider: z.object({ name: z.string().optional() }).passthrough().optional(),
		venues: z.array(z.object({ id: int, name: z.string(), timezone: zone }).passthrough()).default([]),
		memberships: z
			.array(
				z
					.object({ id: int, name: z.string(), type: z.enum(['pack', 'recurring_plan', 'prepaid_plan']) })
					.passthrough(),
			)
			.default([]),
		customers: z
			.array(
				z
					.object({
						id: int,
						first_name: z.string().optional(),
						last_name: z.string().optional(),
						email: z.string().nullable().optional(),
						is_lead: z.boolean().optional(),
						created_at: instant.optional(),
					})
					.passthrough(),
			)
			.default([]),
		customer_memberships: z
			.array(
				z
					.object({
						id: int,
						customer: int,
						membership: int,
						status: z.enum(TEAMUP_CM_STATUSES),
						name: z.string().optional(),
						start_date: dateOnly.nullable().optional(),
						expiration_date: dateOnly.nullable().optional(),
						renewal_date: dateOnly.nullable().optional(),
						payment_subscription: int.nullable().optional(),
						/** The hold (`customer_membership_hold`), or only its id (a current hold whose dates are unknown). */
						active_hold: z
							.union([
								int,
								z
									.object({
										id: int,
										start_date: dateOnly.nullable().optional(),
										end_date: dateOnly.nullable().optional(),
									})
									.passthrough(),
							])
							.nullable()
							.optional(),
						billed_price: money.optional(),
					})
					.passthrough(),
			)
			.default([]),
		/** Usage of packs, by customer membership id: a summary, or `{usage_periods: [...]}`. */
		customer_membership_usage: z
			.record(z.string(), z.union([z.object({ usage_periods: z.array(usagePeriod) }).strict(), usageSummary]))
			.default({}),
		payment_subscriptions: z
			.array(z.object({ id: int, retry_count: int.nonnegative().default(0) }).passthrough())
			.default([]),
		customer_registration_blocks: z
			.array(
				z
					.object({
						id: int,
						customer: int,
						is_active: z.boolean(),
						created_at: instant.optional(),
						deactivated_at: instant.nullable().optional(),
					})
					.passthrough(),
			)
			.default([]),
		events: z
			.array(
				z
					.object({
						id: int,
						name: z.string(),
						starts_at: instant,
						ends_at: instant,
						venue: int.nullable().optional(),
						status: z.enum(['active', 'cancelled']).optional(),
						// Typed "string" in TeamUp's reference, a boolean in the wild:
						// github.com/rob693/teamup-api-docs/blob/HEAD/events/endpoints_events-list.md
						is_appointment: z.union([z.boolean(), z.string()]).optional(),
						offering_type: int.nullable().optional(),
						max_occupancy: int.nullable().optional(),
					})
					.passthrough(),
			)
			.default([]),
		attendances: z
			.array(
				z
					.object({
						id: int,
						customer: int,
						event: int,
						status: z.enum(TEAMUP_ATTENDANCE_STATUSES),
						customer_membership: int.nullable().optional(),
						waitlist_spot: z
							.object({
								id: int,
								status: z.enum(['on_waitlist', 'spot_reserved', 'expired', 'rejected']),
							})
							.passthrough()
							.nullable()
							.optional(),
					})
					.passthrough(),
			)
			.default([]),
		invoices: z
			.array(
				z
					.object({
						id: int,
						status: z.enum(TEAMUP_INVOICE_STATUSES),
						payer: int.nullable().optional(),
						due_date: dateOnly.nullable().optional(),
						created_at: instant.optional(),
						total_amount_due: amount.optional(),
						line_items: z.array(lineItem).optional(),
					})
					.passthrough(),
			)
			.default([]),
		/**
		 * Webhook destinations (`GET/POST /webhook_destinations`; not in the scraped v2 reference: see
		 * sandbox/README.md). `active: false` once a delivery was answered 410 Gone, as TeamUp documents.
		 */
		webhook_destinations: z
			.array(z.object({ id: int, url: z.string().min(1), active: z.boolean().default(true), created_at: instant.optional() }).passthrough())
			.default([]),
		checkins: z
			.array(
				z
					.object({
						id: int,
						customer: int,
						venue: int,
						customer_membership: int.nullable().optional(),
						comped: z.boolean().optional(),
						timestamp: instant,
					})
					.passthrough(),
			)
			.default([]),
	})
	.strict();


export type TeamUpScenario = z.output<typeof teamupSchema>;

/** TeamUp's date-only fields: `--realtime` moves them by whole days in the venue's time zone. */
export const TEAMUP_DATE_FIELDS = new Set(['start_date', 'expiration_date', 'renewal_date', 'end_date', 'due_date', 'next_billing_date']);

/** The problems of a `teamup` section, each naming its object. */
export function checkTeamUp(t: TeamUpScenario, problems: string[]): void {
	const S = 'teamup';
	const venues = checkUnique(problems, S, 'venues', t.venues);
	const memberships = checkUnique(problems, S, 'memberships', t.memberships);
	const customers = checkUnique(problems, S, 'customers', t.customers);
	const subs = checkUnique(problems, S, 'payment_subscriptions', t.payment_subscriptions);
	const cms = checkUnique(problems, S, 'customer_memberships', t.customer_memberships);
	t.customer_memberships.forEach((cm, i) => {
		const l = label(S, 'customer_memberships', i, cm);
		checkRef(problems, l, 'customer', cm.customer, customers);
		checkRef(problems, l, 'membership', cm.membership, memberships);
		if (cm.payment_subscription != null) checkRef(problems, l, 'payment_subscription', cm.payment_subscription, subs);
		if (cm.start_date && cm.expiration_date && cm.expiration_date < cm.start_date)
			problems.push(`${l}: expiration_date ${cm.expiration_date} is before start_date ${cm.start_date}`);
	});
	for (const key of Object.keys(t.customer_membership_usage)) {
		if (!/^\d+$/.test(key) || !cms.has(Number(key)))
			problems.push(`teamup.customer_membership_usage["${key}"]: customer membership ${key} does not exist`);
	}
	checkUnique(problems, S, 'customer_registration_blocks', t.customer_registration_blocks);
	t.customer_registration_blocks.forEach((b, i) => {
		checkRef(problems, label(S, 'customer_registration_blocks', i, b), 'customer', b.customer, customers);
	});
	const events = checkUnique(problems, S, 'events', t.events);
	t.events.forEach((e, i) => {
		const l = label(S, 'events', i, e);
		if (e.venue != null) checkRef(problems, l, 'venue', e.venue, venues);
		if (Date.parse(e.ends_at) < Date.parse(e.starts_at)) problems.push(`${l}: ends_at is before starts_at`);
	});
	checkUnique(problems, S, 'attendances', t.attendances);
	const pairs = new Map<string, number>();
	t.attendances.forEach((a, i) => {
		const l = label(S, 'attendances', i, a);
		checkRef(problems, l, 'event', a.event, events);
		checkRef(problems, l, 'customer', a.customer, customers);
		if (a.customer_membership != null) {
			const cm = cms.get(a.customer_membership);
			if (!cm) problems.push(`${l}: customer_membership ${a.customer_membership} does not exist`);
			else if (cm.customer !== a.customer)
				problems.push(`${l}: customer_membership ${a.customer_membership} belongs to customer ${cm.customer}, not ${a.customer}`);
		}
		const pair = `${a.event}:${a.customer}`;
		if (pairs.has(pair)) problems.push(`${l}: customer ${a.customer} already has an attendance for event ${a.event} (teamup.attendances[${pairs.get(pair)}])`);
		else pairs.set(pair, i);
	});
	checkUnique(problems, S, 'invoices', t.invoices);
	t.invoices.forEach((inv, i) => {
		const l = label(S, 'invoices', i, inv);
		if (inv.payer != null) checkRef(problems, l, 'payer', inv.payer, customers);
	});
	checkUnique(problems, S, 'webhook_destinations', t.webhook_destinations);
	checkUnique(problems, S, 'checkins', t.checkins);
	t.checkins.forEach((c, i) => {
		const l = label(S, 'checkins', i, c);
		checkRef(problems, l, 'customer', c.customer, customers);
		checkRef(problems, l, 'venue', c.venue, venues);
	});
}
