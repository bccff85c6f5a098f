/**
 * TeamUp → Check In, through n8n's engine against the sandbox's demo gym: what a Kisi unlock
 * turns into on TeamUp's side. The demo is TeamUp as its v2 reference documents it (no
 * `POST /events/{id}/confirm_attendance`); the tests of that undocumented call switch it on with the
 * scenario's `features`.
 */
import type { IDataObject } from 'n8n-workflow';
import { DateTime } from 'luxon';

import type { RunningSandbox } from '../../../sandbox';
import { addFault, clearFaults, clearRequestLog, DEMO_NOW, demoScenario, hints, NODE, requestLog, run, start, teamupState } from './helpers';

const NOW = Date.parse(DEMO_NOW);
const MIN = 60_000;
const at = (minutes: number) => new Date(NOW + minutes * MIN).toISOString();

const CHECK_IN = { resource: 'checkIn', operation: 'checkIn' };

/** The calendar day of a check-in's timestamp at a venue (the sandbox stamps `date` as that day). */
const dayAt = (checkin: IDataObject | undefined, zone: string) => DateTime.fromISO(String(checkin?.timestamp), { zone }).toISODate();
const LONDON = 'Europe/London';

/** The demo with TeamUp's undocumented `confirm_attendance` switched on (not in its v2 reference). */
function confirmingScenario(): IDataObject {
	const demo = demoScenario();
	return { ...demo, teamup: { ...(demo.teamup as IDataObject), features: { confirm_attendance: true } } };
}

let sb: RunningSandbox;
let customerIds: Record<string, number>;

beforeAll(async () => {
	sb = await start();
	const state = await teamupState(sb);
	customerIds = Object.fromEntries(state.customers.filter((c) => typeof c.email === 'string').map((c) => [String(c.email), Number(c.id)]));
});

afterAll(async () => {
	await sb?.close();
});

beforeEach(async () => {
	await clearRequestLog(sb);
});

const posts = async () => (await requestLog(sb)).filter((entry) => entry.method === 'POST').map((entry) => entry.path);

