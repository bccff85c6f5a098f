import { chooseQueries, fallbackQueries } from '../../../nodes/Kisi/sync/partition';

/** Deterministic, realistic-looking emails. */
function emails(count: number, seed = 7): string[] {
	const first = ['ana', 'ben', 'chloe', 'dev', 'emma', 'finn', 'grace', 'hugo', 'isla', 'jack', 'kai', 'lena', 'mo', 'nina', 'omar', 'priya'];
	const last = ['ruiz', 'smith', 'okafor', 'nguyen', 'kowalski', 'brown', 'silva', 'dubois', 'tanaka', 'haddad', 'jensen', 'rossi'];
	const domains = ['gmail.com', 'outlook.com', 'yahoo.co.uk', 'icloud.com', 'studio.fit'];
	let state = seed >>> 0;
	const next = (n: number) => {
		// mulberry32
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * n | 0;
	};
	const out = new Set<string>();
	while (out.size < count) {
		out.add(`${first[next(first.length)]}.${last[next(last.length)]}${next(10_000)}@${domains[next(domains.length)]}`);
	}
	return [...out];
}

describe('chooseQueries (listing past Kisi offset cap)', () => {
	it('covers every target email with queries small enough to page through', () => {
		const population = emails(50_000);
		const targets = population.slice(20_250);
		const reachable = 20_250;
		const started = Date.now();
		const chosen = chooseQueries(targets, population, reachable, 250);
		const elapsed = Date.now() - started;
		console.log(`chose ${chosen.length} queries for ${targets.length} targets in ${elapsed} ms; estimated pages ${chosen.reduce((n, q) => n + Math.ceil(q.estimate / 250), 0)}`);
		for (const { query, estimate } of chosen) {
			expect(estimate).toBeLessThanOrEqual(reachable);
			expect(estimate).toBe(population.filter((email) => email.includes(query)).length);
		}
		for (const email of targets) expect(chosen.some(({ query }) => email.includes(query))).toBe(true);
	});

	it('chooses nothing when nothing is missing', () => {
		expect(chooseQueries([], emails(100), 20_250, 250)).toEqual([]);
	});

	it('offers rarest single characters first as a last resort, skipping tried ones', () => {
		const order = fallbackQueries(['aaa@x.io', 'ab@x.io'], new Set(['z']));
		expect(order).not.toContain('z');
		expect(order.indexOf('b')).toBeLessThan(order.indexOf('a'));
		expect(order.indexOf('q')).toBeLessThan(order.indexOf('b'));
	});
});
