import type { RunningSandbox } from '../../sandbox';
import { demo, start, teamup, type Json } from './helpers';

let sb: RunningSandbox;
beforeAll(async () => {
	sb = await start();
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => {
	sb.state.load(demo());
});

/** Customer id of a demo email. */
function customerId(email: string): number {
	return [...sb.state.teamup.customers.values()].find((c) => c.email === email)!.id;
}

describe('TeamUp authentication', () => {
	test('Token and Bearer both accepted; missing or wrong → 401 authentication_failed', async () => {
		expect((await teamup(sb, '/venues', { auth: 'Token teamup-demo-token' })).status).toBe(200);
		expect((await teamup(sb, '/venues', { auth: 'Bearer teamup-demo-token' })).status).toBe(200);
		const none = await teamup(sb, '/venues', { auth: null });
		expect(none.status).toBe(401);
		expect(none.body).toEqual({ code: 'authentication_failed', message: expect.any(String), type: 'invalid_request_error' });
		const wrong = await teamup(sb, '/venues', { auth: 'Bearer wrong' });
		expect(wrong.status).toBe(401);
		expect(wrong.body.code).toBe('authentication_failed');
	});

	test('TeamUp-Provider-ID must match (403 provider_invalid); Request-Mode provider accepted', async () => {
		expect((await teamup(sb, '/venues', { headers: { 'TeamUp-Provider-ID': '54321', 'TeamUp-Request-Mode': 'provider' } })).status).toBe(200);
		const other = await teamup(sb, '/venues', { headers: { 'TeamUp-Provider-ID': '11111' } });
		expect(other.status).toBe(403);
		expect(other.body).toMatchObject({ code: 'provider_invalid', type: 'invalid_request_error' });
		expect((await teamup(sb, '/venues', { headers: { 'TeamUp-Request-Mode': 'customer' } })).status).toBe(403);
	});

	test('unknown object → 404 not_found', async () => {
		const r = await teamup(sb, '/customers/1');
		expect(r.status).toBe(404);
		expect(r.body).toEqual({ code: 'not_found', message: expect.any(String), type: 'invalid_request_error' });
	});
});

describe('TeamUp paging', () => {
	test('next chain with absolute URLs that keep the query; previous; count', async () => {
		const seen: number[] = [];
		let url: string | null = `${sb.teamupUrl}/customers?page_size=7&query=example.com`;
		let pages = 0;
		let count = 0;
		while (url) {
			const r = await teamup(sb, url);
			expect(r.status).toBe(200);
			expect(Object.keys(r.body)).toEqual(['count', 'next', 'previous', 'results']);
			count = r.body.count;
			seen.push(...r.body.results.map((c: Json) => c.id));
			if (r.body.next) {
				expect(r.body.next).toMatch(new RegExp(`^${sb.url}/teamup/api/v2/customers\\?page_size=7&query=example.com&page=\\d+$`));
			}
			if (pages === 1) expect(r.body.previous).toBe(`${sb.url}/teamup/api/v2/customers?page_size=7&query=example.com`);
			url = r.body.next;
			pages++;
		}
		expect(seen).toHaveLength(count);
		expect(new Set(seen).size).toBe(count);
		expect(pages).toBe(Math.ceil(count / 7));
		expect(count).toBe(37);
	});

	test('out-of-range page → 404 Invalid page.; page_size above 100 → 400 parameter_invalid', async () => {
		const r = await teamup(sb, '/customers?page=99');
		expect(r.status).toBe(404);
		expect(r.body).toMatchObject({ code: 'not_found', message: 'Invalid page.' });
		const big = await teamup(sb, '/customers?page_size=101');
		expect(big.status).toBe(400);
		expect(big.body).toMatchObject({ code: 'parameter_invalid', field_errors: { page_size: [expect.any(String)] }, type: 'invalid_request_error' });
		expect((await teamup(sb, '/events?page_size=250')).status).toBe(200);
		expect((await teamup(sb, '/events?page_size=251')).status).toBe(400);
		const empty = await teamup(sb, '/customers?query=nobody-at-all');
		expect(empty.body).toEqual({ count: 0, next: null, previous: null, results: [] });
	});
});

describe('TeamUp resources', () => {
	test('customers: query over email and name, case-insensitive; object field', async () => {
		const r = await teamup(sb, '/customers?query=UMA.LEE');
		expect(r.body.results.map((c: Json) => c.email)).toEqual(['Uma.Lee@Example.com ', 'uma.lee@example.com']);
		expect(r.body.results[0]).toMatchObject({ object: 'customer', provider: 54321, first_name: 'Uma' });
		const byName = await teamup(sb, '/customers?query=parker');
		expect(byName.body.count).toBe(2);
	});

	test('customer memberships: status filter spellings, membership_type, expand', async () => {
		const completed = await teamup(sb, '/customer_memberships?status=complete');
		const completed2 = await teamup(sb, '/customer_memberships?status=completed');
		expect(completed.body.count).toBe(3);
		expect(completed2.body.count).toBe(3);
		expect(completed.body.results.every((cm: Json) => cm.status === 'completed')).toBe(true);
		expect((await teamup(sb, '/customer_memberships?status=expired')).status).toBe(400);
		const packs = await teamup(sb, '/customer_memberships?membership_type=pack&expand=membership,usage_summary');
		expect(packs.body.results.map((cm: Json) => cm.membership.type)).toEqual(['pack', 'pack', 'pack']);
		expect(packs.body.results.map((cm: Json) => cm.usage_summary)).toEqual([
			{ max_uses: 10, used_count: 10, remaining_count: 0 },
			{ max_uses: 5, used_count: 4, remaining_count: 1 },
			{ max_uses: 10, used_count: 7, remaining_count: 3 },
		]);
		const recurring = await teamup(sb, '/customer_memberships?membership_type=recurring&page_size=100');
		expect(recurring.body.results.length).toBeGreaterThan(10);
		const plain = await teamup(sb, `/customer_memberships?customer=${customerId('ana.ruiz@example.com')}`);
		expect(plain.body.results[0]).toMatchObject({ object: 'customermembership', membership: 4401, status: 'active', expiration_date: null });
		expect(plain.body.results[0]).not.toHaveProperty('usage_summary');
		const jade = await teamup(sb, `/customer_memberships?customer=${customerId('jade.thompson@example.com')}&expand=payment_subscription`);
		expect(jade.body.results[0].payment_subscription).toMatchObject({ object: 'payment_subscription', retry_count: 2 });
		const hold = await teamup(sb, `/customer_memberships?status=hold&expand=active_hold`);
		expect(hold.body.results[0].active_hold).toMatchObject({ object: 'customer_membership_hold', start_date: '2026-02-20', end_date: '2026-03-22' });
	});

	test('usage endpoint', async () => {
		const gus = (await teamup(sb, `/customer_memberships?customer=${customerId('gus.ferreira@example.com')}`)).body.results[0];
		const usage = await teamup(sb, `/customer_memberships/${gus.id}/usage`);
		expect(usage.status).toBe(200);
		expect(usage.body.usage_periods[0]).toMatchObject({ max_uses: 10, used_count: 10, remaining_count: 0 });
	});

	test('registration blocks and invoices', async () => {
		const blocks = await teamup(sb, '/customer_registration_blocks?is_active=true');
		expect(blocks.body.results).toEqual([expect.objectContaining({ object: 'customer_registration_block', customer: customerId('kai.nakamura@example.com'), is_active: true })]);
		expect((await teamup(sb, '/customer_registration_blocks')).body.count).toBe(2);
		const invoices = await teamup(sb, '/invoices?status=failed,retrying&expand=line_items');
		expect(invoices.body.results.map((i: Json) => i.status)).toEqual(['failed', 'retrying']);
		expect(invoices.body.results[0].line_items[0]).toMatchObject({ type: 'billed_membership', customer_membership: expect.any(Number) });
		expect(invoices.body.results[0].payer).toBe(customerId('ivan.petrov@example.com'));
		const noExpand = await teamup(sb, '/invoices?status=paid');
		expect(noExpand.body.results[0]).not.toHaveProperty('line_items');
	});

	test('events: time filters, sort, expand venue', async () => {
		const r = await teamup(sb, '/events?starts_at_gte=2026-03-02T14:00:00Z&starts_at_lte=2026-03-03T14:00:00Z&expand=venue');
		expect(r.body.results.map((e: Json) => e.name)).toEqual(['Afternoon Yoga', 'Personal Training', 'Evening Spin', 'Morning Pilates']);
		expect(r.body.results[0]).toMatchObject({ object: 'event', starts_at: '2026-03-02T14:45:00Z', ends_at: '2026-03-02T15:45:00Z', venue: { object: 'venue', timezone: 'Europe/London' } });
		expect(r.body.results[1].is_appointment).toBe(true);
		const counts = await teamup(sb, '/events?ids=5550006');
		expect(counts.body.results[0]).toMatchObject({ attending_count: 4, waiting_count: 1 });
		expect((await teamup(sb, '/events?starts_at_gte=soon')).status).toBe(400);
	});

	test('attendances: plans_to_attend includes the waitlist; waitlist_spot only with expand', async () => {
		const omar = customerId('omar.haddad@example.com');
		const plain = await teamup(sb, `/attendances?customer=${omar}&status=plans_to_attend`);
		expect(plain.body.results).toHaveLength(1);
		expect(plain.body.results[0]).toMatchObject({ object: 'attendance', status: 'not_registered' });
		expect(plain.body.results[0]).not.toHaveProperty('waitlist_spot');
		const expanded = await teamup(sb, `/attendances?customer=${omar}&status=plans_to_attend&expand=waitlist_spot,event`);
		expect(expanded.body.results[0].waitlist_spot).toMatchObject({ object: 'waitlist_spot', status: 'on_waitlist' });
		expect(expanded.body.results[0].event).toMatchObject({ object: 'event', name: 'Evening Spin' });
		const registered = await teamup(sb, `/attendances?customer=${omar}&status=registered`);
		expect(registered.body.count).toBe(0);
		const upcoming = await teamup(sb, '/attendances?status=plans_to_attend&event_starts_at_gte=2026-03-02T14:00:00Z&sort=event_starts_at&page_size=100');
		const starts = upcoming.body.results.map((a: Json) => sb.state.teamup.events.get(a.event)!.starts_at);
		expect([...starts].sort()).toEqual(starts);
		expect(upcoming.body.results.map((a: Json) => a.status)).not.toContain('late_cancelled');
	});

	test('confirm_attendance marks attended (and creates a drop-in attendance when none exists)', async () => {
		const lena = customerId('lena.fischer@example.com');
		const r = await teamup(sb, '/events/5550004/confirm_attendance', { method: 'POST', body: { customer: lena } });
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ object: 'attendance', customer: lena, event: 5550004, status: 'attended' });
		const walkIn = await teamup(sb, '/events/5550004/confirm_attendance', { method: 'POST', body: { customer: customerId('ana.ruiz@example.com') } });
		expect(walkIn.body).toMatchObject({ status: 'attended', customer_membership: null });
		const missing = await teamup(sb, '/events/5550004/confirm_attendance', { method: 'POST', body: {} });
		expect(missing.status).toBe(400);
		expect(missing.body.field_errors).toEqual({ customer: ['This field is required.'] });
		expect((await teamup(sb, '/events/1/confirm_attendance', { method: 'POST', body: { customer: lena } })).status).toBe(404);
	});

	test('POST /checkins → 201 checkin, stored in state', async () => {
		const ana = customerId('ana.ruiz@example.com');
		const cm = [...sb.state.teamup.customerMemberships.values()].find((c) => c.customer === ana)!.id;
		const r = await teamup(sb, '/checkins', { method: 'POST', body: { date: '2026-03-02T14:05:00Z', venue: 310, customer: ana, customer_membership: cm } });
		expect(r.status).toBe(201);
		expect(r.body).toEqual({ id: 1, object: 'checkin', timestamp: '2026-03-02T14:05:00.000Z', comped: false, customer_membership: cm, customer: ana, venue: 310 });
		expect(sb.state.toScenario().teamup!.checkins).toHaveLength(1);
		const bad = await teamup(sb, '/checkins', { method: 'POST', body: { venue: 999, customer: ana } });
		expect(bad.status).toBe(400);
		expect(Object.keys(bad.body.field_errors).sort()).toEqual(['date', 'venue']);
	});
});

describe('TeamUp rate limit', () => {
	test('per token, sliding window, 429 throttled', async () => {
		sb.state.load(demo({ rateLimits: { teamup: { limit: 250, windowMs: 60_000 }, kisi: false, glofox: false } }));
		const results = await Promise.all(Array.from({ length: 260 }, () => teamup(sb, '/venues')));
		expect(results.filter((r) => r.status === 200)).toHaveLength(250);
		const limited = results.filter((r) => r.status === 429);
		expect(limited).toHaveLength(10);
		expect(limited[0].body).toEqual({ code: 'throttled', message: 'Request was throttled.', type: 'invalid_request_error' });
		// rateLimitScale 60: the same 250 requests are allowed per second.
		sb.state.load(demo({ rateLimits: { teamup: { limit: 3, windowMs: 60_000 }, rateLimitScale: 600 } }));
		for (let i = 0; i < 3; i++) expect((await teamup(sb, '/venues')).status).toBe(200);
		expect((await teamup(sb, '/venues')).status).toBe(429);
		await new Promise((r) => setTimeout(r, 120));
		expect((await teamup(sb, '/venues')).status).toBe(200);
	});
});
