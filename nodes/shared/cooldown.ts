/**
 * The check-in cooldown of both Check In operations (TeamUp, Glofox): a second entry of the same
 * person less than Cooldown Minutes from a recorded one (before or after it: deliveries can arrive
 * out of order), or a second delivery of the same unlock event, is a repeat, and the operation
 * sends nothing for it. Pure module: no n8n imports; the operations pass their store.
 *
 * The memory must hold across executions, restarts and, in queue mode, across workers that handle
 * two unlocks of one person at the same moment. The only cross-process store n8n gives a node is
 * its deduplication store (`checkProcessedAndRecord`: one database row per workflow node holding
 * a set of values), which reads the row and writes it back without a lock, so two writers at the
 * same moment can lose one write. {@link claimCheckIn} makes a safe decision on top of it:
 *
 * 1. **Claim**: in one call, record the person's cooldown markers (one per time slot of the
 *    cooldown window starting at the entry), the event's marker and a unique claim token. If any
 *    marker was already there, a check-in within the cooldown (or this very event) holds it: repeat.
 * 2. **Settle**: wait longer than any read-then-write of the store takes.
 * 3. **Verify**: ask for the claim token again. A writer that read the row before our write and
 *    wrote after it has by now replaced the row without our token (and markers, written in the
 *    same call): we lost to it. If it claimed the same person it left markers that overlap ours:
 *    the next attempt sees them (repeat); if it was someone else's claim, the next attempt claims
 *    again. If the token is there, no such writer exists: the check-in is ours.
 *
 * Of two claims of one person at the same moment exactly one wins: a value can only be lost to a
 * write based on a read taken before it was written, such writes land within the settle time, and
 * of the claims that overlap, the last writer's markers survive and every other claimant finds
 * them on its next attempt.
 */
import { integer } from './validate';

export const DEFAULT_COOLDOWN_MINUTES = 60;

const MINUTE_MS = 60_000;
/** Markers per cooldown at most: a cooldown of up to an hour is exact to the minute, longer ones to 1/60 of it. */
const MAX_SLOTS = 60;
/** Longer than the store's read-then-write takes, even on a busy worker. */
export const SETTLE_MS = 500;
/** Attempts to claim while losing to other people's claims at the same moment. */
const MAX_ATTEMPTS = 6;
/** Values the store keeps (the oldest go first): about 800 check-ins within one cooldown. */
export const STORE_MAX_ENTRIES = 50_000;

/** The cross-process store: n8n's deduplication store of the Check In node. */
export interface ClaimStore {
	/** Records `values`; answers those that were there already. */
	record(values: string[]): Promise<{ present: string[] }>;
	/** Forgets `values` (best effort). */
	remove(values: string[]): Promise<void>;
}

export interface CheckInClaim {
	/** The lower-cased email. */
	person: string;
	/** When the person came in (epoch ms). */
	atMs: number;
	/** Cooldown Minutes: 0 = only the same event is a repeat. */
	minutes: number;
	/** The unlock event's id (the Kisi event uuid), when the input carries one. */
	eventId?: string | null;
	/** Unique per attempt (execution id, item, random). */
	token: string;
}

export type ClaimResult =
	| { granted: true; /** Gives the claim back, when nothing was checked in after all. */ release(): Promise<void> }
	| { granted: false; /** The recorded entry this one repeats, to the slot; null when it is the same event. */ lastCheckInAt: string | null };

/** The Cooldown Minutes option: a whole number of minutes, 0 = off; absent = 60. Fails naming the field and the item. */
export function readCooldownMinutes(value: unknown, itemIndex: number): number {
	return integer(value ?? DEFAULT_COOLDOWN_MINUTES, 'Cooldown Minutes', itemIndex);
}

/**
 * The unlock event an input item comes from: the Kisi Trigger's event `uuid` (the same across
 * Kisi's repeated deliveries of one event), so that a second delivery is a repeat even without a
 * cooldown. Null for other inputs.
 */
export function unlockEventId(json: unknown): string | null {
	const uuid = json && typeof json === 'object' ? (json as { uuid?: unknown }).uuid : undefined;
	return typeof uuid === 'string' && uuid.trim() !== '' ? uuid.trim() : null;
}

/** The slot length of a cooldown, in minutes: one minute up to an hour, longer cooldowns in 60 slots. */
function slotMinutes(minutes: number): number {
	return Math.max(1, Math.ceil(minutes / MAX_SLOTS));
}

/**
 * The markers of an entry: one per slot from the entry's slot on, as many as the cooldown spans.
 * Two entries' markers overlap exactly when they are less than the cooldown apart (to the slot).
 */
export function cooldownMarkers(person: string, atMs: number, minutes: number): string[] {
	if (minutes <= 0) return [];
	const slot = slotMinutes(minutes);
	const first = Math.floor(atMs / MINUTE_MS / slot);
	const count = Math.ceil(minutes / slot);
	return Array.from({ length: count }, (_, i) => `cooldown:${slot}:${person}:${first + i}`);
}

/** When the entry a repeat collides with was, from the markers found (to the slot). */
function collidingEntryAt(found: string[], person: string, atMs: number, minutes: number): string | null {
	const slot = slotMinutes(minutes);
	const prefix = `cooldown:${slot}:${person}:`;
	const slots = found.filter((value) => value.startsWith(prefix)).map((value) => Number(value.slice(prefix.length)));
	if (slots.length === 0) return null;
	const first = Math.floor(atMs / MINUTE_MS / slot);
	const count = Math.ceil(minutes / slot);
	// An entry after ours starts the run of found slots; one before ours ends it `count` slots later.
	const min = Math.min(...slots);
	const start = min > first ? min : Math.max(...slots) + 1 - count;
	return new Date(start * slot * MINUTE_MS).toISOString();
}

export type Sleep = (ms: number) => Promise<void>;

/** Claims the check-in of one entry (see the module comment). */
export async function claimCheckIn(store: ClaimStore, claim: CheckInClaim, sleep: Sleep): Promise<ClaimResult> {
	const markers = cooldownMarkers(claim.person, claim.atMs, claim.minutes);
	const eventMarker = claim.eventId ? [`event:${claim.eventId}`] : [];
	for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		const token = `claim:${claim.token}:${attempt}`;
		const ours = [...markers, ...eventMarker, token];
		const { present } = await store.record(ours);
		if (present.length > 0) {
			// Ours are only those that were not there: leave the others' markers alone.
			await store.remove(ours.filter((value) => !present.includes(value)));
			return { granted: false, lastCheckInAt: collidingEntryAt(present, claim.person, claim.atMs, claim.minutes) };
		}
		await sleep(SETTLE_MS);
		const verified = await store.record([token]);
		if (verified.present.includes(token)) {
			return { granted: true, release: async () => await store.remove(ours) };
		}
		// Lost to a writer at the same moment: the next attempt tells a same-person claim from another one.
		await store.remove([token]);
		await sleep(Math.floor(Math.random() * SETTLE_MS));
	}
	throw new Error(`Could not record the check-in of ${claim.person}: too many check-ins were being recorded at the same moment. Run it again.`);
}
