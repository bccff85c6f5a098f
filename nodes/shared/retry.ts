/**
 * When and how long to wait before trying a request again. Pure module: no n8n imports.
 */
export interface RetryPolicy {
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
	maxAttempts: 6,
	baseDelayMs: 500,
	maxDelayMs: 20_000,
	maxRetryAfterMs: 120_000,
};

/** Network failures where the request certainly never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

export type Failure =
	| { kind: 'status'; status: number }
	| { kind: 'network'; code: string }
	| { kind: 'malformed' };

/**
 * 429 and 5xx are retried; other 4xx are not. A request that is not idempotent (a POST that
 * records something) is only retried when the server surely did not act on it: 429, 502–504
 * (gateway answers) and refused connections.
 */
export function isRetryable(failure: Failure, idempotent: boolean): boolean {
	if (failure.kind === 'status') {
		if (failure.status === 429) return true;
		if (failure.status >= 500) return idempotent || [502, 503, 504].includes(failure.status);
		return false;
	}
	if (failure.kind === 'network') {
		// A reset or a timeout may come after the server acted: only safe to repeat when idempotent.
		return NOT_SENT_CODES.has(failure.code) || idempotent;
	}
	return idempotent;
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (text === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const at = Date.parse(text);
	return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with ±20% jitter; Retry-After wins when the server sends it. */
export function retryDelayMs(
	attempt: number,
	policy: RetryPolicy,
	retryAfterMs?: number,
	random: () => number = Math.random,
): number {
	if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
	const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(exponential * (0.8 + 0.4 * random()));
}
