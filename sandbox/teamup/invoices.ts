/** `/invoices` (whose status tells a failed or retrying payment). */
import { type Ctx, type Route, readQuery, route } from '../service';
import { type HttpResult, isResult } from '../util';
import type { TeamUpStore } from '.';
import { choices, expandOf, invalid, one, oneOf, page } from './http';
import { invoiceJson } from './json';
import type { Invoice, TeamUpPrincipal } from './records';
import { TEAMUP_INVOICE_STATUSES } from './schema';

/** A number (no invoice here belongs to a store order, so any given one matches nothing). */
function storeOrder(ctx: Ctx<unknown>, name: string): string | undefined | HttpResult {
	const v = ctx.query[name];
	return v !== undefined && v !== '' && Number.isNaN(Number(v)) ? invalid({ [name]: ['Enter a number.'] }) : v;
}

export function invoiceRoutes(t: TeamUpStore): Route<TeamUpPrincipal>[] {
	return [
		route('GET', '/invoices', (ctx) => {
			// Documented filters: `status` (comma lists accepted: undocumented), `sort` ±due_date and
			// `store_order` (no invoice here belongs to a store order). Others (`payer`, `ids`) are not
			// TeamUp's and, as Django REST framework does, are ignored.
			const q = readQuery(ctx, { status: choices(TEAMUP_INVOICE_STATUSES), sort: oneOf(['due_date', '-due_date']), store_order: storeOrder });
			if (isResult(q)) return q;
			const items = () => {
				const list = [...t.invoices.values()].filter((i) => (!q.status || q.status.includes(i.status)) && (q.store_order === undefined || q.store_order === ''));
				if (q.sort) {
					const dir = q.sort.startsWith('-') ? -1 : 1;
					const due = (i: Invoice) => i.due_date ?? i.created_at!.slice(0, 10);
					list.sort((a, b) => dir * due(a).localeCompare(due(b)) || a.id - b.id);
				}
				return list;
			};
			const exp = expandOf(ctx);
			return page(t, ctx, items, (i) => invoiceJson(t, i, exp));
		}),
		route('GET', '/invoices/:id', (ctx) => one(t.invoices, ctx, (i) => invoiceJson(t, i, expandOf(ctx)))),
	];
}
