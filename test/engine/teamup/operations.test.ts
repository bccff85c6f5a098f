/**
 * TeamUp's read operations, paging and error handling, through n8n's engine against the sandbox
 * (and nock where a hostile or odd server is needed).
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import type { RunningSandbox } from '../../../sandbox';
import { DEMO_NOW, addFault, clearFaults, clearRequestLog, CREDENTIAL_NAME, demoScenario, NODE, requestLog, run, start, T, teamupState, workflow } from './helpers';
import { runWorkflow } from '../../harness/engine';

let sb: RunningSandbox;
let ids: Record<string, number>;

/**
 * The 429 tests use tokens of their own: a 429 slows the account's pacer for minutes (as in n8n, where
 * it lives as long as the process), which must not slow the tests after them.
 */
const THROTTLED = { storm: 'teamup-storm-token', endless: 'teamup-endless-token' };

beforeAll(async () => {
	const scenario = demoScenario();
	const teamup = scenario.teamup as unknown as { tokens: string[] };
	sb = await start({ ...scenario, teamup: { ...teamup, tokens: [...teamup.tokens, THROTTLED.storm, THROTTLED.endless] } });
	const state = await teamupState(sb);
	ids = Object.fromEntries(state.customers.filter((c) => typeof c.email === 'string').map((c) => [String(c.email), Number(c.id)]));
});

afterAll(async () => {
	await sb?.close();
});

afterEach(async () => {
	await clearFaults(sb);
	await clearRequestLog(sb);
	nock.cleanAll();
});

