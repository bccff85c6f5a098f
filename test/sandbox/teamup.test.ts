import type { RunningSandbox } from '../../sandbox';
import { vendorPayload } from '../fixtures/vendor/load';
import { D, demo, start, teamup, type Json } from './helpers';

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

	test('customer memberships: the filter spellings TeamUp documents (complete, recurring), others refused; expand', async () => {
		const completed = await teamup(sb, '/customer_memberships?status=complete');
		expect(completed.body.count).toBe(3);
		expect(completed.body.results.every((cm: Json) => cm.status === 'completed')).toBe(true);
		// The object's spelling is not a filter value (reference: status ∈ active, hold, complete, cancelled).
		for (const bad of ['status=completed', 'status=expired', 'membership_type=recurring_plan']) {
			const r = await teamup(sb, `/customer_memberships?${bad}`);
			expect({ bad, status: r.status, field: Object.keys(r.body.field_errors ?? {}) }).toEqual({ bad, status: 400, field: [bad.split('=')[0]] });
		}
		const packs = await teamup(sb, '/customer_memberships?membership_type=pack&expand=membership');
		expect(packs.body.results.map((cm: Json) => cm.membership.type)).toEqual(['pack', 'pack', 'pack']);
		const recurring = await teamup(sb, '/customer_memberships?membership_type=recurring&page_size=100');
		expect(recurring.body.results.length).toBeGreaterThan(10);
		const plain = await teamup(sb, `/customer_memberships?customer=${customerId('ana.ruiz@example.com')}`);
		expect(plain.body.results[0]).toMatchObject({ object: 'customermembership', membership: 4401, status: 'active', expiration_date: null });
		expect(plain.body.results[0]).not.toHaveProperty('usage_summary');
		expect(plain.body.results[0]).not.toHaveProperty('next_billing_date');
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

	test('registration blocks: the documented fields only (no "object")', async () => {
		const blocks = await teamup(sb, '/customer_registration_blocks?is_active=true');
		expect(blocks.body.results).toEqual([
			{ id: expect.any(Number), customer: customerId('kai.nakamura@example.com'), is_active: true, created_at: expect.any(String), deactivated_at: null },
		]);
		expect((await teamup(sb, '/customer_registration_blocks')).body.count).toBe(2);
	});

	test('invoices as TeamUp documents them: a payer, line items (deferred) with billed_item and type, nothing naming the customer membership', async () => {
		const ivan = customerId('ivan.petrov@example.com');
		const invoices = await teamup(sb, '/invoices?status=failed,retrying&expand=line_items');
		expect(invoices.body.results.map((i: Json) => i.status)).toEqual(['failed', 'retrying']);
		const [failed] = invoices.body.results;
		expect(Object.keys(failed).sort()).toEqual(['created_at', 'due_date', 'id', 'is_credit_note', 'legacy_invoice_key', 'line_items', 'object', 'payer', 'status', 'total_amount_due']);
		expect(failed).toMatchObject({ object: 'invoice', payer: ivan, due_date: '2026-02-27', total_amount_due: { decimal: 60, iso_currency_code: 'gbp' } });
		expect(failed.line_items).toEqual([
			{ id: expect.any(Number), object: 'invoice_line_item', billed_item: 96002, type: 'recurring_plan_membership', price: expect.objectContaining({ decimal: 60 }), total_amount_due: expect.objectContaining({ decimal: 60 }) },
		]);
		expect(JSON.stringify(invoices.body)).not.toContain('customer_membership');
		// billed_item and payer expanded: {id, name, type} and {id, name}.
		const expanded = await teamup(sb, '/invoices?status=failed&expand=line_items.billed_item,payer');
		expect(expanded.body.results[0].line_items[0].billed_item).toEqual({ id: 96002, name: 'Unlimited Monthly', type: 'billed_membership' });
		expect(expanded.body.results[0].payer).toEqual({ id: ivan, name: 'Ivan Petrov' });
		const noExpand = await teamup(sb, '/invoices?status=paid');
		expect(noExpand.body.results[0]).not.toHaveProperty('line_items');
		// `payer` is no filter of TeamUp's: ignored, as Django REST framework ignores unknown parameters.
		expect((await teamup(sb, `/invoices?payer=${ivan}`)).body.count).toBe((await teamup(sb, '/invoices')).body.count);
		expect((await teamup(sb, '/invoices?status=overdue')).status).toBe(400);
		expect((await teamup(sb, '/invoices?sort=-due_date')).body.results.map((i: Json) => i.due_date)).toEqual(['2026-02-27', '2026-02-27', '2026-02-02']);
	});

	test('venues: status takes one value; memberships: the documented boolean filters', async () => {
		expect((await teamup(sb, '/venues?status=active')).body.count).toBe(1);
		expect((await teamup(sb, '/venues?status=active,archived')).status).toBe(400);
		expect((await teamup(sb, '/memberships')).body.count).toBe(6);
		expect((await teamup(sb, '/memberships?for_sale=false')).body.count).toBe(0);
		expect((await teamup(sb, '/memberships?for_sale=maybe')).status).toBe(400);
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

	test('POST /checkins: a calendar date → 201 with the documented fields, stored in state', async () => {
		const ana = customerId('ana.ruiz@example.com');
		const cm = [...sb.state.teamup.customerMemberships.values()].find((c) => c.customer === ana)!.id;
		const r = await teamup(sb, '/checkins', { method: 'POST', body: { date: '2026-03-02', venue: 310, customer: ana, customer_membership: cm } });
		expect(r.status).toBe(201);
		// Today at the venue: the time of the check-in is now (the sandbox clock).
		expect(r.body).toEqual({ id: 1, object: 'checkin', timestamp: expect.stringMatching(/^2026-03-02T14:0\d:/), comped: false, customer_membership: cm });
		expect(sb.state.toScenario().teamup!.checkins).toEqual([expect.objectContaining({ id: 1, customer: ana, venue: 310 })]);
		// Another day: its start in the venue's time zone.
		const past = await teamup(sb, '/checkins', { method: 'POST', body: { date: '2026-07-01', venue: 310, customer: ana, comped: 'true' } });
		expect(past.body).toMatchObject({ timestamp: '2026-06-30T23:00:00.000Z', comped: true, customer_membership: null });
		// Form bodies, as TeamUp accepts them.
		const form = await teamup(sb, '/checkins', { method: 'POST', body: `date=2026-03-02&venue=310&customer=${ana}`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		expect(form.status).toBe(201);
	});

	test('POST /checkins refuses a date-time in the date field, and missing or unknown fields, with field_errors', async () => {
		const ana = customerId('ana.ruiz@example.com');
		const dateTime = await teamup(sb, '/checkins', { method: 'POST', body: { date: '2026-03-02T14:05:00Z', venue: 310, customer: ana } });
		expect(dateTime.status).toBe(400);
		expect(dateTime.body).toEqual({
			code: 'parameter_invalid',
			field_errors: { date: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'] },
			message: 'You request was invalid',
			type: 'invalid_request_error',
		});
		const bad = await teamup(sb, '/checkins', { method: 'POST', body: { venue: 999, customer: ana } });
		expect(bad.status).toBe(400);
		expect(Object.keys(bad.body.field_errors).sort()).toEqual(['date', 'venue']);
		expect((await teamup(sb, '/checkins', { method: 'POST', body: { date: '2026-02-30', venue: 310, customer: ana } })).body.field_errors).toHaveProperty('date');
		expect(sb.state.toScenario().teamup!.checkins).toEqual([]);
	});

	test('a body is read as a request even when it has fields named like an answer', async () => {
		const r = await teamup(sb, '/checkins', { method: 'POST', body: { status: 201, body: { echoed: true }, raw: '{}' } });
		expect(r.status).toBe(400);
		expect(Object.keys(r.body.field_errors).sort()).toEqual(['customer', 'date', 'venue']);
	});
});

describe('TeamUp without the undocumented calls (the default, and the demo: as its v2 reference)', () => {
	test('POST /events/{id}/confirm_attendance is an unknown route (404); nothing changes', async () => {
		const lena = customerId('lena.fischer@example.com');
		const r = await teamup(sb, '/events/5550004/confirm_attendance', { method: 'POST', body: { customer: lena } });
		expect(r.status).toBe(404);
		expect(r.body).toEqual({ code: 'not_found', message: 'Not found.', type: 'invalid_request_error' });
		expect([...sb.state.teamup.attendances.values()].filter((a) => a.status === 'attended').map((a) => a.customer)).not.toContain(lena);
	});

	test('expand=usage_summary is ignored: no usage_summary field; GET /customer_memberships/{id}/usage answers', async () => {
		const packs = await teamup(sb, '/customer_memberships?membership_type=pack&expand=membership,usage_summary');
		expect(packs.status).toBe(200);
		expect(packs.body.results).toHaveLength(3);
		for (const cm of packs.body.results) expect(cm).not.toHaveProperty('usage_summary');
		const usage = await teamup(sb, `/customer_memberships/${packs.body.results[0].id}/usage`);
		expect(usage.body.usage_periods[0]).toMatchObject({ max_uses: 10, used_count: 10, remaining_count: 0 });
	});
});

describe('TeamUp with the undocumented calls switched on (`features`)', () => {
	beforeEach(() => {
		const scenario = demo();
		sb.state.load({ ...scenario, teamup: { ...scenario.teamup!, features: { confirm_attendance: true, usage_summary: true } } });
	});

	test('confirm_attendance marks attended (and creates a drop-in attendance when none exists)', async () => {
		const lena = customerId('lena.fischer@example.com');
		const r = await teamup(sb, '/events/5550004/confirm_attendance', { method: 'POST', body: { customer: lena } });
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ object: 'attendance', customer: lena, event: 5550004, status: 'attended' });
		expect(Object.keys(r.body).sort()).toEqual(['booking_source', 'customer', 'customer_membership', 'event', 'id', 'object', 'status']);
		const walkIn = await teamup(sb, '/events/5550004/confirm_attendance', { method: 'POST', body: { customer: customerId('ana.ruiz@example.com') } });
		expect(walkIn.body).toMatchObject({ status: 'attended', customer_membership: null });
		const missing = await teamup(sb, '/events/5550004/confirm_attendance', { method: 'POST', body: {} });
		expect(missing.status).toBe(400);
		expect(missing.body.field_errors).toEqual({ customer: ['This field is required.'] });
		expect((await teamup(sb, '/events/1/confirm_attendance', { method: 'POST', body: { customer: lena } })).status).toBe(404);
	});

	test('expand=usage_summary gives each pack its uses ({max_uses, used_count, remaining_count}); other plans null; not expanded: absent', async () => {
		const packs = await teamup(sb, '/customer_memberships?membership_type=pack&expand=membership,usage_summary');
		expect(packs.body.results.map((cm: Json) => cm.usage_summary)).toEqual([
			{ max_uses: 10, used_count: 10, remaining_count: 0 },
			{ max_uses: 5, used_count: 4, remaining_count: 1 },
			{ max_uses: 10, used_count: 7, remaining_count: 3 },
		]);
		const recurring = await teamup(sb, `/customer_memberships?customer=${customerId('ana.ruiz@example.com')}&expand=usage_summary`);
		expect(recurring.body.results[0].usage_summary).toBeNull();
		const plain = await teamup(sb, '/customer_memberships?membership_type=pack');
		for (const cm of plain.body.results) expect(cm).not.toHaveProperty('usage_summary');
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

describe('TeamUp as its reference shows it (test/fixtures/vendor/teamup)', () => {
	const f = (name: string) => vendorPayload<Json>('teamup', name);
	const keys = (o: Json) => Object.keys(o).sort();
	/** The fixture's fields, plus "object", which the schemas require and the auto examples leave out. */
	const documented = (o: Json, object = true) => [...new Set([...Object.keys(o), ...(object ? ['object'] : [])])].sort();

	// The examples all use id 0, so they refer to one another. Only the venue's time zone changes:
	// the example says "string", the sandbox needs an IANA zone.
	const scenario = () => ({
		now: '2024-07-29T12:00:00Z',
		rateLimits: false,
		teamup: {
			tokens: [D.teamup.token],
			provider_id: D.teamup.providerId,
			venues: [{ ...f('venue'), timezone: 'Europe/London' }],
			memberships: [f('membership')],
			customers: [f('customer')],
			customer_memberships: [f('customer-membership')],
			customer_membership_usage: { '0': f('customer-membership-usage') },
			// The membership's payment_subscription 0 (the reference shows that object's schema only).
			payment_subscriptions: [{ id: 0, retry_count: 0 }],
			customer_registration_blocks: [f('customer-registration-block')],
			events: [f('event')],
			attendances: [f('attendance')],
			invoices: [f('invoice')],
		},
	});

	beforeEach(() => {
		sb.state.load(scenario());
	});

	test('a scenario made of the reference examples is accepted; a line item with a field TeamUp does not send is refused', async () => {
		expect(sb.state.toScenario().teamup!.invoices).toHaveLength(1);
		expect((await teamup(sb, '/customers')).body.count).toBe(1);
		const invented = scenario();
		invented.teamup.invoices = [{ ...f('invoice'), line_items: [{ ...f('invoice').line_items[0], customer_membership: 0 }] }];
		expect(() => sb.state.load(invented)).toThrow(/teamup\.invoices\[0\].*line_items.*customer_membership/s);
	});

	test('every object is served with exactly the fields the reference shows (deferred ones when expanded)', async () => {
		const one = async (path: string) => {
			const r = await teamup(sb, path);
			expect({ path, status: r.status }).toEqual({ path, status: 200 });
			return r.body.results[0];
		};
		const customer = await one('/customers?expand=field_values,is_opted_into_broadcast_messages,is_opted_into_sms_marketing,sms_account,customer_venue,credit_balance');
		expect(keys(customer)).toEqual(documented(f('customer')));
		expect(keys(await one('/customers'))).toEqual(documented(f('customer')).filter((k) => !['field_values', 'is_opted_into_broadcast_messages', 'is_opted_into_sms_marketing', 'sms_account', 'customer_venue', 'credit_balance'].includes(k)));
		expect(keys(await one('/memberships'))).toEqual(documented(f('membership')));
		expect(keys(await one('/customer_memberships?expand=next_billing_date'))).toEqual(documented(f('customer-membership')));
		expect(keys(await one('/customer_registration_blocks'))).toEqual(documented(f('customer-registration-block'), false));
		expect(keys(await one('/venues'))).toEqual(documented(f('venue')));
		const event = await one('/events?expand=category');
		expect(keys(event)).toEqual(documented(f('event')));
		expect(event.small_session_attendances).toEqual([0]);
		const attendance = await one('/attendances?expand=gympass_booking,waitlist_spot.position');
		expect(keys(attendance)).toEqual(documented(f('attendance')));
		expect(keys(attendance.waitlist_spot)).toEqual(documented(f('attendance').waitlist_spot));
		const invoice = await one('/invoices?expand=charges,line_items,discounts,adjustments,applied_credits,taxes,credit_notes');
		expect(keys(invoice)).toEqual(documented(f('invoice')));
		expect(keys(invoice.line_items[0])).toEqual(documented(f('invoice').line_items[0]));
		expect(invoice.line_items[0]).toMatchObject({ billed_item: 0, type: 'flat_fee', price: f('invoice').line_items[0].price });
		const usage = await teamup(sb, '/customer_memberships/0/usage?date=2024-07-29');
		expect(keys(usage.body)).toEqual(['usage_periods']);
		expect(keys(usage.body.usage_periods[0])).toEqual(keys(f('customer-membership-usage').usage_periods[0]));
	});

	test('POST /checkins with the reference request answers the reference response’s fields', async () => {
		const r = await teamup(sb, '/checkins', { method: 'POST', body: f('checkin-create-request') });
		expect(r.status).toBe(201);
		expect(keys(r.body)).toEqual(documented(f('checkin-create-response')));
		expect(r.body).toMatchObject({ comped: false, customer_membership: 0 });
	});
});