describe('TeamUp Check In', () => {
	// Each check-in waits for its claim to settle (about a second: nodes/shared/claims.ts), several per test.
	jest.setTimeout(30_000);
	it('inside a registration window: TeamUp has no confirm_attendance, so a check-in at the class’s venue, dated its day; the item names the class and says why', async () => {
		// Ben is registered for Afternoon Yoga (14:45–15:45); he comes in at 14:00, 45 minutes early.
		const ben = customerIds['ben.okafor@example.com'];
		const result = await run(sb, CHECK_IN, { items: [{ email: 'Ben.Okafor@Example.com', occurredAt: at(0) }] });
		expect(result.error).toBeUndefined();
		const [item] = result.output(NODE);
		expect(item).toEqual({
			status: 'checked_in',
			email: 'ben.okafor@example.com',
			customerId: String(ben),
			occurredAt: at(0),
			event: { id: '5550004', name: 'Afternoon Yoga', startsAt: at(45), endsAt: at(105) },
			checkin: { id: expect.any(Number), object: 'checkin', timestamp: expect.any(String), comped: false, customer_membership: null },
			fallback: expect.stringMatching(/^TeamUp does not offer POST \/events\/\{id\}\/confirm_attendance \(404: not_found: Not found\.\).*recorded a check-in with POST \/checkins instead/),
		});
		expect(await posts()).toEqual(['/events/5550004/confirm_attendance', '/checkins']);
		expect(hints(result)).toEqual(expect.arrayContaining([expect.stringMatching(/does not offer POST \/events\/\{id\}\/confirm_attendance/)]));
		const state = await teamupState(sb);
		// One check-in, at the class's venue, on the class's calendar day in London.
		const checkins = state.checkins.filter((c) => c.customer === ben);
		expect(checkins).toEqual([expect.objectContaining({ venue: 310 })]);
		expect(dayAt(checkins[0], LONDON)).toBe('2026-03-02');
		// The registration itself is left as it was.
		expect(state.attendances.find((a) => a.event === 5550004 && a.customer === ben)).toMatchObject({ status: 'registered' });
	});

	it('outside every registration window: records a front-desk check-in at the first active venue, dated the venue’s day', async () => {
		const before = (await teamupState(sb)).checkins.length;
		const result = await run(sb, CHECK_IN, { items: [{ email: 'ana.ruiz@example.com', occurredAt: at(5) }] });
		const [item] = result.output(NODE);
		// TeamUp's answer as its reference documents it (github.com/rob693/teamup-api-docs/blob/HEAD/endpoints_checkins-create.md).
		expect(item).toEqual({
			status: 'checked_in',
			email: 'ana.ruiz@example.com',
			customerId: String(customerIds['ana.ruiz@example.com']),
			occurredAt: at(5),
			checkin: { id: expect.any(Number), object: 'checkin', timestamp: expect.any(String), comped: false, customer_membership: null },
		});
		expect(await posts()).toEqual(['/checkins']);
		const checkins = (await teamupState(sb)).checkins;
		expect(checkins).toHaveLength(before + 1);
		// The calendar date sent is today in London: TeamUp stamps the check-in now.
		expect(checkins[checkins.length - 1]).toMatchObject({ customer: customerIds['ana.ruiz@example.com'], venue: 310 });
		expect(Date.parse(String(checkins[checkins.length - 1].timestamp))).toBeGreaterThanOrEqual(NOW);

		// An entry late yesterday evening is dated yesterday (sent as 2026-03-01: its start in London).
		const late = await run(sb, { ...CHECK_IN, options: { cooldownMinutes: 0 } }, { items: [{ email: 'ana.ruiz@example.com', occurredAt: '2026-03-01T23:30:00Z' }] });
		expect(late.output(NODE)[0]).toMatchObject({ status: 'checked_in', checkin: { timestamp: '2026-03-01T00:00:00.000Z' } });
	});

	it('picks the earliest registration whose window contains the instant', async () => {
		// Rosa: Evening Spin 18:30–19:30 and Morning Pilates tomorrow 07:00; she comes at 18:00.
		const result = await run(sb, CHECK_IN, { items: [{ email: 'rosa.almeida@example.com', occurredAt: at(240) }] });
		expect(result.output(NODE)[0]).toMatchObject({ status: 'checked_in', event: { id: '5550006', name: 'Evening Spin' }, fallback: expect.any(String) });
		expect(await posts()).toEqual(['/events/5550006/confirm_attendance', '/checkins']);
	});

	it('an attendance already confirmed is reported, not confirmed again', async () => {
		// Nina attended Lunch HIIT (12:00–12:45); the door opens for her again at 13:30.
		const result = await run(sb, CHECK_IN, { items: [{ email: 'nina.kowalski@example.com', occurredAt: at(-30) }] });
		expect(result.output(NODE)[0]).toMatchObject({ status: 'attended_class', event: { id: '5550001' }, attendance: { status: 'attended', event: 5550001 } });
		expect(await posts()).toEqual([]);
	});

	it('a waitlisted registration is no place in the class: front-desk check-in', async () => {
		const result = await run(sb, CHECK_IN, { items: [{ email: 'omar.haddad@example.com', occurredAt: at(270) }] });
		expect(result.output(NODE)[0]).toMatchObject({ status: 'checked_in' });
		expect(await posts()).toEqual(['/checkins']);
	});

	it('an unknown email is an item with status unknown_member, not a failure', async () => {
		const result = await run(sb, CHECK_IN, { items: [{ email: 'stranger@example.com', occurredAt: at(0) }] });
		expect(result.error).toBeUndefined();
		expect(result.output(NODE)).toEqual([{ status: 'unknown_member', email: 'stranger@example.com', customerId: null, occurredAt: at(0) }]);
		expect(await posts()).toEqual([]);
	});

	it('matches the email exactly: a search hit on a longer address is not the person', async () => {
		// TeamUp's query matches parts of emails and names: "parker" would find the Parkers.
		const result = await run(sb, CHECK_IN, { items: [{ email: 'ker@example.com', occurredAt: at(0) }] });
		expect(result.output(NODE)[0]).toMatchObject({ status: 'unknown_member' });
	});

	it('Only With Registration: outside every window nothing is sent', async () => {
		const result = await run(sb, { ...CHECK_IN, options: { onlyWithRegistration: true } }, { items: [{ email: 'diego.alvarez@example.com', occurredAt: at(0) }] });
		expect(result.output(NODE)).toEqual([
			{ status: 'no_registration', email: 'diego.alvarez@example.com', customerId: String(customerIds['diego.alvarez@example.com']), occurredAt: at(0) },
		]);
		expect(await posts()).toEqual([]);
	});

	it('a repeat within the cooldown is a duplicate and sends nothing, in the same run and in the next ones (n8n keeps the memory per workflow)', async () => {
		const workflowId = 'teamup-cooldown';
		const email = 'hugo.laurent@example.com';
		const first = await run(sb, CHECK_IN, {
			workflowId,
			items: [
				{ email, occurredAt: at(0) },
				{ email: 'HUGO.LAURENT@example.com', occurredAt: at(2) },
			],
		});
		expect(first.output(NODE).map((item) => item.status)).toEqual(['checked_in', 'duplicate']);
		expect(first.output(NODE)[1]).toEqual({ status: 'duplicate', email, occurredAt: at(2), lastCheckInAt: at(0), cooldownMinutes: 60 });
		expect(await posts()).toEqual(['/checkins']);

		await clearRequestLog(sb);
		const second = await run(sb, CHECK_IN, { workflowId, items: [{ email, occurredAt: at(30) }] });
		expect(second.output(NODE)[0]).toMatchObject({ status: 'duplicate' });
		expect(await requestLog(sb)).toEqual([]);

		const later = await run(sb, CHECK_IN, { workflowId, items: [{ email, occurredAt: at(61) }] });
		expect(later.output(NODE)[0]).toMatchObject({ status: 'checked_in' });
	});

	it('a cooldown of 0 minutes turns the duplicate check off', async () => {
		const items = [
			{ email: 'jonas.berg@example.com', occurredAt: at(0) },
			{ email: 'jonas.berg@example.com', occurredAt: at(1) },
		];
		const result = await run(sb, { ...CHECK_IN, options: { cooldownMinutes: 0 } }, { items });
		expect(result.output(NODE).map((item) => item.status)).toEqual(['checked_in', 'checked_in']);
	});

	it('narrower windows: Minutes Before Start decides whether an early arrival counts for the class', async () => {
		// Chloe: Evening Spin 18:30. At 18:00 with only 15 minutes before → front desk.
		const early = await run(sb, { ...CHECK_IN, options: { minutesBefore: 15, onlyWithRegistration: true } }, { items: [{ email: 'chloe.martin@example.com', occurredAt: at(240) }] });
		expect(early.output(NODE)[0]).toMatchObject({ status: 'no_registration' });
		expect(await posts()).toEqual([]);
		const onTime = await run(sb, { ...CHECK_IN, options: { minutesBefore: 30 } }, { items: [{ email: 'chloe.martin@example.com', occurredAt: at(240) }] });
		expect(onTime.output(NODE)[0]).toMatchObject({ status: 'checked_in', event: { name: 'Evening Spin' }, fallback: expect.any(String) });
		expect(await posts()).toEqual(['/events/5550006/confirm_attendance', '/checkins']);
	});

	it('a chosen venue is used for front-desk check-ins', async () => {
		const finn = customerIds['finn.obrien@example.com'];
		const result = await run(sb, { ...CHECK_IN, options: { venueId: '310', cooldownMinutes: 0 } }, { items: [{ email: 'finn.obrien@example.com', occurredAt: at(0) }] });
		expect(result.output(NODE)[0]).toMatchObject({ status: 'checked_in', checkin: { object: 'checkin' } });
		const checkins = (await teamupState(sb)).checkins.filter((c) => c.customer === finn);
		expect(checkins).toEqual([expect.objectContaining({ venue: 310 })]);
	});

	it('a bad email or instant fails naming the field and the item', async () => {
		const badEmail = await run(sb, CHECK_IN, { items: [{ email: 'ana.ruiz@example.com', occurredAt: at(0) }, { email: 'not an email', occurredAt: at(0) }] });
		expect(badEmail.error?.message).toMatch(/Item 1: "Email" must be an email address/);
		const badTime = await run(sb, CHECK_IN, { items: [{ email: 'ana.ruiz@example.com', occurredAt: '2026-03-02 14:00' }] });
		expect(badTime.error?.message).toMatch(/Item 0: "Occurred At" must be an ISO-8601 date-time with a time zone/);
		const missing = await run(sb, CHECK_IN, { items: [{ email: 'ana.ruiz@example.com' }] });
		expect(missing.error?.message).toMatch(/Item 0: "Occurred At" must be/);
	});

	it('Continue On Fail: a bad item becomes an error item, the others are checked in', async () => {
		const result = await run(sb, { ...CHECK_IN, options: { cooldownMinutes: 0 } }, {
			continueOnFail: true,
			items: [
				{ email: 'isla.macleod@example.com', occurredAt: at(0) },
				{ email: '', occurredAt: at(0) },
				{ email: 'stranger@example.com', occurredAt: at(0) },
			],
		});
		expect(result.error).toBeUndefined();
		const items = result.items(NODE);
		expect(items.map((item) => item.json.status ?? 'error')).toEqual(['checked_in', 'error', 'unknown_member']);
		expect(items[1].json.error).toMatch(/Item 1: "Email" must be an email address/);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});
});

