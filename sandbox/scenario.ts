/**
 * The scenario format (see docs/spec/sandbox.md): each service's objects with the real APIs' field
 * names. Shapes are checked with zod, then the APIs' own invariants (references, unique ids) are
 * checked across objects; a broken scenario is refused with messages naming the offending object.
 */
import { readFileSync } from 'node:fs';
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { compileSchema, refined } from './fastcheck';
import { HEX24, isDateOnly, isIsoInstant } from './util';

const int = z.number().int();
const instant = refined(z.string(), isIsoInstant, 'must be an ISO-8601 date-time with a UTC offset');
const dateOnly = refined(z.string(), isDateOnly, 'must be a date YYYY-MM-DD');
const zone = refined(z.string(), (s) => IANAZone.isValidZone(s), 'must be an IANA time zone');
const hex24 = z.string().regex(HEX24, 'must be a 24-hex id');
const unixSec = z.number().int();

// ---------------------------------------------------------------------------------------------
// Rate limits
const windowLimit = z.object({ limit: z.number().positive(), windowMs: z.number().positive() }).strict();
const bucketLimit = z
	.object({ limit: z.number().positive(), windowMs: z.number().positive(), burst: z.number().positive().optional() })
	.strict();
export const rateLimitsSchema = z.union([
	z.boolean(),
	z
		.object({
			kisi: z.union([z.literal(false), z.literal(true), windowLimit]).optional(),
			teamup: z.union([z.literal(false), z.literal(true), windowLimit]).optional(),
			glofox: z.union([z.literal(false), z.literal(true), bucketLimit]).optional(),
			rateLimitScale: z.number().positive().optional(),
		})
		.strict(),
]);
export type RateLimitsConfig = z.infer<typeof rateLimitsSchema>;

// ---------------------------------------------------------------------------------------------
// Kisi
const kisiTimes = { created_at: instant.optional(), updated_at: instant.optional() };
const kisiUser = z
	.object({
		id: int,
		email: z.string().min(1),
		name: z.string().nullable().optional(),
		access_enabled: z.boolean().optional(),
		...kisiTimes,
	})
	.passthrough();
const kisiPlace = z
	.object({ id: int, name: z.string(), time_zone: zone.nullable().optional(), ...kisiTimes })
	.passthrough();
const kisiLock = z
	.object({
		id: int,
		name: z.string(),
		place_id: int,
		locked_down: z.boolean().optional(),
		online: z.boolean().nullable().optional(),
		...kisiTimes,
	})
	.passthrough();
const kisiGroup = z
	.object({
		id: int,
		name: z.string(),
		place_id: int.nullable().optional(),
		description: z.string().nullable().optional(),
		...kisiTimes,
	})
	.passthrough();
const kisiGroupLock = z.object({ id: int.optional(), group_id: int, lock_id: int, ...kisiTimes }).passthrough();
const validity = { valid_from: instant.nullable().optional(), valid_until: instant.nullable().optional() };
const createdBy = {
	created_by_type: z.enum(['User', 'MarketplaceInstallation']).nullable().optional(),
	created_by_id: int.nullable().optional(),
};
const kisiShare = z
	.object({
		id: int,
		group_id: int,
		email: z.string().optional(),
		user_id: int.optional(),
		role_id: z.enum(['basic', 'manager']).optional(),
		notify: z.boolean().nullable().optional(),
		...validity,
		...createdBy,
		...kisiTimes,
	})
	.passthrough();
const kisiRoleAssignment = z
	.object({
		id: int,
		role_id: z.string().min(1),
		applies_to_type: z.enum(['Organization', 'Place', 'Group']).optional(),
		applies_to_id: int.optional(),
		assignee_type: z.enum(['User']).optional(),
		assignee_id: int.optional(),
		user_id: int.optional(),
		group_id: int.nullable().optional(),
		place_id: int.nullable().optional(),
		notify: z.boolean().nullable().optional(),
		...validity,
		...createdBy,
		...kisiTimes,
	})
	.passthrough();
