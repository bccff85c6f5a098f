/**
 * The documented rate limits, on real (wall-clock) time:
 * - Kisi: 5 requests per second per user (all of a user's keys share it), sliding 1-second window.
 * - TeamUp: 250 requests per minute per token, sliding 60-second window.
 * - Glofox: token bucket per API key, 10 requests per second, burst 10 (live accounts: burst 1000).
 * `rateLimitScale` s divides every window by s: the allowed rate is multiplied by s while the burst
 * sizes stay, so a benchmark at scale s is an exact time-compression of one at scale 1.
 */
import type { RateLimitsConfig } from './scenario';

export type ServiceName = 'kisi' | 'teamup' | 'glofox';

export interface LimitSpec {
	limit: number;
	windowMs: number;
	/** Token bucket capacity (Glofox); sliding windows ignore it. */
	burst?: number;
}

export const DEFAULT_LIMITS: Record<ServiceName, LimitSpec> = {
	kisi: { limit: 5, windowMs: 1000 },
	teamup: { limit: 250, windowMs: 60_000 },
	glofox: { limit: 10, windowMs: 1000, burst: 10 },
};

interface Limiter {
	/** True when the request may proceed (and is counted). */
	take(key: string, nowMs: number): boolean;
}

class SlidingWindow implements Limiter {
	private readonly hits = new Map<string, number[]>();
	constructor(
		private readonly limit: number,
		private readonly windowMs: number,
	) {}
	take(key: string, nowMs: number): boolean {
		let list = this.hits.get(key);
		if (!list) this.hits.set(key, (list = []));
		const cutoff = nowMs - this.windowMs;
		let drop = 0;
		while (drop < list.length && list[drop] <= cutoff) drop++;
		if (drop) list.splice(0, drop);
		if (list.length >= this.limit) return false;
		list.push(nowMs);
		return true;
	}
}

class TokenBucket implements Limiter {
	private readonly buckets = new Map<string, { tokens: number; at: number }>();
	private readonly perMs: number;
	constructor(
		limit: number,
		windowMs: number,
		private readonly capacity: number,
	) {
		this.perMs = limit / windowMs;
	}
	take(key: string, nowMs: number): boolean {
		let b = this.buckets.get(key);
		if (!b) this.buckets.set(key, (b = { tokens: this.capacity, at: nowMs }));
		b.tokens = Math.min(this.capacity, b.tokens + (nowMs - b.at) * this.perMs);
		b.at = nowMs;
		if (b.tokens < 1) return false;
		b.tokens -= 1;
		return true;
	}
}

/** The effective limits of a scenario's `rateLimits` (+ `rateLimitScale`); null = not limited. */
export function resolveLimits(config: RateLimitsConfig, topScale?: number): Record<ServiceName, LimitSpec | null> {
	const out = {} as Record<ServiceName, LimitSpec | null>;
	const scale = (typeof config === 'object' ? config.rateLimitScale : undefined) ?? topScale ?? 1;
	for (const service of ['kisi', 'teamup', 'glofox'] as ServiceName[]) {
		let spec: LimitSpec | null;
		if (config === false) spec = null;
		else if (config === true) spec = { ...DEFAULT_LIMITS[service] };
		else {
			const o = config[service];
			if (o === false) spec = null;
			else if (o === undefined || o === true) spec = { ...DEFAULT_LIMITS[service] };
			else spec = { ...DEFAULT_LIMITS[service], ...o };
		}
		if (spec) spec.windowMs = spec.windowMs / scale;
		out[service] = spec;
	}
	return out;
}

export class RateLimiter {
	private readonly limiters: Record<ServiceName, Limiter | null>;
	constructor(public readonly limits: Record<ServiceName, LimitSpec | null>) {
		const make = (service: ServiceName): Limiter | null => {
			const spec = limits[service];
			if (!spec) return null;
			if (service === 'glofox') return new TokenBucket(spec.limit, spec.windowMs, spec.burst ?? spec.limit);
			return new SlidingWindow(spec.limit, spec.windowMs);
		};
		this.limiters = { kisi: make('kisi'), teamup: make('teamup'), glofox: make('glofox') };
	}
	/** True when the request may proceed. */
	take(service: ServiceName, key: string): boolean {
		const limiter = this.limiters[service];
		return limiter ? limiter.take(key, performance.now()) : true;
	}
}
