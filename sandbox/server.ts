/**
 * The HTTP server: one fastify instance serving the three APIs under their base paths and the
 * control endpoints under `/__sandbox`. Every API request goes through the same pipeline:
 * faults → rate limit → authentication → route → the service's own error bodies; it is logged.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { faultSchema } from './faults';
import type { ServiceName } from './ratelimit';
import { ScenarioError, rateLimitsSchema } from './scenario';
import type { Ctx } from './service';
import type { SandboxState } from './state';
import { type HttpResult, isInt, isIsoInstant, sleep, splitUrl } from './util';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** Bodies up to 1 GiB (a 50,000-member scenario posted to /__sandbox/scenario is tens of MB). */
const BODY_LIMIT = 1024 * 1024 * 1024;

export function buildServer(state: SandboxState, opts: { logger?: boolean } = {}): FastifyInstance {
	const app = Fastify({ logger: opts.logger ?? false, bodyLimit: BODY_LIMIT, exposeHeadRoutes: false, forceCloseConnections: true });
	// Keep every body raw: each service parses (or refuses) it the way the real API does.
	app.removeAllContentTypeParsers();
	app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

	for (const name of ['kisi', 'teamup', 'glofox'] as ServiceName[]) {
		const prefix = state.service(name).prefix;
		const handler = (req: FastifyRequest, reply: FastifyReply) => dispatch(state, name, req, reply);
		app.route({ method: [...METHODS], url: prefix, handler });
		app.route({ method: [...METHODS], url: `${prefix}/*`, handler });
	}
	registerControl(app, state);
	return app;
}

async function dispatch(state: SandboxState, name: ServiceName, req: FastifyRequest, reply: FastifyReply): Promise<void> {
	const started = performance.now();
	const at = new Date().toISOString();
	const svc = state.service(name);
	const { path, query, rawQuery } = splitUrl(req.url, svc.prefix);
	const method = req.method.toUpperCase();
	const finish = (status: number) =>
		state.log({ service: name, method, path, query, status, at, durationMs: Math.round((performance.now() - started) * 10) / 10 });
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
			result = await serve(state, name, ctx);
		}
	} catch (e) {
		req.log.error(e);
		if (!quiet) console.error(`[sandbox] ${name} ${method} ${path} failed:`, e);
		result = svc.errorResult(500);
	}
	send(reply, result, method === 'HEAD');
	finish(result.status);
}

/** Silences the console report of handler crashes (they still answer 500). */
let quiet = false;
export function setQuiet(value: boolean): void {
	quiet = value;
}

async function serve(state: SandboxState, name: ServiceName, ctx: Ctx<undefined>): Promise<HttpResult> {
	const svc = state.service(name);
	if (!state.limiter.take(name, svc.rateKey(ctx))) return svc.rateLimited();
	const auth = svc.authenticate(ctx);
	if (!('principal' in auth)) return auth;
	const match = state.router(name).match(ctx.method, ctx.path);
	if (match === null) return svc.routeNotFound(ctx);
	if (match === 'methodMismatch') return ctx.method === 'OPTIONS' ? { status: 204 } : svc.errorResult(405);
	const result = await match.handler({ ...ctx, params: match.params, principal: auth.principal });
	if (ctx.method !== 'GET' && ctx.method !== 'HEAD') svc.cache.bump();
	return result;
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

	app.get('/__sandbox/clock', async () => ({ now: state.clock.nowIso() }));
	app.post('/__sandbox/clock', async (req, reply) => {
		const body = parseJson(req);
		if (!body.ok) return bad(reply, 400, body.error);
		const v = body.value as { now?: unknown; advanceMs?: unknown };
		if (v.now !== undefined) {
			if (!isIsoInstant(v.now)) return bad(reply, 400, 'now must be an ISO-8601 date-time with offset, e.g. 2026-03-02T14:00:00Z');
			state.clock.set(Date.parse(v.now));
		} else if (typeof v.advanceMs === 'number' && Number.isFinite(v.advanceMs)) {
			state.clock.advance(v.advanceMs);
		} else return bad(reply, 400, 'send {"now": ISO-8601} or {"advanceMs": number}');
		return { now: state.clock.nowIso() };
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
		});
		kisi.cache.bump();
		const deliveries = await outcome.deliveries;
		return { event: outcome.event, deliveries };
	});

	app.get('/__sandbox/kisi/events', async () =>
		state.kisi.events.map((event) => ({ event, deliveries: state.kisi.deliveries.get(event.uuid) ?? [] })),
	);
}
