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
	private readonly starts: number[] = [];

	constructor(
		readonly rule: PaceRule,
		private readonly sleep: Sleep,
		private readonly now: () => number = Date.now,
	) {}

	/** Resolves when a request may start, and records that start. */
	async acquire(): Promise<void> {
		for (;;) {
			const now = this.now();
			while (this.starts.length > 0 && this.starts[0] <= now - this.rule.windowMs) this.starts.shift();
			if (this.starts.length < this.rule.limit) {
				this.starts.push(now);
				return;
			}
			await this.sleep(this.starts[0] + this.rule.windowMs - now + 1);
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
