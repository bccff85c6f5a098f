/**
 * 50,000 members: Access Profile → Get Many yields every profile with a request count close to the
 * paging minimum, computed here from the scenario itself.
 */
import type { IDataObject } from 'n8n-workflow';

import { type RunningSandbox, generateScenario } from '../../../sandbox';
import { DEMO_NOW, reportedRequests, requestLog, run, start } from './helpers';

const MEMBERS = 50_000;
const NOW = Date.parse(DEMO_NOW);
const HOUR = 3_600_000;
const PAGE = 100;

interface Event { _id: string; time_start: number; duration: number }
interface Booking { user_id: string; event_id: string }
interface Member { _id: string; active?: boolean; membership?: { type?: string; status?: string; start_date?: number | null; expiry_date?: number | null } | null }
interface GlofoxData { members: Member[]; bookings: Booking[]; events: Event[] }

/**
 * The fewest requests that can produce every profile with Glofox's API: the member list and the
 * branch's bookings in the window at 100 per page, the branch once (its time zone), and one credit
 * list per credit pack that could grant now (active member, ACTIVE num_classes, in date): Glofox
 * lists credits per member only.
 */
function minimumRequests(glofox: GlofoxData): { minimum: number; memberPages: number; bookingPages: number; packs: number; inWindow: Booking[] } {
	const nowSec = NOW / 1000;
	const from = (NOW - 6 * HOUR) / 1000;
	const until = (NOW + 24 * HOUR) / 1000;
	const events = new Map(glofox.events.map((e) => [e._id, e]));
	const inWindow = glofox.bookings.filter((b) => {
		const e = events.get(b.event_id)!;
		return e.time_start <= until && e.time_start + e.duration * 60 >= from;
	});
	const packs = glofox.members.filter((m) => {
		const ms = m.membership;
		return (
			m.active !== false &&
			ms?.type === 'num_classes' &&
			(ms.status ?? 'ACTIVE') === 'ACTIVE' &&
			(ms.start_date == null || ms.start_date <= nowSec) &&
			(ms.expiry_date == null || ms.expiry_date > nowSec)
		);
	}).length;
	const memberPages = Math.max(1, Math.ceil(glofox.members.length / PAGE));
	const bookingPages = Math.max(1, Math.ceil(inWindow.length / PAGE));
	return { minimum: memberPages + bookingPages + 1 + packs, memberPages, bookingPages, packs, inWindow };
}

let sb: RunningSandbox;
let glofox: GlofoxData;

beforeAll(async () => {
	const scenario = generateScenario({ members: MEMBERS, seed: 1, now: DEMO_NOW, rateLimits: false });
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
		const { minimum, memberPages, bookingPages, packs, inWindow } = minimumRequests(glofox);
		console.log(
			`Glofox access profiles, ${MEMBERS} members: ${made} requests made, minimum ${minimum} ` +
				`(${memberPages} member pages + ${bookingPages} booking pages for ${inWindow.length} bookings + 1 branch + ${packs} credit lists), ${seconds.toFixed(1)} s`,
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
