/**
 * Access Profile → Get Many on a generated 5,000-customer gym (TeamUp as its v2 reference documents
 * it): every profile, in close to the fewest requests TeamUp allows.
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
	it('yields every profile with a request count close to the minimum (list pages + one usage read per active pack)', async () => {
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
		// The fewest requests TeamUp allows, from the scenario alone (the benchmark's own count; it
		// assumes the same 24 h look-ahead and 6 h look-back): one pass over each list, and one
		// `GET /customer_memberships/{id}/usage` per active pack (the generated gym is TeamUp as its v2
		// reference documents it: no list carries a pack's uses left).
		const fewest = teamupMinimum(scenario);
		const minimum = fewest.listPages + fewest.forced;
		const sizes = fewest.listDetail;
		expect(fewest.forced).toBeGreaterThan(0);
		// The constant: the invoice lists. Whether TeamUp's invoice `status` filter takes a comma list
		// is undocumented; against an API that refuses it the node sends one probe and then one list per
		// blocking status (failed, retry_failed, retrying): at most 3 requests more than one list.
		const allowed = Math.floor(1.05 * minimum) + 3;
		console.log(
			`TeamUp access profiles: ${profiles.length} customers in ${ms} ms; requests made ${made}, minimum ${minimum} (${fewest.listPages} list pages + ${fewest.forcedDetail}), allowed ${allowed}; pages per list ${JSON.stringify(sizes)}`,
		);
		expect(made).toBeLessThanOrEqual(allowed);
		expect(made).toBeGreaterThanOrEqual(minimum);
		// Nothing is read per customer; pack usage once per active pack, and for nothing else.
		expect(logged.filter((entry) => /^\/customers\/\d+/.test(entry.path))).toEqual([]);
		const usageReads = logged.filter((entry) => entry.path.endsWith('/usage')).map((entry) => Number(/^\/customer_memberships\/(\d+)\/usage$/.exec(entry.path)?.[1]));
		const packPlans = new Set(t.memberships.filter((m) => m.type === 'pack').map((m) => m.id));
		const activePacks = t.customer_memberships.filter((cm) => cm.status === 'active' && packPlans.has(cm.membership)).map((cm) => cm.id as number);
		expect(usageReads.sort((a, b) => a - b)).toEqual(activePacks.sort((a, b) => a - b));
		// Every active pack says how many uses it has left.
		const wanted = new Set(activePacks.map(String));
		const packProfiles = profiles.flatMap((p) => (p.memberships as IDataObject[]).filter((m) => wanted.has(String(m.id))));
		expect(packProfiles).toHaveLength(activePacks.length);
		expect(packProfiles.filter((m) => typeof m.remainingUses !== 'number')).toEqual([]);
	}, 120_000);
});
