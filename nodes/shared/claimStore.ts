/**
 * The store of claims (./claims.ts: the check-in cooldown, the sync's lease) over n8n's own deduplication store:
 * `this.helpers.checkProcessedAndRecord` with the node's scope, a database row per workflow node
 * (SQLite, or PostgreSQL shared by every process in queue mode) that survives restarts.
 */
import { randomUUID } from 'node:crypto';
import { NodeOperationError, sleep as n8nSleep, type ICheckProcessedOptions, type IExecuteFunctions } from 'n8n-workflow';

import type { ClaimStore, Sleep } from './claims';
import { retryDelayMs, type RetryPolicy } from './retry';

/** Values a node's row keeps (the oldest go first): e.g. about 800 check-ins within one cooldown. */
const STORE_MAX_ENTRIES = 50_000;

const OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: STORE_MAX_ENTRIES };

/**
 * A store call that fails is made again, for about 15 s: n8n's database coming back after a restart
 * (queue mode: a worker's first queries can fail on connections the restart closed), or two first
 * writes of the node's row at the same moment (one fails on the row's key; the row exists then).
 * Without this, an unlock n8n had accepted would lose its check-in to a blip of the database. A
 * call that failed after its write landed reads its own values back on the next try: the claim then
 * comes out as held (a repeat), never as a second grant.
 */
export const STORE_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 0 };

/** `call`, made again while it fails (STORE_RETRY); the last failure names n8n's database. */
async function withRetries<T>(ctx: IExecuteFunctions, call: () => Promise<T>, sleep: Sleep): Promise<T> {
	let failure: unknown;
	for (let attempt = 1; attempt <= STORE_RETRY.maxAttempts; attempt++) {
		try {
			return await call();
		} catch (error) {
			failure = error;
			if (attempt < STORE_RETRY.maxAttempts) await sleep(retryDelayMs(attempt, STORE_RETRY));
		}
	}
	throw new NodeOperationError(ctx.getNode(), failure as Error, {
		message: `n8n's database did not answer (tried ${STORE_RETRY.maxAttempts} times): ${(failure as Error)?.message ?? String(failure)}`,
		description: "This node remembers what it did in n8n's own database (its deduplication store). Check that n8n's database is reachable, then run it again.",
	});
}

export function processedDataStore(ctx: IExecuteFunctions, sleep: Sleep = n8nSleep): ClaimStore {
	return {
		async record(values) {
			const result = await withRetries(ctx, async () => await ctx.helpers.checkProcessedAndRecord(values, 'node', OPTIONS), sleep);
			return { present: result.processed.map(String) };
		},
		async remove(values) {
			if (values.length > 0) await withRetries(ctx, async () => await ctx.helpers.removeProcessed(values, 'node', OPTIONS), sleep);
		},
	};
}

/** A claim token unique to this attempt of this item. */
export function claimToken(ctx: IExecuteFunctions, itemIndex: number): string {
	return `${ctx.getExecutionId() ?? 'run'}:${itemIndex}:${randomUUID()}`;
}
