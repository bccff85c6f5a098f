/**
 * Glofox's side of HTTP: its `success:false` error bodies, page/limit paging in its two list
 * envelopes, the query parameters its listings share, the branch in the path, and write bodies.
 */
import { type Ctx, isObject, jsonBody, listed } from '../service';
import { HEX24, type HttpResult, csv, isInt, isResult, json } from '../util';
import type { GlofoxStore } from '.';
import type { Rec } from './records';

/** Glofox's refusal: `{success: false, message, message_code}`, mostly with status 200. */
export const fail = (message: string, message_code: string, status = 200): HttpResult => json(status, { success: false, message, message_code });

/** The answer to a path Glofox does not know. */
export const wrongUrl = (): HttpResult => fail('Route not found', 'WRONG_URL', 404);

// -------------------------------------------------------------------------------------------------
// Paging and envelopes

export function paging(ctx: Ctx<unknown>): { page: number; limit: number } | HttpResult {
	let page = 1;
	let limit = 50;
	if (ctx.query.page !== undefined) {
		if (!isInt(ctx.query.page) || Number(ctx.query.page) < 1) return fail('The page must be an integer of at least 1.', 'INVALID_PAGE');
		page = Number(ctx.query.page);
	}
	if (ctx.query.limit !== undefined) {
		if (!isInt(ctx.query.limit) || Number(ctx.query.limit) < 1) return fail('The limit must be an integer of at least 1.', 'INVALID_LIMIT');
		limit = Number(ctx.query.limit);
		if (limit > 100) return fail('The limit may not be greater than 100.', 'INVALID_LIMIT');
	}
	return { page, limit };
}

const slice = <T>(items: T[], p: { page: number; limit: number }): T[] => items.slice((p.page - 1) * p.limit, p.page * p.limit);

/** Envelope A: `{object:"list", page, limit, has_more, total_count, data}`. */
export function list<T>(
	g: GlofoxStore,
	ctx: Ctx<unknown>,
	source: T[] | (() => T[]),
	serialize: (t: T) => Rec,
	extra?: (page: Rec[]) => Rec,
	cacheExtra = '',
): HttpResult {
	const p = paging(ctx);
	if (isResult(p)) return p;
	const items = listed(g, ctx, source, cacheExtra);
	const data = slice(items, p).map(serialize);
	return json(200, {
		object: 'list',
		page: p.page,
		limit: p.limit,
		has_more: p.page * p.limit < items.length,
		total_count: items.length,
		...(extra ? extra(data) : {}),
		data,
	});
}

/** Envelope B (2.2): `{success, meta: {totalCount, page, limit}, data}`, for paging read beforehand. */
export function metaList<T>(g: GlofoxStore, ctx: Ctx<unknown>, p: { page: number; limit: number }, source: () => T[], serialize: (t: T) => Rec): HttpResult {
	const items = listed(g, ctx, source);
	return json(200, { success: true, meta: { totalCount: items.length, page: p.page, limit: p.limit }, data: slice(items, p).map(serialize) });
}

/** `GET /…/{id}` of a 24-hex id: the record serialized, `notFound` (message, code) for an unknown id. */
export function one<T>(map: ReadonlyMap<string, T>, id: string, serialize: (t: T) => Rec, notFound: [string, string]): HttpResult {
	if (!HEX24.test(id)) return wrongUrl();
	const found = map.get(id);
	return found ? json(200, serialize(found)) : fail(...notFound);
}

// -------------------------------------------------------------------------------------------------
// Query parameters (readers for `readQuery`)

/** `true` | `false` | `any`, `def` when absent. */
export const triState =
	(def: boolean) =>
	(ctx: Ctx<unknown>, name: string): boolean | 'any' | HttpResult => {
		const v = ctx.query[name];
		if (v === undefined || v === '') return def;
		if (v === 'any') return 'any';
		if (v === 'true') return true;
		if (v === 'false') return false;
		return fail(`The ${name} parameter must be true, false or any.`, `INVALID_${name.toUpperCase()}`);
	};

/** Unix seconds (a fraction is cut off). */
export function unix(ctx: Ctx<unknown>, name: string): number | undefined | HttpResult {
	const v = ctx.query[name];
	if (v === undefined || v === '') return undefined;
	if (!/^-?\d+(\.\d+)?$/.test(v)) return fail(`The ${name} must be a Unix timestamp in seconds.`, `INVALID_${name.toUpperCase()}`);
	return Math.floor(Number(v));
}

/** A comma list of values out of `allowed` (`fallback` when absent); `refuse(bad)` answers another value. */
export const valuesOf =
	(allowed: readonly string[], refuse: (bad: string) => HttpResult, fallback?: string[]) =>
	(ctx: Ctx<unknown>, name: string): string[] | undefined | HttpResult => {
		const values = csv(ctx.query[name]) ?? fallback;
		const bad = values?.find((v) => !allowed.includes(v));
		return bad ? refuse(bad) : values;
	};

/** `sort_by` (`-created` when absent): a key, descending with a leading `-`. */
export function sortBy(ctx: Ctx<unknown>, name: string): { key: 'created' | 'time_start' | 'time_finish'; dir: 1 | -1 } | HttpResult {
	const v = ctx.query[name] ?? '-created';
	const key = v.replace(/^-/, '');
	if (key !== 'created' && key !== 'time_start' && key !== 'time_finish') return fail(`The sort_by ${v} is invalid.`, 'INVALID_SORT_BY');
	return { key, dir: v.startsWith('-') ? -1 : 1 };
}

/** The `{branch}` of a path: a 24-hex id (else no route), the credentials' branch (else INVALID_BRANCH_ID). */
export function checkBranch(g: GlofoxStore, ctx: Ctx<unknown>): HttpResult | undefined {
	const b = ctx.params.branch;
	if (!HEX24.test(b)) return wrongUrl();
	if (b !== g.branchId) return fail('The branch id in the path does not match the x-glofox-branch-id header', 'INVALID_BRANCH_ID');
	return undefined;
}

// -------------------------------------------------------------------------------------------------
// Writes

/**
 * The JSON body of a write (an object; anything else counts as empty). A key without write access
 * (`write_access: false`) gets Glofox's INVALID_USER_TYPE first: its HTTP status is undocumented;
 * the sandbox answers 403 (sandbox/README.md), the pack reads it at any status.
 */
export function writeBody(g: GlofoxStore, ctx: Ctx<unknown>): Rec | HttpResult {
	if (!g.writeAccess) return fail('This user type is not allowed to perform this action', 'INVALID_USER_TYPE', 403);
	const parsed = jsonBody(ctx);
	if (!parsed.ok) return fail(`The request body is not valid JSON: ${parsed.error}`, 'INVALID_JSON');
	return isObject(parsed.value) ? parsed.value : {};
}