describe('read operations', () => {
	it('Customer → Get Many: search text, exact email (case-insensitive), limit', async () => {
		const exact = await run(sb, { resource: 'customer', operation: 'getAll', returnAll: true, filters: { email: 'PARKERS@example.com' } });
		expect(exact.output(NODE).map((c) => `${c.first_name} ${c.last_name}`)).toEqual(['Sam Parker', 'Tess Parker']);
		const none = await run(sb, { resource: 'customer', operation: 'getAll', returnAll: true, filters: { email: 'ker@example.com' } });
		expect(none.output(NODE)).toEqual([]);
		const search = await run(sb, { resource: 'customer', operation: 'getAll', returnAll: false, limit: 2, filters: { query: 'example.com' } });
		expect(search.output(NODE)).toHaveLength(2);
		expect((await requestLog(sb)).at(-1)!.query).toMatchObject({ query: 'example.com', page_size: '2' });
	});

	it('Customer → Get by ID (resource locator)', async () => {
		const id = ids['ana.ruiz@example.com'];
		const result = await run(sb, { resource: 'customer', operation: 'get', customerId: { __rl: true, mode: 'id', value: String(id) } });
		expect(result.output(NODE)).toEqual([expect.objectContaining({ id, object: 'customer', email: 'ana.ruiz@example.com' })]);
	});

	it('Membership plans: Get Many (with a type filter) and Get', async () => {
		const all = await run(sb, { resource: 'membership', operation: 'getAll', returnAll: true });
		expect(all.output(NODE).map((m) => m.name)).toEqual(['Unlimited Monthly', '10 Class Pack', '5 Class Pack', '3 Month Prepaid', 'Off-Peak Monthly', 'Premium']);
		const packs = await run(sb, { resource: 'membership', operation: 'getAll', returnAll: true, filters: { type: 'pack' } });
		expect(packs.output(NODE).map((m) => m.id)).toEqual([4402, 4403]);
		const one = await run(sb, { resource: 'membership', operation: 'get', membershipId: { __rl: true, mode: 'id', value: '4404' } });
		expect(one.output(NODE)[0]).toMatchObject({ id: 4404, type: 'prepaid_plan' });
	});

	it('Customer Membership: Get Many by customer and status (TeamUp spells the filter "complete"), Get, Get Usage', async () => {
		const gus = ids['gus.ferreira@example.com'];
		const rosa = ids['rosa.almeida@example.com'];
		const completed = await run(sb, {
			resource: 'customerMembership',
			operation: 'getAll',
			returnAll: true,
			filters: { customer: `${gus}, ${rosa}`, status: 'completed', expandPaymentSubscription: true },
		});
		expect(completed.output(NODE)).toEqual([expect.objectContaining({ customer: gus, status: 'completed' })]);
		expect((await requestLog(sb)).at(-1)!.query).toMatchObject({ customer: `${gus},${rosa}`, status: 'complete', expand: 'payment_subscription' });

		const packs = await run(sb, { resource: 'customerMembership', operation: 'getAll', returnAll: true, filters: { membershipType: 'pack', status: 'active' } });
		const rosaPack = packs.output(NODE).find((cm) => cm.customer === rosa)!;
		expect(rosaPack).toMatchObject({ status: 'active', membership: 4402 });

		const one = await run(sb, { resource: 'customerMembership', operation: 'get', customerMembershipId: String(rosaPack.id) });
		expect(one.output(NODE)[0]).toMatchObject({ id: rosaPack.id, object: 'customermembership' });
		const usage = await run(sb, { resource: 'customerMembership', operation: 'getUsage', customerMembershipId: String(rosaPack.id), options: { date: '2026-03-02' } });
		expect(usage.output(NODE)[0]).toMatchObject({ customerMembershipId: rosaPack.id, remainingUses: 3, usage_periods: [expect.objectContaining({ max_uses: 10, used_count: 7 })] });
	});

	it('Event: Get Many by date range, venue, offering type and kind; Get', async () => {
		const range = await run(sb, {
			resource: 'event',
			operation: 'getAll',
			returnAll: true,
			filters: { startsAfter: '2026-03-02T14:00:00Z', startsBefore: '2026-03-02T20:00:00Z', venues: '310' },
		});
		expect(range.output(NODE).map((e) => e.name)).toEqual(['Afternoon Yoga', 'Personal Training', 'Evening Spin']);
		const appointments = await run(sb, { resource: 'event', operation: 'getAll', returnAll: true, filters: { kind: 'appointment' } });
		expect(appointments.output(NODE).map((e) => e.name)).toEqual(['Personal Training']);
		const yogaType = await run(sb, { resource: 'event', operation: 'getAll', returnAll: true, filters: { offeringTypes: '72' } });
		expect(yogaType.output(NODE).map((e) => e.name)).toEqual(['Lunchtime Stretch', 'Afternoon Yoga', 'Morning Pilates']);
		const one = await run(sb, { resource: 'event', operation: 'get', eventId: '5550005' });
		expect(one.output(NODE)[0]).toMatchObject({ name: 'Personal Training', is_appointment: true });
	});

	it('a date-time picked in the editor (no offset) is read in the workflow time zone', async () => {
		// 12:00–14:00 in New York (EST) is 17:00–19:00Z: Evening Spin (18:30Z), not the lunchtime classes (12:00–13:30Z).
		const ny = await runWorkflow(
			{ ...workflow({ resource: 'event', operation: 'getAll', returnAll: true, filters: { startsAfter: '2026-03-02T12:00:00', startsBefore: '2026-03-02T14:00:00' } }), settings: { timezone: 'America/New_York' } },
			{ credentials: [credentialFor(sb)] },
		);
		expect(ny.output(NODE).map((e) => e.name)).toEqual(['Evening Spin']);
	});

	it('Attendance: Get Many by customer, event, date range and status (with events); Get', async () => {
		const rosa = ids['rosa.almeida@example.com'];
		const mine = await run(sb, { resource: 'attendance', operation: 'getAll', returnAll: true, includeEvent: true, filters: { customer: String(rosa) } });
		expect(mine.output(NODE).map((a) => (a.event as IDataObject).name)).toEqual(['Evening Spin', 'Morning Pilates']);
		const spin = await run(sb, { resource: 'attendance', operation: 'getAll', returnAll: true, includeEvent: false, filters: { event: '5550006', status: 'plans_to_attend' } });
		expect(spin.output(NODE).every((a) => a.event === 5550006)).toBe(true);
		expect(spin.output(NODE).map((a) => a.customer)).toContain(ids['omar.haddad@example.com']);
		const today = await run(sb, {
			resource: 'attendance',
			operation: 'getAll',
			returnAll: true,
			filters: { startsAfter: '2026-03-02T11:00:00Z', startsBefore: '2026-03-02T13:00:00Z', status: 'attended' },
		});
		expect(today.output(NODE)).toEqual([expect.objectContaining({ customer: ids['nina.kowalski@example.com'], status: 'attended' })]);
		const one = await run(sb, { resource: 'attendance', operation: 'get', attendanceId: String(today.output(NODE)[0].id), includeEvent: true });
		expect(one.output(NODE)[0]).toMatchObject({ event: { name: 'Lunch HIIT' } });
	});

	it('Venue → Get Many, with time zones', async () => {
		const result = await run(sb, { resource: 'venue', operation: 'getAll', returnAll: true, status: 'active' });
		expect(result.output(NODE)).toEqual([expect.objectContaining({ id: 310, name: 'Main Street', timezone: 'Europe/London' })]);
	});

	it('one request per input item, each output paired with its item', async () => {
		const result = await run(sb, { resource: 'event', operation: 'get', eventId: '={{ $json.id }}' }, { items: [{ id: 5550001 }, { id: 5550002 }] });
		expect(result.items(NODE).map((item) => [item.json.name, item.pairedItem])).toEqual([
			['Lunch HIIT', { item: 0 }],
			['Core Blast', { item: 1 }],
		]);
	});
});