describe('TeamUp Check In at a provider with two venues in different time zones (documented calls only)', () => {
	let twoVenues: RunningSandbox;
	let ids: Record<string, number>;
	const AUCKLAND = 'Pacific/Auckland';

	beforeAll(async () => {
		// A venue in Auckland listed before the demo's London one: at 14:00 UTC it is already
		// 3 March there. The classes stay in London.
		const scenario = demoScenario();
		const teamup = scenario.teamup as IDataObject & { venues: IDataObject[] };
		twoVenues = await start({ ...scenario, teamup: { ...teamup, venues: [{ id: 305, name: 'Harbour', timezone: AUCKLAND }, ...teamup.venues] } });
		const state = await teamupState(twoVenues);
		ids = Object.fromEntries(state.customers.filter((c) => typeof c.email === 'string').map((c) => [String(c.email), Number(c.id)]));
	});

	afterAll(async () => {
		await twoVenues?.close();
	});

	const postsWithStatus = async () => (await requestLog(twoVenues)).filter((entry) => entry.method === 'POST').map((entry) => `${entry.path} ${entry.status}`);

	it('a registered person is checked in at the class’s venue on its day there; a walk-in at the first venue on its day; confirm_attendance is asked once per run', async () => {
		await clearRequestLog(twoVenues);
		const result = await run(twoVenues, CHECK_IN, {
			items: [
				// Afternoon Yoga, in 45 minutes (London, 2 March).
				{ email: 'ben.okafor@example.com', occurredAt: at(0) },
				// Morning Pilates tomorrow 07:00 (London, 3 March); she comes at 06:40.
				{ email: 'rosa.almeida@example.com', occurredAt: at(1000) },
				// No registration: the front desk of the first active venue (Auckland, 3 March there).
				{ email: 'ana.ruiz@example.com', occurredAt: at(0) },
			],
		});
		expect(result.error).toBeUndefined();
		const [ben, rosa, ana] = result.output(NODE);
		expect(ben).toMatchObject({ status: 'checked_in', event: { id: '5550004', name: 'Afternoon Yoga' }, fallback: expect.any(String) });
		expect(rosa).toMatchObject({ status: 'checked_in', event: { id: '5550007', name: 'Morning Pilates' }, fallback: expect.any(String) });
		expect(ana).toMatchObject({ status: 'checked_in' });
		expect(ana).not.toHaveProperty('event');
		// One try of the undocumented call, then only the documented one.
		expect(await postsWithStatus()).toEqual(['/events/5550004/confirm_attendance 404', '/checkins 201', '/checkins 201', '/checkins 201']);

		const checkins = (await teamupState(twoVenues)).checkins;
		const of = (email: string) => checkins.filter((c) => c.customer === ids[email]);
		expect(of('ben.okafor@example.com')).toEqual([expect.objectContaining({ venue: 310 })]);
		expect(dayAt(of('ben.okafor@example.com')[0], LONDON)).toBe('2026-03-02');
		expect(of('rosa.almeida@example.com')).toEqual([expect.objectContaining({ venue: 310 })]);
		expect(dayAt(of('rosa.almeida@example.com')[0], LONDON)).toBe('2026-03-03');
		expect(of('ana.ruiz@example.com')).toEqual([expect.objectContaining({ venue: 305 })]);
		expect(dayAt(of('ana.ruiz@example.com')[0], AUCKLAND)).toBe('2026-03-03');
	});
});

