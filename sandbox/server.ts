/**
 * The HTTP server: one fastify instance serving the three APIs under their base paths and the
 * control endpoints under `/__sandbox`.
 *
 * Routing is fastify's: every pattern of the services' route tables (`/shares/:id`, …) is registered
 * once, for all methods, under the service's base path, and fastify's router (find-my-way) matches
 * each request to one of them; `${prefix}` and `${prefix}/*` catch the paths no pattern matches.
 * Before routing, an API request's URL is rewritten to its canonical path, the one the request log
 * and faults see (percent-decoded as a whole, one trailing slash dropped), with each segment
 * re-encoded, so that fastify matches exactly that path and hands back its segments as parameters.
 *
 * Every API request then goes through the same pipeline: faults → rate limit → authentication →
 * the handler of the CURRENT service instance for the matched method and pattern (the instances are
 * replaced when a scenario is loaded) → the service's own error bodies (404 for an unknown path, 405
 * for a known path without that method, `OPTIONS` → 204, `HEAD` served by `GET`). It is logged.
 */
import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { applyChange } from './changes';
import { faultSchema } from './faults';
import { registerGlofoxWebhookControl } from './glofox';
import type { ServiceName } from './ratelimit';
import { ScenarioError, rateLimitsSchema } from './scenario';
import type { Ctx, Handler, Route } from './service';
import { type SandboxState, routeKey } from './state';
import { type HttpResult, isInt, isIsoInstant, sleep, splitUrl } from './util';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const SERVICES: ServiceName[] = ['kisi', 'teamup', 'glofox'];

/** Bodies up to 1 GiB (a 50,000-member scenario posted to /__sandbox/scenario is tens of MB). */
const BODY_LIMIT = 1024 * 1024 * 1024;

/**
 * The patterns of a service that match the same paths (`/members/:id` and `/members/:userId`),
 * registered with fastify once as `url`, its parameters named `p0`, `p1`, … by position.
 */
interface Shape {
	url: string;
	patterns: { pattern: string; names: string[] }[];
}

/** Groups a service's patterns by shape, in the order they are first listed. */
export function shapesOf(routes: Route<unknown>[]): Shape[] {
	const shapes = new Map<string, Shape>();
	for (const { pattern } of routes) {
		const names: string[] = [];
		const url = pattern
			.split('/')
			// `(.+)`: a parameter is a non-empty segment (an empty one leaves the path to the catch-all).
			.map((seg) => (seg.startsWith(':') ? `:p${names.push(seg.slice(1)) - 1}(.+)` : seg))
			.join('/');
		let shape = shapes.get(url);
		if (!shape) shapes.set(url, (shape = { url, patterns: [] }));
		if (!shape.patterns.some((p) => p.pattern === pattern)) shape.patterns.push({ pattern, names });
	}
	return [...shapes.values()];
}

/** Requests whose URL `canonicalUrl` rewrote: only they are matched to a service's patterns. */
const canonical = new WeakSet<IncomingMessage>();

/**
 * An API request's URL with its path replaced by the canonical one (see the header), so fastify's
 * router sees the path exactly as the services do. Other URLs and methods are left alone, and so
 * are URLs fastify refuses (a malformed escape before `?` or `#`: 400 `FST_ERR_BAD_URL`, as it always was).
 */
