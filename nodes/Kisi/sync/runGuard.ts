/**
 * Whole Group syncs in progress in this n8n process, per Kisi account and group. A first sync of
 * a big gym writes for hours at Kisi's 5 requests/s while the schedule fires every 15 minutes;
 * Whole Group runs that start meanwhile would share that budget and race the first one for the
 * same shares, so by default they skip. Listed People runs (real-time, a few people) neither
 * register here nor wait: skipping them would keep a new member out until the long run ends, and
 * what they write is safe from the long run's older decisions (rules.ts, changed after the
 * decisions). (Across processes, as in queue mode, overlapping runs stay safe: a create answered
 * "already taken" is resolved by re-reading the share.)
 * Pure module: no n8n imports.
 */
import { claim, type ClaimStore, type Sleep } from '../../shared/claims';
import type { ShareWriter } from './apply';

const running = new Map<string, { since: string; count: number }>();

export interface RunSlot {
	/** When the oldest run of this group still in progress started, if another one is. */
	busySince: string | null;
	release(): void;
}

/** Registers a run of `key`; call `release` when it ends, whatever happened. */
export function enterRun(key: string, now: Date = new Date()): RunSlot {
	const current = running.get(key);
	const busySince = current ? current.since : null;
	if (current) current.count++;
	else running.set(key, { since: now.toISOString(), count: 1 });
	let released = false;
	return {
		busySince,
		release: () => {
			if (released) return;
			released = true;
			const entry = running.get(key);
			if (entry && --entry.count === 0) running.delete(key);
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Across n8n processes (queue mode): a lease in n8n's deduplication store of the sync node

/** How far ahead a lease reaches; renewed every minute while the run works, so a crashed run's lease lapses after this. */
export const LEASE_MINUTES = 10;
const MINUTE_MS = 60_000;

function leaseMarkers(group: string, fromMs: number): string[] {
	const first = Math.floor(fromMs / MINUTE_MS);
	return Array.from({ length: LEASE_MINUTES }, (_, i) => `lease:${group}:${first + i}`);
}

export interface Lease {
	/** Extends the lease to LEASE_MINUTES from now (at most once a minute; cheap to call often). */
	renew(nowMs?: number): Promise<void>;
	/** Gives the lease back (the run ended, whatever happened). */
	release(): Promise<void>;
}

export type LeaseResult = { granted: true; lease: Lease } | { granted: false; /** When the other run's lease lapses unless renewed. */ heldUntil: string };

/**
 * Takes the lease of a whole-group sync of `group` in `store` (the sync node's row of n8n's
 * deduplication store, shared by every process of a queue-mode n8n). Not granted while another
 * run holds it: one that started in another process, or a crashed one, until its lease lapses.
 */
export async function takeLease(store: ClaimStore, group: string, nowMs: number, token: string, sleep: Sleep): Promise<LeaseResult> {
	const first = leaseMarkers(group, nowMs);
	const result = await claim(store, first, token, sleep);
	if (!result.granted) {
		const prefix = `lease:${group}:`;
		const last = Math.max(...result.present.filter((value) => value.startsWith(prefix)).map((value) => Number(value.slice(prefix.length))));
		return { granted: false, heldUntil: new Date((Number.isFinite(last) ? last + 1 : Math.floor(nowMs / MINUTE_MS)) * MINUTE_MS).toISOString() };
	}
	const held = new Set(first);
	let renewedAt = nowMs;
	return {
		granted: true,
		lease: {
			async renew(at = Date.now()) {
				if (at - renewedAt < MINUTE_MS) return;
				renewedAt = at;
				const more = leaseMarkers(group, at).filter((value) => !held.has(value));
				for (const value of more) held.add(value);
				if (more.length > 0) await store.record(more);
			},
			async release() {
				await result.release();
				await store.remove([...held]);
			},
		},
	};
}

/** The sync's writer, renewing the lease as it writes (a first sync of a big gym writes for hours). */
export function renewingWriter(writer: ShareWriter, lease: Lease): ShareWriter {
	const renewing =
		<A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
		async (...args: A): Promise<R> => {
			await lease.renew();
			return await write(...args);
		};
	return { ...writer, create: renewing(writer.create), find: renewing(writer.find), update: renewing(writer.update), remove: renewing(writer.remove), get: renewing(writer.get), end: renewing(writer.end) };
}
