import type { RunningSandbox } from '../../sandbox';
import { DEMO_KISI } from '../../sandbox/scenarios/demo';
import { B, control, demo, glofox, kisi, start, teamup, type Json } from './helpers';

let sb: RunningSandbox;
beforeAll(async () => {
	sb = await start();
});
afterAll(async () => {
	await sb.close();
});
beforeEach(async () => {
	sb.state.load(demo());
	await control(sb, '/faults', { method: 'DELETE' });
	await control(sb, '/requests', { method: 'DELETE' });
});

const withoutNow = (s: Json) => ({ ...s, now: undefined });

describe('state and scenario', () => {
	test('GET /state can be posted back to /scenario unchanged, writes included', async () => {
		await kisi(sb, '/shares', { method: 'POST', body: { share: { email: 'roundtrip@example.com', group_id: DEMO_KISI.membersGroupId } } });
		await teamup(sb, '/checkins', { method: 'POST', body: { date: '2026-03-02', venue: 310, customer: 812301 } });
		const first = await control(sb, '/state');
		expect(first.status).toBe(200);
		expect(first.body.kisi.shares.map((s: Json) => s.email)).toContain('roundtrip@example.com');
		const posted = await control(sb, '/scenario', { method: 'POST', body: first.body });
		expect(posted.status).toBe(200);
		const second = await control(sb, '/state');
		expect(withoutNow(second.body)).toEqual(withoutNow(first.body));
	});

	test('a broken scenario is refused with the problems, the state stays', async () => {
		const s: Json = demo();
		s.kisi.shares[3].group_id = 777;
		const r = await control(sb, '/scenario', { method: 'POST', body: s });
		expect(r.status).toBe(400);
		expect(r.body.problems).toEqual(['kisi.shares[3] (id 9004): group_id 777 does not exist']);
		expect((await kisi(sb, '/shares/9004')).status).toBe(200);
		expect((await control(sb, '/scenario', { method: 'POST', body: '{oops' })).status).toBe(400);
	});
});

describe('request log', () => {
	test('entries {service, method, path, query, status, at, durationMs}; control calls are not logged', async () => {
		await kisi(sb, '/shares?limit=2&group_id=501');
		await teamup(sb, '/customers/1');
		await glofox(sb, '/2.0/members?limit=1');
		await control(sb, '/state');
		const log = await control(sb, '/requests');
		expect(log.body).toEqual([
			{ service: 'kisi', method: 'GET', path: '/shares', query: { limit: '2', group_id: '501' }, status: 200, at: expect.any(String), durationMs: expect.any(Number), headers: {} },
			{ service: 'teamup', method: 'GET', path: '/customers/1', query: {}, status: 404, at: expect.any(String), durationMs: expect.any(Number) },
			{ service: 'glofox', method: 'GET', path: '/2.0/members', query: { limit: '1' }, status: 200, at: expect.any(String), durationMs: expect.any(Number) },
		]);
		expect(Date.parse(log.body[0].at)).toBeGreaterThan(Date.now() - 60_000);
		expect((await control(sb, '/requests?service=teamup')).body).toHaveLength(1);
		expect((await control(sb, '/requests', { method: 'DELETE' })).body).toEqual({ cleared: 3 });
		expect((await control(sb, '/requests')).body).toEqual([]);
	});
});

describe('clock', () => {
	test('starts at the scenario now, runs on, and moves on POST /clock', async () => {
		const c = await control(sb, '/clock');
		expect(Date.parse(c.body.now) - Date.parse('2026-03-02T14:00:00Z')).toBeLessThan(60_000);
		const moved = await control(sb, '/clock', { method: 'POST', body: { now: '2026-03-03T06:30:00Z' } });
		expect(moved.body.now).toMatch(/^2026-03-03T06:30:0/);
		// Stamps and default windows follow the clock.
		const share = await kisi(sb, '/shares', { method: 'POST', body: { share: { email: 'clock@example.com', group_id: DEMO_KISI.membersGroupId } } });
		expect(share.body.created_at).toMatch(/^2026-03-03T06:30:0/);
		const events = await glofox(sb, `/2.0/branches/${B}/events?sort_by=time_start`);
		expect(events.body.data.map((e: Json) => e.name)).toEqual(['Morning Pilates']);
		const milo = [...sb.state.glofox.members.values()].find((m) => m.email === 'milo.costa@example.com')!;
		const access = await glofox(sb, '/2.0/access', { method: 'POST', body: { user_id: milo._id } });
		expect(access.body.access.valid_on_entry).toBe(true);
		const advanced = await control(sb, '/clock', { method: 'POST', body: { advanceMs: 3_600_000 } });
		expect(advanced.body.now).toMatch(/^2026-03-03T07:30:0/);
		expect((await control(sb, '/clock', { method: 'POST', body: { now: 'tomorrow' } })).status).toBe(400);
	});

	test('{"frozen": true} stops it: every stamp is that instant until it runs on again', async () => {
		const frozen = await control(sb, '/clock', { method: 'POST', body: { now: '2026-03-03T06:30:00Z', frozen: true } });
		expect(frozen.body).toEqual({ now: '2026-03-03T06:30:00.000Z', frozen: true });
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const share = await kisi(sb, '/shares', { method: 'POST', body: { share: { email: 'frozen@example.com', group_id: DEMO_KISI.membersGroupId } } });
		expect(Date.parse(share.body.created_at)).toBe(Date.parse('2026-03-03T06:30:00Z'));
		expect((await control(sb, '/clock')).body).toEqual({ now: '2026-03-03T06:30:00.000Z', frozen: true });
		const running = await control(sb, '/clock', { method: 'POST', body: { frozen: false } });
		expect(running.body.frozen).toBe(false);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(Date.parse((await control(sb, '/clock')).body.now)).toBeGreaterThan(Date.parse('2026-03-03T06:30:00Z'));
		expect((await control(sb, '/clock', { method: 'POST', body: { frozen: 'yes' } })).status).toBe(400);
	});
});

