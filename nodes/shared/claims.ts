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
/** Attempts while losing to other claims of other things at the same moment. */
const MAX_ATTEMPTS = 6;

export type Claim = { granted: true; /** Gives the claim back. */ release(): Promise<void> } | { granted: false; /** The values someone holds. */ present: string[] };

/** Claims `values` (see the module comment); `token` is unique to this claim. */
export async function claim(store: ClaimStore, values: string[], token: string, sleep: Sleep): Promise<Claim> {
	for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		const mark = `claim:${token}:${attempt}`;
		const ours = [...values, mark];
		const { present } = await store.record(ours);
		if (present.length > 0) {
			// Ours are only those that were not there: leave the holder's alone.
			await store.remove(ours.filter((value) => !present.includes(value)));
			return { granted: false, present };
		}
		await sleep(SETTLE_MS);
		const verified = await store.record([mark]);
		if (verified.present.includes(mark)) return { granted: true, release: async () => await store.remove(ours) };
		// Lost to a writer at the same moment: the next attempt tells an overlapping claim from another one.
		await store.remove([mark]);
		await sleep(Math.floor(Math.random() * SETTLE_MS));
	}
	throw new Error('Too many claims were being recorded at the same moment. Run it again.');
}
