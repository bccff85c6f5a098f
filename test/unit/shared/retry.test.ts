import { defaultRetryPolicy, isRetryable, parseRetryAfter, retryDelayMs } from '../../../nodes/shared/retry';

describe('isRetryable', () => {
	it('retries 429 and 5xx for reads, never other 4xx', () => {
		for (const status of [429, 500, 502, 503, 504]) expect(isRetryable({ kind: 'status', status }, true)).toBe(true);
		for (const status of [400, 401, 403, 404, 409, 422]) expect(isRetryable({ kind: 'status', status }, true)).toBe(false);
	});

	it('repeats a POST only when the server surely did not act on it', () => {
		expect(isRetryable({ kind: 'status', status: 429 }, false)).toBe(true);
		expect(isRetryable({ kind: 'status', status: 503 }, false)).toBe(true);
		expect(isRetryable({ kind: 'status', status: 500 }, false)).toBe(false);
		expect(isRetryable({ kind: 'network', code: 'ECONNREFUSED' }, false)).toBe(true);
		expect(isRetryable({ kind: 'network', code: 'ECONNRESET' }, false)).toBe(false);
		expect(isRetryable({ kind: 'network', code: 'ECONNRESET' }, true)).toBe(true);
		expect(isRetryable({ kind: 'malformed' }, false)).toBe(false);
		expect(isRetryable({ kind: 'malformed' }, true)).toBe(true);
	});
});

describe('parseRetryAfter', () => {
	it('reads seconds and HTTP dates', () => {
		expect(parseRetryAfter('3')).toBe(3000);
		expect(parseRetryAfter(1.5)).toBe(1500);
		const now = Date.parse('2026-03-02T14:00:00Z');
		expect(parseRetryAfter('Mon, 02 Mar 2026 14:00:10 GMT', now)).toBe(10_000);
	});

	it('ignores what it cannot read', () => {
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(parseRetryAfter('')).toBeUndefined();
		expect(parseRetryAfter('soon')).toBeUndefined();
	});
});

describe('retryDelayMs', () => {
	it('backs off exponentially with jitter, capped', () => {
		const mid = () => 0.5;
		expect(retryDelayMs(1, defaultRetryPolicy, undefined, mid)).toBe(500);
		expect(retryDelayMs(2, defaultRetryPolicy, undefined, mid)).toBe(1000);
		expect(retryDelayMs(4, defaultRetryPolicy, undefined, mid)).toBe(4000);
		expect(retryDelayMs(12, defaultRetryPolicy, undefined, mid)).toBe(defaultRetryPolicy.maxDelayMs);
		expect(retryDelayMs(1, defaultRetryPolicy, undefined, () => 0)).toBe(400);
		expect(retryDelayMs(1, defaultRetryPolicy, undefined, () => 1)).toBe(600);
	});

	it('waits what the server asked in Retry-After, within reason', () => {
		expect(retryDelayMs(1, defaultRetryPolicy, 7000)).toBe(7000);
		expect(retryDelayMs(1, defaultRetryPolicy, 10 * 60_000)).toBe(defaultRetryPolicy.maxRetryAfterMs);
	});
});
