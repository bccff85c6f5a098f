/**
 * The decisions of TeamUp → Check In (docs/spec/contracts.md "Check In"). Pure module: no n8n imports.
 * The cooldown both Check In operations share is nodes/shared/cooldown.ts.
 */
import { normaliseEmail } from '../../AccessRuleEvaluator/engine/email';
import { idOf, isObject, isoInstant, type Json, localDate, registrationStatus } from './profile';

export interface WindowOptions {
	minutesBefore: number;
	minutesAfter: number;
}

export interface CandidateRegistration {
	attendance: Json;
	event: Json;
	eventId: string;
	startsAt: string;
	endsAt: string;
	/** `registered` or `attended` (see {@link registrationStatus}). */
	status: string;
}

/** Statuses whose session a person may check into. Waitlisted people have no place. */
const CHECKABLE = new Set(['registered', 'attended']);

/**
 * The registration to confirm for an entry at `atMs`: among the registrations (registered or
 * already attended) whose window `[start − minutesBefore, end + minutesAfter]` contains the
 * instant, the earliest one not yet attended; if all of them are attended, the earliest (nothing
 * to confirm again). Undefined when no window contains the instant.
 */
export function selectRegistration(
	attendances: Json[],
	events: Map<string, Json>,
	atMs: number,
	options: WindowOptions,
): CandidateRegistration | undefined {
	const matching: CandidateRegistration[] = [];
	for (const attendance of attendances) {
		const eventId = idOf(attendance.event);
		const event = (eventId ? events.get(eventId) : undefined) ?? (isObject(attendance.event) ? attendance.event : undefined);
		if (!event || !eventId) continue;
		const status = registrationStatus(attendance, event);
		if (!CHECKABLE.has(status)) continue;
		const startsAt = isoInstant(event.starts_at);
		const endsAt = isoInstant(event.ends_at) ?? startsAt;
		if (!startsAt || !endsAt) continue;
		const opens = Date.parse(startsAt) - options.minutesBefore * 60_000;
		const closes = Date.parse(endsAt) + options.minutesAfter * 60_000;
		if (atMs < opens || atMs > closes) continue;
		matching.push({ attendance, event, eventId, startsAt, endsAt, status });
	}
	matching.sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.eventId.localeCompare(b.eventId, 'en', { numeric: true }));
	return matching.find((candidate) => candidate.status === 'registered') ?? matching[0];
}

/** How far back the attendance query must reach so that a session that ended `minutesAfter` ago is seen. */
export const LONGEST_SESSION_HOURS = 24;

/** The `event_starts_at_gte` / `_lte` range that finds every registration whose window can contain `atMs`. */
export function registrationSearchRange(atMs: number, options: WindowOptions): { from: string; to: string } {
	return {
		from: new Date(atMs - options.minutesAfter * 60_000 - LONGEST_SESSION_HOURS * 3_600_000).toISOString(),
		to: new Date(atMs + options.minutesBefore * 60_000).toISOString(),
	};
}

/** Customers whose email equals `email` (case-insensitive, trimmed): TeamUp's `query` also matches names and parts. */
export function exactEmailMatches(customers: Json[], email: string): Json[] {
	const wanted = normaliseEmail(email);
	return customers.filter((customer) => normaliseEmail(customer.email) === wanted);
}

// ---------------------------------------------------------------------------------------------
// Front-desk check-in

/**
 * The body of `POST /checkins` (TeamUp's reference:
 * github.com/rob693/teamup-api-docs/blob/HEAD/endpoints_checkins-create.md): `date` is a calendar
 * date (`string<date>`), the venue's local day of the entry; `venue` and `customer` are required. `customer_membership` and `comped` are left out: TeamUp picks the membership.
 */
export function checkinBody(input: { customer: number; venue: number; atMs: number; zone: string }): { date: string; venue: number; customer: number } {
	return { date: localDate(input.atMs, input.zone), venue: input.venue, customer: input.customer };
}
