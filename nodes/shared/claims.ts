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
 * 3. **Verify, twice**: ask for the token again, and once more after another settle wait. A
 *    writer that read the row before our write and wrote after it has by now replaced the row
 *    without our token (and our values, written in the same call): we lost to it. If it claimed
 *    what we claim, its values overlap ours and the next attempt sees them (not granted); if it
 *    claimed something else, the next attempt claims again. If the token is there both times, the
 *    claim is ours. Why twice: writers of other claims that read the row at different moments can
 *    put back, one after the other, first our write and then a rival's that had replaced it, so
 *    that two rivals each found their token once (the unit tests' racy store, 100 rounds of 15
 *    people each unlocking twice at once: a person checked in twice 99 times with one check, 9
 *    times with two).
 * 4. **Own values back**: a slower writer that read the row after a lost attempt's write can put
 *    that attempt back after our check; the next attempt then finds our own values. Owner markers
 *    written with the values tell them apart from another claim's ({@link ownLostAttempt}).
 *    Without them the person was refused as their own duplicate (7 of 400 check-ins with two
 *    workers and 20 unlocks at once in the queue benchmark; 25 of 1,200 claims of 30 people at
 *    once in the racy store, now none).
 *
 * What this guarantees: of claims that overlap at the same moment one wins, as long as every
 * read-then-write of the store lands within the settle time and few writers overlap; the only
 * other outcomes, rarer still, are two winners (a repeat checked in twice) or none (the claims
 * refuse each other). n8n gives a node no atomic store (docs/CONVENTIONS.md, "Where
 * cross-execution state lives"), so no protocol on top of it can rule them out entirely; the unit
 * tests measure how rare they are in a store far harsher than n8n's database.
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

/**
 * Owner markers written with each attempt's values: a lost attempt can be asked about once per
 * later attempt that finds values of its own (see {@link ownLostAttempt}), this many times in all.
 */
export const OWNER_MARKERS = 4;

/** A lost attempt's owner markers not asked about yet, the next first. */
type LostAttempt = string[];

/** Claims `values` (see the module comment); `token` is unique to this claim. */
export async function claim(store: ClaimStore, values: string[], token: string, sleep: Sleep): Promise<Claim> {
	const lost: LostAttempt[] = [];
	for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		const mark = `claim:${token}:${attempt}`;
		const owners = Array.from({ length: OWNER_MARKERS }, (_, i) => `owner:${token}:${attempt}:${i}`);
		const ours = [...values, mark, ...owners];
		const { present } = await store.record(ours);
		if (present.length > 0 && !(await ownLostAttempt(store, present, values, lost))) {
			// Ours are only those that were not there: leave the holder's alone.
			await store.remove(ours.filter((value) => !present.includes(value)));
			return { granted: false, present };
		}
		if (await verified(store, mark, sleep)) return { granted: true, release: async () => await store.remove(ours) };
		// Lost to a writer at the same moment: the next attempt tells an overlapping claim from another one.
		await store.remove([mark]);
		lost.push(owners);
		// Random, and longer after each loss: claimants that keep colliding spread out.
		await sleep(Math.floor(Math.random() * SETTLE_MS * 2 ** Math.min(attempt, 4)));
	}
	throw new Error('Too many claims were being recorded at the same moment. Run it again.');
}

/** Whether our token is still there after a settle wait, and again after a second one (step 3). */
async function verified(store: ClaimStore, mark: string, sleep: Sleep): Promise<boolean> {
	for (let check = 0; check < 2; check++) {
		await sleep(SETTLE_MS);
		if (!(await store.record([mark])).present.includes(mark)) return false;
	}
	return true;
}

/**
 * Whether the values found are our own, from an attempt we took for lost: a slower writer that had
 * read the row after that attempt's write can put it back after our check, and writers that read
 * it then can keep putting it back for a while. Each attempt also writes owner markers, only ever
 * together with its values, and each marker is asked about at most once: a marker not asked
 * before is in the row only if that attempt's write is in the row's history, and then any writer
 * of these values after it found them there and was refused (one before it would have refused that
 * attempt), so they are ours. Asking writes the markers that are missing, so an asked marker says
 * nothing any more: it is removed again and the next ask about that attempt takes its next marker.
 * (With one marker asked once, values of a lost attempt put back again after the ask made the person
 * their own duplicate: 25 of 1,200 claims of 30 people at once in the unit tests' racy store.)
 */
async function ownLostAttempt(store: ClaimStore, present: string[], values: string[], lost: LostAttempt[]): Promise<boolean> {
	if (!present.every((value) => values.includes(value))) return false;
	const asked = lost.filter((owners) => owners.length > 0).map((owners) => owners.shift()!);
	if (asked.length === 0) return false;
	const { present: back } = await store.record(asked);
	await store.remove(asked);
	return back.length > 0;
}
