/** The shape every emulated API has: routes, authentication, its own error bodies. */
import type { IncomingHttpHeaders } from 'node:http';
import type { ServiceName } from './ratelimit';
import { type HttpResult, type ListCache, type Query, csvInts, isResult, listKey } from './util';

export interface Ctx<P = unknown> {
	service: ServiceName;
	method: string;
	/** Path relative to the service base, e.g. `/shares/9001` (no trailing slash). */
	path: string;
	query: Query;
	rawQuery: string;
	headers: IncomingHttpHeaders;
	rawBody: string | undefined;
	/** The pattern's parameters, decoded (the segments of `path`). */
	params: Record<string, string>;
	/** `http://host:port` as the client addressed the sandbox (for absolute URLs in responses). */
	origin: string;
	ip: string;
	principal: P;
}

export type Handler<P> = (ctx: Ctx<P>) => HttpResult | Promise<HttpResult>;

export interface Route<P> {
	method: string;
	/**
	 * `/shares/:id`: static segments and `:name` parameters (one non-empty segment each). The
	 * server registers every pattern with fastify, whose router matches requests to them; the
	 * first route listed for a method and pattern serves it.
	 */
	pattern: string;
	handler: Handler<P>;
}

/** One entry of a service's route table: `route('GET', '/shares/:id', (ctx) => …)`. */
export function route<P>(method: string, pattern: string, handler: Handler<P>): Route<P> {
	return { method, pattern, handler };
}

/** Reads one query parameter: its value (`undefined` when absent) or the API's error answer. */
export type QueryReader<C, T> = (ctx: C, name: string) => T;

/** What `readQuery` found: each parameter's value, the error answers left out. */
export type Readings<R> = { [K in keyof R]: R[K] extends QueryReader<never, infer T> ? Exclude<T, HttpResult> : never };

/**
 * Reads the query parameters named by `readers`' keys, in that order, each with its reader; the
 * first error answer is returned (a listing reports its parameters in a fixed order).
 */
export function readQuery<C extends Ctx<unknown>, R extends Record<string, QueryReader<C, unknown>>>(ctx: C, readers: R): Readings<R> | HttpResult {
	const out: Record<string, unknown> = {};
	for (const [name, read] of Object.entries(readers)) {
		const value = read(ctx, name);
		if (isResult(value)) return value;
		out[name] = value;
	}
	return out as Readings<R>;
}

/** A reader of comma-separated integers (`ids=1,2,3`) as a set; `refuse(name)` answers a list with anything else. */
export const idSet =
	(refuse: (name: string) => HttpResult) =>
	(ctx: Ctx<unknown>, name: string): Set<number> | undefined | HttpResult => {
		const list = csvInts(ctx.query[name]);
		if (list === null) return refuse(name);
		return list ? new Set(list) : undefined;
	};

/**
 * The items of a listing: given as a list, or computed by `source` once for all the pages of the
 * same filters (kept in the service's cache under the path, the filters and `cacheExtra`).
 */
export function listed<T>(svc: { cache: ListCache }, ctx: Ctx<unknown>, source: T[] | (() => T[]), cacheExtra = ''): T[] {
	return typeof source === 'function' ? svc.cache.get(listKey(ctx.path, ctx.query, cacheExtra), source) : source;
}

export interface ServiceApi<P = unknown> {
	readonly name: ServiceName;
	readonly prefix: string;
	readonly routes: Route<P>[];
	/** Filtered listings kept between pages; emptied after every write. */
	readonly cache: ListCache;
	/** Who the request counts against for rate limiting (a user, a token, a key, or the IP). */
	rateKey(ctx: Ctx<undefined>): string;
	authenticate(ctx: Ctx<undefined>): { principal: P } | HttpResult;
	/** The service's own error body for a status (faults, 404, 405, 500). */
	errorResult(status: number, message?: string): HttpResult;
	rateLimited(): HttpResult;
	routeNotFound(ctx: Ctx<undefined>): HttpResult;
	/** Request headers (lower case) the request log keeps, for headers the API asks clients to send. */
	readonly loggedHeaders?: readonly string[];
}

/** The request body as JSON when the request says it is JSON; `undefined` when absent or not JSON-typed. */
export function jsonBody(ctx: Ctx<unknown>): { ok: true; value: unknown } | { ok: false; error: string } {
	const type = String(ctx.headers['content-type'] ?? '').toLowerCase();
	if (ctx.rawBody === undefined || ctx.rawBody.trim() === '') return { ok: true, value: undefined };
	if (!type.includes('json')) return { ok: true, value: undefined };
	try {
		return { ok: true, value: JSON.parse(ctx.rawBody) };
	} catch (e) {
		return { ok: false, error: (e as Error).message };
	}
}

export const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
