/**
 * Glofox → Access Profile → Get Many, through n8n's engine against the sandbox's demo gym.
 */
import type { IDataObject } from 'n8n-workflow';

import { evaluateAccess } from '../../../nodes/AccessRuleEvaluator/engine';
import { type RunningSandbox, demoExpectations } from '../../../sandbox';
import { ACCESS_PROFILES_PARAMS, demoInstant, demoMidnight } from '../../harness/node-tests';
import { DEMO_NOW, clearRequestLog, hints, reportedRequests, requestLog, run, start } from './helpers';

const NOW = Date.parse(DEMO_NOW);
const iso = demoInstant;
const midnight = demoMidnight;
const PARAMS = ACCESS_PROFILES_PARAMS;

let sb: RunningSandbox;
let profiles: IDataObject[];
let made: number;

beforeAll(async () => {
	sb = await start();
	await clearRequestLog(sb);
	const result = await run(sb, PARAMS);
	expect(result.error).toBeUndefined();
	profiles = result.output('Glofox');
	made = reportedRequests(result);
});

afterAll(async () => {
	await sb?.close();
});

function profile(email: string): IDataObject {
	const found = profiles.find((p) => p.email === email);
	if (!found) throw new Error(`No profile for ${email}`);
	return found;
}

describe('Glofox Access Profile → Get Many (demo gym)', () => {
	it('outputs one profile per member, active or not, in the §1 shape', () => {
		expect(profiles).toHaveLength(36);
		for (const p of profiles) {
			expect(p).toEqual(
				expect.objectContaining({ source: 'glofox', sourceId: expect.stringMatching(/^[a-f0-9]{24}$/), memberships: expect.any(Array), registrations: expect.any(Array) }),
			);
		}
		expect(new Set(profiles.map((p) => p.sourceId)).size).toBe(36);
	});

	it('active membership: type and status as is, start / expiry instants, plan code and name', () => {
		expect(profile('ana.ruiz@example.com')).toEqual({
			source: 'glofox',
			sourceId: expect.any(String),
			email: 'ana.ruiz@example.com',
			name: 'Ana Ruiz',
			memberships: [
				{
					id: expect.stringMatching(/^[a-f0-9]{24}$/),
					planId: '1001',
					name: 'Unlimited Monthly',
					type: 'time',
					status: 'ACTIVE',
					startsAt: midnight(-180),
					expiresAt: midnight(30),
					remainingUses: null,
					blocked: false,
					blockReason: null,
					blocks: [],
				},
			],
			registrations: [],
			timeZone: 'Europe/London',
			memberActive: true,
		});
	});

	it.each([
		['dan.whitfield@example.com', 'EXPIRED', midnight(-400), midnight(-1)],
		['eva.novak@example.com', 'CANCELLED', midnight(-300), midnight(-10)],
		['carla.mendes@example.com', 'PAUSED', midnight(-200), midnight(20)],
		['felix.braun@example.com', 'FUTURE', midnight(7), midnight(37)],
	])('%s: status %s passed on, not blocked', (email, status, startsAt, expiresAt) => {
		expect(profile(email).memberships).toEqual([expect.objectContaining({ status, startsAt, expiresAt, blocked: false, blockReason: null })]);
	});

	it('locked membership: blocked, with the reason', () => {
		for (const email of ['ivan.petrov@example.com', 'jade.thompson@example.com', 'kai.nakamura@example.com']) {
			expect(profile(email).memberships).toEqual([
				expect.objectContaining({ status: 'LOCKED', blocked: true, blockReason: 'Membership locked in Glofox' }),
			]);
		}
	});

	it('PAYG with a booking: the payg membership and the booking as a registration', () => {
		expect(profile('lena.fischer@example.com')).toMatchObject({
			memberships: [{ type: 'payg', status: 'ACTIVE', remainingUses: null, blocked: false }],
			registrations: [
				{ id: expect.any(String), kind: 'class', status: 'registered', startsAt: iso(45), endsAt: iso(105), eventId: expect.any(String), eventName: 'Afternoon Yoga' },
			],
		});
		expect(profile('priya.shah@example.com').registrations).toEqual([
			expect.objectContaining({ status: 'registered', startsAt: iso(-30), endsAt: iso(30), eventName: 'Lunchtime Stretch' }),
		]);
		expect(profile('milo.costa@example.com').registrations).toEqual([expect.objectContaining({ startsAt: iso(1020), eventName: 'Morning Pilates' })]);
	});

	it('credit packs: uses left from the active, in-date class credits, with the bookings', () => {
		expect(profile('rosa.almeida@example.com')).toMatchObject({
			memberships: [{ type: 'num_classes', status: 'ACTIVE', remainingUses: 3, planId: '2001', name: 'Class Pack', expiresAt: midnight(60) }],
			registrations: [
				{ status: 'registered', kind: 'class', startsAt: iso(270), endsAt: iso(330), eventName: 'Evening Spin' },
				{ status: 'registered', kind: 'class', startsAt: iso(1020), endsAt: iso(1080), eventName: 'Morning Pilates' },
			],
		});
		expect(profile('hana.sato@example.com').memberships).toEqual([expect.objectContaining({ type: 'num_classes', remainingUses: 1, planId: '2002' })]);
		expect(profile('gus.ferreira@example.com').memberships).toEqual([expect.objectContaining({ type: 'num_classes', remainingUses: 0 })]);
	});

	it('time_classes subscription: as is, no use count', () => {
		expect(profile('yara.singh@example.com').memberships).toEqual([
			expect.objectContaining({ type: 'time_classes', status: 'ACTIVE', remainingUses: null, planId: '3001', name: '8 Classes Monthly' }),
		]);
	});

	it('booking states: attended, waitlisted, late-cancelled', () => {
		expect(profile('nina.kowalski@example.com').registrations).toEqual([
			expect.objectContaining({ status: 'attended', startsAt: iso(-120), endsAt: iso(-75), eventName: 'Lunch HIIT' }),
		]);
		expect(profile('omar.haddad@example.com').registrations).toEqual([expect.objectContaining({ status: 'waitlisted', eventName: 'Evening Spin' })]);
		expect(profile('pia.larsen@example.com').registrations).toEqual([expect.objectContaining({ status: 'late_cancelled', eventName: 'Afternoon Yoga' })]);
	});

	it('a booking beyond Look Ahead Hours is left out (Quinn: Weekend Bootcamp in ~3 days)', () => {
		expect(profile('quinn.murphy@example.com').registrations).toEqual([]);
	});

	it('inactive member: no membership, no registration, memberActive false', () => {
		expect(profile('walt.becker@example.com')).toMatchObject({ memberships: [], registrations: [], memberActive: false });
	});

	it('member without email and a lead without membership are still output', () => {
		const victor = profiles.find((p) => p.name === 'Victor Hale')!;
		expect(victor).toMatchObject({ email: null, memberships: [expect.objectContaining({ status: 'ACTIVE' })] });
		expect(profile('xena.lead@example.com')).toMatchObject({ memberships: [], registrations: [] });
	});

	it('emails are passed on as Glofox has them (the evaluator normalises)', () => {
		expect(profiles.filter((p) => String(p.email ?? '').trim().toLowerCase() === 'uma.lee@example.com').map((p) => p.email).sort()).toEqual([
			'Uma.Lee@Example.com ',
			'uma.lee@example.com',
		]);
	});

	it('makes the minimum requests (1 branch + 1 member page + 1 booking page + 1 credit read per live pack) and reports them', async () => {
		const log = (await requestLog(sb)).filter((r) => r.service === 'glofox');
		expect(made).toBe(6);
		expect(log).toHaveLength(6);
		expect(log.filter((r) => r.path === '/2.0/credits')).toHaveLength(3); // Gus, Hana, Rosa
		const bookings = log.find((r) => r.path.endsWith('/bookings'))!;
		expect(bookings.path).toBe('/2.2/branches/6213afed9ead8f3e7b0e3574/bookings');
		// Local timestamps (Europe/London is on GMT in March): now − 6 h and now + 24 h.
		expect(bookings.query).toMatchObject({ time_finish_start_date: String((NOW - 6 * 3_600_000) / 1000), time_start_end_date: String((NOW + 24 * 3_600_000) / 1000), limit: '100' });
	});
});