function credentialFor(sandbox: RunningSandbox, data: IDataObject = {}) {
	return { id: 'teamup-1', name: CREDENTIAL_NAME, type: 'teamUpApi', data: { token: T.token, baseUrl: sandbox.teamupUrl, ...data } };
}

describe('paging', () => {
	it('follows `next` by its page number only, on our own base URL, and never sends the token elsewhere', async () => {
		const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: from + i, email: `p${from + i}@example.com` }));
		const api = nock('https://teamup.test', { reqheaders: { authorization: 'Bearer t0ken' } })
			.get('/api/v2/customers')
			.query({ page: 1, page_size: 100 })
			.reply(200, { count: 230, next: 'https://elsewhere.test/api/v2/customers?page=2&page_size=100', previous: null, results: page(1, 100) })
			.get('/api/v2/customers')
			.query({ page: 2, page_size: 100 })
			.reply(200, { count: 230, next: '/api/v2/customers?page_size=100&page=3', previous: null, results: page(101, 100) })
			.get('/api/v2/customers')
			.query({ page: 3, page_size: 100 })
			.reply(200, { count: 230, next: null, previous: null, results: page(201, 30) });
		const elsewhere = nock('https://elsewhere.test').get(/.*/).reply(500);
		const result = await runWorkflow(workflow({ resource: 'customer', operation: 'getAll', returnAll: true }), {
			credentials: [{ id: 'teamup-1', name: CREDENTIAL_NAME, type: 'teamUpApi', data: { token: 't0ken', baseUrl: 'https://teamup.test/api/v2/' } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.output(NODE)).toHaveLength(230);
		expect(api.isDone()).toBe(true);
		expect(elsewhere.isDone()).toBe(false);
	});

	it('stops at the limit without reading further pages', async () => {
		const result = await run(sb, { resource: 'customer', operation: 'getAll', returnAll: false, limit: 7 });
		expect(result.output(NODE)).toHaveLength(7);
		expect(await requestLog(sb)).toHaveLength(1);
	});
});