const kisiIntegration = z
	.object({
		id: int,
		type: z.string().min(1),
		name: z.string(),
		url: z.string().nullable().optional(),
		enabled: z.boolean().optional(),
		enabled_events: z.array(z.string()).nullable().optional(),
		signature_key: z.string().nullable().optional(),
		place_id: int.nullable().optional(),
		...kisiTimes,
	})
	.passthrough();

export const kisiSchema = z
	.object({
		apiKeys: z
			.array(z.object({ key: z.string().min(1), user_id: int, id: int.optional(), name: z.string().optional() }).passthrough())
			.default([]),
		organization: z
			.object({ id: int, name: z.string(), domain: z.string().nullable().optional() })
			.passthrough()
			.default({ id: 1, name: 'Sandbox Organization' }),
		users: z.array(kisiUser).default([]),
		places: z.array(kisiPlace).default([]),
		locks: z.array(kisiLock).default([]),
		groups: z.array(kisiGroup).default([]),
		/** Absent: every group holds every lock of its place (all locks for organization groups). */
		group_locks: z.array(kisiGroupLock).optional(),
		shares: z.array(kisiShare).default([]),
		role_assignments: z.array(kisiRoleAssignment).default([]),
		integrations: z.array(kisiIntegration).default([]),
		/** Events recorded so far (unlocks), newest last. */
		events: z.array(z.object({ uuid: z.string(), type: z.string() }).passthrough()).default([]),
		/** Largest accepted `offset` (Kisi: 20000). */
		offsetMax: int.positive().optional(),
		/** What an Event Webhook delivery carries: Kisi's documented sample fields (default) or the whole Event object. */
		webhookPayload: z.enum(['documented', 'event']).optional(),
	})
	.strict();

// ---------------------------------------------------------------------------------------------
// TeamUp
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

// ---------------------------------------------------------------------------------------------
// Glofox
export const GLOFOX_MEMBERSHIP_TYPES = ['payg', 'time', 'time_classes', 'num_classes'] as const;
export const GLOFOX_MEMBERSHIP_STATUSES = ['FUTURE', 'ACTIVE', 'LOCKED', 'PAUSED', 'EXPIRED', 'CANCELLED'] as const;
export const GLOFOX_BOOKING_STATUSES = ['BOOKED', 'WAITING', 'CANCELED', 'RESERVED', 'FAILED'] as const;
export const glofoxSchema = z
	.object({
		branch_id: hex24,
		api_key: z.string().min(1),
		api_token: z.string().min(1),
		namespace: z.string().default('sandbox'),
		timezone_id: zone.default('UTC'),
		/** Extra fields of `GET /2.0/branches/{id}` (name, address, opening_times…). */
		branch: z.object({ name: z.string().optional() }).passthrough().optional(),
		/** false: the key reads but may not write (every POST answers INVALID_USER_TYPE). Default true. */
		write_access: z.boolean().optional(),
		/** "thin": `GET /2.0/members` carries only the membership's type, start_date, user_membership_id, status. */
		member_list_membership: z.enum(['full', 'thin']).optional(),
		members: z
			.array(
				z
					.object({
						_id: hex24,
						first_name: z.string().optional(),
						last_name: z.string().optional(),
						email: z.string().nullable().optional(),
						active: z.boolean().optional(),
						created: unixSec.optional(),
						modified: unixSec.optional(),
						membership: z
							.object({
								type: z.enum(GLOFOX_MEMBERSHIP_TYPES),
								status: z.enum(GLOFOX_MEMBERSHIP_STATUSES).optional(),
								start_date: unixSec.nullable().optional(),
								expiry_date: unixSec.nullable().optional(),
								/** A plan `code` of the catalogue (`memberships[].plans[]`); names and prices come from it. */
								plan_code: z.union([int, z.string().regex(/^\d+$/, 'must be a plan code')]).nullable().optional(),
							})
							.passthrough()
							.nullable()
							.optional(),
					})
					.passthrough(),
			)
			.default([]),
		memberships: z
			.array(
				z
					.object({
						_id: hex24,
						name: z.string(),
						private: z.boolean().optional(),
						active: z.boolean().optional(),
						plans: z.array(z.object({ code: int, name: z.string(), type: z.string() }).passthrough()).optional(),
					})
					.passthrough(),
			)
			.default([]),
		credits: z
			.array(
				z
					.object({
						_id: hex24,
						user_id: hex24,
						available: int.nonnegative(),
						num_sessions: int.nonnegative().optional(),
						active: z.boolean().optional(),
						start_date: unixSec.nullable().optional(),
						end_date: unixSec.nullable().optional(),
					})
					.passthrough(),
			)
			.default([]),
		events: z
			.array(
				z
					.object({
						_id: hex24,
						name: z.string(),
						time_start: unixSec,
						duration: int.positive(),
						type: z.enum(['event', 'course', 'timeslot']).optional(),
						active: z.boolean().optional(),
						private: z.boolean().optional(),
						size: int.nonnegative().optional(),
					})
					.passthrough(),
			)
			.default([]),
		bookings: z
			.array(
				z
					.object({
						_id: hex24,
						user_id: hex24,
						event_id: hex24,
						status: z.enum(GLOFOX_BOOKING_STATUSES),
						attended: z.boolean().optional(),
						guest_bookings: int.nonnegative().optional(),
						created: unixSec.optional(),
						modified: unixSec.optional(),
					})
					.passthrough(),
			)
			.default([]),
		accesses: z.array(z.object({ _id: hex24, user_id: hex24, entry_at: unixSec }).passthrough()).default([]),
	})
	.strict();

