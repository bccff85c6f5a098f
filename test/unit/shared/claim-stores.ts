/** Claim stores for unit tests: n8n's deduplication store as one process sees it, and as several do. */
import type { ClaimStore } from '../../../nodes/shared/claims';

/** n8n's deduplication store as one process sees it: every call atomic. */
export function atomicStore(): ClaimStore & { values: Set<string> } {
	const values = new Set<string>();
	return {
		values,
		async record(list) {
			const present = list.filter((value) => values.has(value));
			for (const value of list) values.add(value);
			return { present };
		},
		async remove(list) {
			for (const value of list) values.delete(value);
		},
	};
}

/**
 * n8n's deduplication store as several processes see it: a call reads the row, takes up to
 * `maxGapMs`, and writes back what it read plus its change — a write at the same moment is lost
 * (last write wins).
 */
export function racyStore(maxGapMs: number): ClaimStore & { values: Set<string>; lostWrites: number } {
	const store = {
		values: new Set<string>(),
		lostWrites: 0,
		version: 0,
		async write(change: (row: Set<string>) => void): Promise<Set<string>> {
			const read = new Set(store.values);
			const readVersion = store.version;
			await new Promise((resolve) => setTimeout(resolve, Math.random() * maxGapMs));
			const written = new Set(read);
			change(written);
			if (store.version !== readVersion) store.lostWrites++;
			store.values = written;
			store.version++;
			return read;
		},
		async record(list: string[]) {
			const read = await store.write((row) => list.forEach((value) => row.add(value)));
			return { present: list.filter((value) => read.has(value)) };
		},
		async remove(list: string[]) {
			await store.write((row) => list.forEach((value) => row.delete(value)));
		},
	};
	return store;
}
