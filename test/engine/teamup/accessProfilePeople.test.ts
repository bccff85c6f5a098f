/**
 * TeamUp → Access Profile → Get Many with "For These People", through n8n's engine against the
 * sandbox's demo gym (TeamUp as its v2 reference documents it). The reference is the full listing
 * of the same node: a person's profile must be the one the full listing gives them (failed invoices
 * through the payer, used-up packs, registrations in the window, venue time zones), read with a
 * bounded number of requests and never with the whole customer list.
 */
import type { IDataObject } from 'n8n-workflow';

import { type RunningSandbox, type ScenarioInput } from '../../../sandbox';
import type { SandboxRequest } from '../../harness/sandbox';
import { clearRequestLog, DEMO_NOW, demoScenario, hints, NODE, requestLog, run, start } from './helpers';

jest.setTimeout(60_000);

const PARAMS = { resource: 'accessProfile', operation: 'getAll', lookAheadHours: 24, includeInactive: true };
const OPTIONS = { referenceTime: DEMO_NOW };

/** The demo gym plus a family: Kim (manager) pays for Max (child), whose membership invoice failed. */
function scenario(): ScenarioInput {
	const s = demoScenario() as unknown as { teamup: Record<string, IDataObject[]> };
	const plan = s.teamup.memberships.find((m) => m.type === 'recurring_plan')!;
	s.teamup.customers.push(
		{ id: 880001, first_name: 'Kim', last_name: 'Family', email: 'kim.family@example.com', family: 77, family_role: 'manager' },
		{ id: 880002, first_name: 'Max', last_name: 'Family', email: 'max.family@example.com', family: 77, family_role: 'child' },
	);
	s.teamup.customer_memberships.push({ id: 880101, customer: 880002, membership: plan.id, status: 'active', start_date: '2026-01-01' });
	s.teamup.invoices.push({
		id: 880201,
		status: 'failed',
		payer: 880001,
		due_date: '2026-02-28',
		line_items: [{ type: 'recurring_plan_membership', billed_item: { id: 880101, name: String(plan.name), type: 'billed_membership' } }],
	});
	return s as unknown as ScenarioInput;
}

const demo = scenario() as unknown as { teamup: Record<string, IDataObject[]> };
const customerId = (email: string) => String(demo.teamup.customers.find((c) => c.email === email)!.id);
const ANA = 'ana.ruiz@example.com'; // active recurring
const GUS = 'gus.ferreira@example.com'; // used-up pack (completed)
const HANA = 'hana.sato@example.com'; // active pack: usage read
const IVAN = 'ivan.petrov@example.com'; // failed invoice
const MAX = 'max.family@example.com'; // a child whose failed invoice names the parent as payer

let sb: RunningSandbox;
/** The full listing's profiles by customer id. */
let full: Map<string, IDataObject>;

beforeAll(async () => {
	sb = await start(scenario());
	const result = await run(sb, { ...PARAMS, options: OPTIONS });
	expect(result.error).toBeUndefined();
	full = new Map(result.output(NODE).map((profile) => [String(profile.sourceId), profile]));
	expect(full.size).toBe(demo.teamup.customers.length);
});

afterAll(async () => {
	await sb?.close();
});

beforeEach(async () => {
	await clearRequestLog(sb);
});

async function forPeople(people: string | string[], { items, extra = {} }: { items?: IDataObject[]; extra?: IDataObject } = {}) {
	const result = await run(sb, { ...PARAMS, ...extra, options: { ...OPTIONS, people, ...((extra.options as IDataObject) ?? {}) } }, items ? { items } : {});
	expect(result.error).toBeUndefined();
	return { result, profiles: result.output(NODE), log: await requestLog(sb) };
}

/** No request reads every customer, membership, registration or block: each names its people. */
function expectScoped(log: SandboxRequest[]): void {
	for (const request of log.filter((r) => r.path === '/customers')) expect(request.query.ids ?? request.query.query).toBeDefined();
	for (const path of ['/customer_memberships', '/attendances', '/customer_registration_blocks']) {
		for (const request of log.filter((r) => r.path === path)) expect({ path, customer: request.query.customer }).toEqual({ path, customer: expect.any(String) });
	}
}

