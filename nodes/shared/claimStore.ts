/**
 * The store of claims (./claims.ts: the check-in cooldown, the sync's lease) over n8n's own deduplication store:
 * `this.helpers.checkProcessedAndRecord` with the node's scope, a database row per workflow node
 * (SQLite, or PostgreSQL shared by every process in queue mode) that survives restarts.
 */
import { randomUUID } from 'node:crypto';
import type { ICheckProcessedOptions, IExecuteFunctions } from 'n8n-workflow';

import type { ClaimStore } from './claims';

/** Values a node's row keeps (the oldest go first): e.g. about 800 check-ins within one cooldown. */
const STORE_MAX_ENTRIES = 50_000;

const OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: STORE_MAX_ENTRIES };

export function processedDataStore(ctx: IExecuteFunctions): ClaimStore {
	return {
		async record(values) {
			const attempt = async () => await ctx.helpers.checkProcessedAndRecord(values, 'node', OPTIONS);
			// Two first writes of the node's row at the same moment: one fails on the row's key. The
			// row exists then; once more reads it (a second failure is the store's own).
			const result = (await attempt().catch(() => undefined)) ?? (await attempt());
			return { present: result.processed.map(String) };
		},
		async remove(values) {
			if (values.length > 0) await ctx.helpers.removeProcessed(values, 'node', OPTIONS);
		},
	};
}

/** A claim token unique to this attempt of this item. */
export function claimToken(ctx: IExecuteFunctions, itemIndex: number): string {
	return `${ctx.getExecutionId() ?? 'run'}:${itemIndex}:${randomUUID()}`;
}