describe('errors', () => {
	it('401 names the credential and suggests switching the Auth Scheme', async () => {
		const result = await run(sb, { resource: 'venue', operation: 'getAll', returnAll: true }, { credential: { token: 'wrong-token' } });
		expect(result.error?.message).toBe(`TeamUp refused the token in credential "${CREDENTIAL_NAME}" (401: authentication_failed: Invalid token.)`);
		expect(result.error?.description).toMatch(/switch Auth Scheme in the credential between Bearer and Token/);
		expect(JSON.stringify(result.error)).not.toContain('wrong-token');
	});

	it('the Token scheme works as well as Bearer', async () => {
		const result = await run(sb, { resource: 'venue', operation: 'getAll', returnAll: true }, { credential: { authScheme: 'Token' } });
		expect(result.output(NODE)).toHaveLength(1);
	});

	it('403 provider_invalid says to correct the Provider ID', async () => {
		const result = await run(sb, { resource: 'venue', operation: 'getAll', returnAll: true }, { credential: { providerId: '999' } });
		expect(result.error?.message).toMatch(/cannot reach this TeamUp business \(403: provider_invalid: You do not have access to this provider\.\)/);
		expect(result.error?.description).toMatch(/Correct Provider ID/);
	});

	it('a storm of 429s is retried with backoff until it succeeds', async () => {
		await addFault(sb, { path: '/customers', status: 429, times: 3 });
		const result = await run(sb, { resource: 'customer', operation: 'getAll', returnAll: false, limit: 5 }, { credential: { token: THROTTLED.storm } });
		expect(result.error).toBeUndefined();
		expect(result.output(NODE)).toHaveLength(5);
		expect((await requestLog(sb)).map((entry) => entry.status)).toEqual([429, 429, 429, 200]);
	}, 30_000);

	it('429s that never stop: gives up with a message that says what to change', async () => {
		await addFault(sb, { path: '/venues', status: 429, times: 20, headers: { 'Retry-After': '0' } });
		const result = await run(sb, { resource: 'venue', operation: 'getAll', returnAll: true }, { credential: { token: THROTTLED.endless } });
		expect(result.error?.message).toMatch(/TeamUp kept answering "too many requests" on GET \/venues \(429: throttled: Request was throttled\.\) \(gave up after 6 attempts\)/);
		expect(result.error?.description).toMatch(/Max Requests per Minute/);
	}, 30_000);

	it('5xx on a read is retried', async () => {
		await addFault(sb, { path: '/venues', status: 503, times: 2, headers: { 'Retry-After': '0' } });
		const result = await run(sb, { resource: 'venue', operation: 'getAll', returnAll: true });
		expect(result.output(NODE)).toHaveLength(1);
	});

	it('400 quotes TeamUp’s field errors and is not retried', async () => {
		const body = {
			code: 'parameter_invalid',
			field_errors: { offering_type: ['The offering type ID was not found'], non_field_errors: ['Start date cannot come after end date'] },
			message: 'You request was invalid',
			type: 'invalid_request_error',
		};
		await addFault(sb, { path: '/events', status: 400, times: 1, body: JSON.stringify(body) });
		const result = await run(sb, { resource: 'event', operation: 'getAll', returnAll: true, filters: { offeringTypes: '999' } });
		expect(result.error?.message).toBe(
			'TeamUp rejected GET /events (400: parameter_invalid: You request was invalid. offering_type: The offering type ID was not found; Start date cannot come after end date)',
		);
		expect(result.error?.description).toMatch(/Fix the fields TeamUp names above/);
		expect(await requestLog(sb)).toHaveLength(1);
	});

	it('Continue On Fail: a failing item becomes an error item paired with it; the others go on', async () => {
		const result = await run(
			sb,
			{ resource: 'customer', operation: 'get', customerId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
			{ continueOnFail: true, items: [{ id: ids['ana.ruiz@example.com'] }, { id: 999 }, { id: 'abc' }] },
		);
		expect(result.error).toBeUndefined();
		const items = result.items(NODE);
		expect(items[0].json).toMatchObject({ email: 'ana.ruiz@example.com' });
		expect(items[1].json.error).toMatch(/TeamUp found nothing at GET \/customers\/999 \(404: not_found: Not found\.\)/);
		expect(items[2].json.error).toMatch(/Item 2: "Customer" must be a numeric ID/);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('an invoice filter that refuses a comma list: one list per blocking status instead', async () => {
		await addFault(sb, {
			path: '/invoices',
			status: 400,
			times: 1,
			body: JSON.stringify({ code: 'parameter_invalid', field_errors: { status: ['Select a valid choice.'] }, message: 'You request was invalid', type: 'invalid_request_error' }),
		});
		const result = await run(sb, { resource: 'accessProfile', operation: 'getAll', lookAheadHours: 24, includeInactive: true, options: { referenceTime: DEMO_NOW } });
		expect(result.error).toBeUndefined();
		const ivan = result.output(NODE).find((p) => p.email === 'ivan.petrov@example.com')!;
		expect((ivan.memberships as IDataObject[])[0]).toMatchObject({ blocked: true });
		const invoiceCalls = (await requestLog(sb)).filter((entry) => entry.path === '/invoices').map((entry) => [entry.query.status, entry.status]);
		expect(invoiceCalls).toEqual([
			['failed,retry_failed,retrying', 400],
			['failed', 200],
			['retry_failed', 200],
			['retrying', 200],
		]);
	});

	it('a check-in POST that TeamUp rejects is explained, not repeated', async () => {
		await addFault(sb, {
			method: 'POST',
			path: '/checkins',
			status: 400,
			times: 1,
			body: JSON.stringify({ code: 'parameter_invalid', field_errors: { venue: ['Invalid pk "310" - object does not exist.'] }, message: 'You request was invalid', type: 'invalid_request_error' }),
		});
		const result = await run(sb, { resource: 'checkIn', operation: 'checkIn' }, { items: [{ email: 'ana.ruiz@example.com', occurredAt: DEMO_NOW }] });
		expect(result.error?.message).toBe('TeamUp rejected POST /checkins (400: parameter_invalid: You request was invalid. venue: Invalid pk "310" - object does not exist.)');
		expect((await requestLog(sb)).filter((entry) => entry.method === 'POST')).toHaveLength(1);
	});
});