function canonicalUrl(req: IncomingMessage, prefixes: string[]): string {
	const url = req.url ?? '/';
	// Other methods have no route: fastify's own 404 names the URL as sent.
	if (!(METHODS as readonly string[]).includes(req.method ?? '')) return url;
	const prefix = prefixes.find((p) => url === p || url.startsWith(`${p}/`) || url.startsWith(`${p}?`));
	if (prefix === undefined) return url;
	try {
		decodeURI(url.slice(0, url.search(/[?#]|$/)));
	} catch {
		return url;
	}
	const q = url.indexOf('?');
	const encoded = splitUrl(url, prefix).path.split('/').map(encodeURIComponent).join('/');
	canonical.add(req);
	return `${prefix}${encoded}${q === -1 ? '' : url.slice(q)}`;
}

export function buildServer(state: SandboxState, opts: { logger?: boolean } = {}): FastifyInstance {
	const prefixes = SERVICES.map((name) => state.service(name).prefix);
	const app = Fastify({
		logger: opts.logger ?? false,
		bodyLimit: BODY_LIMIT,
		exposeHeadRoutes: false,
		forceCloseConnections: true,
		rewriteUrl: (req) => canonicalUrl(req, prefixes),
		// The services take path parameters of any length (fastify's default stops at 100 characters).
		routerOptions: { maxParamLength: Number.MAX_SAFE_INTEGER },
	});
	// Keep every body raw: each service parses (or refuses) it the way the real API does.
	app.removeAllContentTypeParsers();
	app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

	for (const name of SERVICES) {
		const prefix = state.service(name).prefix;
		// The patterns are the same for every instance of a service (state.ts checks it on load).
		for (const shape of shapesOf(state.service(name).routes)) {
			app.route({
				method: [...METHODS],
				url: `${prefix}${shape.url}`,
				handler: (req, reply) => dispatch(state, name, req, reply, canonical.has(req.raw) ? shape : null),
			});
		}
		const notFound = (req: FastifyRequest, reply: FastifyReply) => dispatch(state, name, req, reply, null);
		app.route({ method: [...METHODS], url: prefix, handler: notFound });
		app.route({ method: [...METHODS], url: `${prefix}/*`, handler: notFound });
	}
	registerControl(app, state);
	return app;
}

/** `shape`: the patterns fastify matched the path to; null for a path that matches none. */
async function dispatch(state: SandboxState, name: ServiceName, req: FastifyRequest, reply: FastifyReply, shape: Shape | null): Promise<void> {
	const started = performance.now();
	const at = new Date().toISOString();
	const svc = state.service(name);
	const { path, query, rawQuery } = splitUrl(req.originalUrl, svc.prefix);
	const method = req.method.toUpperCase();
	const headers = loggedHeaders(svc.loggedHeaders, req.headers);
	const finish = (status: number) =>
		state.log({
			service: name,
			method,
			path,
			query,
			status,
			at,
			durationMs: Math.round((performance.now() - started) * 10) / 10,
			...(headers ? { headers } : {}),
		});
	const ctx: Ctx<undefined> = {
		service: name,
		method,
		path,
		query,
		rawQuery,
		headers: req.headers,
		rawBody: typeof req.body === 'string' ? req.body : undefined,
		params: {},
		origin: `http://${req.headers.host ?? `${req.hostname}`}`,
		ip: req.ip,
		principal: undefined,
	};
	let result: HttpResult;
	try {
		const fault = state.faults.match(name, method, path);
		if (fault?.delayMs) await sleep(fault.delayMs);
		if (fault?.reset) {
			reply.hijack();
			req.raw.socket.destroy();
			finish(0);
			return;
		}
		if (fault?.status !== undefined) {
			const base: HttpResult =
				fault.body !== undefined
					? { status: fault.status, raw: fault.body, headers: { 'content-type': 'application/json; charset=utf-8' } }
					: svc.errorResult(fault.status);
			result = { ...base, headers: { ...base.headers, ...fault.headers } };
		} else {
			result = await serve(state, name, ctx, shape, req.params as Record<string, string>);
		}
	} catch (e) {
		req.log.error(e);
		if (!quiet) console.error(`[sandbox] ${name} ${method} ${path} failed:`, e);
		result = svc.errorResult(500);
	}
	send(reply, result, method === 'HEAD');
	finish(result.status);
}

function loggedHeaders(names: readonly string[] | undefined, headers: IncomingMessage['headers']): Record<string, string> | undefined {
	if (!names?.length) return undefined;
	const out: Record<string, string> = {};
	for (const name of names) {
		const value = headers[name];
		if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return out;
}

/** Silences the console report of handler crashes (they still answer 500). */
let quiet = false;
export function setQuiet(value: boolean): void {
	quiet = value;
}

async function serve(
	state: SandboxState,
	name: ServiceName,
	ctx: Ctx<undefined>,
	shape: Shape | null,
	fastifyParams: Record<string, string>,
): Promise<HttpResult> {
	const svc = state.service(name);
	if (!state.limiter.take(name, svc.rateKey(ctx))) return svc.rateLimited();
	const auth = svc.authenticate(ctx);
	if (!('principal' in auth)) return auth;
	const match = shape && handlerFor(state, name, shape, ctx.method, fastifyParams);
	if (match === null) return svc.routeNotFound(ctx);
	if (match === 'methodMismatch') return ctx.method === 'OPTIONS' ? { status: 204 } : svc.errorResult(405);
	const result = await match.handler({ ...ctx, params: match.params, principal: auth.principal });
	if (ctx.method !== 'GET' && ctx.method !== 'HEAD') svc.cache.bump();
	return result;
}

/**
 * The current instance's handler for a method on a matched shape, with its parameters under the
 * route's own names; `methodMismatch` when the path exists with other methods only. The first route
 * listed for the method wins; `HEAD` takes the first listed `HEAD` or `GET` route.
 */
function handlerFor(
	state: SandboxState,
	name: ServiceName,
	shape: Shape,
	method: string,
	fastifyParams: Record<string, string>,
): { handler: Handler<unknown>; params: Record<string, string> } | 'methodMismatch' | null {
	const table = state.routes(name);
	let best: { order: number; handler: Handler<unknown>; names: string[] } | undefined;
	for (const { pattern, names } of shape.patterns)
		for (const m of method === 'HEAD' ? ['HEAD', 'GET'] : [method]) {
			const route = table.byKey.get(routeKey(m, pattern));
			if (route && (!best || route.order < best.order)) best = { ...route, names };
		}
	if (!best) return shape.patterns.some((p) => table.patterns.has(p.pattern)) ? 'methodMismatch' : null;
	const params: Record<string, string> = {};
	best.names.forEach((n, i) => (params[n] = fastifyParams[`p${i}`]));
	return { handler: best.handler, params };
}

function send(reply: FastifyReply, result: HttpResult, head: boolean): void {
	reply.code(result.status);
	if (result.headers) for (const [k, v] of Object.entries(result.headers)) reply.header(k, v);
	if (result.status === 204 || head || (result.body === undefined && result.raw === undefined)) {
		void reply.send();
		return;
	}
	if (result.raw !== undefined) {
		if (!reply.hasHeader('content-type')) reply.type('application/json; charset=utf-8');
		void reply.send(result.raw);
		return;
	}
	void reply.send(result.body);
}

// -------------------------------------------------------------------------------------------------
// Control endpoints (no auth, not rate limited, not logged)

function parseJson(req: FastifyRequest): { ok: true; value: unknown } | { ok: false; error: string } {
	if (typeof req.body !== 'string' || req.body.trim() === '') return { ok: true, value: {} };
	try {
		return { ok: true, value: JSON.parse(req.body) };
	} catch (e) {
		return { ok: false, error: `body is not valid JSON: ${(e as Error).message}` };
	}
}

function registerControl(app: FastifyInstance, state: SandboxState): void {
	const bad = (reply: FastifyReply, status: number, error: string, extra?: Record<string, unknown>) =>
		reply.code(status).send({ error, ...extra });

	app.get('/__sandbox', async (req) => {
		const origin = `http://${req.headers.host}`;
		return {
			ok: true,
			now: state.clock.nowIso(),
			kisi: `${origin}/kisi`,
			teamup: `${origin}/teamup/api/v2`,
			glofox: `${origin}/glofox/prod`,
		};
	});

	app.get('/__sandbox/state', async () => state.toScenario());

	app.post('/__sandbox/scenario', async (req, reply) => {
		const body = parseJson(req);
		if (!body.ok) return bad(reply, 400, body.error);
		try {
			state.load(body.value);
		} catch (e) {
			if (e instanceof ScenarioError) return bad(reply, 400, e.message, { problems: e.problems });
			throw e;
		}
		return { ok: true, now: state.clock.nowIso() };
	});

	app.get('/__sandbox/requests', async (req) => {
		const q = req.query as Record<string, string>;
		return state.requests.filter(
			(r) =>
				(!q.service || r.service === q.service) &&
				(!q.method || r.method === q.method.toUpperCase()) &&
				(!q.path || r.path === q.path) &&
				(!q.since || r.at >= q.since),
		);
	});
	app.delete('/__sandbox/requests', async () => {
		const cleared = state.requests.length;
		state.requests = [];
		return { cleared };
	});

	app.get('/__sandbox/clock', async () => ({ now: state.clock.nowIso(), frozen: state.clock.frozen }));
	app.post('/__sandbox/clock', async (req, reply) => {
		const body = parseJson(req);
		if (!body.ok) return bad(reply, 400, body.error);
		const v = body.value as { now?: unknown; advanceMs?: unknown; frozen?: unknown };
		if (v.frozen !== undefined && typeof v.frozen !== 'boolean') return bad(reply, 400, 'frozen must be true or false');
		if (v.now !== undefined) {
			if (!isIsoInstant(v.now)) return bad(reply, 400, 'now must be an ISO-8601 date-time with offset, e.g. 2026-03-02T14:00:00Z');
			state.clock.set(Date.parse(v.now));
		} else if (typeof v.advanceMs === 'number' && Number.isFinite(v.advanceMs)) {
			state.clock.advance(v.advanceMs);
		} else if (v.frozen === undefined) return bad(reply, 400, 'send {"now": ISO-8601}, {"advanceMs": number} and/or {"frozen": boolean}');
		if (typeof v.frozen === 'boolean') state.clock.freeze(v.frozen);
		return { now: state.clock.nowIso(), frozen: state.clock.frozen };
	});

	app.get('/__sandbox/faults', async () => state.faults.all());
	app.post('/__sandbox/faults', async (req, reply) => {
		const body = parseJson(req);
		if (!body.ok) return bad(reply, 400, body.error);
		const parsed = faultSchema.safeParse(body.value);
		if (!parsed.success)
			return bad(reply, 400, `invalid fault: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);
		if (parsed.data.path?.startsWith('^')) {
			try {
				new RegExp(parsed.data.path);
			} catch (e) {
				return bad(reply, 400, `invalid fault: path: ${(e as Error).message}`);
			}
		}
		return state.faults.add(parsed.data);
	});
	app.delete('/__sandbox/faults', async () => {
		state.faults.clear();
		return { cleared: true };
	});
	app.delete('/__sandbox/faults/:id', async (req, reply) => {
		const id = (req.params as { id: string }).id;
		if (!isInt(id)) return bad(reply, 400, 'id must be an integer');
		state.faults.clear(Number(id));
		return { cleared: true };
	});

	app.get('/__sandbox/rate-limits', async () => ({ rateLimits: state.rateLimits, rateLimitScale: state.rateLimitScale, effective: state.limiter.limits }));
	app.post('/__sandbox/rate-limits', async (req, reply) => {
		const body = parseJson(req);
		if (!body.ok) return bad(reply, 400, body.error);
		const v = body.value as { rateLimits?: unknown; rateLimitScale?: unknown };
		const parsed = rateLimitsSchema.safeParse(v.rateLimits ?? true);
		if (!parsed.success) return bad(reply, 400, `invalid rateLimits: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
		if (v.rateLimitScale !== undefined && !(typeof v.rateLimitScale === 'number' && v.rateLimitScale > 0))
			return bad(reply, 400, 'rateLimitScale must be a positive number');
		state.setRateLimits(parsed.data, v.rateLimitScale as number | undefined);
		return { rateLimits: state.rateLimits, rateLimitScale: state.rateLimitScale, effective: state.limiter.limits };
	});

	app.post('/__sandbox/kisi/unlock', async (req, reply) => {
		const body = parseJson(req);
		if (!body.ok) return bad(reply, 400, body.error);
		const v = (body.value ?? {}) as Record<string, unknown>;
		const kisi = state.kisi;
		const lock = typeof v.lock_id === 'number' ? kisi.locks.get(v.lock_id) : undefined;
		if (v.lock_id === undefined) return bad(reply, 400, 'lock_id is required');
		if (!lock) return bad(reply, 404, `lock ${String(v.lock_id)} does not exist`);
		let user;
		if (typeof v.user_id === 'number') user = kisi.users.get(v.user_id);
		else if (typeof v.email === 'string') user = kisi.findUserByEmail(v.email);
		else return bad(reply, 400, 'user_id or email is required');
		if (!user) return bad(reply, 404, `no Kisi user ${v.user_id ?? v.email}`);
		if (v.success !== undefined && typeof v.success !== 'boolean' && v.success !== 'auto')
			return bad(reply, 400, 'success must be true, false or "auto"');
		if (v.payload !== undefined && v.payload !== 'documented' && v.payload !== 'event')
			return bad(reply, 400, 'payload must be "documented" or "event"');
		const q = req.query as Record<string, string>;
		const times = q.duplicate === '1' || q.duplicate === 'true' ? 2 : 1;
		let errorCode = typeof v.error_code === 'string' ? v.error_code : undefined;
		let errorMessage = typeof v.error_message === 'string' ? v.error_message : undefined;
		// The door's own verdict; `success` (default true) overrides it unless it is "auto".
		const decision = kisi.unlockDecision(user, lock, false);
		const success = v.success === 'auto' ? decision.ok : v.success !== false;
		if (!success && !decision.ok && v.success === 'auto') {
			errorCode ??= decision.denial.code;
			errorMessage ??= decision.denial.message;
		}
		const via = success && decision.ok ? decision.via : null;
		const outcome = kisi.recordUnlock({
			user,
			lock,
			success,
			errorCode,
			errorMessage,
			via,
			authenticatedBy: { type: 'Login', id: 100000 + user.id },
			times,
			payload: v.payload as 'documented' | 'event' | undefined,
		});
		kisi.cache.bump();
		const deliveries = await outcome.deliveries;
		return { event: outcome.event, deliveries };
	});

	app.post('/__sandbox/change', async (req, reply) => {
		const body = parseJson(req);
		if (!body.ok) return bad(reply, 400, body.error);
		const q = req.query as Record<string, string>;
		const answer = await applyChange(state, body.value, q.duplicate === '1' || q.duplicate === 'true');
		return reply.code(answer.status).send(answer.body);
	});

	app.get('/__sandbox/kisi/events', async () =>
		state.kisi.events.map((event) => ({ event, deliveries: state.kisi.deliveries.get(event.uuid) ?? [] })),
	);

	registerGlofoxWebhookControl(app, () => state.glofox);
}
