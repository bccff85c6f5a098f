/** `/venues`. */
import { type Ctx, type Route, readQuery, route } from '../service';
import { type HttpResult, isResult } from '../util';
import type { TeamUpStore } from '.';
import { bool, notAChoice, one, page } from './http';
import { venueJson } from './json';
import type { Rec, TeamUpPrincipal } from './records';

/** `status` takes one value (a string in the reference, not a list); empty: no filter. */
function venueStatus(ctx: Ctx<unknown>, name: string): string | undefined | HttpResult {
	const v = ctx.query[name];
	return v !== undefined && v !== '' && !['active', 'archived'].includes(v) ? notAChoice(name, v) : v;
}

export function venueRoutes(t: TeamUpStore): Route<TeamUpPrincipal>[] {
	return [
		route('GET', '/venues', (ctx) => {
			const q = readQuery(ctx, { status: venueStatus, has_active_sessions: bool });
			if (isResult(q)) return q;
			const items = [...t.venues.values()].filter((v) => {
				if (q.status && q.status !== ((v as Rec).archived ? 'archived' : 'active')) return false;
				if (q.has_active_sessions === undefined) return true;
				const active = [...t.events.values()].some((e) => e.venue === v.id && (e.status ?? 'active') === 'active');
				return active === q.has_active_sessions;
			});
			return page(t, ctx, items, (v) => venueJson(t, v, ctx));
		}),
		route('GET', '/venues/:id', (ctx) => one(t.venues, ctx, (v) => venueJson(t, v, ctx))),
	];
}