export const scenarioSchema = z
	.object({
		$schema: z.string().optional(),
		description: z.string().optional(),
		now: instant.optional(),
		rateLimits: rateLimitsSchema.default(true),
		rateLimitScale: z.number().positive().optional(),
		kisi: kisiSchema.optional(),
		teamup: teamupSchema.optional(),
		glofox: glofoxSchema.optional(),
	})
	.strict();

/** What a scenario author writes (optional fields may be left out). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A checked scenario with defaults filled in. */
export type Scenario = z.output<typeof scenarioSchema>;
export type KisiScenario = z.output<typeof kisiSchema>;
export type TeamUpScenario = z.output<typeof teamupSchema>;
export type GlofoxScenario = z.output<typeof glofoxSchema>;

export class ScenarioError extends Error {
	constructor(public readonly problems: string[]) {
		super(
			`Invalid scenario (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.slice(0, 25).join('\n- ')}${problems.length > 25 ? `\n- … and ${problems.length - 25} more` : ''}`,
		);
		this.name = 'ScenarioError';
	}
}

/** `kisi.shares[3] (id 9004)` for a path into the raw input. */
function objectLabel(input: unknown, path: (string | number)[]): { label: string; rest: (string | number)[] } {
	let node: unknown = input;
	let label = '';
	let lastObjectEnd = -1;
	let lastObjectLabel = '';
	for (let i = 0; i < path.length; i++) {
		const key = path[i];
		label += typeof key === 'number' ? `[${key}]` : label === '' ? key : `.${key}`;
		node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
		if (typeof key === 'number' && node && typeof node === 'object') {
			const o = node as Record<string, unknown>;
			const id = o.id ?? o._id;
			lastObjectEnd = i;
			lastObjectLabel = id === undefined ? label : `${label} (${o.id === undefined ? '_id' : 'id'} ${String(id)})`;
		}
	}
	if (lastObjectEnd === -1) {
		if (path.length <= 1) return { label: path.length ? String(path[0]) : '(scenario)', rest: [] };
		return { label: path.slice(0, -1).join('.'), rest: path.slice(-1) };
	}
	return { label: lastObjectLabel, rest: path.slice(lastObjectEnd + 1) };
}

function label(section: string, list: string, index: number, obj: { id?: unknown; _id?: unknown }): string {
	if (obj._id !== undefined) return `${section}.${list}[${index}] (_id ${String(obj._id)})`;
	if (obj.id !== undefined) return `${section}.${list}[${index}] (id ${String(obj.id)})`;
	return `${section}.${list}[${index}]`;
}

