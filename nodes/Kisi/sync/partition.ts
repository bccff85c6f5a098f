/**
 * Kisi refuses list offsets above 20,000, so one filter shows at most 20,000 + one page of a
 * group's shares. For bigger groups the sync lists the rest through `query` filters (Kisi matches
 * them as substrings of the user's email or name), chosen here so that every email we expect is
 * covered by a query small enough to page through, with as few pages as possible.
 * Pure module: no n8n imports.
 */

export interface QueryChoice {
	query: string;
	/** How many of the known emails contain it: an estimate of the query's size. */
	estimate: number;
}

function substrings(email: string, maxLength: number): Set<string> {
	const found = new Set<string>();
	for (let length = 1; length <= maxLength; length++) {
		for (let start = 0; start + length <= email.length; start++) found.add(email.slice(start, start + length));
	}
	return found;
}

/**
 * Greedy set cover: repeatedly takes the substring (1–3 characters) that covers the most
 * not-yet-covered target emails per page it costs, among those whose estimated size stays under
 * `reachable` (with a margin for emails we do not know about).
 *
 * @param targets emails that must be covered (expected in the group but not yet listed)
 * @param population every email we know (listed shares and decisions), to estimate query sizes
 * @param reachable the most results one filter can list
 */
export function chooseQueries(
	targets: readonly string[],
	population: readonly string[],
	reachable: number,
	pageSize: number,
): QueryChoice[] {
	const budget = Math.floor(reachable * 0.8);
	const counts = new Map<string, number>();
	for (const email of population) {
		for (const part of substrings(email, 3)) counts.set(part, (counts.get(part) ?? 0) + 1);
	}
	const usable = (part: string) => (counts.get(part) ?? 0) <= budget;

	const uncovered = new Set(targets);
	const holders = new Map<string, Set<string>>();
	for (const email of uncovered) {
		for (const part of substrings(email, 3)) {
			if (!usable(part)) continue;
			let set = holders.get(part);
			if (!set) holders.set(part, (set = new Set()));
			set.add(email);
		}
	}

	// Lazy greedy: a candidate's gain only shrinks as emails get covered, so a stale score is an
	// upper bound; re-score the best one and take it if it still beats the next.
	const pagesOf = (part: string) => Math.max(1, Math.ceil((counts.get(part) ?? 0) / pageSize));
	const heap = new MaxHeap<{ part: string; score: number }>((a, b) => a.score - b.score || b.part.length - a.part.length);
	for (const [part, emails] of holders) heap.push({ part, score: emails.size / pagesOf(part) });

	const chosen: QueryChoice[] = [];
	while (uncovered.size > 0 && heap.size > 0) {
		const top = heap.pop()!;
		let gain = 0;
		for (const email of holders.get(top.part)!) if (uncovered.has(email)) gain++;
		if (gain === 0) continue;
		const score = gain / pagesOf(top.part);
		const next = heap.peek();
		if (next && score < next.score) {
			heap.push({ part: top.part, score });
			continue;
		}
		for (const email of holders.get(top.part)!) uncovered.delete(email);
		chosen.push({ query: top.part, estimate: counts.get(top.part) ?? 0 });
	}
	return chosen;
}

/**
 * Last resort for shares nobody told us about (e.g. a departed member's address): single
 * characters, rarest first, skipping ones already tried.
 */
export function fallbackQueries(population: readonly string[], tried: ReadonlySet<string>): string[] {
	const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789._-+@';
	const counts = new Map<string, number>([...alphabet].map((c) => [c, 0]));
	for (const email of population) for (const c of new Set(email)) counts.set(c, (counts.get(c) ?? 0) + 1);
	return [...counts.entries()]
		.filter(([c]) => !tried.has(c))
		.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
		.map(([c]) => c);
}

class MaxHeap<T> {
	private readonly items: T[] = [];

	constructor(private readonly compare: (a: T, b: T) => number) {}

	get size(): number {
		return this.items.length;
	}

	peek(): T | undefined {
		return this.items[0];
	}

	push(item: T): void {
		const items = this.items;
		items.push(item);
		let i = items.length - 1;
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (this.compare(items[i], items[parent]) <= 0) break;
			[items[i], items[parent]] = [items[parent], items[i]];
			i = parent;
		}
	}

	pop(): T | undefined {
		const items = this.items;
		const top = items[0];
		const last = items.pop();
		if (items.length > 0 && last !== undefined) {
			items[0] = last;
			let i = 0;
			for (;;) {
				const left = 2 * i + 1;
				const right = left + 1;
				let largest = i;
				if (left < items.length && this.compare(items[left], items[largest]) > 0) largest = left;
				if (right < items.length && this.compare(items[right], items[largest]) > 0) largest = right;
				if (largest === i) break;
				[items[i], items[largest]] = [items[largest], items[i]];
				i = largest;
			}
		}
		return top;
	}
}
