/** Bookings: the branch's (`GET /2.2/branches/{b}/bookings`) and one member's (`GET /2.0/bookings`). */
import { type Route, readQuery, route } from '../service';
import { isResult } from '../util';
import type { GlofoxStore } from '.';
import { checkBranch, fail, list, metaList, paging, sortBy, triState, unix, valuesOf } from './http';
import { booking20Json, booking22Json, bookingKind } from './json';
import type { Booking, GlofoxPrincipal } from './records';
import { GLOFOX_BOOKING_STATUSES } from './schema';

/** `event_type` values of `GET /2.2/branches/{b}/bookings`. */
const BOOKING22_EVENT_TYPES = ['events', 'courses', 'facilities', 'users', 'appointments'];

export function bookingRoutes(g: GlofoxStore): Route<GlofoxPrincipal>[] {
	/** A 2.2 booking's `event_type`: what `type` / `model` it lists with. */
	const eventType = (b: Booking): string => {
		const { kind, model20 } = bookingKind(g.events.get(b.event_id)!);
		return kind === 'event' ? 'events' : kind === 'course' ? 'courses' : model20;
	};
	return [
		route('GET', '/2.2/branches/:branch/bookings', (ctx) => {
			const bad = checkBranch(g, ctx);
			if (bad) return bad;
			const t = readQuery(ctx, {
				start_date: unix,
				end_date: unix,
				modified_start_date: unix,
				modified_end_date: unix,
				time_start_start_date: unix,
				time_start_end_date: unix,
				time_finish_start_date: unix,
				time_finish_end_date: unix,
			});
			if (isResult(t)) return t;
			const p = paging(ctx);
			if (isResult(p)) return p;
			const q = readQuery(ctx, {
				status: valuesOf(GLOFOX_BOOKING_STATUSES, (x) => fail(`The selected status ${x} is invalid.`, 'INVALID_STATUS')),
				event_type: valuesOf(BOOKING22_EVENT_TYPES, (x) => fail(`The selected event type ${x} is invalid.`, 'INVALID_EVENT_TYPE')),
			});
			if (isResult(q)) return q;
			const { status: statuses, event_type: eventTypes } = q;
			const eventId = ctx.query.event_id;
			const inRange = (v: number, from?: number, to?: number) => (from === undefined || v >= from) && (to === undefined || v <= to);
			const items = () =>
				[...g.bookings.values()].filter((b) => {
					if (statuses && !statuses.includes(b.status)) return false;
					if (eventId && b.event_id !== eventId) return false;
					if (eventTypes && !eventTypes.includes(eventType(b))) return false;
					if (!inRange(b.created!, t.start_date, t.end_date) || !inRange(b.modified!, t.modified_start_date, t.modified_end_date)) return false;
					const start = g.bookingStart(b);
					if (!inRange(g.localSec(start), t.time_start_start_date, t.time_start_end_date)) return false;
					const finish = start + g.bookingDuration(b) * 60;
					return inRange(g.localSec(finish), t.time_finish_start_date, t.time_finish_end_date);
				});
			return metaList(g, ctx, p, items, (b) => booking22Json(g, b));
		}),
		route('GET', '/2.0/bookings', (ctx) => {
			// Glofox's OpenAPI marks branchId and user_id required.
			if (!ctx.query.branchId) return fail('The branch id field is required.', 'BRANCH_ID_IS_REQUIRED');
			if (ctx.query.branchId !== g.branchId) return fail('The branchId does not match the x-glofox-branch-id header', 'INVALID_BRANCH_ID');
			const userId = ctx.query.user_id;
			if (!userId) return fail('The user id field is required.', 'USER_ID_IS_REQUIRED');
			const q = readQuery(ctx, { time_start: unix, time_end: unix, exclude_cancelled: triState(false), sort_by: sortBy });
			if (isResult(q)) return q;
			const from = q.time_start ?? g.clock.nowSec();
			const to = q.time_end ?? from + 86400;
			const eventId = ctx.query.event_id;
			const { key: sortKey, dir } = q.sort_by;
			const key = (b: Booking): number => (sortKey === 'created' ? b.created! : g.bookingStart(b) + (sortKey === 'time_finish' ? g.bookingDuration(b) * 60 : 0));
			const items = () =>
				g.bookingsByUser
					.get(userId)
					.filter((b) => {
						const start = g.bookingStart(b);
						return start >= from && start <= to && !(q.exclude_cancelled === true && b.status === 'CANCELED') && (!eventId || b.event_id === eventId);
					})
					.sort((a, b) => dir * (key(a) - key(b)));
			return list(g, ctx, items, (b) => booking20Json(g, b), undefined, `${from}-${to}`);
		}),
	];
}
