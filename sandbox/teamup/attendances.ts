/**
 * `/attendances` (registrations, waitlist spots, attendance), and the course session lists:
 * scenarios hold no courses, so those documented lists are always empty; their filters are checked.
 */
import { type Route, readQuery, route } from '../service';
import { isResult } from '../util';
import type { TeamUpStore } from '.';
import { choices, expandOf, ids, instant, one, oneOf, page } from './http';
import { attendanceJson } from './json';
import type { Attendance, Rec, TeamUpPrincipal } from './records';

const ATTENDANCE_STATUS_FILTER = ['not_registered', 'registered', 'attended', 'no_show', 'late_cancelled', 'plans_to_attend'];

export function attendanceRoutes(t: TeamUpStore): Route<TeamUpPrincipal>[] {
	return [
		route('GET', '/attendances', (ctx) => {
			const q = readQuery(ctx, {
				customer: ids,
				event: ids,
				venue: ids,
				offering_types: ids,
				status: choices(ATTENDANCE_STATUS_FILTER),
				event_starts_at_gte: instant,
				event_starts_at_lte: instant,
				sort: oneOf(['event_starts_at', '-event_starts_at', 'customer.created_at', '-customer.created_at']),
			});
			if (isResult(q)) return q;
			const { customer: customers, event: events, venue: venues, offering_types: offeringTypes, status: statuses, sort } = q;
			const items = () => {
				let source: Attendance[];
				if (customers) source = [...customers].flatMap((c) => t.attendancesByCustomer.get(c));
				else if (events) source = [...events].flatMap((e) => t.attendancesByEvent.get(e));
				else source = [...t.attendances.values()];
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
					const e = t.events.get(a.event)!;
					const start = t.eventTimes.get(a.event)!.start;
					if (q.event_starts_at_gte !== undefined && start < q.event_starts_at_gte) return false;
					if (q.event_starts_at_lte !== undefined && start > q.event_starts_at_lte) return false;
					if (venues && (e.venue == null || !venues.has(e.venue))) return false;
					if (offeringTypes && (e.offering_type == null || !offeringTypes.has(e.offering_type))) return false;
					return true;
				});
				if (sort) {
					const dir = sort.startsWith('-') ? -1 : 1;
					const key = sort.endsWith('event_starts_at')
						? (a: Attendance) => t.eventTimes.get(a.event)!.start
						: (a: Attendance) => Date.parse(t.customers.get(a.customer)!.created_at ?? '');
					filtered.sort((a, b) => dir * (key(a) - key(b)) || a.id - b.id);
				}
				return filtered;
			};
			const exp = expandOf(ctx);
			return page(t, ctx, items, (a) => attendanceJson(t, a, ctx, exp));
		}),
		route('GET', '/attendances/:id', (ctx) => one(t.attendances, ctx, (a) => attendanceJson(t, a, ctx, expandOf(ctx)))),

		// Reference: github.com/rob693/teamup-api-docs/blob/HEAD/endpoints_course-sessions-list.md and
		// github.com/rob693/teamup-api-docs/blob/HEAD/attendance/endpoints_course-session-attendances-list.md
		route('GET', '/course_sessions', (ctx) => {
			const q = readQuery(ctx, {
				starts_at_gte: instant,
				starts_at_lte: instant,
				ends_at_gte: instant,
				ends_at_lte: instant,
				local_starts_at_gte: instant,
				local_starts_at_lte: instant,
				course: ids,
				venues: ids,
				offering_types: ids,
				instructors: ids,
				status: choices(['active', 'cancelled']),
			});
			return isResult(q) ? q : page(t, ctx, [] as Rec[], (s) => s);
		}),
		route('GET', '/course_session_attendances', (ctx) => {
			const q = readQuery(ctx, {
				course_session_starts_at_gte: instant,
				course_session_starts_at_lte: instant,
				course_session_local_starts_at_gte: instant,
				course_session_local_starts_at_lte: instant,
				customer: ids,
			});
			return isResult(q) ? q : page(t, ctx, [] as Rec[], (a) => a);
		}),
	];
}
