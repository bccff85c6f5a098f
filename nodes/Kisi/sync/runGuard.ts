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
