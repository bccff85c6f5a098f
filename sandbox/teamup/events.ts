/** `/events` and, when the scenario switches it on, `POST /events/{id}/confirm_attendance`. */
import { type Route, readQuery, route } from '../service';
import { type HttpResult, isResult, json, nextId } from '../util';
import type { TeamUpStore } from '.';
import { body, byId, choices, expandOf, ids, instant, invalid, one, oneOf, page, pk, teamupError } from './http';
import { attendanceJson, eventJson } from './json';
import type { Customer, Rec, TeamUpPrincipal } from './records';

export function eventRoutes(t: TeamUpStore): Route<TeamUpPrincipal>[] {
	return [
		route('GET', '/events', (ctx) => {
			const q = readQuery(ctx, {
				starts_at_gte: instant,
				starts_at_lte: instant,
				ends_at_gte: instant,
				ends_at_lte: instant,
				ids,
				venues: ids,
				offering_types: ids,
				status: choices(['active', 'cancelled']),
				sort: oneOf(['start', '-start', 'end', '-end']),
			});
			if (isResult(q)) return q;
			const sort = q.sort ?? 'start';
			const key = sort.endsWith('start') ? 'start' : 'end';
			const dir = sort.startsWith('-') ? -1 : 1;
			const items = () =>
				[...t.events.values()]
					.filter((e) => {
						const time = t.eventTimes.get(e.id)!;
						return (
							(q.starts_at_gte === undefined || time.start >= q.starts_at_gte) &&
							(q.starts_at_lte === undefined || time.start <= q.starts_at_lte) &&
							(q.ends_at_gte === undefined || time.end >= q.ends_at_gte) &&
							(q.ends_at_lte === undefined || time.end <= q.ends_at_lte) &&
							(!q.ids || q.ids.has(e.id)) &&
							(!q.venues || (e.venue != null && q.venues.has(e.venue))) &&
							(!q.offering_types || (e.offering_type != null && q.offering_types.has(e.offering_type))) &&
							(!q.status || q.status.includes(e.status ?? 'active'))
						);
					})
					.sort((a, b) => dir * (t.eventTimes.get(a.id)![key] - t.eventTimes.get(b.id)![key]) || a.id - b.id);
			const exp = expandOf(ctx);
			return page(t, ctx, items, (e) => eventJson(t, e, ctx, exp), 250);
		}),
		route('GET', '/events/:id', (ctx) => one(t.events, ctx, (e) => eventJson(t, e, ctx, expandOf(ctx)))),
		// Not in TeamUp's v2 reference: served only when the scenario switches `features.confirm_attendance`
		// on; otherwise the answer to an unknown route.
		route('POST', '/events/:id/confirm_attendance', (ctx) => {
			if (!t.features.confirm_attendance) return t.routeNotFound();
			const event = byId(t.events, ctx.params.id);
			if (!event) return teamupError(404);
			const b = body(ctx);
			if (isResult(b)) return b;
			const customer = customerField(t, b);
			if (isResult(customer)) return customer;
			let attendance = t.attendancesByEvent.get(event.id).find((a) => a.customer === customer.id);
			if (attendance) {
				attendance.status = 'attended';
				if (attendance.waitlist_spot) attendance.waitlist_spot = null;
			} else {
				attendance = { id: nextId(t.attendances.keys(), 1), customer: customer.id, event: event.id, status: 'attended', customer_membership: null };
				t.addAttendance(attendance);
			}
			(attendance as Rec).confirmed_at = t.clock.nowIso();
			return json(200, attendanceJson(t, attendance, ctx, expandOf(ctx)));
		}),
	];
}

/** The required `customer` of a body. */
function customerField(t: TeamUpStore, b: Rec): Customer | HttpResult {
	const errors: Record<string, string[]> = {};
	if (b.customer === undefined || b.customer === null || b.customer === '') return invalid({ customer: ['This field is required.'] });
	const c = pk(b.customer, t.customers, 'customer', errors);
	return c ?? invalid(errors);
}
