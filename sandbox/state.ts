/** The whole sandbox state: clock, the three services, faults, rate limiter and request log. */
import { Clock } from './clock';
import { Faults } from './faults';
import { GlofoxStore } from './glofox';
import { KisiStore } from './kisi';
import { RateLimiter, type ServiceName, resolveLimits } from './ratelimit';
import { type RateLimitsConfig, type Scenario, parseScenario } from './scenario';
import { Router, type ServiceApi } from './service';
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
}

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
	private routers!: Record<ServiceName, Router<unknown>>;

	constructor(scenario: unknown) {
		this.load(scenario);
	}

	/** Replaces the state with a scenario (checked; throws ScenarioError). The clock restarts at its `now`. */
	load(input: unknown): Scenario {
		const s = parseScenario(input);
		const clock = this.clock;
		clock.set(s.now ? Date.parse(s.now) : Date.now());
		this.kisi = new KisiStore(s.kisi, clock);
		this.teamup = new TeamUpStore(s.teamup, clock);
		this.glofox = new GlofoxStore(s.glofox, clock);
		this.routers = {
			kisi: new Router(this.kisi.routes) as Router<unknown>,
			teamup: new Router(this.teamup.routes) as Router<unknown>,
			glofox: new Router(this.glofox.routes) as Router<unknown>,
		};
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

	router(name: ServiceName): Router<unknown> {
		return this.routers[name];
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
