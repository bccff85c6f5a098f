/**
 * The check-in cooldown of both Check In operations (TeamUp, Glofox): a second entry of the same
 * person less than Cooldown Minutes from the last recorded one (before or after it: deliveries can
 * arrive out of order) is a repeat, and the operation sends nothing for it. Pure module: no n8n
 * imports; the operations pass their store.
 *
 * The memory sits behind {@link CooldownStore} (get / record per person). Today it is the node's
 * workflow static data ({@link staticDataStore}): n8n saves it after production executions only,
 * and in queue mode two executions running at once each work on their own copy, so the cooldown
 * is best-effort there. A store over n8n's database-backed deduplication
 * (`this.helpers.checkProcessedAndRecord`) can replace it without touching the operations' logic.
 */
import { integer } from './validate';

export const DEFAULT_COOLDOWN_MINUTES = 60;

const MINUTE_MS = 60_000;
/** Entries are kept at least this long behind the newest one, so that late deliveries still meet them. */
const MIN_RETENTION_MS = 86_400_000;

/** One remembered check-in: when (epoch ms), and who in the source (to name them in a repeat's output). */
export interface LastCheckIn {
	at: number;
	personId: string | null;
}

/** Where the last check-in of each person is remembered. `person` is the lower-cased email. */
export interface CooldownStore {
	get(person: string): Promise<LastCheckIn | undefined>;
	/**
	 * Remembers a check-in (one earlier than the check-in held for that person is not kept).
	 * `retainMs`: how long entries must be kept behind the newest one; the store may forget older ones.
	 */
	record(person: string, checkIn: LastCheckIn, retainMs: number): Promise<void>;
}

/** The Cooldown Minutes option: a whole number of minutes, 0 = off; absent = 60. Fails naming the field and the item. */
export function readCooldownMinutes(value: unknown, itemIndex: number): number {
	return integer(value ?? DEFAULT_COOLDOWN_MINUTES, 'Cooldown Minutes', itemIndex);
}

/** The remembered check-in that an entry at `atMs` repeats (less than `minutes` apart, either order), if any. */
export async function repeatOf(store: CooldownStore, person: string, atMs: number, minutes: number): Promise<LastCheckIn | undefined> {
	if (minutes <= 0) return undefined;
	const last = await store.get(person);
	return last && Math.abs(atMs - last.at) < minutes * MINUTE_MS ? last : undefined;
}

/** Records a check-in that was sent to the source. */
export async function recordCheckIn(store: CooldownStore, person: string, atMs: number, personId: string | null, minutes: number): Promise<void> {
	await store.record(person, { at: atMs, personId }, retentionMs(minutes));
}

/** How long entries are kept behind the newest one: the cooldown, and at least a day. */
export function retentionMs(minutes: number): number {
	return Math.max(Math.max(0, minutes) * MINUTE_MS, MIN_RETENTION_MS);
}

// ---------------------------------------------------------------------------------------------
// The store in workflow static data

/** The node's static data as the cooldown keeps it: the last check-in per lower-cased email. */
export interface CooldownStaticData {
	lastCheckIns?: Record<string, unknown>;
}

/**
 * A remembered entry as saved: `{at, personId}`; also read as saved by earlier versions (TeamUp
 * `{at, customerId}`, Glofox a bare epoch-ms number). Anything else is ignored.
 */
function readEntry(value: unknown): LastCheckIn | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? { at: value, personId: null } : undefined;
	if (!value || typeof value !== 'object') return undefined;
	const entry = value as { at?: unknown; personId?: unknown; customerId?: unknown };
	if (typeof entry.at !== 'number' || !Number.isFinite(entry.at)) return undefined;
	const id = entry.personId ?? entry.customerId;
	return { at: entry.at, personId: typeof id === 'string' ? id : null };
}

/**
 * The cooldown memory in the node's workflow static data (`this.getWorkflowStaticData('node')`).
 * Pruning rule: when a check-in is recorded, entries older than the retention before the newest
 * entry held are dropped, and so are unreadable ones. The clock is the entries' own, not the
 * machine's: a retried execution replaying yesterday's entry leaves the memory as it is, and tests
 * with fixed instants behave.
 */
export function staticDataStore(data: CooldownStaticData): CooldownStore {
	return {
		async get(person) {
			return readEntry(data.lastCheckIns?.[person]);
		},
		async record(person, checkIn, retainMs) {
			const entries = (data.lastCheckIns ??= {});
			const previous = readEntry(entries[person]);
			entries[person] = previous && previous.at > checkIn.at ? previous : checkIn;
			const read = Object.entries(entries).map(([key, value]) => ({ key, entry: readEntry(value) }));
			const newest = Math.max(...read.map(({ entry }) => entry?.at ?? Number.NEGATIVE_INFINITY));
			for (const { key, entry } of read) {
				if (!entry || entry.at < newest - retainMs) delete entries[key];
			}
		},
	};
}
