/**
 * The `glofox` section of a scenario: Glofox's objects with the API's field names (sandbox/README.md,
 * "Scenario format"), and the invariants the API keeps across them.
 */
import { z } from 'zod';
import { checkRef, checkUnique, hex24, int, label, unixSec, zone } from '../scenarioKit';

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
		/** Webhook targets Glofox support set up (`POST /__sandbox/glofox/webhooks`): each gets every event, signed with its secret. */
		webhooks: z.array(z.object({ url: z.string().url(), secret: z.string().min(1) }).strict()).optional(),
	})
	.strict();

export type GlofoxScenario = z.output<typeof glofoxSchema>;

/** Glofox's Unix-second fields: `--realtime` shifts them with every instant. */
export const GLOFOX_UNIX_FIELDS = new Set([
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

/** The problems of a `glofox` section, each naming its object. */
export function checkGlofox(g: GlofoxScenario, problems: string[]): void {
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
		checkRef(problems, label(S, 'credits', i, c), 'user_id', c.user_id, members);
	});
	const events = checkUnique(problems, S, 'events', g.events);
	checkUnique(problems, S, 'bookings', g.bookings);
	g.bookings.forEach((b, i) => {
		const l = label(S, 'bookings', i, b);
		checkRef(problems, l, 'user_id', b.user_id, members);
		checkRef(problems, l, 'event_id', b.event_id, events);
	});
	checkUnique(problems, S, 'accesses', g.accesses);
	g.accesses.forEach((a, i) => {
		checkRef(problems, label(S, 'accesses', i, a), 'user_id', a.user_id, members);
	});
}