describe('Glofox profiles through the Access Rule Evaluator give the demo outcomes', () => {
	it('every demo person with a Glofox account gets the documented decision', async () => {
		// Look ahead 96 h on the source so that Quinn's bootcamp in ~3 days reaches the evaluator
		// (which looks ahead 24 h and says REGISTRATION_TOO_FAR_AHEAD), as the demo table assumes.
		const wide = await run(sb, { ...PARAMS, lookAheadHours: 96 });
		expect(wide.error).toBeUndefined();
		const decisions = evaluateAccess(wide.output('Glofox'), { grantOnRegistrations: true, evaluationTime: DEMO_NOW }).map((d) => d.decision);
		const rows = demoExpectations(new Date(DEMO_NOW)).filter((row) => row.glofox !== null);
		expect(rows.length).toBeGreaterThan(25);
		for (const row of rows) {
			const expected = row.glofox!;
			const decision =
				row.email === null ? decisions.find((d) => d.email === null && d.name === row.names[0]) : decisions.find((d) => d.email === row.email);
			expect({ who: row.names.join(', '), decision: decision && { access: decision.access, activeNow: decision.activeNow } }).toEqual({
				who: row.names.join(', '),
				decision: { access: expected.access, activeNow: expected.activeNow },
			});
			if (expected.access === 'allow') {
				expect({ who: row.names[0], validFrom: decision!.validFrom, validUntil: decision!.validUntil }).toEqual({
					who: row.names[0],
					validFrom: expected.validFrom,
					validUntil: expected.validUntil,
				});
			}
			for (const code of expected.denials ?? []) {
				expect({ who: row.names[0], codes: decision!.denials.map((d) => d.code) }).toEqual({ who: row.names[0], codes: expect.arrayContaining([code]) });
			}
		}
	});
});

