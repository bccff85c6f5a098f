/**
 * The check-in cooldown of both Check In operations (TeamUp, Glofox): a second entry of the same
 * person less than Cooldown Minutes from a recorded one (before or after it: deliveries can arrive
 * out of order), or a second delivery of the same unlock event, is a repeat, and the operation
 * sends nothing for it. Pure module: no n8n imports; the operations pass their store.
 *
 * The memory must hold across executions, restarts and, in queue mode, across workers that handle
 * two unlocks of one person at the same moment: an entry claims (./claims.ts) one marker per time
 * slot of the cooldown window that starts at the entry, plus the event's id. Two entries' markers
 * overlap exactly when they are less than the cooldown apart, so of two entries of one person at
 * the same moment one checks in (./claims.ts says what that guarantees, and its measured limits).
 */
import { claim, type ClaimStore, type Sleep, type StoreCallTimes } from './claims';
import { integer } from './validate';

export const DEFAULT_COOLDOWN_MINUTES = 60;

const MINUTE_MS = 60_000;
/** Markers per cooldown at most: a cooldown of up to an hour is exact to the minute, longer ones to 1/60 of it. */
const MAX_SLOTS = 60;

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

/** Claims the check-in of one entry: granted, or the repeat it is (`times`: see {@link claim}). */
export async function claimCheckIn(store: ClaimStore, entry: CheckInClaim, sleep: Sleep, times?: StoreCallTimes): Promise<ClaimResult> {
	const markers = cooldownMarkers(entry.person, entry.atMs, entry.minutes);
	const event = entry.eventId ? [`event:${entry.eventId}`] : [];
	const result = await claim(store, [...markers, ...event], entry.token, sleep, times);
	if (result.granted) return result;
	return { granted: false, lastCheckInAt: collidingEntryAt(result.present, entry.person, entry.atMs, entry.minutes) };
}
