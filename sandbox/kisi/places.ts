/** `/places` (read only). */
import { type Route, readQuery, route } from '../service';
import { isResult } from '../util';
import type { KisiStore } from '.';
import { ids, list, one, sortByName } from './http';
import { placeJson } from './json';
import type { KisiPrincipal } from './records';

export function placeRoutes(k: KisiStore): Route<KisiPrincipal>[] {
	return [
		route('GET', '/places', (ctx) => {
			const q = readQuery(ctx, { ids });
			if (isResult(q)) return q;
			const text = ctx.query.query?.toLowerCase();
			const items = [...k.places.values()].filter((p) => (!q.ids || q.ids.has(p.id)) && (!text || p.name.toLowerCase().includes(text)));
			const sorted = sortByName(ctx, items);
			if (isResult(sorted)) return sorted;
			return list(k, ctx, 'places', sorted, (p) => placeJson(k, p));
		}),
		route('GET', '/places/:id', (ctx) => one(k.places, ctx, 'Place', (p) => placeJson(k, p))),
	];
}
