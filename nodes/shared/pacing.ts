/**
 * Client-side pacing: keeps each API account under its documented rate, "at most `limit` requests
 * in any `windowMs`" (the sliding window Kisi and TeamUp enforce; kept within a window, Glofox's
 * token bucket is kept too), so a sync waits its turn instead of bouncing off 429s.
 * Pure module: no n8n imports.
 *
 * WHEN THE SERVER COUNTS. A request sent at s and answered at a is counted by the server at some
 * c in [s, a]. Take any request j and the request i that started `limit` places before it: the
 * server accepts j only if c_j − c_i ≥ W, its window (ours, `rule.windowMs`, is W plus the margin
 * of `paceRule`: 20 ms for Kisi's second, 1.2 s for TeamUp's minute).
 * - Assuming nothing more, the only safe schedule is s_j ≥ a_i + W: the window measured from the
 *   answer (this pacer's previous schedule, commit 93c290d; measured from the start instead, the
 *   time n8n takes to prepare and send a request, longest for the first one, let the next window's
 *   requests reach Kisi too early). It costs one round trip R per `limit` requests: with 150 ms of
 *   latency a sync took 1.15–1.23 × the rate floor.
 *   No schedule does better on that assumption alone: a server counting on arrival and one
 *   counting at a random point of [s, a] look the same from the client, so anything faster than
 *   `limit` per W + R can be refused by the second one.
 * - The network gives more. Every request needs at least some time B to reach the counter (our own
 *   preparation, the trip there, whatever the server does first) and its answer at least some time
 *   A to come back after it was counted: c_i ≤ a_i − A and c_j ≥ s_j + B, so
 *       s_j ≥ a_i − (A + B) + W   guarantees   c_j − c_i ≥ W.
 *   A + B cannot be observed, but the fastest recent round trip R_min can: it is A + B plus what that
 *   fastest request spent above the two minima. The assumption (H) this pacer rests on:
 *       R_min − (A + B) ≤ the margin of `paceRule`,
 *   i.e. the fastest round trip paid (almost) only the fixed costs both ways. It holds whenever the
 *   counter sits at a fixed stage of a request (a gateway or middleware counting on arrival, after
 *   authentication, or as the answer leaves), whatever the latency and its jitter: jitter only makes
 *   other trips slower than R_min. It holds in both readings the benchmark checks: the sandbox
 *   counts after its injected latency (as it answers), the bench judges the send times (as if on
 *   arrival).
 *
 * THE SCHEDULE. Each request holds a slot of the window:
 * - while it is in flight: it may not be counted yet, and may be counted as late as its answer;
 * - once answered, until m + windowMs, where its mark m = a − R_min (never before its start).
 * A request starts when fewer than `limit` slots are held. Then for j and i as above, i no longer
 * held a slot when j started, so s_j ≥ a_i − R_min + W + margin ≥ a_i − (A + B) + W under (H):
 * the server never counts more than `limit` requests in its window. With a steady round trip
 * (R_i = R_min) the mark is the start: windows are measured from the starts and the latency costs
 * nothing, only its variation (R_i − R_min) is paid, and up to `limit` requests may be in flight.
 * R_min is the least round trip answered in the last TRIP_HORIZON_MS (or two windows, if longer),
 * trusted once MIN_TRIPS are known (until then 0: the window from the answer). Every slip errs on
 * the safe side: a failed connection answered at once, a first request slowed by the connection
 * set-up, an answer noticed late by a busy event loop all lower R_min or lengthen a round trip, and
 * either moves marks later, never earlier.
 * What (H) does not cover: the round trip dropping by more than the margin from one request to the
 * next (a re-route to a nearer server) while the window is full, or a server whose counting point
 * wanders across a long, steady round trip. A few requests of one window may then be refused, and
 * the 429 is honoured as follows.
 *
 * A 429 means something else spends the account's budget: another n8n process (in queue mode each
 * worker has its own pacers: n8n gives nodes no shared fast counter), another tool using the same
 * Kisi user, or a server outside (H). The account's pacer in this process reacts, not only the
 * request that is retried:
 * - with Retry-After, no request of the account starts before it has passed;
 * - with or without it, the allowed rate halves (not below MIN_FRACTION of the rule) and recovers
 *   linearly to the full rule over RECOVERY_MS. A 429 for a request sent before the last halving
 *   answers for the old rate and does not halve again. While reduced, a second rule spreads the
 *   requests: at most max(1, ⌊limit × f⌋) per window stretched to give f × the rate, on top of the
 *   rule itself, so a reduced pacer is never faster than the full one.
 * Several processes sharing one account so settle under its limit, each halving on its own 429s
 * (additive increase, multiplicative decrease, as TCP shares a link): few 429s, every one honoured.
 * None at all needs the credential's rate divided by the number of processes that may call the
 * account at once (the README's "Rate limits with several workers").
 */