/** Duplicate ids within one list; the list indexed by id. */
function checkUnique<T extends { id?: unknown; _id?: unknown }>(
	problems: string[],
	section: string,
	list: string,
	items: T[],
): Map<unknown, T> {
	const seen = new Map<unknown, T>();
	for (let index = 0; index < items.length; index++) {
		const item = items[index];
		const k = item._id ?? item.id;
		if (k === undefined) continue;
		const prev = seen.get(k);
		if (prev) problems.push(`${label(section, list, index, item)}: duplicate id (also ${section}.${list}[${items.indexOf(prev)}])`);
		else seen.set(k, item);
	}
	return seen;
}

function checkKisi(k: KisiScenario, problems: string[]): void {
	const S = 'kisi';
	const users = checkUnique(problems, S, 'users', k.users);
	const emails = new Map<string, number>();
	k.users.forEach((u, i) => {
		const e = u.email.trim().toLowerCase();
		const prev = emails.get(e);
		if (prev !== undefined) problems.push(`${label(S, 'users', i, u)}: email ${u.email} is already used by kisi.users[${prev}]`);
		else emails.set(e, i);
	});
	k.apiKeys.forEach((key, i) => {
		if (!users.has(key.user_id)) problems.push(`kisi.apiKeys[${i}]: user_id ${key.user_id} does not exist`);
	});
	const keys = new Set<string>();
	k.apiKeys.forEach((key, i) => {
		if (keys.has(key.key)) problems.push(`kisi.apiKeys[${i}]: duplicate key`);
		keys.add(key.key);
	});
	const places = checkUnique(problems, S, 'places', k.places);
	const locks = checkUnique(problems, S, 'locks', k.locks);
	k.locks.forEach((l, i) => {
		if (!places.has(l.place_id)) problems.push(`${label(S, 'locks', i, l)}: place_id ${l.place_id} does not exist`);
	});
	const groups = checkUnique(problems, S, 'groups', k.groups);
	k.groups.forEach((g, i) => {
		if (g.place_id != null && !places.has(g.place_id))
			problems.push(`${label(S, 'groups', i, g)}: place_id ${g.place_id} does not exist`);
	});
	if (k.group_locks) {
		checkUnique(problems, S, 'group_locks', k.group_locks);
		const pairs = new Set<string>();
		k.group_locks.forEach((gl, i) => {
			const l = label(S, 'group_locks', i, gl);
			const group = groups.get(gl.group_id);
			const lock = locks.get(gl.lock_id);
			if (!group) problems.push(`${l}: group_id ${gl.group_id} does not exist`);
			if (!lock) problems.push(`${l}: lock_id ${gl.lock_id} does not exist`);
			if (group && lock && group.place_id != null && group.place_id !== lock.place_id)
				problems.push(`${l}: lock ${lock.id} is not in place ${group.place_id} of the place-scoped group ${group.id}`);
			const pair = `${gl.group_id}:${gl.lock_id}`;
			if (pairs.has(pair)) problems.push(`${l}: lock ${gl.lock_id} is already in group ${gl.group_id}`);
			pairs.add(pair);
		});
	}
	// Shares and group role assignments are one kind of record ("group access"): one id space,
	// one access per user and group.
	const accessIds = new Map<number, string>();
	const pairs = new Map<string, string>();
	const checkAccess = (l: string, id: number, groupId: number | null | undefined, userId: number | undefined, email: string | undefined) => {
		const prevId = accessIds.get(id);
		if (prevId) problems.push(`${l}: duplicate id (also ${prevId})`);
		else accessIds.set(id, l);
		if (groupId == null || !groups.has(groupId)) problems.push(`${l}: group_id ${groupId} does not exist`);
		if (userId !== undefined && !users.has(userId)) problems.push(`${l}: user_id ${userId} does not exist`);
		if (userId === undefined && !email) problems.push(`${l}: needs an email or a user_id`);
		if (userId !== undefined && email && users.get(userId)!.email.trim().toLowerCase() !== email.trim().toLowerCase())
			problems.push(`${l}: email ${email} is not the email of user ${userId}`);
		const normEmail = email?.trim().toLowerCase() ?? '';
		const known = emails.get(normEmail);
		const userKey = userId ?? (known !== undefined ? k.users[known].id : `new:${normEmail}`);
		const pair = `${groupId}:${userKey}`;
		const prevPair = pairs.get(pair);
		if (prevPair) problems.push(`${l}: the user already has access to group ${groupId} (${prevPair})`);
		else pairs.set(pair, l);
	};
	k.shares.forEach((s, i) => {
		const l = label(S, 'shares', i, s);
		checkAccess(l, s.id, s.group_id, s.user_id, s.email);
		if (s.created_by_id != null && (s.created_by_type ?? 'User') === 'User' && !users.has(s.created_by_id))
			problems.push(`${l}: created_by_id ${s.created_by_id} does not exist`);
		checkValidity(problems, l, s.valid_from, s.valid_until);
	});
	k.role_assignments.forEach((r, i) => {
		const l = label(S, 'role_assignments', i, r);
		const type = r.applies_to_type ?? (r.group_id != null ? 'Group' : r.place_id != null ? 'Place' : 'Organization');
		const userId = r.assignee_id ?? r.user_id;
		if (userId === undefined) {
			problems.push(`${l}: needs an assignee_id (or user_id)`);
			return;
		}
		if (type === 'Group') {
			if (!/^group_(basic|manager)$/.test(r.role_id)) problems.push(`${l}: role_id ${r.role_id} is not a group role (group_basic, group_manager)`);
			checkAccess(l, r.id, r.applies_to_id ?? r.group_id, userId, undefined);
			checkValidity(problems, l, r.valid_from, r.valid_until);
		} else {
			const prevId = accessIds.get(r.id);
			if (prevId) problems.push(`${l}: duplicate id (also ${prevId})`);
			else accessIds.set(r.id, l);
			if (!users.has(userId)) problems.push(`${l}: user ${userId} does not exist`);
			const target = r.applies_to_id ?? (type === 'Place' ? r.place_id : k.organization.id);
			if (type === 'Place' && (target == null || !places.has(target))) problems.push(`${l}: place ${target} does not exist`);
			if (type === 'Organization' && target !== k.organization.id)
				problems.push(`${l}: organization ${target} is not the scenario's organization ${k.organization.id}`);
		}
	});
	checkUnique(problems, S, 'integrations', k.integrations);
	k.integrations.forEach((it, i) => {
		if (it.type === 'event_webhook' && !it.url) problems.push(`${label(S, 'integrations', i, it)}: an event_webhook needs a url`);
		if (it.place_id != null && !places.has(it.place_id))
			problems.push(`${label(S, 'integrations', i, it)}: place_id ${it.place_id} does not exist`);
	});
}

