/**
 * Claims in n8n's deduplication store, safe when several n8n processes claim at the same moment.
 * Pure module: no n8n imports (the store adapter is ./claimStore.ts).
 *
 * The only cross-process store n8n gives a node is its deduplication store
 * (`checkProcessedAndRecord`: one database row per workflow node holding a set of values), which
 * reads the row and writes it back without a lock, so two writers at the same moment can lose one
 * write. {@link claim} makes a safe decision on top of it:
 *
 * 1. **Claim**: in one call, record the values that stand for what is claimed (a person's cooldown
 *    slots, a group's lease minutes, an event id) and a unique token. If any value was already
 *    there, someone holds it: not granted.
 * 2. **Settle**: wait longer than any read-then-write of the store takes.
 * 3. **Verify**: ask for the token again. A writer that read the row before our write and wrote
 *    after it has by now replaced the row without our token (and our values, written in the same
 *    call): we lost to it. If it claimed what we claim, its values overlap ours and the next
 *    attempt sees them (not granted); if it claimed something else, the next attempt claims again.
 *    If the token is there, no such writer exists: the claim is ours.
 *
 * 4. **Own values back**: a slower writer that read the row after a lost attempt's write can put
 *    that attempt back after our check; the next attempt then finds our own values. An owner
 *    marker written with the values tells them apart from another claim's ({@link ownLostAttempt}).
 *    Without it the person was refused as their own duplicate (4 in 600 check-ins in the queue
 *    benchmark; in the unit tests' racy store, 5 in 1,000 claims of 10 people at once, now none).
 *
 * Of claims that overlap at the same moment exactly one wins: a value can only be lost to a write
 * based on a read taken before it was written, such writes land within the settle time, and of
 * the overlapping claims the last writer's values survive and every other claimant finds them on
 * its next attempt.
 */

/** The cross-process store: n8n's deduplication store of one workflow node. */
export interface ClaimStore {
	/** Records `values`; answers those that were there already. */
	record(values: string[]): Promise<{ present: string[] }>;
	/** Forgets `values` (best effort). */
	remove(values: string[]): Promise<void>;
}

export type Sleep = (ms: number) => Promise<void>;

/** Longer than the store's read-then-write takes, even on a busy worker. */
export const SETTLE_MS = 500;
/**
 * Attempts while losing to other claims of other things at the same moment: a rush of 30 people in
 * one instant needs more than 6 in a store where every write races (unit test), and a check-in
 * given up is lost. The wait between attempts stops growing after the fifth (up to 8 s).
 */
const MAX_ATTEMPTS = 12;

export type Claim = { granted: true; /** Gives the claim back. */ release(): Promise<void> } | { granted: false; /** The values someone holds. */ present: string[] };

/** Claims `values` (see the module comment); `token` is unique to this claim. */
export async function claim(store: ClaimStore, values: string[], token: string, sleep: Sleep): Promise<Claim> {
	/** The owner markers of our lost attempts not asked about yet (see {@link ownLostAttempt}). */
	const unasked: string[] = [];
	for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		const mark = `claim:${token}:${attempt}`;
		const owner = `owner:${token}:${attempt}`;
		const ours = [...values, mark, owner];
		const { present } = await store.record(ours);
		if (present.length > 0 && !(await ownLostAttempt(store, present, values, unasked))) {
			// Ours are only those that were not there: leave the holder's alone.
			await store.remove(ours.filter((value) => !present.includes(value)));
			return { granted: false, present };
		}
		await sleep(SETTLE_MS);
		const verified = await store.record([mark]);
		if (verified.present.includes(mark)) return { granted: true, release: async () => await store.remove(ours) };
		// Lost to a writer at the same moment: the next attempt tells an overlapping claim from another one.
		await store.remove([mark]);
		unasked.push(owner);
		// Random, and longer after each loss: claimants that keep colliding spread out.
		await sleep(Math.floor(Math.random() * SETTLE_MS * 2 ** Math.min(attempt, 4)));
	}
	throw new Error('Too many claims were being recorded at the same moment. Run it again.');
}

/**
 * Whether the values found are our own, from an attempt we took for lost: a slower writer that had
 * read the row after that attempt's write can put it back after our check. Each attempt also
 * writes an owner marker, only ever together with the values, and asked about at most once: if one
 * is back, that attempt's write is in the row's history, and any writer of these values after it
 * found them there and was refused (one before it would have refused that attempt), so they are
 * ours. Asking writes the markers that are missing: they are removed again and never asked about
 * twice.
 */
async function ownLostAttempt(store: ClaimStore, present: string[], values: string[], unasked: string[]): Promise<boolean> {
	if (unasked.length === 0 || !present.every((value) => values.includes(value))) return false;
	const asked = unasked.splice(0);
	const { present: back } = await store.record(asked);
	await store.remove(asked);
	return back.length > 0;
}