/** Requests by path pattern: `/customer_memberships/{id}/usage` counted as one path. */
function byPath(log: SandboxRequest[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const request of log) {
		const path = request.path.replace(/\/\d+\//, '/{id}/');
		counts[path] = (counts[path] ?? 0) + 1;
	}
	return counts;
}

describe('TeamUp Access Profile → Get Many, For These People', () => {
	it("gives every demo customer, asked by id, exactly the full listing's profile, without reading the whole customer list", async () => {
		const ids = [...full.keys()];
		const { profiles, log } = await forPeople(ids.join(', '));
		expect(profiles.map((p) => p.sourceId).sort()).toEqual([...ids].sort());
		for (const profile of profiles) expect(profile).toEqual(full.get(String(profile.sourceId)));
		expectScoped(log);
	});

	it('the rules the full listing applies hold per person: failed invoice via the payer (a family child), used-up pack, active pack, blocked payment', async () => {
		const { profiles } = await forPeople([MAX, GUS, HANA, IVAN].map(customerId).join(','));
		for (const profile of profiles) expect(profile).toEqual(full.get(String(profile.sourceId)));
		const max = profiles.find((p) => p.email === MAX)!;
		expect((max.memberships as IDataObject[])[0]).toMatchObject({ status: 'active', blocked: true, blockReason: expect.stringMatching(/^Failed payment \(invoice 880201/) });
		expect((profiles.find((p) => p.email === GUS)!.memberships as IDataObject[])[0]).toMatchObject({ status: 'completed' });
		expect((profiles.find((p) => p.email === HANA)!.memberships as IDataObject[])[0]).toMatchObject({ status: 'active', remainingUses: 1 });
	});

	it('reads a bounded handful of requests: the business-wide lists once, then a few lists for all the people together', async () => {
		const one = await forPeople(customerId(ANA));
		// One person: the business's venues, plans, blocking invoices and sessions in the window; the
		// person by id; their blocks, memberships and registrations. (A TeamUp that refuses the
		// undocumented usage_summary expansion costs one more membership list; the sandbox ignores it.)
		expect(byPath(one.log)).toEqual({
			'/venues': 1,
			'/memberships': 1,
			'/invoices': 1,
			'/events': 1,
			'/customers': 1,
			'/customer_registration_blocks': 1,
			'/customer_memberships': 1,
			'/attendances': 1,
		});
		// Twenty people cost the same lists, plus one usage read per active pack among them.
		const twenty = [...full.keys()].slice(0, 20);
		await clearRequestLog(sb);
		const many = await forPeople(twenty);
		const activePacks = twenty.flatMap((id) => (full.get(id)!.memberships as IDataObject[]).filter((m) => m.type === 'pack' && m.status === 'active')).length;
		const { '/customer_memberships/{id}/usage': usage = 0, ...lists } = byPath(many.log);
		expect(usage).toBe(activePacks);
		expect(lists).toEqual(byPath(one.log));
		expectScoped(many.log);
	});

	it('takes e-mails (any case) and ids together; an e-mail costs one customer search', async () => {
		const { profiles, log } = await forPeople(` Ana.Ruiz@Example.com ; ${customerId(IVAN)}`);
		expect(profiles.map((p) => p.email).sort()).toEqual([ANA, IVAN]);
		for (const profile of profiles) expect(profile).toEqual(full.get(String(profile.sourceId)));
		expect(log.filter((r) => r.path === '/customers').map((r) => r.query.query ?? `ids=${r.query.ids}`)).toEqual(
			expect.arrayContaining(['ana.ruiz@example.com', `ids=${customerId(IVAN)}`]),
		);
		expectScoped(log);
	});

	it('outputs one profile per person however often the input names them (a burst from the trigger), paired with the items that asked', async () => {
		const ana = customerId(ANA);
		const ivan = customerId(IVAN);
		const items = [{ sourceId: ana }, { sourceId: ivan }, { sourceId: ana }, { sourceId: Number(ana), email: ANA }];
		const { result, profiles, log } = await forPeople('={{ $json.sourceId }}', { items });
		expect(profiles.map((p) => p.sourceId)).toEqual([ana, ivan]);
		const paired = result.runData[NODE][0].data!.main[0]!.map((item) => item.pairedItem);
		expect(paired).toEqual([[{ item: 0 }, { item: 2 }, { item: 3 }], { item: 1 }]);
		// One read of TeamUp for the four items.
		expect(log.filter((r) => r.path === '/venues')).toHaveLength(1);
		expect(hints(result)).toEqual(expect.arrayContaining([expect.stringMatching(/^Access profiles for these people: 2 profiles for 2 people asked \(2 asked again/)]));
	});

	it('someone TeamUp does not know gets no profile (never a deny that could revoke a share) and a hint naming them; the others are output', async () => {
		const { result, profiles } = await forPeople(`999999, nobody@example.com, ${customerId(ANA)}, not-an-id`);
		expect(profiles.map((p) => p.email)).toEqual([ANA]);
		expect(hints(result)).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^Not found in TeamUp, so no profile and no access change from this run: (999999, nobody@example\.com|nobody@example\.com, 999999)\./),
				expect.stringMatching(/skipped not-an-id: neither a TeamUp customer ID/),
			]),
		);
	});

	it('an item whose expression names nobody (a trigger item without a person) asks for no one, never for everyone', async () => {
		const { result, profiles, log } = await forPeople('={{ $json.sourceId }}', { items: [{ sourceId: null }, { other: 1 }] });
		expect(profiles).toEqual([]);
		expect(log).toEqual([]);
		expect(hints(result)).toEqual(expect.arrayContaining([expect.stringMatching(/named nobody for items 0, 1/)]));
	});

	it('Include Inactive off keeps the same rule as the full listing: a person with nothing that could grant access is left out', async () => {
		const relevant = await run(sb, { ...PARAMS, includeInactive: false, options: OPTIONS });
		const kept = new Set(relevant.output(NODE).map((p) => String(p.sourceId)));
		const asked = [ANA, GUS, IVAN].map(customerId);
		const { profiles } = await forPeople(asked.join(','), { extra: { includeInactive: false } });
		expect(profiles.map((p) => String(p.sourceId)).sort()).toEqual(asked.filter((id) => kept.has(id)).sort());
		expect(profiles.length).toBeLessThan(asked.length);
	});
});
