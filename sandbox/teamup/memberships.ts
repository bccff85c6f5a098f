/** `/memberships` (the plans) and `/customer_memberships` (who holds one), with `…/usage`. */
import { type Route, readQuery, route } from '../service';
import { isDateOnly, isResult, json } from '../util';
import type { TeamUpStore } from '.';
import { bool, byId, choices, date, expandOf, ids, invalid, notAChoice, one, page, teamupError } from './http';
import { customerMembershipJson, membershipJson, usagePeriods } from './json';
import type { CustomerMembership, Membership, TeamUpPrincipal } from './records';

/** The filter spellings of `GET /customer_memberships` (they differ from the objects' values). */
const CM_STATUS_FILTER: Record<string, CustomerMembership['status']> = {
	active: 'active',
	hold: 'hold',
	complete: 'completed',
	cancelled: 'cancelled',
};
const CM_TYPE_FILTER: Record<string, Membership['type']> = {
	pack: 'pack',
	recurring: 'recurring_plan',
	prepaid: 'prepaid_plan',
};

export function membershipRoutes(t: TeamUpStore): Route<TeamUpPrincipal>[] {
	return [
		route('GET', '/memberships', (ctx) => {
			// Documented filters: the booleans and `categories` are applied; `forms`, `offering_type` and
			// `permits_registration_for_event` are not emulated (no forms or offering types here).
			const q = readQuery(ctx, { allow_repeat_purchases: bool, for_sale: bool, is_dropin: bool, visible_to_customers: bool, categories: ids });
			if (isResult(q)) return q;
			const { categories, ...flags } = q;
			const items = [...t.memberships.values()].filter((m) => {
				const r = membershipJson(t, m, ctx);
				for (const [name, wanted] of Object.entries(flags)) if (wanted !== undefined && r[name] !== wanted) return false;
				return !categories || (typeof r.category === 'number' && categories.has(r.category));
			});
			return page(t, ctx, items, (m) => membershipJson(t, m, ctx));
		}),
		route('GET', '/memberships/:id', (ctx) => one(t.memberships, ctx, (m) => membershipJson(t, m, ctx))),
	];
}

export function customerMembershipRoutes(t: TeamUpStore): Route<TeamUpPrincipal>[] {
	return [
		route('GET', '/customer_memberships', (ctx) => {
			const q = readQuery(ctx, {
				customer: ids,
				ids,
				membership: ids,
				status: choices(Object.keys(CM_STATUS_FILTER)),
				membership_type: choices(Object.keys(CM_TYPE_FILTER)),
				has_active_hold: bool,
				has_expiration_date: bool,
				start_date_gte: date,
				start_date_lte: date,
				expiration_date_gte: date,
				expiration_date_lte: date,
			});
			if (isResult(q)) return q;
			const statusSet = q.status && new Set(q.status.map((s) => CM_STATUS_FILTER[s]));
			const typeSet = q.membership_type && new Set(q.membership_type.map((x) => CM_TYPE_FILTER[x]));
			const today = t.clock.nowIso().slice(0, 10);
			const sort = ctx.query.sort;
			const desc = sort?.startsWith('-') ?? false;
			const sortKey = sort ? (desc ? sort.slice(1) : sort) : undefined;
			const sortGet: Record<string, (cm: CustomerMembership) => string> = {
				start_date: (cm) => cm.start_date ?? '',
				expiration_date: (cm) => cm.expiration_date ?? '9999-99-99',
				status: (cm) => cm.status,
				'membership.name': (cm) => t.memberships.get(cm.membership)!.name,
				'membership.type': (cm) => t.memberships.get(cm.membership)!.type,
			};
			if (sortKey && !sortGet[sortKey]) return notAChoice('sort', sort!);
			const items = () => {
				const source = q.customer
					? [...q.customer].flatMap((c) => t.cmsByCustomer.get(c)).sort((a, b) => a.id - b.id)
					: [...t.customerMemberships.values()];
				const inRange = (v: string | null | undefined, gte?: string, lte?: string) => (!gte || (v != null && v >= gte)) && (!lte || (v != null && v <= lte));
				let filtered = source.filter((cm) => {
					if (q.ids && !q.ids.has(cm.id)) return false;
					if (q.membership && !q.membership.has(cm.membership)) return false;
					if (statusSet && !statusSet.has(cm.status)) return false;
					if (typeSet && !typeSet.has(t.memberships.get(cm.membership)!.type)) return false;
					if (q.has_active_hold !== undefined) {
						const h = cm.active_hold;
						const holding = h != null && (typeof h === 'number' || h.end_date == null || h.end_date >= today);
						if (holding !== q.has_active_hold) return false;
					}
					if (q.has_expiration_date !== undefined && (cm.expiration_date != null) !== q.has_expiration_date) return false;
					return inRange(cm.start_date, q.start_date_gte, q.start_date_lte) && inRange(cm.expiration_date, q.expiration_date_gte, q.expiration_date_lte);
				});
				if (sortKey) {
					const get = sortGet[sortKey];
					filtered = [...filtered].sort((a, b) => (desc ? -1 : 1) * get(a).localeCompare(get(b)) || a.id - b.id);
				}
				return filtered;
			};
			const exp = expandOf(ctx);
			return page(t, ctx, items, (cm) => customerMembershipJson(t, cm, ctx, exp), 100, today);
		}),
		route('GET', '/customer_memberships/:id', (ctx) => one(t.customerMemberships, ctx, (cm) => customerMembershipJson(t, cm, ctx, expandOf(ctx)))),
		route('GET', '/customer_memberships/:id/usage', (ctx) => {
			const cm = byId(t.customerMemberships, ctx.params.id);
			if (!cm) return teamupError(404);
			if (ctx.query.date !== undefined && !isDateOnly(ctx.query.date)) return invalid({ date: ['Enter a valid date.'] });
			return json(200, { usage_periods: usagePeriods(t, cm) });
		}),
	];
}
