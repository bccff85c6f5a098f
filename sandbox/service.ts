/** The shape every emulated API has: routes, authentication, its own error bodies. */
import type { IncomingHttpHeaders } from 'node:http';
import type { ServiceName } from './ratelimit';
import type { HttpResult, ListCache, Query } from './util';

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
