/** The membership catalogue (`/2.0/memberships`) and members' class credits (`/2.0/credits`). */
import { type Route, readQuery, route } from '../service';
import { isResult } from '../util';
import type { GlofoxStore } from '.';
import { fail, list, one, triState } from './http';
import { catalogueJson, creditJson } from './json';
import type { GlofoxPrincipal } from './records';

export function membershipRoutes(g: GlofoxStore): Route<GlofoxPrincipal>[] {
	return [
		route('GET', '/2.0/memberships', (ctx) => {
			const q = readQuery(ctx, { private: triState(false) });
			if (isResult(q)) return q;
			const items = [...g.memberships.values()].filter((m) => q.private === 'any' || (m.private ?? false) === q.private);
			return list(g, ctx, items, (m) => catalogueJson(g, m));
		}),
		route('GET', '/2.0/memberships/:id', (ctx) =>
			one(g.memberships, ctx.params.id, (m) => catalogueJson(g, m), ['Membership not found', 'MEMBERSHIP_NOT_FOUND']),
		),
		route('GET', '/2.0/credits', (ctx) => {
			const userId = ctx.query.user_id;
			if (!userId) return fail('The user id field is required.', 'USER_ID_IS_REQUIRED');
			const items = g.creditsByUser.get(userId);
			return list(
				g,
				ctx,
				items,
				(c) => creditJson(g, c),
				(page) => ({
					total_value: page.reduce((sum, c) => sum + (typeof c.available === 'number' ? c.available : 0), 0),
				}),
			);
		}),
	];
}
