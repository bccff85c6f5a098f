import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	DEMO_NOW,
	ScenarioError,
	buildDemoScenario,
	demoExpectations,
	generateScenario,
	parseScenario,
	resolveLimits,
	shiftScenario,
} from '../../sandbox';
import { demoTableMarkdown } from '../../sandbox/scenarios/demo';
import { B, glofox, start, type Json } from './helpers';

const root = join(__dirname, '..', '..');
const demoAt = (): Json => JSON.parse(JSON.stringify(buildDemoScenario(new Date(DEMO_NOW))));

function problems(s: unknown): string[] {
	try {
		parseScenario(s);
	} catch (e) {
		if (e instanceof ScenarioError) return e.problems;
		throw e;
	}
	return [];
}

describe('scenario validation', () => {
	test('the demo is valid', () => {
		expect(problems(demoAt())).toEqual([]);
	});

	test('references that do not exist name the offending object', () => {
		const s = demoAt();
		s.kisi.shares[3].group_id = 777;
		s.kisi.locks[0].place_id = 99;
		s.teamup.attendances[0].event = 1;
		s.teamup.customer_memberships[0].customer = 2;
		s.glofox.bookings[0].user_id = 'aaaaaaaaaaaaaaaaaaaaaaaa';
		s.glofox.credits[0].user_id = 'bbbbbbbbbbbbbbbbbbbbbbbb';
		const p = problems(s);
		expect(p).toEqual(
			expect.arrayContaining([
				'kisi.shares[3] (id 9004): group_id 777 does not exist',
				'kisi.locks[0] (id 1001): place_id 99 does not exist',
				`teamup.attendances[0] (id ${s.teamup.attendances[0].id}): event 1 does not exist`,
				`teamup.customer_memberships[0] (id 991): customer 2 does not exist`,
				`glofox.bookings[0] (_id ${s.glofox.bookings[0]._id}): user_id aaaaaaaaaaaaaaaaaaaaaaaa does not exist`,
				`glofox.credits[0] (_id ${s.glofox.credits[0]._id}): user_id bbbbbbbbbbbbbbbbbbbbbbbb does not exist`,
			]),
		);
	});

	test('duplicate ids and duplicate access', () => {
		const s = demoAt();
		s.kisi.users[1].id = s.kisi.users[0].id;
		s.teamup.customers[2].id = s.teamup.customers[1].id;
		s.kisi.shares.push({ id: 9050, email: 'ANA.RUIZ@example.com', group_id: 501 });
		const p = problems(s);
		expect(p).toContain('kisi.users[1] (id 100): duplicate id (also kisi.users[0])');
		expect(p).toContain(`teamup.customers[2] (id ${s.teamup.customers[1].id}): duplicate id (also teamup.customers[1])`);
		expect(p.some((x) => x.startsWith(`kisi.shares[${s.kisi.shares.length - 1}] (id 9050): the user already has access to group 501`))).toBe(true);
	});

	test('bad shapes name the object and the field', () => {
		const s = demoAt();
		s.teamup.customers[2].id = 'x';
		s.glofox.members[0].membership.status = 'FROZEN';
		s.kisi.shares[0].valid_until = 'tomorrow';
		s.glofox.timezone_id = 'Mars/Olympus';
		s.teamup.colour = 'blue';
		const p = problems(s);
		expect(p).toEqual(
			expect.arrayContaining([
				'teamup.customers[2] (id x): id: Expected number, received string',
				expect.stringMatching(/^glofox\.members\[0\] \(_id [0-9a-f]{24}\): membership\.status: Invalid enum value/),
				'kisi.shares[0] (id 9001): valid_until: must be an ISO-8601 date-time with a UTC offset',
				'glofox: timezone_id: must be an IANA time zone',
				expect.stringMatching(/^teamup: .*colour/),
			]),
		);
	});

	test('missing sections are empty services; defaults are filled', () => {
		const s = parseScenario({ now: DEMO_NOW });
		expect(s.rateLimits).toBe(true);
		expect(s.kisi).toBeUndefined();
		const k = parseScenario({ kisi: {} });
		expect(k.kisi!.shares).toEqual([]);
		expect(k.kisi!.organization).toEqual({ id: 1, name: 'Sandbox Organization' });
	});

	test('rate limit configuration and scale', () => {
		expect(resolveLimits(true)).toEqual({ kisi: { limit: 5, windowMs: 1000 }, teamup: { limit: 250, windowMs: 60000 }, glofox: { limit: 10, windowMs: 1000, burst: 10 } });
		expect(resolveLimits(false)).toEqual({ kisi: null, teamup: null, glofox: null });
		expect(resolveLimits({ kisi: false, glofox: { limit: 10, windowMs: 1000, burst: 1000 }, rateLimitScale: 10 })).toEqual({
			kisi: null,
			teamup: { limit: 250, windowMs: 6000 },
			glofox: { limit: 10, windowMs: 100, burst: 1000 },
		});
		expect(resolveLimits(true, 2).kisi).toEqual({ limit: 5, windowMs: 500 });
	});
});

