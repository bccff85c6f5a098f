/**
 * Kisi's side of HTTP: its error bodies, the `{"<resource>": {...}}` write payload, limit/offset
 * paging with `X-Collection-Range`, and the query parameters its listings share.
 */
import { type Ctx, idSet, isObject, jsonBody } from '../service';
import { type HttpResult, isInt, isResult, json } from '../util';
import type { KisiStore } from '.';
import type { KisiPrincipal, Rec } from './records';

export const KISI_OFFSET_MAX = 20000;

/** Error codes the sandbox uses where Kisi documents none (the unlock codes are Kisi's own). */
export const KISI_ERROR_CODES: Record<number, string> = {
	400: 'e40000',
	401: 'e40100',
	403: 'e40300',
	404: 'e40400',
	405: 'e40500',
	409: 'e40900',
	422: 'e42200',
	429: 'e42900',
	500: 'ffffff',
	502: 'ffffff',
	503: 'fac001',
	504: 'ffffff',
};
const DEFAULT_MESSAGES: Record<number, string> = {
	400: 'Bad request',
	401: 'Unauthorized: missing or invalid login',
	403: 'Forbidden',
	404: 'Not found',
	405: 'Method not allowed',
	409: 'Conflict',
	422: 'Unprocessable entity',
	429: 'Too many requests: the rate limit is 5 requests per second per user',
	500: 'An unexpected issue occurred',
	502: 'Bad gateway',
	503: 'Service unavailable',
	504: 'Gateway timeout',
};

export function kisiError(status: number, message?: string, code?: string): HttpResult {
	return json(status, {
		error: message ?? DEFAULT_MESSAGES[status] ?? 'Error',
		code: code ?? KISI_ERROR_CODES[status] ?? 'ffffff',
	});
}

/** 422 `{"errors": {field: [...]}}`, Kisi's validation answer. */
export const validationError = (errors: Record<string, string[]>): HttpResult => json(422, { errors });

/** The validation answer for the problems collected so far; `undefined` when there are none. */
export const invalidIfAny = (errors: Record<string, string[]>): HttpResult | undefined =>
	Object.keys(errors).length ? validationError(errors) : undefined;

/** The `{"<resource>": {...}}` payload Kisi expects on writes. */
export function wrapped(ctx: Ctx<unknown>, resource: string): Rec | HttpResult {
	const parsed = jsonBody(ctx);
	if (!parsed.ok) return kisiError(400, `The request body is not valid JSON: ${parsed.error}`);
	const body = parsed.value;
	if (!isObject(body) || !isObject(body[resource])) return kisiError(400, `param is missing or the value is empty: ${resource}`);
	return body[resource] as Rec;
}

/** The record a path's `:id` names, or Kisi's 404 (`<what> not found`). */
export function byId<T>(map: ReadonlyMap<number, T>, ctx: Ctx<unknown>, what: string, code?: string): T | HttpResult {
	return map.get(Number(ctx.params.id)) ?? kisiError(404, `${what} not found`, code);
}

/** `GET /<resource>/{id}`: the record serialized, or Kisi's 404. */
export function one<T>(map: ReadonlyMap<number, T>, ctx: Ctx<unknown>, what: string, serialize: (t: T) => unknown, code?: string): HttpResult {
	const found = byId(map, ctx, what, code);
	return isResult(found) ? found : json(200, serialize(found));
}

// -------------------------------------------------------------------------------------------------
// Listing: limit/offset + X-Collection-Range

const LIST_LIMITS: Record<string, { def: number; max: number }> = {
	groups: { def: 10, max: 250 },
	group_locks: { def: 10, max: 250 },
	shares: { def: 10, max: 250 },
	role_assignments: { def: 10, max: 250 },
	integrations: { def: 10, max: 250 },
	users: { def: 50, max: 100 },
	places: { def: 50, max: 250 },
	locks: { def: 50, max: 250 },
};

/** One page of `items` (`limit`, `offset` ≤ the scenario's `offsetMax`), its range in `X-Collection-Range`. */
export function list<T>(k: KisiStore, ctx: Ctx<unknown>, resource: string, items: T[], serialize: (t: T) => unknown): HttpResult {
	const { def, max } = LIST_LIMITS[resource];
	const errors: Record<string, string[]> = {};
	const num = (name: string, value: string | undefined, fallback: number, upper: number): number => {
		if (value === undefined || value === '') return fallback;
		if (!isInt(value)) {
			errors[name] = ['must be an integer'];
			return fallback;
		}
		const n = Number(value);
		if (n < 0) errors[name] = ['must be greater than or equal to 0'];
		else if (n > upper) errors[name] = [`must be less than or equal to ${upper}`];
		return n;
	};
	const limit = num('limit', ctx.query.limit, def, max);
	const offset = num('offset', ctx.query.offset, 0, k.offsetMax);
	const invalid = invalidIfAny(errors);
	if (invalid) return invalid;
	const total = items.length;
	const page = items.slice(offset, offset + limit);
	const range = page.length === 0 ? `*/${total}` : `${offset}-${offset + limit - 1}/${total}`;
	return json(200, page.map(serialize), { 'X-Collection-Range': range });
}

/** `sort=name|-name` (ties by id); absent: the order given. */
export function sortByName<T extends { name: string | null; id: number }>(ctx: Ctx<unknown>, items: T[]): T[] | HttpResult {
	const sort = ctx.query.sort;
	if (sort === undefined || sort === '') return items;
	if (sort !== 'name' && sort !== '-name') return validationError({ sort: ['is not included in the list'] });
	const dir = sort === 'name' ? 1 : -1;
	return [...items].sort((a, b) => dir * (a.name ?? '').localeCompare(b.name ?? '') || a.id - b.id);
}

// -------------------------------------------------------------------------------------------------
// Query parameters (readers for `readQuery`)

/** `ids=1,2,3`: a set. */
export const ids = idSet((name) => validationError({ [name]: ['must be a comma-separated list of integers'] }));

/** An integer. */
export function int(ctx: Ctx<unknown>, name: string): number | undefined | HttpResult {
	const v = ctx.query[name];
	if (v === undefined || v === '') return undefined;
	if (!isInt(v)) return validationError({ [name]: ['must be an integer'] });
	return Number(v);
}

/** An integer, or `me`: the API key's user. */
export function intOrMe(ctx: Ctx<KisiPrincipal>, name: string): number | undefined | HttpResult {
	return ctx.query[name] === 'me' ? ctx.principal.user.id : int(ctx, name);
}

/** An integer the listing cannot do without. */
export function requiredInt(ctx: Ctx<unknown>, name: string): number | HttpResult {
	return int(ctx, name) ?? validationError({ [name]: ["can't be blank"] });
}

/** `scope=organization|place`. */
export function scope(ctx: Ctx<unknown>, name: string): 'organization' | 'place' | undefined | HttpResult {
	const v = ctx.query[name];
	if (v !== undefined && v !== 'organization' && v !== 'place') return validationError({ [name]: ['is not included in the list'] });
	return v as 'organization' | 'place' | undefined;
}

/** Whether a record of a place (`place_id`, null = the organization's) is in a `scope`. */
export const inScope = (s: 'organization' | 'place' | undefined, placeId: number | null): boolean =>
	s === undefined || (s === 'organization' ? placeId === null : placeId !== null);

/** `true` / `false`; anything else: no filter. */
export function flag(ctx: Ctx<unknown>, name: string): boolean | undefined {
	const v = ctx.query[name];
	return v === 'true' ? true : v === 'false' ? false : undefined;
}
