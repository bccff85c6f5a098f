/**
 * Glofox → Access Profile → Get Many with "For These People", through n8n's engine against the
 * sandbox's demo gym (Glofox as its OpenAPI documents it: the single-member answer has no `active`).
 * The reference is the full listing of the same node: a person's profile must be the one the full
 * listing gives them, read with a few requests each and never with the member list.
 */
import type { IDataObject } from 'n8n-workflow';

import { type RunningSandbox, buildDemoScenario } from '../../../sandbox';
import { DEMO_NOW, clearRequestLog, hints, reportedRequests, requestLog, run, start } from './helpers';

jest.setTimeout(60_000);

const PARAMS = { resource: 'accessProfile', operation: 'getAll', lookAheadHours: 24, includeInactive: true };
const OPTIONS = { referenceTime: DEMO_NOW };
const demo = buildDemoScenario(new Date(DEMO_NOW)) as unknown as { glofox: { members: IDataObject[] } };
const idOf = (email: string) => String(demo.glofox.members.find((m) => m.email === email)!._id);

const ANA = 'ana.ruiz@example.com'; // time membership, active
const ROSA = 'rosa.almeida@example.com'; // credit pack with bookings
const WALT = 'walt.becker@example.com'; // deactivated in Glofox, membership still ACTIVE
const PIA = 'pia.larsen@example.com'; // pay as you go, a late-cancelled booking
const UNKNOWN_ID = 'aaaaaaaaaaaaaaaaaaaaaaaa';

let sb: RunningSandbox;
/** The full listing's profiles by member id. */
let full: Map<string, IDataObject>;

beforeAll(async () => {
	sb = await start();
	const result = await run(sb, { ...PARAMS, options: OPTIONS });
	expect(result.error).toBeUndefined();
	full = new Map(result.output('Glofox').map((profile) => [String(profile.sourceId), profile]));
	expect(full.size).toBe(demo.glofox.members.length);
});

afterAll(async () => {
	await sb?.close();
});

beforeEach(async () => {
	await clearRequestLog(sb);
});

async function forPeople(people: string, extra: IDataObject = {}, items?: IDataObject[]) {
	const result = await run(sb, { ...PARAMS, ...extra, options: { ...OPTIONS, people, ...((extra.options as IDataObject) ?? {}) } }, items ? { items } : {});
	expect(result.error).toBeUndefined();
	return { result, profiles: result.output('Glofox') };
}

/**
 * The one difference Glofox's per-member bookings force: `GET /2.0/bookings` carries no
 * `is_late_cancellation`, so a late cancellation reads as a cancellation (both deny the same).
 */
function asPerPerson(profile: IDataObject): IDataObject {
	const registrations = (profile.registrations as IDataObject[]).map((r) => (r.status === 'late_cancelled' ? { ...r, status: 'cancelled' } : r));
	return { ...profile, registrations };
}

