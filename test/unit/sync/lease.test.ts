/**
 * The whole-group sync's lease across n8n processes (queue mode), in the sync node's row of n8n's
 * deduplication store: a run that finds another one holding the group skips; a crashed run's
 * lease lapses; a long run keeps it by writing.
 */
import { LEASE_MINUTES, takeLease } from '../../../nodes/Kisi/sync/runGuard';
import { atomicStore as store, racyStore } from '../shared/claim-stores';

const T0 = Date.parse('2026-03-02T14:00:00Z');
const MIN = 60_000;
const noSleep = async () => undefined;

describe('the lease of a whole-group sync', () => {
	it('a run that starts while another holds the group is refused, with when the holder’s lease lapses; after a release it is granted', async () => {
		const s = store();
		const first = await takeLease(s, '501', T0, 'a', noSleep);
		expect(first.granted).toBe(true);
		expect(await takeLease(s, '501', T0 + 5 * MIN, 'b', noSleep)).toEqual({ granted: false, heldUntil: new Date(T0 + LEASE_MINUTES * MIN).toISOString() });
		// Another group is free.
		expect((await takeLease(s, '502', T0 + 5 * MIN, 'c', noSleep)).granted).toBe(true);
		if (first.granted) await first.lease.release();
		expect((await takeLease(s, '501', T0 + 6 * MIN, 'd', noSleep)).granted).toBe(true);
	});

	it('a crashed run (never released) holds the group until its lease lapses, not longer', async () => {
		const s = store();
		expect((await takeLease(s, '501', T0, 'a', noSleep)).granted).toBe(true);
		expect((await takeLease(s, '501', T0 + (LEASE_MINUTES - 1) * MIN, 'b', noSleep)).granted).toBe(false);
		expect((await takeLease(s, '501', T0 + LEASE_MINUTES * MIN, 'c', noSleep)).granted).toBe(true);
	});

	it('a long run that keeps writing keeps its lease (renewed at most once a minute)', async () => {
		const s = store();
		const taken = await takeLease(s, '501', T0, 'a', noSleep);
		if (!taken.granted) throw new Error('expected the lease');
		for (let minute = 1; minute <= 120; minute++) await taken.lease.renew(T0 + minute * MIN);
		expect((await takeLease(s, '501', T0 + 125 * MIN, 'b', noSleep)).granted).toBe(false);
		const size = s.values.size;
		await taken.lease.renew(T0 + 120 * MIN + 30_000); // within the minute: nothing written
		expect(s.values.size).toBe(size);
		await taken.lease.release();
		expect(s.values.size).toBe(0);
	});

	it('of two runs starting at the same moment on two workers, exactly one gets the group', async () => {
		const fast = async (ms: number) => await new Promise<void>((resolve) => setTimeout(resolve, ms / 10));
		for (let round = 0; round < 20; round++) {
			const s = racyStore(20);
			const results = await Promise.all(['a', 'b'].map(async (token) => await takeLease(s, '501', T0, `${token}${round}`, fast)));
			expect({ round, granted: results.filter((r) => r.granted).length }).toEqual({ round, granted: 1 });
		}
	});
});
