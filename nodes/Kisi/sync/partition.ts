/**
 * Kisi refuses list offsets above 20,000, so one filter shows at most 20,000 + one page of a
 * group's shares. For bigger groups the sync lists the shares through `query` filters (Kisi matches
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

/** Longest local-part ending an anchored query carries ("ana@gmail.com" → "a@gmail.com", "na@gmail.com", "ana@gmail.com"). */
const ANCHOR_SUFFIX = 3;

function splitEmail(email: string): { local: string; domain: string } | null {
	const at = email.indexOf('@');
	if (at <= 0 || at !== email.lastIndexOf('@') || at === email.length - 1) return null;
	return { local: email.slice(0, at), domain: email.slice(at + 1) };
}

/**
 * Queries anchored on the "@": `@domain` and `<end of the local part>@domain`, for every known
 * domain the email's domain starts with (the substrings of this email that are such queries).
 * They match emails only (names hold no "@"), and the ones of one domain split it without overlap:
 * a group far above the offset cap is listed in close to one pass, where short substrings overlap
 * heavily and read most shares several times.
 */
function anchoredParts(email: string, domains: ReadonlySet<string>, into: Set<string>): void {
	const split = splitEmail(email);
	if (!split) return;
	for (let end = 1; end <= split.domain.length; end++) {
		const domain = split.domain.slice(0, end);
		if (!domains.has(domain)) continue;
		into.add(`@${domain}`);
		for (let n = 1; n <= Math.min(ANCHOR_SUFFIX, split.local.length); n++) into.add(`${split.local.slice(-n)}@${domain}`);
	}
}

/** Every candidate query contained in `email`: its 1–3 character substrings and its anchored parts. */
function candidates(email: string, domains: ReadonlySet<string>): Set<string> {
	const parts = substrings(email, 3);
	anchoredParts(email, domains, parts);
	return parts;
}

/**
 * Greedy set cover: repeatedly takes the query that covers the most not-yet-covered target emails
 * per page it costs, among those whose estimated size stays under `reachable` (with a margin for
 * emails we do not know about). Candidates: every 1–3 character substring, and the queries
 * anchored on the "@" (`@domain`, `a@domain`, `na@domain`, `ana@domain`), which split a group by
 * domain without overlap. First the anchored queries dense enough to fill their pages are taken (a
 * partition of the big domains); when they cover every target without reading much more, that is
 * the answer (a population spread over a few big domains: a group far above the cap is read in
 * close to one pass). Otherwise two covers are built over all candidates and the cheaper (in
 * estimated pages) is returned: the plain greedy one, and the dense anchored queries completed
 * greedily (a population spread over many small domains often favours the first).
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
	const domains = new Set<string>();
	for (const email of population) {
		const split = splitEmail(email);
		if (split) domains.add(split.domain);
	}
	const wanted = new Set(targets);
	const countAll = (partsOf: (email: string) => Set<string>) => {
		const counts = new Map<string, number>();
		for (const email of population) for (const part of partsOf(email)) counts.set(part, (counts.get(part) ?? 0) + 1);
		return counts;
	};
	const holdersOf = (partsOf: (email: string) => Set<string>, counts: ReadonlyMap<string, number>) => {
		const holders = new Map<string, Set<string>>();
		for (const email of wanted) {
			for (const part of partsOf(email)) {
				if ((counts.get(part) ?? 0) > budget) continue;
				let set = holders.get(part);
				if (!set) holders.set(part, (set = new Set()));
				set.add(email);
			}
		}
		return holders;
	};
	// Expected pages: a query's size in the group is only estimated, so its last page is on
	// average half full. (Rounding up instead favours many small queries that each fill one page
	// exactly on paper, and overlap in practice.)
	const pagesWith = (counts: ReadonlyMap<string, number>) => (part: string) => (counts.get(part) ?? 0) / pageSize + 0.5;
	const anchoredOf = (email: string) => {
		const parts = new Set<string>();
		anchoredParts(email, domains, parts);
		return parts;
	};

	// 1. The anchored queries dense enough to fill their pages (a handful of candidates per email),
	//    then the sparser anchored ones for what they left.
	const anchoredCounts = countAll(anchoredOf);
	const anchoredHolders = holdersOf(anchoredOf, anchoredCounts);
	const anchoredPages = pagesWith(anchoredCounts);
	const uncovered = new Set(wanted);
	const dense = greedyCover(uncovered, anchoredHolders, anchoredPages, pageSize / 2);
	const rest = new Set(uncovered);
	const sparse = greedyCover(rest, anchoredHolders, anchoredPages, 0);
	// Every target covered in hardly more pages than the targets fill (each must be read once, so
	// no cover can do much better): the costlier search below is not needed.
	const pages = [...dense, ...sparse].reduce((sum, part) => sum + anchoredPages(part), 0);
	if (rest.size === 0 && pages <= (wanted.size / pageSize) * 1.1 + 10) {
		return [...dense, ...sparse].map((query) => ({ query, estimate: anchoredCounts.get(query) ?? 0 }));
	}

	// 2. All candidates: the plain greedy cover, and the dense anchored queries completed greedily.
	const counts = countAll((email) => candidates(email, domains));
	const holders = holdersOf((email) => candidates(email, domains), counts);
	const pagesOf = pagesWith(counts);
	const cost = (chosen: string[]) => chosen.reduce((sum, part) => sum + pagesOf(part), 0);
	const plain = greedyCover(new Set(wanted), holders, pagesOf, 0);
	const partition = [...dense, ...greedyCover(uncovered, holders, pagesOf, 0)];
	const best = cost(partition) < cost(plain) ? partition : plain;
	return best.map((query) => ({ query, estimate: counts.get(query) ?? 0 }));
}

/**
 * Lazy greedy over the candidates, removing what it covers from `uncovered`:
 * a candidate's gain only shrinks as emails get covered, so a stale score is an upper bound;
 * re-score the best one and take it if it still beats the next. Stops when the best score falls
 * below `minScore` (new emails per page).
 */
function greedyCover(
	uncovered: Set<string>,
	holders: ReadonlyMap<string, ReadonlySet<string>>,
	pagesOf: (part: string) => number,
	minScore: number,
): string[] {
	const heap = new MaxHeap<{ part: string; score: number }>((a, b) => a.score - b.score || b.part.length - a.part.length);
	for (const [part, emails] of holders) heap.push({ part, score: emails.size / pagesOf(part) });
	const chosen: string[] = [];
	while (uncovered.size > 0 && heap.size > 0) {
		const top = heap.pop()!;
		if (top.score < minScore) break;
		let gain = 0;
		for (const email of holders.get(top.part)!) if (uncovered.has(email)) gain++;
		if (gain === 0) continue;
		const score = gain / pagesOf(top.part);
		const next = heap.peek();
		if (next && score < next.score) {
			heap.push({ part: top.part, score });
			continue;
		}
		if (score < minScore) break;
		for (const email of holders.get(top.part)!) uncovered.delete(email);
		chosen.push(top.part);
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