describe('Include Inactive off', () => {
	it('lists active members only and keeps those who may get in (memberships with uses left, live bookings)', async () => {
		const result = await run(sb, { ...PARAMS, includeInactive: false });
		expect(result.error).toBeUndefined();
		const emails = result.output('Glofox').map((p) => p.email);
		for (const kept of ['ana.ruiz@example.com', 'lena.fischer@example.com', 'rosa.almeida@example.com', 'omar.haddad@example.com', 'felix.braun@example.com', 'ivan.petrov@example.com']) {
			expect(emails).toContain(kept);
		}
		for (const dropped of ['walt.becker@example.com', 'dan.whitfield@example.com', 'eva.novak@example.com', 'carla.mendes@example.com', 'gus.ferreira@example.com', 'xena.lead@example.com', 'pia.larsen@example.com', 'quinn.murphy@example.com']) {
			expect(emails).not.toContain(dropped);
		}
		expect(hints(result).some((h) => /^Access profiles: \d+ of 35 members/.test(h))).toBe(true);
	});
});

describe('Return All off: a Limit (Return All stays the default, so saved workflows list everyone)', () => {
	it('with Include Inactive on: the first members in Glofox’s order, the member list read only that far', async () => {
		await clearRequestLog(sb);
		const result = await run(sb, { ...PARAMS, returnAll: false, limit: 5 });
		expect(result.error).toBeUndefined();
		expect(result.output('Glofox').map((p) => p.sourceId)).toEqual(profiles.slice(0, 5).map((p) => p.sourceId));
		const members = (await requestLog(sb)).filter((r) => r.service === 'glofox' && r.path === '/2.0/members');
		expect(members.map((r) => r.query.limit)).toEqual(['5']);
	});

	it('with Include Inactive off: the first of those who may get in', async () => {
		const all = await run(sb, { ...PARAMS, includeInactive: false });
		const limited = await run(sb, { ...PARAMS, includeInactive: false, returnAll: false, limit: 3 });
		expect(limited.error).toBeUndefined();
		expect(limited.output('Glofox')).toEqual(all.output('Glofox').slice(0, 3));
	});

	it('a Limit that is not a whole number of at least 1 fails naming the field and the item', async () => {
		const result = await run(sb, { ...PARAMS, returnAll: false, limit: 0 });
		expect(result.error?.message).toMatch(/Item 0: "Limit" must be a whole number of at least 1 \(got 0\)/);
	});
});