export interface PaceRule {
	limit: number;
	windowMs: number;
}

export type Sleep = (ms: number) => Promise<void>;

/** What the answer told, as far as pacing goes (nothing for a network failure). */
export interface PaceAnswer {
	status?: number;
	/** The server's Retry-After in ms, already capped by the caller's retry policy. */
	retryAfterMs?: number;
}

/** Call when the answer arrives (or the request failed): every started request must be answered. */
export type Answered = (answer?: PaceAnswer) => void;

/** Round trips of this long ago or less give R_min (at least two windows). */
export const TRIP_HORIZON_MS = 60_000;
/** Round trips needed before R_min is trusted. */
export const MIN_TRIPS = 5;
/** After a 429, the time the allowed rate takes to climb back from nothing to the full rule. */
export const RECOVERY_MS = 120_000;
/** The allowed rate never drops below this share of the rule. */
export const MIN_FRACTION = 1 / 20;
/** A request still unanswered after this long (a caller that never answered) stops holding a slot. */
const LOST_MS = 10 * 60_000;

interface Slot {
	/** Order of the start, from 1. */
	seq: number;
	sentAt: number;
	/** Undefined while the request is in flight. */
	answeredAt?: number;
}

export class SlidingWindowPacer {
	private slots: Slot[] = [];
	private started = 0;
	/** Recent round trips: when answered, how long. */
	private trips: Array<{ at: number; ms: number }> = [];
	private pausedUntil = 0;
	/** The last halving: when, after how many starts, and the share of the rule allowed right after it. */
	private cut: { at: number; seq: number; fraction: number } | undefined;
	private waitingForAnswer: Array<() => void> = [];

	constructor(
		readonly rule: PaceRule,
		private readonly sleep: Sleep,
		private readonly now: () => number = Date.now,
	) {}

	/**
	 * Resolves when a request may start and records it. Call the returned function when the answer
	 * arrives (also after a failure), with its status and Retry-After: see the module comment.
	 */
	async acquire(): Promise<Answered> {
		for (;;) {
			const now = this.now();
			if (now < this.pausedUntil) {
				await this.sleep(this.pausedUntil - now);
				continue;
			}
			const wait = this.waitFor(now);
			if (wait === 0) {
				const slot: Slot = { seq: ++this.started, sentAt: now };
				this.slots.push(slot);
				return (answer) => this.answer(slot, answer);
			}
			if (wait === 'answer') await new Promise<void>((resolve) => this.waitingForAnswer.push(resolve));
			else await this.sleep(wait);
		}
	}

	/** The share of the rule allowed now: 1, or less after a 429. */
	allowedFraction(now: number = this.now()): number {
		if (!this.cut) return 1;
		const fraction = this.cut.fraction + (now - this.cut.at) / RECOVERY_MS;
		if (fraction < 1) return fraction;
		this.cut = undefined;
		return 1;
	}

	/** The least recent round trip (R_min of the module comment); 0 until MIN_TRIPS are known. */
	minRoundTrip(now: number = this.now()): number {
		const horizon = Math.max(TRIP_HORIZON_MS, 2 * this.rule.windowMs);
		let drop = 0;
		while (drop < this.trips.length && this.trips[drop].at < now - horizon) drop++;
		if (drop) this.trips.splice(0, drop);
		if (this.trips.length < MIN_TRIPS) return 0;
		return Math.min(...this.trips.map((trip) => trip.ms));
	}

