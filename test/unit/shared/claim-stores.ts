/** A claim store for unit tests: n8n's deduplication store as one process sees it (every call atomic). */
import type { ClaimStore } from '../../../nodes/shared/claims';

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