describe('faults', () => {
	test('status for a number of times, with the service’s own error body, before auth', async () => {
		const f = await control(sb, '/faults', { method: 'POST', body: { service: 'kisi', path: '/shares*', status: 503, times: 2 } });
		expect(f.body).toMatchObject({ id: expect.any(Number), fired: 0 });
		const a = await kisi(sb, '/shares/9001', { key: 'wrong-key' });
		expect(a.status).toBe(503);
		expect(a.body).toEqual({ error: expect.any(String), code: expect.any(String) });
		expect((await kisi(sb, '/shares')).status).toBe(503);
		expect((await kisi(sb, '/shares')).status).toBe(200);
		expect((await control(sb, '/faults')).body[0].fired).toBe(2);
		const log = (await control(sb, '/requests')).body.map((r: Json) => r.status);
		expect(log).toEqual([503, 503, 200]);
	});

	test('rate: a seeded fraction of the matching requests fails', async () => {
		await control(sb, '/faults', { method: 'POST', body: { service: 'teamup', method: 'GET', path: '^/venues$', status: 500, rate: 0.5, seed: 42 } });
		const statuses: number[] = [];
		for (let i = 0; i < 40; i++) statuses.push((await teamup(sb, '/venues')).status);
		const failed = statuses.filter((s) => s === 500).length;
		expect(failed).toBeGreaterThan(8);
		expect(failed).toBeLessThan(32);
		expect((await teamup(sb, '/customers?page_size=1')).status).toBe(200);
		expect((await control(sb, '/faults')).body[0].fired).toBe(failed);
	});

	test('delay only: served normally after the delay', async () => {
		await control(sb, '/faults', { method: 'POST', body: { service: 'glofox', path: '/2.0/memberships', delayMs: 300, times: 1 } });
		const t = performance.now();
		const r = await glofox(sb, '/2.0/memberships');
		expect(performance.now() - t).toBeGreaterThanOrEqual(290);
		expect(r.status).toBe(200);
		expect(r.body.object).toBe('list');
		const log = (await control(sb, '/requests')).body;
		expect(log[0].durationMs).toBeGreaterThanOrEqual(290);
	});

	test('malformed body sent verbatim, extra headers (Retry-After)', async () => {
		await control(sb, '/faults', { method: 'POST', body: { service: 'kisi', path: '/user', status: 200, body: '{"id": 100, "email": ', times: 1 } });
		const r = await kisi(sb, '/user');
		expect(r.status).toBe(200);
		expect(r.text).toBe('{"id": 100, "email": ');
		expect(() => JSON.parse(r.text)).toThrow();
		await control(sb, '/faults', { method: 'POST', body: { service: 'teamup', status: 429, headers: { 'Retry-After': '2' }, times: 1 } });
		const limited = await teamup(sb, '/venues');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('2');
		expect(limited.body.code).toBe('throttled');
	});

	test('reset destroys the connection', async () => {
		await control(sb, '/faults', { method: 'POST', body: { service: 'glofox', path: '/2.0/members', reset: true, times: 1 } });
		await expect(glofox(sb, '/2.0/members')).rejects.toThrow();
		expect((await glofox(sb, '/2.0/members')).status).toBe(200);
		expect((await control(sb, '/requests')).body.map((r: Json) => r.status)).toEqual([0, 200]);
	});

	test('invalid faults are refused; DELETE clears', async () => {
		expect((await control(sb, '/faults', { method: 'POST', body: { service: 'zendesk', status: 500 } })).status).toBe(400);
		expect((await control(sb, '/faults', { method: 'POST', body: { service: 'kisi', path: '^(' } })).status).toBe(400);
		await control(sb, '/faults', { method: 'POST', body: { service: 'kisi', status: 500 } });
		expect((await kisi(sb, '/user')).status).toBe(500);
		await control(sb, '/faults', { method: 'DELETE' });
		expect((await kisi(sb, '/user')).status).toBe(200);
	});
});

describe('rate limits control', () => {
	test('POST /rate-limits changes the limits at run time', async () => {
		const r = await control(sb, '/rate-limits', { method: 'POST', body: { rateLimits: { kisi: { limit: 2, windowMs: 60_000 }, teamup: false, glofox: false } } });
		expect(r.body.effective.kisi).toEqual({ limit: 2, windowMs: 60_000 });
		expect((await kisi(sb, '/user')).status).toBe(200);
		expect((await kisi(sb, '/user')).status).toBe(200);
		expect((await kisi(sb, '/user')).status).toBe(429);
		expect((await control(sb, '/rate-limits', { method: 'POST', body: { rateLimits: false } })).status).toBe(200);
		expect((await kisi(sb, '/user')).status).toBe(200);
	});
});
