/**
 * TeamUp → Access Profile → Get Many, through n8n's engine against the sandbox's demo gym: TeamUp as
 * its v2 reference documents it (no `usage_summary` expansion: pack usage comes from
 * `GET /customer_memberships/{id}/usage`). The undocumented expansion is switched on with the
 * scenario's `features` where a test is about it.
 */
import type { IDataObject } from 'n8n-workflow';

import { evaluateWithParameters, resolveParameters } from '../../../nodes/AccessRuleEvaluator/engine';
import { type RunningSandbox, type ScenarioInput, demoExpectations } from '../../../sandbox';
import { ACCESS_PROFILES_PARAMS, demoInstant, demoMidnight } from '../../harness/node-tests';
import { addFault, clearFaults, clearRequestLog, DEMO_NOW, demoScenario, hints, NODE, reportedRequests, requestLog, run, start } from './helpers';

const iso = demoInstant;
const midnight = demoMidnight;
const PARAMS = ACCESS_PROFILES_PARAMS;

const scenario = demoScenario();
const customersInDemo = (scenario.teamup as { customers: unknown[] }).customers.length;

let sb: RunningSandbox;
let profiles: IDataObject[];
let made: number;
let logged: Awaited<ReturnType<typeof requestLog>>;

beforeAll(async () => {
	sb = await start(scenario);
	await clearRequestLog(sb);
	const result = await run(sb, PARAMS);
	expect(result.error).toBeUndefined();
	profiles = result.output(NODE);
	made = reportedRequests(result);
	logged = await requestLog(sb);
});

afterAll(async () => {
	await sb?.close();
});

/** The evaluator's decision on `list` is the one the demo documents, for every TeamUp person. */
function expectDemoOutcomes(list: IDataObject[]): void {
	const params = resolveParameters({ grantOnRegistrations: true, evaluationTime: DEMO_NOW });
	const decisions = evaluateWithParameters(list, params).map((e) => e.decision);
	const rows = demoExpectations(new Date(DEMO_NOW)).filter((row) => row.teamup);
	expect(rows.length).toBeGreaterThan(30);
	for (const row of rows) {
		const expected = row.teamup!;
		const decision = decisions.find((d) => d.email === row.email && row.teamupCustomerIds.every((id) => d.sourceIds.includes(String(id))));
		expect({ who: row.names.join(' + '), decision: decision && { access: decision.access, activeNow: decision.activeNow, validFrom: decision.validFrom, validUntil: decision.validUntil } }).toEqual({
			who: row.names.join(' + '),
			decision: {
				access: expected.access,
				activeNow: expected.activeNow,
				validFrom: expected.validFrom && new Date(expected.validFrom).toISOString(),
				validUntil: expected.validUntil && new Date(expected.validUntil).toISOString(),
			},
		});
		for (const code of expected.denials ?? []) {
			expect({ who: row.names.join(' + '), codes: decision!.denials.map((d) => d.code) }).toEqual({ who: row.names.join(' + '), codes: expect.arrayContaining([code]) });
		}
	}
}

function profile(email: string, name?: string): IDataObject {
	const found = profiles.find((p) => p.email === email && (!name || p.name === name));
	if (!found) throw new Error(`No profile for ${email}`);
	return found;
}

const membership = (fields: IDataObject) => ({
	id: expect.stringMatching(/^\d+$/),
	planId: expect.stringMatching(/^\d+$/),
	remainingUses: null,
	blocked: false,
	blockReason: null,
	blocks: [],
	...fields,
});

