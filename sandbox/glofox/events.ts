/** The branch (`/2.0/branches/{b}`) and its events: classes, courses and time slots. */
import { type Ctx, type Route, readQuery, route } from '../service';
import { type HttpResult, csv, isResult, json } from '../util';
import type { GlofoxStore } from '.';
import { checkBranch, fail, list, one, sortBy, triState, unix, valuesOf } from './http';
import { branchJson, eventJson } from './json';
import type { Event, GlofoxPrincipal } from './records';

const EVENT_FILTERS = ['event', 'course', 'timeslot'];

export function eventRoutes(g: GlofoxStore): Route<GlofoxPrincipal>[] {
	/** `GET /2.0/branches/{b}/events` and the deprecated `GET /2.0/events`. */
	const listEvents = (ctx: Ctx<GlofoxPrincipal>): HttpResult => {
		const q = readQuery(ctx, {
			start: unix,
			end: unix,
			utc_modified_start_date: unix,
			utc_modified_end_date: unix,
			filter: valuesOf(EVENT_FILTERS, (bad) => fail(`The filter ${bad} is invalid: use event, course or timeslot.`, 'INVALID_FILTER'), ['event']),
			active: triState(true),
			private: triState(false),
			sort_by: sortBy,
		});
		if (isResult(q)) return q;
		const start = q.start ?? g.clock.nowSec();
		const end = q.end ?? start + 86400;
		const filters = q.filter!;
		const programs = csv(ctx.query.programs);
		const trainers = csv(ctx.query.trainers);
		const { key: sortKey, dir } = q.sort_by;
		const key = (e: Event): number => (sortKey === 'created' ? (e.created as number) : sortKey === 'time_start' ? e.time_start : e.time_start + e.duration * 60);
		const items = () =>
			[...g.events.values()]
				.filter(
					(e) =>
						e.time_start >= start &&
						e.time_start <= end &&
						filters.includes(e.type ?? 'event') &&
						(q.active === 'any' || (e.active ?? true) === q.active) &&
						(q.private === 'any' || (e.private ?? false) === q.private) &&
						(!programs || programs.includes(String(e.program_id))) &&
						(!trainers || (Array.isArray(e.trainers) && e.trainers.some((x) => trainers.includes(String(x))))) &&
						(q.utc_modified_start_date === undefined || (e.modified as number) >= q.utc_modified_start_date) &&
						(q.utc_modified_end_date === undefined || (e.modified as number) <= q.utc_modified_end_date),
				)
				.sort((a, b) => dir * (key(a) - key(b)));
		return list(g, ctx, items, (e) => eventJson(g, e), undefined, `${start}-${end}`);
	};
	const oneEvent = (id: string): HttpResult => one(g.events, id, (e) => eventJson(g, e), ['Event not found', 'EVENT_NOT_FOUND']);
	return [
		route('GET', '/2.0/branches/:branch', (ctx) => checkBranch(g, ctx) ?? json(200, branchJson(g))),
		route('GET', '/2.0/branches/:branch/events', (ctx) => checkBranch(g, ctx) ?? listEvents(ctx)),
		route('GET', '/2.0/events', listEvents),
		route('GET', '/2.0/branches/:branch/events/:id', (ctx) => checkBranch(g, ctx) ?? oneEvent(ctx.params.id)),
		route('GET', '/2.0/events/:id', (ctx) => oneEvent(ctx.params.id)),
	];
}
