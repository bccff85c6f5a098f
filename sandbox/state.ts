/**
 * The whole sandbox state: clock, the three services, faults, rate limiter and request log, and
 * each service's route table (its handlers by method and pattern, looked up by the HTTP server).
 */
import { Clock } from './clock';
import { Faults } from './faults';
import { GlofoxStore } from './glofox';
import { KisiStore } from './kisi';
import { RateLimiter, type ServiceName, resolveLimits } from './ratelimit';
import { type RateLimitsConfig, type Scenario, parseScenario } from './scenario';
import type { Handler, Route, ServiceApi } from './service';
import { TeamUpStore } from './teamup';

export interface RequestLogEntry {
	service: ServiceName;
	method: string;
	/** Relative to the service base, e.g. `/shares`. */
	path: string;
	query: Record<string, string>;
	/** HTTP status; 0 when the connection was reset by a fault. */
	status: number;
	/** Real time the request arrived (ISO). */
	at: string;
	durationMs: number;
	/** The request's values of the service's `loggedHeaders` (absent ones left out). */
	headers?: Record<string, string>;
}

/**
 * The handlers of one service instance, by `${method} ${pattern}` (e.g. `GET /shares/:id`). fastify
 * matches the path to a pattern; this says which handler of the current instance serves it.
 */
export interface RouteTable {
	/** `order` is the route's position in the service's list: the first listed route wins. */
	readonly byKey: ReadonlyMap<string, { order: number; handler: Handler<unknown> }>;
	/** The patterns with at least one route. */
	readonly patterns: ReadonlySet<string>;
}

export const routeKey = (method: string, pattern: string): string => `${method} ${pattern}`;

function routeTable(routes: Route<unknown>[]): RouteTable {
	const byKey = new Map<string, { order: number; handler: Handler<unknown> }>();
	routes.forEach((r, order) => {
		const key = routeKey(r.method, r.pattern);
		if (!byKey.has(key)) byKey.set(key, { order, handler: r.handler });
	});
	return { byKey, patterns: new Set(routes.map((r) => r.pattern)) };
}

/** The method-and-pattern list of a service: the same for every instance (the server registers it once). */
const routeSignature = (routes: Route<unknown>[]): string => routes.map((r) => routeKey(r.method, r.pattern)).join('\n');

/** Oldest entries are dropped beyond this many. */
export const REQUEST_LOG_MAX = 200_000;

export class SandboxState {
	readonly clock = new Clock();
	readonly faults = new Faults();
	requests: RequestLogEntry[] = [];
	rateLimits: RateLimitsConfig = true;
	rateLimitScale: number | undefined;
	limiter!: RateLimiter;
	kisi!: KisiStore;
	teamup!: TeamUpStore;
	glofox!: GlofoxStore;
	private tables!: Record<ServiceName, RouteTable>;
	private signatures: Record<ServiceName, string> | undefined;

	constructor(scenario: unknown) {
		this.load(scenario);
	}

	/** Replaces the state with a scenario (checked; throws ScenarioError). The clock restarts at its `now`. */
	load(input: unknown): Scenario {
		const s = parseScenario(input);
		const clock = this.clock;
		clock.freeze(false);
		clock.set(s.now ? Date.parse(s.now) : Date.now());
		const kisi = new KisiStore(s.kisi, clock);
		const teamup = new TeamUpStore(s.teamup, clock);
		const glofox = new GlofoxStore(s.glofox, clock);
		const routes = { kisi: kisi.routes, teamup: teamup.routes, glofox: glofox.routes } as Record<ServiceName, Route<unknown>[]>;
		// The HTTP server registers each service's patterns once, from the first instance: a service
		// whose route list depended on the scenario would leave routes unreachable. Refuse loudly.
		const signatures = { kisi: routeSignature(routes.kisi), teamup: routeSignature(routes.teamup), glofox: routeSignature(routes.glofox) };
		for (const name of ['kisi', 'teamup', 'glofox'] as ServiceName[])
			if (this.signatures && this.signatures[name] !== signatures[name])
				throw new Error(`sandbox: the ${name} route list changed between scenarios; routes must not depend on the scenario`);
		this.signatures = signatures;
		this.kisi = kisi;
		this.teamup = teamup;
		this.glofox = glofox;
		this.tables = { kisi: routeTable(routes.kisi), teamup: routeTable(routes.teamup), glofox: routeTable(routes.glofox) };
		this.setRateLimits(s.rateLimits, s.rateLimitScale);
		return s;
	}

	setRateLimits(config: RateLimitsConfig, scale?: number): void {
		this.rateLimits = config;
		this.rateLimitScale = scale;
		this.limiter = new RateLimiter(resolveLimits(config, scale));
	}

	service(name: ServiceName): ServiceApi<unknown> {
		return this[name] as ServiceApi<unknown>;
	}

	/** The current instance's handlers (rebuilt with the services on every load). */
	routes(name: ServiceName): RouteTable {
		return this.tables[name];
	}

	/** Call after changing service records directly (tests): drops the cached listings. */
	invalidate(): void {
		this.kisi.cache.bump();
		this.teamup.cache.bump();
		this.glofox.cache.bump();
	}

	log(entry: RequestLogEntry): void {
		this.requests.push(entry);
		if (this.requests.length > REQUEST_LOG_MAX) this.requests.splice(0, this.requests.length - REQUEST_LOG_MAX);
	}

	/** The current state in scenario format (it can be posted back to `/__sandbox/scenario`). */
	toScenario(): Scenario {
		return {
			now: this.clock.nowIso(),
			rateLimits: this.rateLimits,
			rateLimitScale: this.rateLimitScale,
			kisi: this.kisi.toScenario(),
			teamup: this.teamup.toScenario(),
			glofox: this.glofox.toScenario(),
		};
	}
}