describe('TeamUp Check In where TeamUp confirms attendance (features.confirm_attendance: not in its v2 reference)', () => {
	let confirming: RunningSandbox;
	let ids: Record<string, number>;

	beforeAll(async () => {
		confirming = await start(confirmingScenario());
		const state = await teamupState(confirming);
		ids = Object.fromEntries(state.customers.filter((c) => typeof c.email === 'string').map((c) => [String(c.email), Number(c.id)]));
	});

	afterAll(async () => {
		await confirming?.close();
	});

	beforeEach(async () => {
		// A fresh gym for every test: a confirmed attendance is not confirmed again.
		const loaded = await fetch(`${confirming.url}/__sandbox/scenario`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(confirmingScenario()) });
		expect(loaded.status).toBe(200);
		await clearRequestLog(confirming);
		await clearFaults(confirming);
	});

	const confirmingPosts = async (withStatus = false) =>
		(await requestLog(confirming)).filter((entry) => entry.method === 'POST').map((entry) => (withStatus ? `${entry.path} ${entry.status}` : entry.path));

	it('inside a registration window: confirms attendance of that registration, no check-in besides', async () => {
		// Ben is registered for Afternoon Yoga (14:45–15:45); he comes in at 14:00, 45 minutes early.
		const ben = ids['ben.okafor@example.com'];
		const result = await run(confirming, CHECK_IN, { items: [{ email: 'Ben.Okafor@Example.com', occurredAt: at(0) }] });
		expect(result.error).toBeUndefined();
		const [item] = result.output(NODE);
		expect(item).toEqual({
			status: 'attended_class',
			email: 'ben.okafor@example.com',
			customerId: String(ben),
			occurredAt: at(0),
			event: { id: '5550004', name: 'Afternoon Yoga', startsAt: at(45), endsAt: at(105) },
			attendance: expect.objectContaining({ status: 'attended', event: 5550004, customer: ben }),
		});
		expect(await confirmingPosts()).toEqual(['/events/5550004/confirm_attendance']);
		const state = await teamupState(confirming);
		const attendance = state.attendances.find((a) => a.event === 5550004 && a.customer === ben);
		expect(attendance).toMatchObject({ status: 'attended', confirmed_at: expect.any(String) });
		expect(state.checkins.filter((c) => c.customer === ben)).toEqual([]);
	});

	it('picks the earliest registration whose window contains the instant', async () => {
		// Rosa: Evening Spin 18:30–19:30 and Morning Pilates tomorrow 07:00; she comes at 18:00.
		const result = await run(confirming, CHECK_IN, { items: [{ email: 'rosa.almeida@example.com', occurredAt: at(240) }] });
		expect(result.output(NODE)[0]).toMatchObject({ status: 'attended_class', event: { id: '5550006', name: 'Evening Spin' } });
		expect(await confirmingPosts()).toEqual(['/events/5550006/confirm_attendance']);
	});

	it('narrower windows: Minutes Before Start decides whether an early arrival counts for the class', async () => {
		// Chloe: Evening Spin 18:30. At 18:00 with only 15 minutes before → no registration.
		const early = await run(confirming, { ...CHECK_IN, options: { minutesBefore: 15, onlyWithRegistration: true } }, { items: [{ email: 'chloe.martin@example.com', occurredAt: at(240) }] });
		expect(early.output(NODE)[0]).toMatchObject({ status: 'no_registration' });
		const onTime = await run(confirming, { ...CHECK_IN, options: { minutesBefore: 30 } }, { items: [{ email: 'chloe.martin@example.com', occurredAt: at(240) }] });
		expect(onTime.output(NODE)[0]).toMatchObject({ status: 'attended_class', event: { name: 'Evening Spin' } });
		expect(await confirmingPosts()).toEqual(['/events/5550006/confirm_attendance']);
	});

	it('a 400 from confirm_attendance falls back for that person only; the next registration is tried again', async () => {
		await addFault(confirming, { method: 'POST', path: '^/events/\\d+/confirm_attendance$', status: 400, times: 1 });
		const result = await run(confirming, CHECK_IN, {
			items: [
				{ email: 'chloe.martin@example.com', occurredAt: at(240) },
				{ email: 'grace.kim@example.com', occurredAt: at(240) },
			],
		});
		const [chloe, grace] = result.output(NODE);
		expect(chloe).toMatchObject({ status: 'checked_in', event: { name: 'Evening Spin' }, fallback: expect.stringMatching(/^TeamUp refused POST \/events\/\{id\}\/confirm_attendance \(400/) });
		expect(grace).toMatchObject({ status: 'attended_class', event: { name: 'Evening Spin' }, attendance: { status: 'attended' } });
		expect(await confirmingPosts(true)).toEqual(['/events/5550006/confirm_attendance 400', '/checkins 201', '/events/5550006/confirm_attendance 200']);
		const checkins = (await teamupState(confirming)).checkins.filter((c) => c.customer === ids['chloe.martin@example.com']);
		expect(checkins).toEqual([expect.objectContaining({ venue: 310 })]);
		expect(dayAt(checkins[0], LONDON)).toBe('2026-03-02');
	});
});