	/** 0 when a request may start now; else ms to sleep, or 'answer' when only an answer can free a slot. */
	private waitFor(now: number): number | 'answer' {
		// The longest window a rule can have: the reduced rule's at the least allowed rate.
		const longest = this.rule.windowMs * Math.max(1, 1 / (this.rule.limit * MIN_FRACTION));
		this.slots = this.slots.filter((slot) => (slot.answeredAt === undefined ? slot.sentAt > now - LOST_MS : slot.answeredAt + longest > now));
		const minTrip = this.minRoundTrip(now);
		const rules = [this.rule];
		const fraction = this.allowedFraction(now);
		if (fraction < 1) {
			const limit = Math.max(1, Math.floor(this.rule.limit * fraction));
			rules.push({ limit, windowMs: (this.rule.windowMs * limit) / (this.rule.limit * fraction) });
		}
		let wait = 0;
		for (const rule of rules) {
			let inFlight = 0;
			const ends: number[] = [];
			for (const slot of this.slots) {
				if (slot.answeredAt === undefined) inFlight++;
				else {
					const end = Math.max(slot.sentAt, slot.answeredAt - minTrip) + rule.windowMs;
					if (end > now) ends.push(end);
				}
			}
			const held = inFlight + ends.length;
			if (held < rule.limit) continue;
			if (inFlight >= rule.limit) return 'answer';
			// Enough answered slots must end to bring the count below the limit.
			ends.sort((x, y) => x - y);
			wait = Math.max(wait, Math.ceil(ends[held - rule.limit] - now));
		}
		return wait;
	}

	private answer(slot: Slot, answer: PaceAnswer = {}): void {
		if (slot.answeredAt !== undefined) return;
		const now = Math.max(this.now(), slot.sentAt);
		slot.answeredAt = now;
		this.trips.push({ at: now, ms: now - slot.sentAt });
		if (answer.status === 429) {
			if (answer.retryAfterMs !== undefined && answer.retryAfterMs > 0) this.pausedUntil = Math.max(this.pausedUntil, now + answer.retryAfterMs);
			// A request sent before the last halving answers for the rate before it.
			if (!this.cut || slot.seq > this.cut.seq) {
				this.cut = { at: now, seq: this.started, fraction: Math.max(MIN_FRACTION, this.allowedFraction(now) / 2) };
			}
		}
		const waiting = this.waitingForAnswer;
		this.waitingForAnswer = [];
		for (const wake of waiting) wake();
	}
}

/**
 * A rate such as "5 per second" or "250 per minute" as a window rule, with a small margin so
 * that clock jitter between client and server never tips a request over the server's limit; the
 * same margin is the room assumption (H) of the module comment leaves the round trips.
 */
export function paceRule(count: number, perMs: number, margin = 0.02): PaceRule {
	if (!(count > 0)) throw new Error('The request rate must be a positive number');
	const limit = Math.max(1, Math.floor(count));
	return { limit, windowMs: Math.ceil(((perMs * limit) / count) * (1 + margin)) };
}

const pacers = new Map<string, SlidingWindowPacer>();

/**
 * One pacer per API account in this process: all executions using the same key share it, as the
 * APIs count requests per key (Kisi per user), not per workflow.
 */
export function pacerFor(key: string, rule: PaceRule, sleep: Sleep, now: () => number = Date.now): SlidingWindowPacer {
	const existing = pacers.get(key);
	if (existing && existing.rule.limit === rule.limit && existing.rule.windowMs === rule.windowMs) {
		return existing;
	}
	const pacer = new SlidingWindowPacer(rule, sleep, now);
	pacers.set(key, pacer);
	return pacer;
}

/**
 * Runs `work` over `inputs` with at most `concurrency` calls in flight; results keep their order.
 * (The pacer still spaces the requests those calls make.)
 */
export async function mapPool<T, R>(inputs: readonly T[], concurrency: number, work: (input: T, index: number) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await work(inputs[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
	return results;
}
