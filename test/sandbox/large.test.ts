/** The 50,000-member scenario: loads and pages through fully (prints the times; speed is measured by `npm run bench`, not asserted). */
import { DEMO_NOW, type RunningSandbox, generateScenario, startSandbox } from '../../sandbox';
import { glofoxHeaders, type Json } from './helpers';

jest.setTimeout(180_000);

let sb: RunningSandbox;
afterAll(async () => {
	await sb?.close();
});

test('a 50,000-member generated scenario loads and its full member listings page through', async () => {
	let t = performance.now();
	const scenario = generateScenario({ members: 50_000, seed: 1, now: DEMO_NOW, rateLimits: false });
	const generateMs = performance.now() - t;
	t = performance.now();
	sb = await startSandbox({ scenario, port: 0 });
	const loadMs = performance.now() - t;
	console.log(`50,000 members: generated in ${Math.round(generateMs)} ms, loaded in ${Math.round(loadMs)} ms`);

	t = performance.now();
	const ids = new Set<string>();
	let total = 0;
	for (let page = 1; ; page++) {
		const r = (await (await fetch(`${sb.glofoxUrl}/2.0/members?active=any&limit=100&page=${page}`, { headers: glofoxHeaders })).json()) as Json;
		total = r.total_count;
		for (const m of r.data) ids.add(m._id);
		if (!r.has_more) break;
	}
	const glofoxMs = performance.now() - t;
	expect(total).toBe(50_000);
	expect(ids.size).toBe(50_000);

	t = performance.now();
	let url: string | null = `${sb.teamupUrl}/customers?page_size=100`;
	let customers = 0;
	let count = 0;
	while (url) {
		const r = (await (await fetch(url, { headers: { Authorization: 'Bearer teamup-demo-token' } })).json()) as Json;
		customers += r.results.length;
		count = r.count;
		url = r.next;
	}
	const teamupMs = performance.now() - t;
	expect(count).toBe(50_000);
	expect(customers).toBe(50_000);

	t = performance.now();
	const users = await fetch(`${sb.kisiUrl}/users?email=owner@demo.gym`, { headers: { Authorization: 'KISI-LOGIN kisi-demo-key' } });
	expect(((await users.json()) as Json[])[0].id).toBe(100);
	console.log(`full listings: Glofox members ${Math.round(glofoxMs)} ms (500 pages), TeamUp customers ${Math.round(teamupMs)} ms (500 pages)`);
});