describe('Glofox Access Profile → Get Many, For These People', () => {
	it("gives every demo member, asked by ID, exactly the full listing's profile, without ever listing the members", async () => {
		const ids = [...full.keys()];
		const { result, profiles } = await forPeople(ids.join(', '));
		expect(profiles).toHaveLength(ids.length);
		for (const profile of profiles) expect(profile).toEqual(asPerPerson(full.get(String(profile.sourceId))!));
		// The only late cancellation in the demo is the one difference.
		const pia = profiles.find((p) => p.email === PIA)!;
		expect((full.get(String(pia.sourceId))!.registrations as IDataObject[]).map((r) => r.status)).toContain('late_cancelled');
		expect((pia.registrations as IDataObject[]).map((r) => r.status)).toContain('cancelled');

		const log = await requestLog(sb);
		// Never the member list (only its deactivated part, once), never the branch's bookings.
		const lists = log.filter((r) => r.method === 'GET' && r.path === '/2.0/members');
		expect(lists.length).toBeGreaterThan(0);
		for (const list of lists) expect(list.query.active).toBe('false');
		expect(log.filter((r) => r.path.endsWith('/bookings') && r.path.startsWith('/2.2/'))).toEqual([]);
		// Bounded per person: one member read, at most one booking read and one credit read each.
		const count = (path: RegExp) => log.filter((r) => path.test(r.path)).length;
		expect(count(/^\/2\.0\/members\/[a-f0-9]{24}$/)).toBe(ids.length);
		expect(count(/^\/2\.0\/bookings$/)).toBeLessThanOrEqual(ids.length);
		expect(count(/^\/2\.0\/credits$/)).toBeLessThanOrEqual(ids.length);
		expect(count(/^\/2\.0\/branches\/[a-f0-9]{24}$/)).toBe(1);
		expect(reportedRequests(result)).toBe(log.length);
		expect(hints(result)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^Access profiles for these people: ${ids.length} profiles for ${ids.length} people asked, ${log.length} requests`))]));
	});

	it('one person costs a handful of requests: branch, member, deactivated list, bookings, credits', async () => {
		const { result, profiles } = await forPeople(idOf(ROSA));
		expect(profiles).toEqual([full.get(idOf(ROSA))]);
		expect((profiles[0].memberships as IDataObject[])[0]).toMatchObject({ type: 'num_classes', remainingUses: 3 });
		const log = await requestLog(sb);
		expect(log.map((r) => `${r.method} ${r.path}${r.path === '/2.0/members' ? `?active=${r.query.active}` : ''}`).sort()).toEqual(
			[
				'GET /2.0/branches/6213afed9ead8f3e7b0e3574',
				`GET /2.0/members/${idOf(ROSA)}`,
				'GET /2.0/members?active=false',
				'GET /2.0/bookings',
				'GET /2.0/credits',
			].sort(),
		);
		expect(reportedRequests(result)).toBe(5);
		// The bookings are asked for that member in the branch, from a day before the window to its end.
		const bookings = log.find((r) => r.path === '/2.0/bookings')!;
		expect(bookings.query).toMatchObject({ branchId: '6213afed9ead8f3e7b0e3574', user_id: idOf(ROSA) });
		const now = Date.parse(DEMO_NOW) / 1000;
		expect(Number(bookings.query.time_start)).toBe(now - 6 * 3600 - 24 * 3600);
		expect(Number(bookings.query.time_end)).toBe(now + 24 * 3600 - 1);
	});

	it('a deactivated member keeps no access, as in the full listing (Glofox does not say "active" for one member)', async () => {
		const { profiles } = await forPeople(idOf(WALT));
		expect(profiles).toEqual([full.get(idOf(WALT))]);
		expect(profiles[0]).toMatchObject({ memberActive: false, memberships: [], registrations: [] });
		// Its bookings are not even read.
		expect((await requestLog(sb)).filter((r) => r.path === '/2.0/bookings')).toEqual([]);
	});

	it('takes e-mails (any case) and IDs mixed, as a list or an array; a person named twice gets one profile', async () => {
		const { profiles } = await forPeople(`${ANA.toUpperCase()}; ${idOf(ANA)}\n${idOf(ROSA)}, ${ANA}`);
		expect(profiles).toEqual([full.get(idOf(ANA)), full.get(idOf(ROSA))]);
		const { profiles: fromArray } = await forPeople(`={{ [ "${idOf(ANA)}", ["${ROSA}"] ] }}`);
		expect(fromArray.map((p) => p.email)).toEqual([ANA, ROSA]);
	});

	it("reads each trigger item's person ({{ $json.sourceId }}); a person in several items is output once", async () => {
		const items = [{ sourceId: idOf(ANA) }, { sourceId: idOf(ROSA) }, { sourceId: idOf(ANA) }];
		const { result, profiles } = await forPeople('={{ $json.sourceId }}', {}, items);
		expect(profiles).toEqual([full.get(idOf(ANA)), full.get(idOf(ROSA))]);
		expect(result.runData.Glofox[0].data!.main[0]!.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		// One branch read for the whole execution, and one read of the deactivated members.
		const log = await requestLog(sb);
		expect(log.filter((r) => r.path.startsWith('/2.0/branches/'))).toHaveLength(1);
		expect(log.filter((r) => r.path === '/2.0/members')).toHaveLength(1);
		expect(hints(result)).toEqual(expect.arrayContaining([expect.stringContaining('(1 asked again by a later item, output once)')]));
	});

	it('an unknown ID or e-mail gets no profile, and a hint names it; the others are output', async () => {
		const { result, profiles } = await forPeople(`${UNKNOWN_ID}, nobody@example.com, ${idOf(ANA)}`);
		expect(profiles).toEqual([full.get(idOf(ANA))]);
		expect(hints(result)).toEqual(
			expect.arrayContaining([expect.stringMatching(new RegExp(`^Not found in Glofox, so no profile and no access change from this run: (${UNKNOWN_ID}, nobody@example.com|nobody@example.com, ${UNKNOWN_ID})\\.`))]),
		);
	});

	it('an entry that is neither an ID nor an e-mail is skipped with a hint naming it', async () => {
		const { result, profiles } = await forPeople(`12345, ${idOf(ANA)}`);
		expect(profiles).toEqual([full.get(idOf(ANA))]);
		expect(hints(result)).toEqual(expect.arrayContaining([expect.stringContaining('"For These People": skipped 12345: neither a Glofox member ID')]));
	});

	it('an expression that names nobody outputs nothing, never everyone', async () => {
		const { result, profiles } = await forPeople('={{ $json.sourceId }}', {}, [{ event: 'MEMBER_UPDATED' }]);
		expect(profiles).toEqual([]);
		expect((await requestLog(sb)).filter((r) => r.path === '/2.0/members')).toEqual([]);
		expect(hints(result)).toEqual(expect.arrayContaining([expect.stringContaining('"For These People" named nobody for item 0')]));
	});

	it('left empty, the option reads everyone, as without it', async () => {
		const { profiles } = await forPeople('');
		expect(profiles).toHaveLength(full.size);
	});

	it('Include Inactive off and Member Status filter these people as they filter the full listing', async () => {
		const people = [ANA, WALT, 'dan.whitfield@example.com', PIA].map(idOf).join(',');
		const everyone = await run(sb, { ...PARAMS, includeInactive: false, options: OPTIONS });
		const kept = new Set(everyone.output('Glofox').map((p) => p.sourceId));
		const { profiles } = await forPeople(people, { includeInactive: false });
		expect(profiles.map((p) => p.email)).toEqual([ANA, WALT, 'dan.whitfield@example.com', PIA].filter((email) => kept.has(idOf(email))));
		expect(profiles.map((p) => p.email)).toEqual([ANA]);
		const { profiles: inactiveOnly } = await forPeople(people, { options: { activeFilter: 'false' } });
		expect(inactiveOnly.map((p) => p.email)).toEqual([WALT]);
	});

	it('a Glofox that says "active" on one member is believed, and the deactivated list is not read', async () => {
		const scenario = buildDemoScenario(new Date(DEMO_NOW));
		const other = await start(scenario);
		try {
			// The sandbox serves Glofox's documented single-member shape; play a Glofox that adds `active`.
			const member = JSON.stringify({ ...demo.glofox.members.find((m) => m.email === ANA), active: false });
			await fetch(`${other.url}/__sandbox/faults`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ service: 'glofox', method: 'GET', path: `/2.0/members/${idOf(ANA)}`, status: 200, body: member }),
			});
			const result = await run(other, { ...PARAMS, options: { ...OPTIONS, people: idOf(ANA) } });
			expect(result.output('Glofox')).toEqual([expect.objectContaining({ sourceId: idOf(ANA), memberActive: false, memberships: [], registrations: [] })]);
			expect((await requestLog(other)).filter((r) => r.path === '/2.0/members')).toEqual([]);
		} finally {
			await other.close();
		}
	});
});
