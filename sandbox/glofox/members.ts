/** `GET /2.0/members`, `/2.0/members/{id}` and the users search by email (`/2.1/branches/{b}/users`). */
import { type Route, readQuery, route } from '../service';
import { isResult } from '../util';
import type { GlofoxStore } from '.';
import { checkBranch, fail, list, one, triState, unix } from './http';
import { memberJson } from './json';
import type { GlofoxPrincipal } from './records';

export function memberRoutes(g: GlofoxStore): Route<GlofoxPrincipal>[] {
	return [
		route('GET', '/2.0/members', (ctx) => {
			const q = readQuery(ctx, { active: triState(true), utc_modified_start_date: unix, utc_modified_end_date: unix });
			if (isResult(q)) return q;
			const { active, utc_modified_start_date: from, utc_modified_end_date: to } = q;
			const items = () =>
				[...g.members.values()].filter(
					(m) =>
						(active === 'any' || (m.active ?? true) === active) &&
						(from === undefined || m.modified! >= from) &&
						(to === undefined || m.modified! <= to),
				);
			return list(g, ctx, items, (m) => memberJson(g, m));
		}),
		route('GET', '/2.0/members/:id', (ctx) => one(g.members, ctx.params.id, (m) => memberJson(g, m, 'single'), ['User not found', 'USER_NOT_FOUND'])),
		route('GET', '/2.1/branches/:branch/users', (ctx) => {
			const bad = checkBranch(g, ctx);
			if (bad) return bad;
			const email = ctx.query['filters[email]'];
			if (!email) return fail('The filters.email field is required.', 'EMAIL_IS_REQUIRED');
			return list(g, ctx, g.membersByEmail.get(email), (m) => memberJson(g, m, 'single'));
		}),
	];
}
