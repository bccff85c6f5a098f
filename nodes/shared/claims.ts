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
 * 2. **Settle**: wait longer than any read-then-write of the store takes: at least
 *    {@link SETTLE_MS}, and twice the slowest store call this process made in the last minute
 *    ({@link StoreCallTimes}). With two queue-mode workers under a rush, store calls take far longer
 *    than alone (n8n's database pool is 2 connections per process): waves of 20 unlocks on two
 *    workers, median 220 ms, 1 in 10 over 540 ms, the slowest 1.5 s (one worker: 34 ms, 85 ms,
 *    630 ms). With a fixed 500 ms, a rival's write could land after both checks: 1 or 2 of 400
 *    check-ins came out as a false duplicate.
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
 *    written with the values, and asked about in the same call, tell them apart from another
 *    claim's ({@link ownLostAttempt}). Without them the person was refused as their own duplicate
 *    (7 of 400 check-ins with two workers and 20 unlocks at once in the queue benchmark; 25 of 1,200
 *    claims of 30 people at once in the racy store, now none).
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

/** The shortest settle wait: longer than the store's read-then-write takes on a quiet worker. */
export const SETTLE_MS = 500;
/** The longest: a store call that took longer (retries while the database restarts) sets no longer wait. */
export const MAX_SETTLE_MS = 10_000;
/** Store calls this recent count towards the settle wait. */
const RECENT_MS = 60_000;

/**
 * How long this process's store calls took lately: the settle wait is twice the slowest of the
 * last minute (at least {@link SETTLE_MS}, at most {@link MAX_SETTLE_MS}). A rival's read-then-write
 * lies within its own call, and rivals share the database and its load with us, so their calls
 * take about as long as ours. Only a duration is kept (process memory), never a decision.
 */
export class StoreCallTimes {
	private recent: Array<{ at: number; ms: number }> = [];

	constructor(private readonly now: () => number = Date.now) {}

	/** `call`, timed. */
	async time<T>(call: () => Promise<T>): Promise<T> {
		const start = this.now();
		try {
			return await call();
		} finally {
			const at = this.now();
			this.recent = this.recent.filter((entry) => entry.at > at - RECENT_MS);
			this.recent.push({ at, ms: at - start });
		}
	}

	/** The settle wait now. */
	settleMs(): number {
		const since = this.now() - RECENT_MS;
		const slowest = this.recent.reduce((most, entry) => (entry.at > since ? Math.max(most, entry.ms) : most), 0);
		return Math.min(MAX_SETTLE_MS, Math.max(SETTLE_MS, 2 * slowest));
	}
}

/** The store calls of every claim in this process. */
const processStoreCalls = new StoreCallTimes();
/**
 * Attempts while losing to other claims of other things at the same moment: a rush of 30 people in
 * one instant needs more than 6 in a store where every write races (unit test), and a check-in
 * given up is lost. The wait between attempts stops growing after the fifth (up to 8 s).
 */
const MAX_ATTEMPTS = 12;

export type Claim = { granted: true; /** Gives the claim back. */ release(): Promise<void> } | { granted: false; /** The values someone holds. */ present: string[] };

/**
 * Owner markers written with each attempt's values: every later attempt asks about one of each
 * lost attempt's (see {@link ownLostAttempt}), so one per later attempt. (Four ran out in a rush:
 * 9 of 1,200 claims of 30 people at once came out as a false duplicate in the unit tests' racy
 * store; with one per later attempt, none.)
 */
export const OWNER_MARKERS = MAX_ATTEMPTS - 1;

/** A lost attempt's owner markers not asked about yet, the next first. */
type LostAttempt = string[];

/**
 * Claims `values` (see the module comment); `token` is unique to this claim. `times`: where the
 * store calls are timed for the settle wait (tests give their own, on the clock their `sleep` keeps).
 */
export async function claim(store: ClaimStore, values: string[], token: string, sleep: Sleep, times = processStoreCalls): Promise<Claim> {
	store = timed(store, times);
	const settle = async () => await sleep(times.settleMs());
	const lost: LostAttempt[] = [];
	for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		const mark = `claim:${token}:${attempt}`;
		const owners = Array.from({ length: OWNER_MARKERS }, (_, i) => `owner:${token}:${attempt}:${i}`);
		// One marker of each lost attempt, asked in the same call (one read of the row) as the values.
		const asked = lost.filter((markers) => markers.length > 0).map((markers) => markers.shift()!);
		const ours = [...values, mark, ...owners, ...asked];
		const { present } = await store.record(ours);
		const held = present.filter((value) => values.includes(value));
		if (held.length > 0 && !ownLostAttempt(present, values, asked)) {
			// Ours are only those that were not there: leave the holder's alone.
			await store.remove(ours.filter((value) => !present.includes(value)));
			return { granted: false, present: held };
		}
		if (await verified(store, mark, settle)) return { granted: true, release: async () => await store.remove(ours) };
		// Lost to a writer at the same moment: the next attempt tells an overlapping claim from another one.
		await store.remove([mark, ...asked]);
		lost.push(owners);
		// Random, and longer after each loss: claimants that keep colliding spread out.
		await sleep(Math.floor(Math.random() * SETTLE_MS * 2 ** Math.min(attempt, 4)));
	}
	throw new Error('Too many claims were being recorded at the same moment. Run it again.');
}

/** `store` with its calls timed in `times`. */
function timed(store: ClaimStore, times: StoreCallTimes): ClaimStore {
	return {
		record: async (values) => await times.time(async () => await store.record(values)),
		remove: async (values) => await times.time(async () => await store.remove(values)),
	};
}

/** Whether our token is still there after a settle wait, and again after a second one (step 3). */
async function verified(store: ClaimStore, mark: string, settle: () => Promise<void>): Promise<boolean> {
	for (let check = 0; check < 2; check++) {
		await settle();
		if (!(await store.record([mark])).present.includes(mark)) return false;
	}
	return true;
}

/**
 * Whether the values found are our own, from an attempt we took for lost: a slower writer that had
 * read the row after that attempt's write can put it back after our check, and writers that read
 * it then can keep putting it back for a while. Each attempt also writes owner markers, only ever
 * together with its values, and each marker is asked about at most once, in the same call as the
 * values (so both answers come from one read of the row): a marker not asked before is in the row
 * only if that attempt's write is in the row's history, and then any writer of these values after
 * it found them there and was refused (one before it would have refused that attempt), so they are
 * ours. Asking writes the marker, so an asked marker says nothing any more: the next attempt asks
 * that attempt's next marker. (With one marker asked once, values of a lost attempt put back again
 * after the ask made the person their own duplicate: 25 of 1,200 claims of 30 people at once in the
 * unit tests' racy store. With the ask in a call of its own, the row could change between the two
 * reads.)
 */
function ownLostAttempt(present: string[], values: string[], asked: string[]): boolean {
	return asked.some((marker) => present.includes(marker)) && present.every((value) => values.includes(value) || asked.includes(value));
}