function checkValidity(problems: string[], l: string, from?: string | null, until?: string | null): void {
	if (from && until && Date.parse(until) < Date.parse(from)) problems.push(`${l}: valid_until ${until} is before valid_from ${from}`);
}

function checkTeamUp(t: TeamUpScenario, problems: string[]): void {
	const S = 'teamup';
	const venues = checkUnique(problems, S, 'venues', t.venues);
	const memberships = checkUnique(problems, S, 'memberships', t.memberships);
	const customers = checkUnique(problems, S, 'customers', t.customers);
	const subs = checkUnique(problems, S, 'payment_subscriptions', t.payment_subscriptions);
	const cms = checkUnique(problems, S, 'customer_memberships', t.customer_memberships);
	t.customer_memberships.forEach((cm, i) => {
		const l = label(S, 'customer_memberships', i, cm);
		if (!customers.has(cm.customer)) problems.push(`${l}: customer ${cm.customer} does not exist`);
		if (!memberships.has(cm.membership)) problems.push(`${l}: membership ${cm.membership} does not exist`);
		if (cm.payment_subscription != null && !subs.has(cm.payment_subscription))
			problems.push(`${l}: payment_subscription ${cm.payment_subscription} does not exist`);
		if (cm.start_date && cm.expiration_date && cm.expiration_date < cm.start_date)
			problems.push(`${l}: expiration_date ${cm.expiration_date} is before start_date ${cm.start_date}`);
	});
	for (const key of Object.keys(t.customer_membership_usage)) {
		if (!/^\d+$/.test(key) || !cms.has(Number(key)))
			problems.push(`teamup.customer_membership_usage["${key}"]: customer membership ${key} does not exist`);
	}
	checkUnique(problems, S, 'customer_registration_blocks', t.customer_registration_blocks);
	t.customer_registration_blocks.forEach((b, i) => {
		if (!customers.has(b.customer))
			problems.push(`${label(S, 'customer_registration_blocks', i, b)}: customer ${b.customer} does not exist`);
	});
	const events = checkUnique(problems, S, 'events', t.events);
	t.events.forEach((e, i) => {
		const l = label(S, 'events', i, e);
		if (e.venue != null && !venues.has(e.venue)) problems.push(`${l}: venue ${e.venue} does not exist`);
		if (Date.parse(e.ends_at) < Date.parse(e.starts_at)) problems.push(`${l}: ends_at is before starts_at`);
	});
	checkUnique(problems, S, 'attendances', t.attendances);
	const pairs = new Map<string, number>();
	t.attendances.forEach((a, i) => {
		const l = label(S, 'attendances', i, a);
		if (!events.has(a.event)) problems.push(`${l}: event ${a.event} does not exist`);
		if (!customers.has(a.customer)) problems.push(`${l}: customer ${a.customer} does not exist`);
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
		if (inv.payer != null && !customers.has(inv.payer)) problems.push(`${l}: payer ${inv.payer} does not exist`);
	});
	checkUnique(problems, S, 'checkins', t.checkins);
	t.checkins.forEach((c, i) => {
		const l = label(S, 'checkins', i, c);
		if (!customers.has(c.customer)) problems.push(`${l}: customer ${c.customer} does not exist`);
		if (!venues.has(c.venue)) problems.push(`${l}: venue ${c.venue} does not exist`);
	});
}

