/**
 * The claim store over n8n's deduplication store when n8n's database blips: a worker's first queries
 * after PostgreSQL restarted can fail on connections the restart closed. The check-in an accepted
 * unlock asks for must not be lost to that.
 */
import type { ICheckProcessedOptions, IDeduplicationOutput, IExecuteFunctions, INode } from 'n8n-workflow';

import { processedDataStore, STORE_RETRY } from '../../../nodes/shared/claimStore';
import { claimCheckIn } from '../../../nodes/shared/cooldown';

const NODE: INode = { id: 'n1', name: 'Check in to Glofox', type: 'n8n-nodes-gym-access.glofox', typeVersion: 1, position: [0, 0], parameters: {} };

/** A node context whose deduplication store fails its first `failures` calls, as a database coming back does. */
function contextWithFailingDatabase(failures: number) {
	const row = new Set<string>();
	const calls = { made: 0 };
	const fail = () => {
		calls.made++;
		if (calls.made <= failures) throw new Error('Connection terminated unexpectedly');
	};
	const ctx = {
		getNode: () => NODE,
		helpers: {
			async checkProcessedAndRecord(items: string[], _scope: string, _options: ICheckProcessedOptions): Promise<IDeduplicationOutput> {
				fail();
				const output: IDeduplicationOutput = { new: [], processed: [] };
				for (const item of items) (row.has(item) ? output.processed : output.new).push(item);
				for (const item of items) row.add(item);
				return output;
			},
			async removeProcessed(items: string[]): Promise<void> {
				fail();
				for (const item of items) row.delete(item);
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, calls, row };
}

const entry = { person: 'lena.fischer@example.com', atMs: Date.parse('2026-03-02T14:00:00Z'), minutes: 60, eventId: 'evt-1', token: 't1' };

describe("the claim store when n8n's database blips", () => {
	it('three failed calls, then the database answers: the check-in is claimed once, after backing off', async () => {
		const { ctx, calls } = contextWithFailingDatabase(3);
		const waits: number[] = [];
		const sleep = async (ms: number) => void waits.push(ms);
		const result = await claimCheckIn(processedDataStore(ctx, sleep), entry, async () => {});
		expect(result.granted).toBe(true);
		expect(calls.made).toBeGreaterThan(3);
		// Backing off: each wait longer than the one before.
		expect(waits).toHaveLength(3);
		expect(waits[1]).toBeGreaterThan(waits[0]);
		expect(waits[2]).toBeGreaterThan(waits[1]);
		// The same unlock again is a repeat: the claim was recorded, not lost.
		const again = await claimCheckIn(processedDataStore(ctx, sleep), { ...entry, token: 't2' }, async () => {});
		expect(again.granted).toBe(false);
	});

	it('a database that stays away: the node fails naming n8n’s database, after every attempt', async () => {
		const { ctx, calls } = contextWithFailingDatabase(Number.POSITIVE_INFINITY);
		const store = processedDataStore(ctx, async () => {});
		await expect(store.record(['x'])).rejects.toThrow(/n8n's database did not answer \(tried 6 times\): Connection terminated unexpectedly/);
		expect(calls.made).toBe(STORE_RETRY.maxAttempts);
	});
});