describe('TeamUp Access Profile → Get Many (demo gym)', () => {
	it('outputs one profile per customer, active or not, in the §1 shape', () => {
		expect(profiles).toHaveLength(customersInDemo);
		for (const p of profiles) {
			expect(Object.keys(p).sort()).toEqual(['email', 'memberships', 'name', 'registrations', 'source', 'sourceId', 'timeZone']);
			// The venue's zone, in which the evaluator counts Payment Grace Days.
			expect(p.timeZone).toBe('Europe/London');
			expect(p).toMatchObject({ source: 'teamup', sourceId: expect.stringMatching(/^\d+$/) });
		}
	});

	it('active recurring membership: whole local days, open-ended', () => {
		expect(profile('ana.ruiz@example.com')).toEqual({
			source: 'teamup',
			sourceId: expect.any(String),
			email: 'ana.ruiz@example.com',
			name: 'Ana Ruiz',
			memberships: [
				membership({ planId: '4401', name: 'Unlimited Monthly', type: 'recurring', status: 'active', startsAt: midnight(-180), expiresAt: null }),
			],
			registrations: [],
			timeZone: 'Europe/London',
		});
	});

	it('hold, completed (prepaid and pack), cancelled: status as TeamUp spells it', () => {
		expect(profile('carla.mendes@example.com').memberships).toEqual([
			membership({ name: 'Unlimited Monthly', type: 'recurring', status: 'hold', startsAt: midnight(-200), expiresAt: null }),
		]);
		expect(profile('dan.whitfield@example.com').memberships).toEqual([
			membership({ name: '3 Month Prepaid', type: 'prepaid', status: 'completed', startsAt: midnight(-92), expiresAt: midnight(-1) }),
		]);
		// A used-up pack: TeamUp marks it completed; its usage is not read (only active packs are), so
		// its remaining uses are unknown here. It is denied on its status.
		expect(profile('gus.ferreira@example.com').memberships).toEqual([
			membership({ name: '10 Class Pack', type: 'pack', status: 'completed', startsAt: midnight(-60), expiresAt: midnight(31), remainingUses: null }),
		]);
		expect(profile('eva.novak@example.com').memberships).toEqual([
			membership({ name: 'Unlimited Monthly', type: 'recurring', status: 'cancelled', startsAt: midnight(-300), expiresAt: midnight(-9) }),
		]);
	});

	it('packs carry their remaining uses; a membership ending today runs to the next local midnight', () => {
		expect(profile('hana.sato@example.com').memberships).toEqual([
			membership({ planId: '4403', name: '5 Class Pack', type: 'pack', status: 'active', startsAt: midnight(-20), expiresAt: midnight(71), remainingUses: 1 }),
		]);
		expect(profile('leo.hart@example.com').memberships).toEqual([
			membership({ name: '3 Month Prepaid', type: 'prepaid', status: 'active', startsAt: midnight(-89), expiresAt: midnight(1) }),
		]);
	});

	it('blocked: failed invoice, retrying payment, active registration block; an old, deactivated block does not count', () => {
		expect(profile('ivan.petrov@example.com').memberships).toEqual([
			membership({
				type: 'recurring',
				status: 'active',
				blocked: true,
				blockReason: expect.stringMatching(/^Failed payment \(invoice \d+ due \d{4}-\d{2}-\d{2}\)$/),
				// A payment failed on its due date (three days ago), 00:00 in the venue's zone.
				blocks: [{ kind: 'payment', since: midnight(-3), reason: expect.stringMatching(/^Failed payment \(invoice \d+ due \d{4}-\d{2}-\d{2}\)$/) }],
			}),
		].map((m) => ({ ...m, name: 'Unlimited Monthly', startsAt: midnight(-150), expiresAt: null })));
		const jade = profile('jade.thompson@example.com').memberships as IDataObject[];
		expect(jade[0]).toMatchObject({ status: 'active', blocked: true });
		expect(jade[0].blockReason).toMatch(/Payment being retried \(invoice \d+/);
		expect(jade[0].blockReason).toMatch(/Payment being retried \(2 retries; the invoice due \d{4}-\d{2}-\d{2}\)/);
		expect((jade[0].blocks as IDataObject[]).map((block) => [block.kind, block.since])).toEqual([
			['payment', midnight(-3)],
			['payment', midnight(-3)],
		]);
		const kai = profile('kai.nakamura@example.com').memberships as IDataObject[];
		expect(kai[0]).toMatchObject({ status: 'active', blocked: true, blockReason: expect.stringMatching(/^Registrations blocked in TeamUp since \d{4}-\d{2}-\d{2}$/) });
		expect(kai[0].blocks).toEqual([{ kind: 'manual', since: iso(-5 * 1440), reason: kai[0].blockReason }]);
		expect((profile('ben.okafor@example.com').memberships as IDataObject[])[0]).toMatchObject({ blocked: false, blockReason: null });
	});

	it('registrations: running, upcoming, appointment, waitlisted, no-show, late-cancelled and just ended (look-back)', () => {
		const reg = (kind: string, status: string, start: number, minutes: number, eventId: number, eventName: string) => ({
			id: expect.stringMatching(/^\d+$/),
			kind,
			status,
			startsAt: iso(start),
			endsAt: iso(start + minutes),
			eventId: String(eventId),
			eventName,
		});
		expect(profile('priya.shah@example.com').registrations).toEqual([reg('class', 'registered', -30, 60, 5550003, 'Lunchtime Stretch')]);
		expect(profile('ben.okafor@example.com').registrations).toEqual([reg('class', 'registered', 45, 60, 5550004, 'Afternoon Yoga')]);
		expect(profile('zoe.adams@example.com').registrations).toEqual([reg('appointment', 'registered', 120, 60, 5550005, 'Personal Training')]);
		expect(profile('omar.haddad@example.com').registrations).toEqual([reg('class', 'waitlisted', 270, 60, 5550006, 'Evening Spin')]);
		expect(profile('quinn.murphy@example.com').registrations).toEqual([reg('class', 'no_show', -90, 45, 5550002, 'Core Blast')]);
		expect(profile('pia.larsen@example.com').registrations).toEqual([reg('class', 'late_cancelled', 45, 60, 5550004, 'Afternoon Yoga')]);
		expect(profile('nina.kowalski@example.com').registrations).toEqual([reg('class', 'attended', -120, 45, 5550001, 'Lunch HIIT')]);
		expect(profile('rosa.almeida@example.com').registrations).toEqual([
			reg('class', 'registered', 270, 60, 5550006, 'Evening Spin'),
			reg('class', 'registered', 1020, 60, 5550007, 'Morning Pilates'),
		]);
	});

	it('two customers sharing an email stay two profiles; a customer without an email has email null', () => {
		expect(profiles.filter((p) => p.email === 'parkers@example.com').map((p) => p.name)).toEqual(['Sam Parker', 'Tess Parker']);
		expect(profile(null as never, 'Victor Hale')).toMatchObject({ email: null, memberships: [expect.objectContaining({ status: 'active' })] });
		// Emails are passed on trimmed (the evaluator lower-cases them).
		expect(profiles.filter((p) => String(p.email).toLowerCase() === 'uma.lee@example.com').map((p) => p.email)).toEqual(['Uma.Lee@Example.com', 'uma.lee@example.com']);
	});

	it('the Access Rule Evaluator reaches the outcome the demo documents for every TeamUp person', () => {
		expectDemoOutcomes(profiles);
	});

	it('makes a fixed number of list requests and one usage read per active pack, none per customer, and reports the count as an execution hint', () => {
		// TeamUp as its v2 reference documents it: the customer-membership list carries no pack usage,
		// so the two active packs (Hana's and Rosa's) are read with GET /customer_memberships/{id}/usage.
		const usage = logged.filter((entry) => /^\/customer_memberships\/\d+\/usage$/.test(entry.path));
		const lists = logged.filter((entry) => !usage.includes(entry)).map((entry) => `${entry.method} ${entry.path}`);
		expect(lists.sort()).toEqual(
			[
				'GET /attendances',
				'GET /customer_memberships',
				'GET /customer_registration_blocks',
				'GET /customers',
				'GET /events',
				'GET /invoices',
				'GET /memberships',
				'GET /venues',
			].sort(),
		);
		const activePacks = ['hana.sato@example.com', 'rosa.almeida@example.com'].map((email) => (profile(email).memberships as IDataObject[])[0].id);
		expect(usage.map((entry) => entry.path).sort()).toEqual(activePacks.map((id) => `/customer_memberships/${id}/usage`).sort());
		expect(usage.map((entry) => entry.query.date)).toEqual(['2026-03-02', '2026-03-02']);
		// 8 lists + 2 usage reads.
		expect(made).toBe(10);
		expect(made).toBe(logged.length);
		const byPath = Object.fromEntries(logged.map((entry) => [entry.path, entry.query]));
		expect(byPath['/customer_memberships']).toMatchObject({ expand: 'payment_subscription,usage_summary', page_size: '100' });
		expect(byPath['/attendances']).toMatchObject({ expand: 'waitlist_spot', event_starts_at_lte: iso(24 * 60) });
		expect(byPath['/events']).toMatchObject({ ends_at_gte: iso(-6 * 60), starts_at_lte: iso(24 * 60) });
		expect(byPath['/invoices']).toMatchObject({ status: 'failed,retry_failed,retrying', expand: 'line_items,line_items.billed_item' });
		expect(byPath['/customer_registration_blocks']).toMatchObject({ is_active: 'true' });
	});
});

describe('parameters', () => {
	it('Look Ahead Hours and Look Back Hours bound the registrations', async () => {
		const result = await run(sb, { ...PARAMS, lookAheadHours: 1, options: { referenceTime: DEMO_NOW, lookBackHours: 1 } });
		const out = result.output(NODE);
		const regs = (email: string) => (out.find((p) => p.email === email)!.registrations as IDataObject[]).map((r) => r.eventName);
		expect(regs('ben.okafor@example.com')).toEqual(['Afternoon Yoga']); // starts in 45 min
		expect(regs('zoe.adams@example.com')).toEqual([]); // in 2 h: beyond 1 h
		expect(regs('milo.costa@example.com')).toEqual([]); // tomorrow morning
		expect(regs('nina.kowalski@example.com')).toEqual([]); // ended 75 min ago: before the 1 h look-back
		expect(regs('quinn.murphy@example.com')).toEqual(['Core Blast']); // ended 45 min ago
	});

	it('Include Inactive off: only customers with an active membership or a place in a session of the window', async () => {
		await clearRequestLog(sb);
		const result = await run(sb, { ...PARAMS, includeInactive: false });
		const emails = result.output(NODE).map((p) => p.email);
		// Nina attended a session that ended within the look-back: still a registration in the window.
		expect(emails).toEqual(
			expect.arrayContaining(['ana.ruiz@example.com', 'lena.fischer@example.com', 'omar.haddad@example.com', 'felix.braun@example.com', 'zoe.adams@example.com', 'nina.kowalski@example.com']),
		);
		for (const gone of ['carla.mendes@example.com', 'dan.whitfield@example.com', 'eva.novak@example.com', 'gus.ferreira@example.com', 'walt.becker@example.com', 'xena.lead@example.com', 'pia.larsen@example.com', 'quinn.murphy@example.com']) {
			expect(emails).not.toContain(gone);
		}
		// The wanted customers are read by id, not the whole customer list.
		const customerCalls = (await requestLog(sb)).filter((entry) => entry.path === '/customers');
		expect(customerCalls).toHaveLength(1);
		expect(customerCalls[0].query.ids.split(',')).toHaveLength(emails.length);
	});

	it('a Limit reads only that many customers and only their memberships and registrations', async () => {
		await clearRequestLog(sb);
		const result = await run(sb, { ...PARAMS, returnAll: false, limit: 3 });
		const out = result.output(NODE);
		expect(out.map((p) => p.name)).toEqual(['Ana Ruiz', 'Ben Okafor', 'Carla Mendes']);
		expect((out[1].registrations as IDataObject[]).map((r) => r.eventName)).toEqual(['Afternoon Yoga']);
		const log = await requestLog(sb);
		const ids = out.map((p) => p.sourceId).join(',');
		expect(log.find((e) => e.path === '/customers')!.query.page_size).toBe('3');
		expect(log.find((e) => e.path === '/customer_memberships')!.query.customer).toBe(ids);
		expect(log.find((e) => e.path === '/attendances')!.query.customer).toBe(ids);
	});

	it('a bad Reference Time fails naming the field and the item', async () => {
		const result = await run(sb, { ...PARAMS, options: { referenceTime: 'tomorrow' } });
		expect(result.error?.message).toMatch(/Item 0: "Reference Time" must be an ISO-8601 date-time/);
	});
});

describe('a TeamUp as its v2 reference documents it: the undocumented usage_summary and the comma list as optional steps', () => {
	let other: RunningSandbox;
	const membershipsOf = (out: IDataObject[], email: string) => out.find((p) => p.email === email)!.memberships as IDataObject[];

	beforeAll(async () => {
		// The demo (no `features`): expand=usage_summary is ignored, as an expansion TeamUp does not know.
		other = await start({ ...demoScenario(), rateLimits: false } as ScenarioInput);
	});
	afterAll(async () => {
		await other?.close();
	});
	beforeEach(async () => {
		await clearRequestLog(other);
		await clearFaults(other);
	});
	const usageCalls = async () => (await requestLog(other)).filter((e) => e.path.endsWith('/usage'));

	it('no usage_summary in the list: /usage (documented) for the active packs only, a hint says so, the outcomes are the demo’s', async () => {
		const result = await run(other, PARAMS);
		expect(result.error).toBeUndefined();
		const out = result.output(NODE);
		expect(membershipsOf(out, 'hana.sato@example.com')[0].remainingUses).toBe(1);
		expect(membershipsOf(out, 'rosa.almeida@example.com')[0].remainingUses).toBe(3);
		// The used-up pack (completed) is not asked about; it is denied on its status.
		expect(membershipsOf(out, 'gus.ferreira@example.com')[0]).toMatchObject({ status: 'completed', remainingUses: null });
		expect((await usageCalls()).map((e) => e.query.date)).toEqual(['2026-03-02', '2026-03-02']);
		expect(hints(result)).toEqual(
			expect.arrayContaining([expect.stringMatching(/carried no usage_summary .*read with GET \/customer_memberships\/\{id\}\/usage instead \(2 active packs\)/)]),
		);
		expectDemoOutcomes(out);
	});

	it('TeamUp refusing expand=usage_summary (400): the list is read again without it, then /usage; the hint quotes TeamUp', async () => {
		await addFault(other, { method: 'GET', path: '/customer_memberships', status: 400, times: 1, body: JSON.stringify({ code: 'parameter_invalid', field_errors: { expand: ['Unknown field: usage_summary'] }, message: 'You request was invalid', type: 'invalid_request_error' }) });
		const result = await run(other, PARAMS);
		expect(result.error).toBeUndefined();
		const lists = (await requestLog(other)).filter((e) => e.path === '/customer_memberships');
		expect(lists.map((e) => [e.query.expand, e.status])).toEqual([
			['payment_subscription,usage_summary', 400],
			['payment_subscription', 200],
		]);
		expect(await usageCalls()).toHaveLength(2);
		expect(hints(result)).toEqual(expect.arrayContaining([expect.stringMatching(/^TeamUp refused expand=usage_summary.*\(400: parameter_invalid: .*expand: Unknown field: usage_summary\)/)]));
		expectDemoOutcomes(result.output(NODE));
	});

	it('/usage refused (403, no super admin): packs count on TeamUp’s status alone; the sync is not failed, a used-up pack still gets nothing', async () => {
		await addFault(other, { method: 'GET', path: '^/customer_memberships/\\d+/usage$', status: 403 });
		const result = await run(other, PARAMS);
		expect(result.error).toBeUndefined();
		const out = result.output(NODE);
		expect(membershipsOf(out, 'hana.sato@example.com')[0]).toMatchObject({ status: 'active', remainingUses: null });
		expect(await usageCalls()).toHaveLength(1);
		expect(hints(result)).toEqual(
			expect.arrayContaining([expect.stringMatching(/super admin permission/), expect.stringMatching(/^The usage of packs \d+, \d+ is unknown: they count as TeamUp's status says/)]),
		);
		const decisions = evaluateWithParameters(out, resolveParameters({ grantOnRegistrations: true, evaluationTime: DEMO_NOW })).map((e) => e.decision);
		const decision = (email: string) => decisions.find((d) => d.email === email)!;
		expect(decision('hana.sato@example.com')).toMatchObject({ access: 'allow' });
		expect(decision('gus.ferreira@example.com')).toMatchObject({ access: 'deny', denials: expect.arrayContaining([expect.objectContaining({ code: 'PACK_USED_UP' })]) });
	});

	it('TeamUp refusing the comma list of invoice statuses: one list per status; refusing the nested expansion too: line_items only; the failed payers stay blocked', async () => {
		await addFault(other, { method: 'GET', path: '/invoices', status: 400, times: 1 });
		const perStatus = await run(other, PARAMS);
		expect(perStatus.error).toBeUndefined();
		let invoices = (await requestLog(other)).filter((e) => e.path === '/invoices');
		expect(invoices.map((e) => e.query.status).sort()).toEqual(['failed', 'failed,retry_failed,retrying', 'retry_failed', 'retrying']);
		for (const email of ['ivan.petrov@example.com', 'jade.thompson@example.com']) expect(membershipsOf(perStatus.output(NODE), email)[0].blocked).toBe(true);

		await clearRequestLog(other);
		await addFault(other, { method: 'GET', path: '/invoices', status: 400, times: 4 });
		const plain = await run(other, PARAMS);
		expect(plain.error).toBeUndefined();
		invoices = (await requestLog(other)).filter((e) => e.path === '/invoices');
		expect(invoices.filter((e) => e.status === 200).map((e) => [e.query.status, e.query.expand])).toEqual([['failed,retry_failed,retrying', 'line_items']]);
		expect(membershipsOf(plain.output(NODE), 'ivan.petrov@example.com')[0]).toMatchObject({ blocked: true, blockReason: expect.stringMatching(/^Failed payment \(invoice \d+ due 2026-02-27\)$/) });
	});
});

describe('a TeamUp offering usage_summary (features.usage_summary: not in its v2 reference)', () => {
	let withSummary: RunningSandbox;

	beforeAll(async () => {
		const demo = demoScenario();
		withSummary = await start({ ...demo, teamup: { ...(demo.teamup as IDataObject), features: { usage_summary: true } }, rateLimits: false } as ScenarioInput);
	});
	afterAll(async () => {
		await withSummary?.close();
	});

	it('pack usage comes with the membership list: the 8 lists and no usage read; a used-up pack shows 0 uses left; the outcomes are the demo’s', async () => {
		await clearRequestLog(withSummary);
		const result = await run(withSummary, PARAMS);
		expect(result.error).toBeUndefined();
		const out = result.output(NODE);
		const membershipsOf = (email: string) => out.find((p) => p.email === email)!.memberships as IDataObject[];
		expect(membershipsOf('hana.sato@example.com')[0]).toMatchObject({ status: 'active', remainingUses: 1 });
		expect(membershipsOf('rosa.almeida@example.com')[0]).toMatchObject({ status: 'active', remainingUses: 3 });
		expect(membershipsOf('gus.ferreira@example.com')[0]).toMatchObject({ status: 'completed', remainingUses: 0 });
		const log = await requestLog(withSummary);
		expect(log.filter((entry) => entry.path.endsWith('/usage'))).toEqual([]);
		expect(log).toHaveLength(8);
		expect(reportedRequests(result)).toBe(8);
		expect(hints(result).filter((hint) => /usage_summary/.test(hint))).toEqual([]);
		expectDemoOutcomes(out);
	});
});
