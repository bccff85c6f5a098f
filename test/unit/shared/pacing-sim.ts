/**
 * A simulated world for the pacer: virtual time (sleepers wake in order of their deadlines, with
 * real promise concurrency in between), a server that counts requests in a sliding window as Kisi
 * does, and clients that send requests through a pacer with a chosen latency, retrying 429s as
 * nodes/shared/http.ts does.
 */
import { SlidingWindowPacer } from '../../../nodes/shared/pacing';
import { defaultRetryPolicy, retryDelayMs } from '../../../nodes/shared/retry';
import { prng } from '../../../sandbox/util';

export function virtualWorld() {
	let now = 0;
	const timers: Array<{ at: number; seq: number; wake: () => void }> = [];
	let seq = 0;
	const settle = () => new Promise((resolve) => setImmediate(resolve));
	return {
		now: () => now,
		sleep: (ms: number) => new Promise<void>((wake) => timers.push({ at: now + Math.max(0, ms), seq: seq++, wake })),
		/** Runs until `work` settles, moving the clock from one timer to the next. */
		async run<T>(work: Promise<T>): Promise<T> {
			let done = false;
			const settled = work.finally(() => (done = true));
			settled.catch(() => undefined);
			while (!done) {
				await settle();
				if (done) break;
				if (timers.length === 0) throw new Error('Deadlock: nothing left to wake and the work is not done');
				let first = 0;
				for (let i = 1; i < timers.length; i++) {
					if (timers[i].at < timers[first].at || (timers[i].at === timers[first].at && timers[i].seq < timers[first].seq)) first = i;
				}
				const [next] = timers.splice(first, 1);
				now = next.at;
				next.wake();
			}
			return await settled;
		},
	};
}

export type World = ReturnType<typeof virtualWorld>;

/** Deterministic random numbers in [0, 1): the sandbox's PRNG. */
export const seeded = prng;

/** A server window: `limit` requests in any `windowMs` (a request refused is not counted). */
export class SimServer {
	readonly counted: number[] = [];
	refused = 0;
	private readonly hits: number[] = [];
	constructor(
		readonly limit = 5,
		readonly windowMs = 1000,
		/** Sent with every 429, in seconds. */
		readonly retryAfterSeconds?: number,
	) {}
	take(at: number): boolean {
		while (this.hits.length && this.hits[0] <= at - this.windowMs) this.hits.shift();
		if (this.hits.length >= this.limit) {
			this.refused++;
			return false;
		}
		this.hits.push(at);
		this.counted.push(at);
		return true;
	}
}

/** How long a request takes before the server counts it, and after. */
export type Latency = (index: number) => { before: number; after: number };

export interface Sent {
	client: number;
	index: number;
	sentAt: number;
	answeredAt: number;
	status: number;
}

/**
 * One client: `count` requests through `pacer`, `concurrency` at a time, each retried on 429 after
 * the delay nodes/shared/http.ts waits (Retry-After when sent, else backoff). Every attempt is logged.
 */
export async function client(
	world: World,
	pacer: SlidingWindowPacer,
	server: SimServer,
	{ id = 0, count, concurrency = 1, latency, log, random = seeded(7) }: { id?: number; count: number; concurrency?: number; latency: Latency; log: Sent[]; random?: () => number },
): Promise<void> {
	let next = 0;
	const one = async (index: number) => {
		for (let attempt = 1; ; attempt++) {
			const answered = await pacer.acquire();
			const sentAt = world.now();
			const { before, after } = latency(index);
			await world.sleep(before);
			const ok = server.take(world.now());
			await world.sleep(after);
			const retryAfterMs = ok || server.retryAfterSeconds === undefined ? undefined : server.retryAfterSeconds * 1000;
			answered({ status: ok ? 200 : 429, retryAfterMs });
			log.push({ client: id, index, sentAt, answeredAt: world.now(), status: ok ? 200 : 429 });
			if (ok) return;
			if (attempt >= defaultRetryPolicy.maxAttempts) throw new Error(`request ${index} of client ${id} refused ${attempt} times`);
			await world.sleep(retryDelayMs(attempt, defaultRetryPolicy, retryAfterMs, random));
		}
	};
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < count) await one(next++);
		}),
	);
}

/** How many of these times a sliding window of `limit` per `windowMs` would refuse (refusals not counted). */
export function refusedBy(times: readonly number[], limit = 5, windowMs = 1000): number {
	const server = new SimServer(limit, windowMs);
	for (const at of [...times].sort((a, b) => a - b)) server.take(at);
	return server.refused;
}