describe('demo scenario', () => {
	test('sandbox/scenarios/demo.json is the builder’s output for DEMO_NOW (regenerate: npm run sandbox -- --write-demo)', () => {
		const file = JSON.parse(readFileSync(join(root, 'sandbox', 'scenarios', 'demo.json'), 'utf8'));
		expect(file).toEqual(demoAt());
	});

	test('README’s demo people table is generated from demoExpectations', () => {
		const readme = readFileSync(join(root, 'sandbox', 'README.md'), 'utf8');
		expect(readme).toContain(demoTableMarkdown());
	});

	test('expectations cover every rule and point at existing people', () => {
		const rows = demoExpectations(new Date(DEMO_NOW));
		const s = demoAt();
		const tuIds = new Set(s.teamup.customers.map((c: Json) => c.id));
		const gfIds = new Set(s.glofox.members.map((m: Json) => m._id));
		for (const r of rows) {
			r.teamupCustomerIds.forEach((id) => expect(tuIds.has(id)).toBe(true));
			r.glofoxMemberIds.forEach((id) => expect(gfIds.has(id)).toBe(true));
		}
		const codes = new Set(rows.flatMap((r) => [...(r.teamup?.denials ?? []), ...(r.glofox?.denials ?? [])]));
		for (const c of ['MEMBERSHIP_ON_HOLD', 'MEMBERSHIP_EXPIRED', 'MEMBERSHIP_CANCELLED', 'MEMBERSHIP_NOT_STARTED', 'PACK_USED_UP', 'MEMBERSHIP_BLOCKED', 'INVALID_EMAIL', 'REGISTRATION_ENDED', 'REGISTRATION_CANCELLED', 'REGISTRATION_NO_SHOW', 'REGISTRATION_TOO_FAR_AHEAD', 'NO_ACTIVE_MEMBERSHIP', 'PAYG_NEEDS_REGISTRATION'])
			expect([c, codes.has(c)]).toEqual([c, true]);
		expect(rows.filter((r) => r.teamup?.duplicate)).toHaveLength(2);
		expect(s.teamup.customers.length + 3).toBeGreaterThanOrEqual(40);
	});

	test('Glofox’s own valid_on_entry agrees with the expected outcome where the rules coincide', async () => {
		const sb = await start({ ...demoAt(), rateLimits: false });
		try {
			const rows = demoExpectations(new Date(DEMO_NOW));
			const membershipDenials = ['MEMBERSHIP_ON_HOLD', 'MEMBERSHIP_EXPIRED', 'MEMBERSHIP_CANCELLED', 'MEMBERSHIP_NOT_STARTED', 'MEMBERSHIP_BLOCKED', 'REGISTRATION_ENDED', 'REGISTRATION_CANCELLED', 'REGISTRATION_TOO_FAR_AHEAD', 'NO_ACTIVE_MEMBERSHIP'];
			for (const r of rows) {
				const o = r.glofox;
				if (!o || r.glofoxMemberIds.length !== 1) continue;
				const expected = o.access === 'allow' && o.activeNow ? true : o.access === 'deny' && o.denials!.some((d) => membershipDenials.includes(d)) ? false : undefined;
				if (expected === undefined) continue;
				const res = await glofox(sb, '/2.0/access', { method: 'POST', body: { user_id: r.glofoxMemberIds[0], entry_at: Date.parse(DEMO_NOW) / 1000 } });
				expect([r.email, res.body.access.valid_on_entry]).toEqual([r.email, expected]);
			}
			expect((await glofox(sb, `/2.0/branches/${B}`)).status).toBe(200);
		} finally {
			await sb.close();
		}
	});
});

describe('time shifting (--realtime)', () => {
	test('instants move exactly, TeamUp dates by calendar days, Glofox Unix seconds exactly', () => {
		const s: Json = demoAt();
		const delta = 3 * 86_400_000 + 5 * 3_600_000 + 17_000;
		const shifted: Json = shiftScenario(s, delta);
		expect(shifted.now).toBe(new Date(Date.parse(DEMO_NOW) + delta).toISOString());
		expect(Date.parse(shifted.teamup.events[0].starts_at) - Date.parse(s.teamup.events[0].starts_at)).toBe(delta);
		expect(shifted.glofox.events[0].time_start - s.glofox.events[0].time_start).toBe(delta / 1000);
		expect(shifted.glofox.members[0].membership.start_date - s.glofox.members[0].membership.start_date).toBe(delta / 1000);
		expect(Date.parse(shifted.kisi.shares[1].valid_from) - Date.parse(s.kisi.shares[1].valid_from)).toBe(delta);
		const cm0 = s.teamup.customer_memberships[0];
		const cm0s = shifted.teamup.customer_memberships[0];
		expect((Date.parse(cm0s.start_date) - Date.parse(cm0.start_date)) / 86_400_000).toBe(3);
		expect(cm0s.expiration_date).toBe(cm0.expiration_date);
		expect(parseScenario(shifted)).toBeTruthy();
		expect(s.now).toBe(new Date(DEMO_NOW).toISOString());
	});
});

describe('generator', () => {
	test('deterministic for a seed, different for another, valid', () => {
		const a = generateScenario({ members: 300, seed: 7, now: DEMO_NOW });
		const b = generateScenario({ members: 300, seed: 7, now: DEMO_NOW });
		const c = generateScenario({ members: 300, seed: 8, now: DEMO_NOW });
		expect(JSON.stringify(a)).toBe(JSON.stringify(b));
		expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
		expect(problems(a)).toEqual([]);
		const customers = (a.teamup as Json).customers as Json[];
		const emails = customers.map((x) => x.email).filter(Boolean);
		expect(new Set(emails).size).toBe(emails.length);
		expect(customers).toHaveLength(300);
		expect(((a.glofox as Json).members as Json[]).map((m) => m.email)).toEqual(customers.map((x) => x.email));
		const statuses = new Set(((a.teamup as Json).customer_memberships as Json[]).map((cm) => cm.status));
		expect([...statuses].sort()).toEqual(['active', 'cancelled', 'completed', 'hold']);
		const withShares = generateScenario({ members: 300, seed: 7, now: DEMO_NOW, existingShares: 0.5 });
		expect(withShares.kisi!.shares!.length).toBeGreaterThan(100);
		expect(problems(withShares)).toEqual([]);
	});
});
