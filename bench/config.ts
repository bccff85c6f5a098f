/**
 * Fixed inputs of the benchmarks: one scenario seed, one sandbox instant, the documented rate
 * limits and the time scale of each rate-limited run. Changing any of these changes the figures.
 */
import { DEMO_NOW } from '../sandbox/scenarios/demo';

/** Seed of `generateScenario` for every size. */
export const SEED = 1;
/** The sandbox clock and the pinned evaluation instant of every sync run (a Monday, 14:00 UTC). */
export const NOW = DEMO_NOW;
export const NOW_MS = Date.parse(NOW);

export const DEFAULT_SIZES = [1_000, 5_000, 50_000];

export type Service = 'kisi' | 'teamup' | 'glofox';
export type Source = 'glofox' | 'teamup';
export type RunKind = 'first' | 'steady';

/** The documented limits (sandbox `DEFAULT_LIMITS`) as requests per second. */
export const RATE_PER_SECOND: Record<Service, number> = { kisi: 5, glofox: 10, teamup: 250 / 60 };
/** The documented windows, for the window-exact floor. */
export const WINDOW: Record<Service, { limit: number; windowMs: number; kind: 'sliding' | 'bucket' }> = {
	kisi: { limit: 5, windowMs: 1000, kind: 'sliding' },
	teamup: { limit: 250, windowMs: 60_000, kind: 'sliding' },
	glofox: { limit: 10, windowMs: 1000, kind: 'bucket' },
};

/**
 * Time scale k of each rate-limited run: the sandbox divides its windows by k and the client's
 * waits take 1/k of their time (bench/timewarp.ts). Only the wall time depends on k, not the
 * measured real time; chosen so that the whole benchmark fits in 30 minutes on 2 cores.
 */
export const DEFAULT_TIME_SCALE: Record<number, Record<RunKind, number>> = {
	1_000: { first: 5, steady: 1 },
	5_000: { first: 10, steady: 2 },
	50_000: { first: 50, steady: 5 },
};

export function timeScaleFor(members: number, run: RunKind): number {
	const exact = DEFAULT_TIME_SCALE[members];
	if (exact) return exact[run];
	// Other sizes (development): aim at about a minute per first run.
	const firstRealSeconds = members * 0.8 * 0.2 + members / 10;
	return run === 'first' ? Math.max(1, Math.round(firstRealSeconds / 60)) : Math.max(1, Math.round(firstRealSeconds / 600));
}

/** The groups the shipped sync templates manage by name (ids as in the demo gym). */
export const GROUPS = { glofox: { id: 503, name: 'Glofox Members' }, teamup: { id: 504, name: 'TeamUp Members' } } as const;
export const KEY_USER_ID = 100;

export const TEMPLATES = { glofox: 'glofox-kisi-access-sync', teamup: 'teamup-kisi-access-sync' } as const;
export const SOURCE_NODE = { glofox: 'Glofox: access profiles', teamup: 'TeamUp: access profiles' } as const;
export const EVALUATOR_NODE = 'Decide who may enter';
export const SYNC_NODE = { glofox: 'Kisi: sync the Glofox Members group', teamup: 'Kisi: sync the TeamUp Members group' } as const;

/**
 * How many of these request times (ms, any order) the documented limit of `service` would have
 * refused: a sliding window (Kisi, TeamUp) or a token bucket of `limit` refilled at limit per
 * window (Glofox). Refused requests do not count against later ones, as with a real server.
 */
export function refusedByLimit(service: Service, times: readonly number[]): number {
	const { limit, windowMs, kind } = WINDOW[service];
	const sorted = [...times].sort((a, b) => a - b);
	let refused = 0;
	if (kind === 'sliding') {
		const accepted: number[] = [];
		let head = 0;
		for (const t of sorted) {
			while (head < accepted.length && accepted[head] <= t - windowMs) head++;
			if (accepted.length - head >= limit) refused++;
			else accepted.push(t);
		}
		return refused;
	}
	let tokens = limit;
	let last = sorted[0] ?? 0;
	for (const t of sorted) {
		tokens = Math.min(limit, tokens + ((t - last) * limit) / windowMs);
		last = t;
		if (tokens >= 1 - 1e-9) tokens--;
		else refused++;
	}
	return refused;
}