function checkGlofox(g: GlofoxScenario, problems: string[]): void {
	const S = 'glofox';
	const members = checkUnique(problems, S, 'members', g.members);
	checkUnique(problems, S, 'memberships', g.memberships);
	const planCodes = new Set(g.memberships.flatMap((m) => (m.plans ?? []).map((p) => p.code)));
	g.members.forEach((m, i) => {
		const ms = m.membership;
		if (!ms) return;
		const l = label(S, 'members', i, m);
		if (ms.plan_code != null && !planCodes.has(Number(ms.plan_code)))
			problems.push(`${l}: membership.plan_code ${ms.plan_code} is not a plan of glofox.memberships`);
		if (ms.start_date != null && ms.expiry_date != null && ms.expiry_date < ms.start_date)
			problems.push(`${l}: membership.expiry_date is before membership.start_date`);
	});
	checkUnique(problems, S, 'credits', g.credits);
	g.credits.forEach((c, i) => {
		if (!members.has(c.user_id)) problems.push(`${label(S, 'credits', i, c)}: user_id ${c.user_id} does not exist`);
	});
	const events = checkUnique(problems, S, 'events', g.events);
	checkUnique(problems, S, 'bookings', g.bookings);
	g.bookings.forEach((b, i) => {
		const l = label(S, 'bookings', i, b);
		if (!members.has(b.user_id)) problems.push(`${l}: user_id ${b.user_id} does not exist`);
		if (!events.has(b.event_id)) problems.push(`${l}: event_id ${b.event_id} does not exist`);
	});
	checkUnique(problems, S, 'accesses', g.accesses);
	g.accesses.forEach((a, i) => {
		if (!members.has(a.user_id)) problems.push(`${label(S, 'accesses', i, a)}: user_id ${a.user_id} does not exist`);
	});
}