describe('TeamUp Check In at a venue that is not active (its only venue archived)', () => {
	let archived: RunningSandbox;

	beforeAll(async () => {
		const scenario = demoScenario();
		const teamup = scenario.teamup as IDataObject;
		const venues = (teamup.venues as IDataObject[]).map((venue) => ({ ...venue, archived: true }));
		archived = await start({ ...scenario, teamup: { ...teamup, venues } });
	});

	afterAll(async () => {
		await archived?.close();
	});

	beforeEach(async () => {
		await clearRequestLog(archived);
	});

	const sent = async () => (await requestLog(archived)).filter((entry) => entry.method !== 'GET' || entry.path.startsWith('/venues/')).map((entry) => `${entry.method} ${entry.path}`);

	it('the chosen venue’s own time zone dates the check-in (read on its own, as the active list leaves it out)', async () => {
		const result = await run(archived, { ...CHECK_IN, options: { venueId: '310' } }, { items: [{ email: 'ana.ruiz@example.com', occurredAt: at(5) }] });
		expect(result.error).toBeUndefined();
		expect(result.output(NODE)[0]).toMatchObject({ status: 'checked_in', checkin: { object: 'checkin' } });
		expect(await sent()).toEqual(['GET /venues/310', 'POST /checkins']);
	});

	it('a venue TeamUp does not know, and no active venue: refused rather than dated in a guessed zone, nothing sent (a registered person too, once TeamUp refuses confirm_attendance)', async () => {
		const result = await run(
			archived,
			{ ...CHECK_IN, options: { venueId: '999' } },
			{
				items: [
					{ email: 'ana.ruiz@example.com', occurredAt: at(5) },
					{ email: 'ben.okafor@example.com', occurredAt: at(0) },
				],
				continueOnFail: true,
			},
		);
		const [ana, ben] = result.output(NODE);
		expect(ana.error).toMatch(/^TeamUp lists no venue, so membership dates and check-in days cannot be placed in time\. Set your venue's time zone in TeamUp/);
		expect(ben.error).toBe(ana.error);
		expect(await sent()).toEqual(['GET /venues/999', 'POST /events/5550004/confirm_attendance', 'GET /venues/999']);
	});
});
