/**
 * Client-side pacing: at most `limit` request starts in any `windowMs`, the same sliding-window
 * rule the APIs enforce, so a sync waits its turn instead of bouncing off 429s.
 * Pure module: no n8n imports.
 */
export interface PaceRule {
	limit: number;
	windowMs: number;
}

export type Sleep = (ms: number) => Promise<void>;

export class SlidingWindowPacer {
	/** When each recent request was last known to be on its way: its start, then its answer. */
	private readonly marks: Array<{ at: number }> = [];

	constructor(
		readonly rule: PaceRule,
		private readonly sleep: Sleep,
		private readonly now: () => number = Date.now,
	) {}

	/**
	 * Resolves when a request may start and records it. Call the returned function when the
	 * answer arrives: the server counted the request somewhere between our start and that
	 * moment, so the window is then measured from the answer, which keeps a slow-to-send request
	 * from tipping the next ones over the server's limit.
	 */
	async acquire(): Promise<() => void> {
		for (;;) {
			const now = this.now();
			for (let i = this.marks.length - 1; i >= 0; i--) {
				if (this.marks[i].at <= now - this.rule.windowMs) this.marks.splice(i, 1);
			}
			if (this.marks.length < this.rule.limit) {
				const mark = { at: now };
				this.marks.push(mark);
				return () => {
					mark.at = Math.max(mark.at, this.now());
				};
			}
			const oldest = Math.min(...this.marks.map((mark) => mark.at));
			await this.sleep(oldest + this.rule.windowMs - now + 1);
		}
	}
}

/**
 * A rate such as "5 per second" or "250 per minute" as a window rule, with a small margin so
 * that clock jitter between client and server never tips a request over the server's limit.
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
export function pacerFor(key: string, rule: PaceRule, sleep: Sleep): SlidingWindowPacer {
	const existing = pacers.get(key);
	if (existing && existing.rule.limit === rule.limit && existing.rule.windowMs === rule.windowMs) {
		return existing;
	}
	const pacer = new SlidingWindowPacer(rule, sleep);
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