/** Checks a scenario (shape and invariants); returns it with defaults filled in or throws ScenarioError. */
export function parseScenario(input: unknown): Scenario {
	// The allocation-free interpretation of the schema first (a 50,000-member scenario loads in a
	// fraction of the time); zod itself when it fails, for the messages.
	const fast = compileSchema(scenarioSchema);
	const parsed: { success: true; data: Scenario } | z.SafeParseError<unknown> = fast.check(input)
		? { success: true, data: (fast.withDefaults ? fast.withDefaults(input) : input) as Scenario }
		: scenarioSchema.safeParse(input);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((issue) => {
			const { label: l, rest } = objectLabel(input, issue.path);
			const field = rest.length ? `${rest.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[')}: ` : '';
			return `${l}: ${field}${issue.message}`;
		});
		throw new ScenarioError(problems);
	}
	const s = parsed.data;
	const problems: string[] = [];
	if (s.kisi) checkKisi(s.kisi, problems);
	if (s.teamup) checkTeamUp(s.teamup, problems);
	if (s.glofox) checkGlofox(s.glofox, problems);
	if (problems.length) throw new ScenarioError(problems);
	return s;
}

export function readScenarioFile(file: string): unknown {
	const text = readFileSync(file, 'utf8');
	try {
		return JSON.parse(text);
	} catch (e) {
		throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
	}
}

// ---------------------------------------------------------------------------------------------
// Time shifting (--realtime)

const GLOFOX_UNIX_FIELDS = new Set([
	'created',
	'modified',
	'start_date',
	'expiry_date',
	'end_date',
	'time_start',
	'time_finish',
	'open_booking_time',
	'close_booking_time',
	'canceled_at',
	'entry_at',
	'joined_at',
]);
const TEAMUP_DATE_FIELDS = new Set(['start_date', 'expiration_date', 'renewal_date', 'end_date', 'due_date', 'next_billing_date']);

/**
 * Shifts every instant of a scenario by `deltaMs` (ISO strings and Glofox Unix seconds exactly, so
 * every relation between `now` and the data is kept), and TeamUp's date-only fields by the number
 * of calendar days the local date of `now` moves in the business's time zone.
 */
export function shiftScenario<T extends ScenarioInput>(scenario: T, deltaMs: number): T {
	const out = structuredClone(scenario) as T & Record<string, unknown>;
	const deltaSec = Math.round(deltaMs / 1000);
	const shiftIso = (s: string) => new Date(Date.parse(s) + deltaMs).toISOString();
	let dayShift = 0;
	if (out.now) {
		const tz = (out.teamup?.venues?.[0] as { timezone?: string } | undefined)?.timezone ?? 'UTC';
		const from = DateTime.fromMillis(Date.parse(out.now), { zone: tz }).startOf('day');
		const to = DateTime.fromMillis(Date.parse(out.now) + deltaMs, { zone: tz }).startOf('day');
		dayShift = Math.round(to.diff(from, 'days').days);
	}
	const shiftDate = (s: string) => DateTime.fromISO(s, { zone: 'UTC' }).plus({ days: dayShift }).toISODate()!;
	const walk = (node: unknown, service: 'kisi' | 'teamup' | 'glofox'): unknown => {
		if (Array.isArray(node)) return node.map((n) => walk(n, service));
		if (node && typeof node === 'object') {
			const o = node as Record<string, unknown>;
			for (const [k, v] of Object.entries(o)) {
				if (typeof v === 'string' && isIsoInstant(v)) o[k] = shiftIso(v);
				else if (service === 'teamup' && typeof v === 'string' && TEAMUP_DATE_FIELDS.has(k) && isDateOnly(v)) o[k] = shiftDate(v);
				else if (service === 'glofox' && typeof v === 'number' && GLOFOX_UNIX_FIELDS.has(k)) o[k] = v + deltaSec;
				else if (v && typeof v === 'object') o[k] = walk(v, service);
			}
		}
		return node;
	};
	if (out.now) out.now = shiftIso(out.now);
	if (out.kisi) walk(out.kisi, 'kisi');
	if (out.teamup) walk(out.teamup, 'teamup');
	if (out.glofox) walk(out.glofox, 'glofox');
	return out;
}
