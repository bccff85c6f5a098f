/**
 * 50,000 members: Access Profile → Get Many yields every profile with a request count close to the
 * paging minimum, computed from the scenario itself (bench/minimum.ts, the benchmark's count).
 */
import type { IDataObject } from 'n8n-workflow';

import { glofoxBookingsInWindow, glofoxMinimum } from '../../../bench/minimum';
import { type RunningSandbox, type ScenarioInput, generateScenario } from '../../../sandbox';
import { DEMO_NOW, reportedRequests, requestLog, run, start } from './helpers';

const MEMBERS = 50_000;

interface Member { _id: string; active?: boolean }
interface GlofoxData { members: Member[] }

let sb: RunningSandbox;
let glofox: GlofoxData;
let scenario: ScenarioInput;

beforeAll(async () => {
	scenario = generateScenario({ members: MEMBERS, seed: 1, now: DEMO_NOW, rateLimits: false });
	glofox = scenario.glofox as unknown as GlofoxData;
	sb = await start(scenario);
}, 120_000);

afterAll(async () => {
	await sb?.close();
});

describe(`Glofox Access Profile → Get Many with ${MEMBERS.toLocaleString('en')} members`, () => {
	it('outputs every profile with a request count close to the paging minimum', async () => {
		const started = Date.now();
		const result = await run(sb, {
			resource: 'accessProfile',
			operation: 'getAll',
			lookAheadHours: 24,
			includeInactive: true,
			options: { referenceTime: DEMO_NOW },
		}, { credential: { requestsPerSecond: 100_000 } });
		const seconds = (Date.now() - started) / 1000;
		expect(result.error).toBeUndefined();

		const profiles = result.output('Glofox');
		expect(profiles).toHaveLength(glofox.members.length);
		expect(new Set(profiles.map((p) => p.sourceId)).size).toBe(glofox.members.length);

		const made = reportedRequests(result);
		const log = (await requestLog(sb)).filter((r) => r.service === 'glofox');
		expect(log).toHaveLength(made);
		// The fewest requests Glofox's API allows, from the scenario alone (the benchmark's own count).
		const fewest = glofoxMinimum(scenario);
		const minimum = fewest.listPages + fewest.forced;
		const packs = fewest.forced - 1;
		const inWindow = glofoxBookingsInWindow(scenario);
		console.log(
			`Glofox access profiles, ${MEMBERS} members: ${made} requests made, minimum ${minimum} ` +
				`(${fewest.listDetail.members} member pages + ${fewest.listDetail.bookings} booking pages for ${inWindow.length} bookings + ${fewest.forcedDetail}), ${seconds.toFixed(1)} s`,
		);
		expect(made).toBeGreaterThanOrEqual(minimum);
		expect(made).toBeLessThanOrEqual(Math.ceil(1.05 * minimum) + 3);

		// Every booking in the window reached its member's profile; every live pack has a count.
		const registrations = profiles.reduce((sum, p) => sum + (p.registrations as IDataObject[]).length, 0);
		const inactive = new Set(glofox.members.filter((m) => m.active === false).map((m) => m._id));
		expect(registrations).toBe(inWindow.filter((b) => !inactive.has(b.user_id)).length);
		const counted = profiles.filter((p) => (p.memberships as IDataObject[]).some((m) => typeof m.remainingUses === 'number')).length;
		expect(counted).toBe(packs);
	}, 600_000);
});
