/** `/customers` and `/customer_registration_blocks`. */
import { type Route, readQuery, route } from '../service';
import { isResult } from '../util';
import type { TeamUpStore } from '.';
import { bool, expandOf, ids, one, page } from './http';
import { blockJson, customerJson } from './json';
import type { TeamUpPrincipal } from './records';

export function customerRoutes(t: TeamUpStore): Route<TeamUpPrincipal>[] {
	return [
		route('GET', '/customers', (ctx) => {
			const q = readQuery(ctx, { ids, active_memberships: ids });
			if (isResult(q)) return q;
			const text = ctx.query.query?.trim().toLowerCase();
			const prefix = ctx.query.autocomplete?.trim().toLowerCase();
			const plans = q.active_memberships;
			const items = () =>
				[...t.customers.values()].filter((c) => {
					if (q.ids && !q.ids.has(c.id)) return false;
					if (text || prefix) {
						const name = `${c.first_name ?? ''} ${c.last_name ?? ''}`.toLowerCase();
						const email = (c.email ?? '').toLowerCase();
						if (text && !email.includes(text) && !name.includes(text)) return false;
						if (prefix && ![email, name, (c.last_name ?? '').toLowerCase()].some((f) => f.startsWith(prefix))) return false;
					}
					if (plans && !t.cmsByCustomer.get(c.id).some((cm) => cm.status === 'active' && plans.has(cm.membership))) return false;
					return true;
				});
			const exp = expandOf(ctx);
			return page(t, ctx, items, (c) => customerJson(t, c, ctx, exp));
		}),
		route('GET', '/customers/:id', (ctx) => one(t.customers, ctx, (c) => customerJson(t, c, ctx, expandOf(ctx)))),
	];
}

export function registrationBlockRoutes(t: TeamUpStore): Route<TeamUpPrincipal>[] {
	return [
		route('GET', '/customer_registration_blocks', (ctx) => {
			const q = readQuery(ctx, { customer: ids, is_active: bool });
			if (isResult(q)) return q;
			const source = q.customer ? [...q.customer].flatMap((c) => t.blocksByCustomer.get(c)).sort((a, b) => a.id - b.id) : [...t.blocks.values()];
			const items = source.filter((b) => q.is_active === undefined || b.is_active === q.is_active);
			return page(t, ctx, items, (b) => blockJson(b));
		}),
	];
}
