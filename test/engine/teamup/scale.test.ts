/**
 * Access Profile → Get Many on a generated 5,000-customer gym: every profile, in close to the
 * fewest requests TeamUp's paging allows.
 */
import type { IDataObject } from 'n8n-workflow';

import { teamupMinimum } from '../../../bench/minimum';
import { type RunningSandbox, generateScenario } from '../../../sandbox';
import { DEMO_NOW, clearRequestLog, NODE, reportedRequests, requestLog, run, start } from './helpers';

const CUSTOMERS = 5_000;
const LOOK_AHEAD = 24;
const LOOK_BACK = 6;

type Rec = Record<string, unknown>;

let sb: RunningSandbox;
const scenario = generateScenario({ members: CUSTOMERS, seed: 7, now: DEMO_NOW });

beforeAll(async () => {
	sb = await start(scenario);
});

afterAll(async () => {
	await sb?.close();
});

describe(`Access Profile → Get Many, ${CUSTOMERS.toLocaleString('en')} customers`, () => {
	it('yields every profile with a request count close to the paging minimum', async () => {
		await clearRequestLog(sb);
		const started = Date.now();
		const result = await run(sb, {
			resource: 'accessProfile',
			operation: 'getAll',
			lookAheadHours: LOOK_AHEAD,
			includeInactive: true,
			options: { referenceTime: DEMO_NOW, lookBackHours: LOOK_BACK },
		});
		const ms = Date.now() - started;
		expect(result.error).toBeUndefined();
		const profiles = result.output(NODE);
		const customers = (scenario.teamup as { customers: Rec[] }).customers;
		expect(profiles).toHaveLength(customers.length);
		expect(new Set(profiles.map((p) => p.sourceId)).size).toBe(customers.length);

		// Spot checks against the scenario: every membership and every registration in the window is there.
		const t = scenario.teamup as Record<string, Rec[]>;
		const membershipCount = profiles.reduce((sum, p) => sum + (p.memberships as IDataObject[]).length, 0);
		expect(membershipCount).toBe(t.customer_memberships.length);
		const registrations = profiles.flatMap((p) => p.registrations as IDataObject[]);
		expect(registrations.length).toBeGreaterThan(100);
		expect(registrations.some((r) => r.status === 'waitlisted')).toBe(true);
		expect(profiles.some((p) => (p.memberships as IDataObject[]).some((m) => m.blocked === true))).toBe(true);
		expect(profiles.some((p) => (p.memberships as IDataObject[]).some((m) => m.type === 'pack' && typeof m.remainingUses === 'number'))).toBe(true);

		const made = reportedRequests(result);
		const logged = await requestLog(sb);
		expect(logged).toHaveLength(made);
		// The fewest requests TeamUp's paging allows, from the scenario alone (the benchmark's own
		// count; it assumes the same 24 h look-ahead and 6 h look-back): one pass over each list.
		const fewest = teamupMinimum(scenario);
		const minimum = fewest.listPages;
		const sizes = fewest.listDetail;
		// The constant: the invoice lists. Whether TeamUp's invoice `status` filter takes a comma list
		// is undocumented; against an API that refuses it the node sends one probe and then one list per
		// blocking status (failed, retry_failed, retrying): at most 3 requests more than one list.
		const allowed = Math.floor(1.05 * minimum) + 3;
		console.log(
			`TeamUp access profiles: ${profiles.length} customers in ${ms} ms; requests made ${made}, paging minimum ${minimum}, allowed ${allowed}; pages per list ${JSON.stringify(sizes)}`,
		);
		expect(made).toBeLessThanOrEqual(allowed);
		expect(made).toBeGreaterThanOrEqual(minimum);
		// Nothing is read per customer.
		expect(logged.filter((entry) => /^\/customers\/\d+/.test(entry.path))).toEqual([]);
		expect(logged.filter((entry) => entry.path.endsWith('/usage'))).toEqual([]);
	}, 120_000);
});
