import {
	buildProfiles,
	businessZone,
	membershipStatus,
	membershipType,
	paymentBlocks,
	registrationKind,
	registrationStatus,
	remainingUsesOf,
	requireBusinessZone,
	type Json,
	type TeamUpData,
} from '../../../nodes/TeamUp/mapping/profile';
import { vendorPayload } from '../../fixtures/vendor/load';

const NOW = Date.parse('2026-03-02T14:00:00Z');
const options = { now: NOW, lookAheadHours: 24, lookBackHours: 6, includeInactive: true };

function data(partial: Partial<TeamUpData>): TeamUpData {
	return {
		customers: [],
		customerMemberships: [],
		plans: new Map(),
		usage: new Map(),
		registrationBlocks: [],
		invoices: [],
		events: new Map(),
		attendances: [],
		venues: [{ id: 310, name: 'Main Street', timezone: 'Europe/London' }],
		...partial,
	};
}

const plans = new Map<string, Json>([
	['4401', { id: 4401, name: 'Unlimited Monthly', type: 'recurring_plan' }],
	['4402', { id: 4402, name: '10 Class Pack', type: 'pack' }],
	['4404', { id: 4404, name: '3 Month Prepaid', type: 'prepaid_plan' }],
]);

const event = (id: number, name: string, startMin: number, minutes: number, extra: Json = {}): Json => ({
	id,
	name,
	starts_at: new Date(NOW + startMin * 60_000).toISOString().replace('.000Z', 'Z'),
	ends_at: new Date(NOW + (startMin + minutes) * 60_000).toISOString().replace('.000Z', 'Z'),
	is_appointment: false,
	status: 'active',
	...extra,
});

describe('TeamUp customer → access profile (docs/spec/access-rules.md §1/§6)', () => {
	const events = new Map<string, Json>(
		[
			event(5550001, 'Lunch HIIT', -120, 45),
			event(5550003, 'Lunchtime Stretch', -30, 60),
			event(5550004, 'Afternoon Yoga', 45, 60),
			event(5550005, 'Personal Training', 120, 60, { is_appointment: true }),
			event(5550006, 'Evening Spin', 270, 60),
			event(5550009, 'Early Bird', -8 * 60, 60),
			event(5550010, 'Next Week', 7 * 1440, 60),
		].map((e) => [String(e.id), e]),
	);

	const input = data({
		customers: [
			{ id: 1, first_name: 'Ana', last_name: 'Ruiz', email: 'Ana.Ruiz@Example.com' },
			{ id: 2, first_name: 'Rosa', last_name: 'Almeida', email: 'rosa@example.com' },
			{ id: 3, first_name: 'Omar', last_name: 'Haddad', email: 'omar@example.com' },
			{ id: 4, first_name: 'Kai', last_name: 'Nakamura', email: 'kai@example.com' },
			{ id: 5, first_name: 'Xena', last_name: 'Lead', email: null },
		],
		plans,
		customerMemberships: [
			{ id: 990, customer: 1, membership: 4401, status: 'active', start_date: '2025-09-03', expiration_date: null, payment_subscription: { id: 8001, retry_count: 0 }, usage_summary: null },
			{ id: 991, customer: 1, membership: 4404, status: 'completed', name: 'Old Prepaid', start_date: '2025-01-01', expiration_date: '2025-03-31' },
			{ id: 992, customer: 2, membership: 4402, status: 'active', start_date: '2026-01-31', expiration_date: '2026-05-01', usage_summary: { max_uses: 10, used_count: 7, remaining_count: 3 } },
			{ id: 993, customer: 2, membership: 4402, status: 'completed', start_date: '2025-10-01', expiration_date: '2026-01-01' },
			{ id: 994, customer: 4, membership: 4401, status: 'active', start_date: '2026-01-01', expiration_date: null, payment_subscription: { id: 8002, retry_count: 2 } },
			{ id: 995, customer: 4, membership: 4401, status: 'hold', start_date: '2025-06-01', expiration_date: null },
		],
		registrationBlocks: [{ id: 4002, customer: 4, is_active: true, created_at: '2026-02-25T14:00:00Z' }],
		// TeamUp's invoice shape (github.com/rob693/teamup-api-docs/blob/HEAD/invoices/endpoints_invoices-list.md):
		// a payer, and line items with a billed item and the kind of membership billed; nothing names
		// the customer membership.
		invoices: [
			{
				id: 6001,
				object: 'invoice',
				status: 'failed',
				payer: 4,
				due_date: '2026-02-27',
				created_at: '2026-02-25T10:00:00Z',
				line_items: [{ id: 1, object: 'invoice_line_item', billed_item: 96001, type: 'recurring_plan_membership' }],
			},
		],
		events,
		attendances: [
			{ id: 7001, customer: 2, event: 5550006, status: 'registered' },
			{ id: 7002, customer: 2, event: 5550004, status: 'attended' },
			{ id: 7003, customer: 3, event: 5550006, status: 'not_registered', waitlist_spot: { id: 1, status: 'on_waitlist' } },
			{ id: 7004, customer: 3, event: 5550005, status: 'registered' },
			{ id: 7005, customer: 3, event: 5550010, status: 'registered' },
			{ id: 7006, customer: 3, event: 5550009, status: 'no_show' },
			{ id: 7007, customer: 3, event: 5550001, status: 'late_cancelled' },
			{ id: 7008, customer: 2, event: 999, status: 'registered' },
		],
	});

	const profiles = buildProfiles(input, options);
	const byId = (id: string) => profiles.find((p) => p.sourceId === id)!;

	it('outputs one profile per customer, in the customers’ order, with source, id, email and name', () => {
		expect(profiles.map((p) => p.sourceId)).toEqual(['1', '2', '3', '4', '5']);
		expect(byId('1')).toMatchObject({ source: 'teamup', sourceId: '1', email: 'Ana.Ruiz@Example.com', name: 'Ana Ruiz' });
		expect(byId('5')).toMatchObject({ email: null, name: 'Xena Lead', memberships: [], registrations: [] });
	});

	it('maps memberships: status as TeamUp spells it, type, plan, and whole local days as instants', () => {
		expect(byId('1').memberships).toEqual([
			{
				id: '990',
				planId: '4401',
				name: 'Unlimited Monthly',
				type: 'recurring',
				status: 'active',
				// 3 Sep 2025 00:00 BST
				startsAt: '2025-09-02T23:00:00.000Z',
				expiresAt: null,
				remainingUses: null,
				blocked: false,
				blockReason: null,
				blocks: [],
			},
			{
				id: '991',
				planId: '4404',
				name: 'Old Prepaid',
				type: 'prepaid',
				status: 'completed',
				startsAt: '2025-01-01T00:00:00.000Z',
				// the day after 31 Mar 2025, 00:00 BST
				expiresAt: '2025-03-31T23:00:00.000Z',
				remainingUses: null,
				blocked: false,
				blockReason: null,
				blocks: [],
			},
		]);
	});

	it('gives packs their remaining uses from the expanded usage summary', () => {
		const [active, completed] = byId('2').memberships;
		expect(active).toMatchObject({ id: '992', type: 'pack', remainingUses: 3, expiresAt: '2026-05-01T23:00:00.000Z' });
		expect(completed).toMatchObject({ id: '993', type: 'pack', status: 'completed', remainingUses: null });
	});

	it('blocks every membership of a customer with an active registration block, and the payer’s recurring ones for a failed invoice', () => {
		const [paying, held] = byId('4').memberships;
		expect(paying.blocked).toBe(true);
		expect(paying.blockReason).toBe(
			'Registrations blocked in TeamUp since 2026-02-25; Failed payment (invoice 6001 due 2026-02-27); Payment being retried (2 retries; the invoice due 2026-02-27)',
		);
		// What the evaluator's Payment Grace Days read: the registration block is manual (dated by its
		// creation), the invoice a payment failed on its due date (00:00 in the venue's zone), and the
		// subscription's retries are dated by the invoice they retry.
		expect(paying.blocks).toEqual([
			{ kind: 'manual', since: '2026-02-25T14:00:00.000Z', reason: 'Registrations blocked in TeamUp since 2026-02-25' },
			{ kind: 'payment', since: '2026-02-27T00:00:00.000Z', reason: 'Failed payment (invoice 6001 due 2026-02-27)' },
			{ kind: 'payment', since: '2026-02-27T00:00:00.000Z', reason: 'Payment being retried (2 retries; the invoice due 2026-02-27)' },
		]);
		expect(byId('4').timeZone).toBe('Europe/London');
		// Both of Kai's memberships are recurring: the invoice cannot tell which one it bills, so both.
		expect(held).toMatchObject({
			status: 'hold',
			blocked: true,
			blockReason: 'Registrations blocked in TeamUp since 2026-02-25; Failed payment (invoice 6001 due 2026-02-27)',
		});
	});

	it('dates payment blocks for Payment Grace Days: the due date at 00:00 in the venue’s zone; a retry with no invoice has no date', () => {
		const [profile] = buildProfiles(
			data({
				venues: [{ id: 1, name: 'Midtown', timezone: 'America/New_York' }],
				customers: [{ id: 20, email: 'nia@example.com' }],
				plans,
				customerMemberships: [
					{ id: 30, customer: 20, membership: 4401, status: 'active', start_date: '2026-01-01', expiration_date: null },
					{ id: 31, customer: 20, membership: 4402, status: 'active', start_date: '2026-01-01', expiration_date: null, payment_subscription: { id: 9, retry_count: 1 } },
				],
				invoices: [{ id: 6100, status: 'retrying', payer: 20, due_date: '2026-03-27', created_at: '2026-03-20T10:00:00Z', line_items: [{ type: 'recurring_plan_membership', billed_item: 1 }] }],
			}),
			options,
		);
		expect(profile.timeZone).toBe('America/New_York');
		// 27 March 00:00 EDT.
		expect(profile.memberships[0].blocks).toEqual([{ kind: 'payment', since: '2026-03-27T04:00:00.000Z', reason: 'Payment being retried (invoice 6100 due 2026-03-27)' }]);
		// The pack's subscription is retrying, but no failed or retrying invoice bills it: TeamUp does not say since when.
		expect(profile.memberships[1].blocks).toEqual([{ kind: 'payment', since: null, reason: 'Payment being retried (1 retry)' }]);
	});

	it('a membership flagged registration-blocked gets a manual block', () => {
		const [profile] = buildProfiles(
			data({
				customers: [{ id: 21, email: 'ola@example.com' }],
				plans,
				customerMemberships: [{ id: 32, customer: 21, membership: 4401, status: 'active', start_date: '2026-01-01', expiration_date: null, registrations_blocked: true }],
			}),
			options,
		);
		expect(profile.memberships[0].blocks).toEqual([{ kind: 'manual', since: null, reason: 'Registrations blocked on this membership in TeamUp' }]);
	});

	it('keeps registrations whose session starts before now + look-ahead and ends after now − look-back, sorted by start', () => {
		expect(byId('2').registrations).toEqual([
			{ id: '7002', kind: 'class', status: 'attended', startsAt: '2026-03-02T14:45:00.000Z', endsAt: '2026-03-02T15:45:00.000Z', eventId: '5550004', eventName: 'Afternoon Yoga' },
			{ id: '7001', kind: 'class', status: 'registered', startsAt: '2026-03-02T18:30:00.000Z', endsAt: '2026-03-02T19:30:00.000Z', eventId: '5550006', eventName: 'Evening Spin' },
		]);
		const omar = byId('3').registrations;
		// Early Bird ended 7 h ago (outside the 6 h look-back), Next Week starts beyond the 24 h look-ahead.
		expect(omar.map((r) => [r.eventName, r.kind, r.status])).toEqual([
			['Lunch HIIT', 'class', 'late_cancelled'],
			['Personal Training', 'appointment', 'registered'],
			['Evening Spin', 'class', 'waitlisted'],
		]);
	});

	it('with includeInactive off keeps only customers with an active membership or a place in a session', () => {
		const active = buildProfiles(input, { ...options, includeInactive: false });
		expect(active.map((p) => p.sourceId)).toEqual(['1', '2', '3', '4']);
		const onlyCancelled = buildProfiles(
			data({
				customers: [{ id: 9, email: 'a@b.co' }],
				customerMemberships: [{ id: 1, customer: 9, membership: 4401, status: 'cancelled' }],
				events,
				attendances: [{ id: 2, customer: 9, event: 5550004, status: 'late_cancelled' }],
				plans,
			}),
			{ ...options, includeInactive: false },
		);
		expect(onlyCancelled).toEqual([]);
	});

	it('reads plan types from an expanded membership when the plan list lacks it', () => {
		const [profile] = buildProfiles(
			data({
				customers: [{ id: 1, email: 'a@b.co' }],
				customerMemberships: [{ id: 1, customer: 1, membership: { id: 77, name: 'Drop-in Pack', type: 'pack' }, status: 'active' }],
				usage: new Map([['1', { usage_periods: [{ start_date: '2026-01-01', end_date: '2026-12-31', max_uses: 5, used_count: 1, remaining_count: 4 }] }]]),
			}),
			options,
		);
		expect(profile.memberships[0]).toMatchObject({ planId: '77', name: 'Drop-in Pack', type: 'pack', remainingUses: 4, startsAt: null, expiresAt: null });
	});

	it('treats an active membership whose hold runs today as on hold', () => {
		const [profile] = buildProfiles(
			data({
				customers: [{ id: 1, email: 'a@b.co' }],
				plans,
				customerMemberships: [
					{ id: 1, customer: 1, membership: 4401, status: 'active', active_hold: { id: 3, start_date: '2026-02-20', end_date: '2026-03-10' } },
					{ id: 2, customer: 1, membership: 4401, status: 'active', active_hold: { id: 4, start_date: '2026-04-01', end_date: '2026-04-10' } },
					{ id: 3, customer: 1, membership: 4401, status: 'active', active_hold: 17 },
				],
			}),
			options,
		);
		expect(profile.memberships.map((m) => m.status)).toEqual(['hold', 'active', 'active']);
	});

	it('uses the customer’s home venue time zone when TeamUp gives one, else the first active venue', () => {
		const venues = [
			{ id: 1, name: 'Old', timezone: 'Asia/Tokyo', archived: true },
			{ id: 2, name: 'London', timezone: 'Europe/London' },
			{ id: 3, name: 'New York', timezone: 'America/New_York' },
		];
		expect(businessZone(venues)).toBe('Europe/London');
		expect(businessZone([])).toBeNull();
		const profiles = buildProfiles(
			data({
				venues,
				plans,
				customers: [
					{ id: 1, email: 'a@b.co', customer_venue: { venue: 3 } },
					{ id: 2, email: 'c@d.co' },
				],
				customerMemberships: [
					{ id: 10, customer: 1, membership: 4401, status: 'active', start_date: '2026-03-01', expiration_date: '2026-03-31' },
					{ id: 11, customer: 2, membership: 4401, status: 'active', start_date: '2026-03-01', expiration_date: '2026-03-31' },
				],
			}),
			options,
		);
		expect(profiles[0].memberships[0]).toMatchObject({ startsAt: '2026-03-01T05:00:00.000Z', expiresAt: '2026-04-01T04:00:00.000Z' });
		expect(profiles[1].memberships[0]).toMatchObject({ startsAt: '2026-03-01T00:00:00.000Z', expiresAt: '2026-03-31T23:00:00.000Z' });
	});
});

describe('without a time zone from TeamUp nothing is guessed', () => {
	const customer = { customers: [{ id: 1, email: 'a@b.co' }], plans, customerMemberships: [{ id: 1, customer: 1, membership: 4401, status: 'active', start_date: '2026-03-01' }] };

	it('no venue: refused, saying what is missing and how to fix it', () => {
		expect(() => requireBusinessZone([])).toThrow(
			"TeamUp lists no venue, so membership dates and check-in days cannot be placed in time. Set your venue's time zone in TeamUp (an IANA zone such as Europe/London) and run again",
		);
		expect(() => buildProfiles(data({ ...customer, venues: [] }), options)).toThrow('TeamUp lists no venue');
	});

	it('venues without a time zone, or with one that is not a zone: refused, naming what TeamUp gave', () => {
		expect(() => buildProfiles(data({ ...customer, venues: [{ id: 1, name: 'Main' }] }), options)).toThrow("TeamUp's venue has no time zone");
		expect(() => requireBusinessZone([{ id: 1 }, { id: 2, timezone: '' }])).toThrow("None of TeamUp's 2 venues has a time zone");
		expect(() => requireBusinessZone([{ id: 1, timezone: 'Mars/Olympus' }])).toThrow('No TeamUp venue has a valid time zone (TeamUp gave "Mars/Olympus")');
	});

	it('one venue with a zone is enough, archived or not; the active one wins', () => {
		expect(requireBusinessZone([{ id: 1, timezone: 'nowhere' }, { id: 2, timezone: 'Europe/Berlin', archived: true }])).toBe('Europe/Berlin');
		expect(requireBusinessZone([{ id: 1, timezone: 'Asia/Tokyo', archived: true }, { id: 2, timezone: 'Europe/Berlin' }])).toBe('Europe/Berlin');
	});
});

describe('whole days across DST (Europe/London)', () => {
	const profileFor = (start: string, expiration: string) =>
		buildProfiles(
			data({
				customers: [{ id: 1, email: 'a@b.co' }],
				plans,
				customerMemberships: [{ id: 1, customer: 1, membership: 4401, status: 'active', start_date: start, expiration_date: expiration }],
			}),
			options,
		)[0].memberships[0];

	it.each([
		// start date, expiration date, startsAt, expiresAt
		['2026-03-28', '2026-03-28', '2026-03-28T00:00:00.000Z', '2026-03-29T00:00:00.000Z'], // the day before the change: 24 h
		['2026-03-29', '2026-03-29', '2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z'], // clocks go forward: a 23 h day
		['2026-10-25', '2026-10-25', '2026-10-24T23:00:00.000Z', '2026-10-26T00:00:00.000Z'], // clocks go back: a 25 h day
		['2026-01-01', '2026-06-30', '2026-01-01T00:00:00.000Z', '2026-06-30T23:00:00.000Z'],
	])('start %s, expiration %s → %s … %s', (start, expiration, startsAt, expiresAt) => {
		expect(profileFor(start, expiration)).toMatchObject({ startsAt, expiresAt });
	});

	it('accepts full timestamps in date fields (the other reading) as instants', () => {
		expect(profileFor('2026-03-01T10:00:00+01:00', '2026-03-31T22:00:00Z')).toMatchObject({
			startsAt: '2026-03-01T09:00:00.000Z',
			expiresAt: '2026-03-31T22:00:00.000Z',
		});
	});
});

describe('vocabulary', () => {
	it.each([
		['recurring_plan', 'recurring'],
		['prepaid_plan', 'prepaid'],
		['pack', 'pack'],
		['Recurring', 'recurring'],
		[null, null],
		['something_new', 'something_new'],
	])('plan type %p → %p', (raw, expected) => {
		expect(membershipType(raw)).toBe(expected);
	});

	it.each([
		['active', 'active'],
		['hold', 'hold'],
		['completed', 'completed'],
		['complete', 'completed'],
		['cancelled', 'cancelled'],
		['CANCELED', 'cancelled'],
	])('membership status %p → %p', (raw, expected) => {
		expect(membershipStatus(raw)).toBe(expected);
	});

	it.each([
		[{ status: 'registered' }, undefined, 'registered'],
		[{ status: 'attended' }, undefined, 'attended'],
		[{ status: 'no_show' }, undefined, 'no_show'],
		[{ status: 'late_cancelled' }, undefined, 'late_cancelled'],
		[{ status: 'not_registered' }, undefined, 'not_registered'],
		// waitlisted, reading 1: not_registered + waitlist spot
		[{ status: 'not_registered', waitlist_spot: { status: 'on_waitlist' } }, undefined, 'waitlisted'],
		[{ status: 'not_registered', waitlist_spot: { status: 'spot_reserved' } }, undefined, 'waitlisted'],
		[{ status: 'not_registered', waitlist_spot: { status: 'expired' } }, undefined, 'not_registered'],
		[{ status: 'not_registered', waitlist_spot: 5 }, undefined, 'waitlisted'],
		// reading 2: the status says so
		[{ status: 'waitlisted' }, undefined, 'waitlisted'],
		[{ status: 'on_waitlist' }, undefined, 'waitlisted'],
		// a cancelled event cancels the registration
		[{ status: 'registered' }, { status: 'cancelled' }, 'cancelled'],
	])('attendance %j (event %j) → %p', (attendance, evt, expected) => {
		expect(registrationStatus(attendance, evt)).toBe(expected);
	});

	it('reads the kind from is_appointment (boolean or string) and course sessions', () => {
		expect(registrationKind({ is_appointment: false })).toBe('class');
		expect(registrationKind({ is_appointment: true })).toBe('appointment');
		expect(registrationKind({ is_appointment: 'True' })).toBe('appointment');
		expect(registrationKind({ is_appointment: 'false' })).toBe('class');
		expect(registrationKind({ course: 12 }, false)).toBe('course');
		expect(registrationKind({}, true)).toBe('course');
	});
});

describe('pack usage shapes', () => {
	it.each([
		[{ max_uses: 10, used_count: 7, remaining_count: 3 }, 3],
		[{ max_uses: 10, used_count: 10 }, 0],
		[{ max_uses: null, used_count: 4, remaining_count: null }, null],
		[{ usage_periods: [{ start_date: '2026-01-01', end_date: '2026-01-31', remaining_count: 0 }, { start_date: '2026-03-01', end_date: '2026-03-31', remaining_count: 6 }] }, 6],
		[[{ start_date: '2025-01-01', end_date: '2025-12-31', remaining_count: 2 }], 2],
		[{ usage_periods: [] }, undefined],
		[null, undefined],
		[{ something: 1 }, undefined],
	])('%j → %p', (usage, expected) => {
		expect(remainingUsesOf(usage, '2026-03-02')).toBe(expected);
	});
});

describe('payment blocks: invoices in the shape of TeamUp’s reference', () => {
	// The reference's example (results[0] of github.com/rob693/teamup-api-docs/blob/HEAD/invoices/endpoints_invoices-list.md):
	// status "open", one "flat_fee" line item.
	const reference = vendorPayload<Json>('teamup', 'invoice');
	const lineItem = (reference.line_items as Json[])[0];
	/** The reference invoice with other values (the shape stays TeamUp's). */
	const invoice = (id: number, status: string, payer: number | Json | null, lines?: Json[], extra: Json = {}): Json => {
		const out: Json = { ...reference, id, status, payer, due_date: '2026-02-27', ...extra };
		if (lines === undefined) delete out.line_items;
		else out.line_items = lines.map((line, n) => ({ ...lineItem, id: id * 10 + n, ...line }));
		return out;
	};
	const line = (type: string, billed_item: unknown = 0): Json => ({ type, billed_item });
	const plansById = new Map<string, Json>([
		['4401', { id: 4401, name: 'Unlimited Monthly', type: 'recurring_plan' }],
		['4405', { id: 4405, name: 'Off-Peak Monthly', type: 'recurring_plan' }],
		['4402', { id: 4402, name: '10 Class Pack', type: 'pack' }],
		['4404', { id: 4404, name: '3 Month Prepaid', type: 'prepaid_plan' }],
	]);
	const memberships: Json[] = [
		{ id: 1, customer: 10, membership: 4401, status: 'active', payment_subscription: 100 },
		{ id: 2, customer: 10, membership: 4402, status: 'active', payment_subscription: null },
		{ id: 3, customer: 10, membership: 4405, status: 'cancelled' },
		{ id: 4, customer: 11, membership: 4401, status: 'active' },
		{ id: 5, customer: 12, membership: 4404, status: 'active', payment_subscription: { id: 5, retry_count: 1 } },
	];
	const blocked = (invoices: Json[], cms: Json[] = memberships, customers?: Json[]) =>
		Object.fromEntries([...paymentBlocks(invoices, cms, { plans: plansById, customers })].map(([id, blocks]) => [id, blocks.map((b) => b.reason)]));

	it('the reference example itself (an open invoice) blocks nothing', () => {
		expect(blocked([reference])).toEqual({ '5': ['Payment being retried (1 retry)'] });
	});

	it('a failed recurring-plan invoice blocks the payer’s recurring memberships, not their pack, not other people', () => {
		expect(blocked([invoice(7, 'failed', 10, [line('recurring_plan_membership')])])).toEqual({
			'1': ['Failed payment (invoice 7 due 2026-02-27)'],
			'3': ['Failed payment (invoice 7 due 2026-02-27)'],
			'5': ['Payment being retried (1 retry)'],
		});
	});

	it.each([
		['failed', 'Failed payment'],
		['retry_failed', 'Failed payment'],
		['retrying', 'Payment being retried'],
	])('status %s → "%s", with the invoice’s due date (created date when it has none)', (status, text) => {
		const blocks = paymentBlocks([invoice(8, status, 11, [line('recurring_plan_membership')])], memberships, { plans: plansById });
		expect(blocks.get('4')).toEqual([{ kind: 'payment', reason: `${text} (invoice 8 due 2026-02-27)`, date: '2026-02-27', at: null }]);
		const undated = paymentBlocks([invoice(9, status, 11, [line('recurring_plan_membership')], { due_date: null, created_at: '2026-02-20T09:00:00Z' })], memberships, { plans: plansById });
		expect(undated.get('4')).toEqual([{ kind: 'payment', reason: `${text} (invoice 9 created 2026-02-20)`, date: null, at: '2026-02-20T09:00:00.000Z' }]);
	});

	it.each(['open', 'paid', 'pending_offline', 'pending', 'voided', 'upcoming', 'draft', 'skipped'])('status %s blocks nothing', (status) => {
		expect(blocked([invoice(7, status, 10, [line('recurring_plan_membership')])], memberships.slice(0, 4))).toEqual({});
	});

	it('a pack or prepaid line item blocks only the payer’s memberships of that kind', () => {
		expect(blocked([invoice(7, 'failed', 10, [line('pack_membership')])], memberships.slice(0, 4))).toEqual({ '2': ['Failed payment (invoice 7 due 2026-02-27)'] });
		expect(blocked([invoice(7, 'failed', 12, [line('prepaid_plan_membership')])], memberships.slice(4))).toEqual({
			'5': ['Failed payment (invoice 7 due 2026-02-27)', 'Payment being retried (1 retry; the invoice due 2026-02-27)'],
		});
	});

	it('a line item of a kind the payer holds none of blocks all of the payer’s memberships (fail closed)', () => {
		expect(Object.keys(blocked([invoice(7, 'failed', 11, [line('pack_membership')])], memberships.slice(0, 4)))).toEqual(['4']);
	});

	it('membership fees of any kind, flat fees and unknown line-item types block all of the payer’s memberships', () => {
		for (const type of ['membership_penalty_fee', 'joining_fee', 'flat_fee', 'something_new']) {
			expect({ type, blocked: Object.keys(blocked([invoice(7, 'failed', 10, [line(type)])], memberships.slice(0, 4))).sort() }).toEqual({ type, blocked: ['1', '2', '3'] });
		}
	});

	it('an invoice for a class, a course, the shop or a gift card blocks no membership', () => {
		for (const type of ['event_registration', 'course', 'course_session', 'store_order', 'gift_card']) {
			expect({ type, blocked: blocked([invoice(7, 'failed', 10, [line(type)])], memberships.slice(0, 4)) }).toEqual({ type, blocked: {} });
		}
		// An expanded billed item that says it is a membership wins over the line-item type: blocked.
		expect(Object.keys(blocked([invoice(7, 'failed', 10, [line('event_registration', { id: 5, name: 'X', type: 'billed_membership' })])], memberships.slice(0, 4)))).toEqual(['1', '2', '3']);
	});

	it('line items not expanded (absent) or empty: all of the payer’s memberships', () => {
		expect(Object.keys(blocked([invoice(7, 'failed', 10)], memberships.slice(0, 4))).sort()).toEqual(['1', '2', '3']);
		expect(Object.keys(blocked([invoice(7, 'retrying', 10, [])], memberships.slice(0, 4))).sort()).toEqual(['1', '2', '3']);
	});

	it('an expanded payer ({id, name}) is read like an id; no payer blocks nothing', () => {
		expect(Object.keys(blocked([invoice(7, 'failed', { id: 11, name: 'Bo Bell' }, [line('recurring_plan_membership')])], memberships.slice(0, 4)))).toEqual(['4']);
		expect(blocked([invoice(7, 'failed', null, [line('recurring_plan_membership')])], memberships.slice(0, 4))).toEqual({});
	});

	describe('billed_item narrows the block when it identifies one of the payer’s memberships (undocumented: both readings)', () => {
		const recurring = (billed: unknown) => blocked([invoice(7, 'failed', 10, [line('recurring_plan_membership', billed)])], memberships.slice(0, 4));

		it('expanded {id, name, type}: the name of the membership or its plan narrows it', () => {
			expect(Object.keys(recurring({ id: 880001, name: 'Unlimited Monthly', type: 'billed_membership' }))).toEqual(['1']);
			expect(Object.keys(recurring({ id: 880001, name: 'off-peak  monthly', type: 'billed_membership' }))).toEqual(['3']);
			// A name with more in it (a period) still names the plan.
			expect(Object.keys(recurring({ id: 880001, name: 'Unlimited Monthly (March 2026)', type: 'billed_membership' }))).toEqual(['1']);
		});

		it('an id equal to the customer membership’s or its plan’s narrows it when there is no name', () => {
			expect(Object.keys(recurring(3))).toEqual(['3']);
			expect(Object.keys(recurring(4401))).toEqual(['1']);
		});

		it('nothing identified (another id space, another name): every membership of that kind stays blocked', () => {
			expect(Object.keys(recurring(880001)).sort()).toEqual(['1', '3']);
			expect(Object.keys(recurring({ id: 880001, name: 'Something Else', type: 'billed_membership' })).sort()).toEqual(['1', '3']);
		});
	});

	describe('families: a family manager pays for the family', () => {
		const family: Json[] = [
			{ id: 20, first_name: 'Pat', family: 7, family_role: 'manager' },
			{ id: 21, first_name: 'Kim', family: 7, family_role: 'child' },
			{ id: 22, first_name: 'Lou', family: 7, family_role: 'child' },
			{ id: 23, first_name: 'Sol', family: null, family_role: null },
		];
		const cms: Json[] = [
			{ id: 31, customer: 21, membership: 4401, status: 'active' },
			{ id: 32, customer: 22, membership: 4402, status: 'active' },
			{ id: 33, customer: 23, membership: 4401, status: 'active' },
			{ id: 34, customer: 20, membership: 4401, status: 'active' },
		];

		it('an invoice paid by the manager blocks the family’s memberships of that kind', () => {
			expect(Object.keys(blocked([invoice(7, 'failed', 20, [line('recurring_plan_membership')])], cms, family)).sort()).toEqual(['31', '34']);
			expect(Object.keys(blocked([invoice(7, 'failed', 20, [line('recurring_plan_membership', { id: 1, name: 'Unlimited Monthly', type: 'billed_membership' })])], cms, family)).sort()).toEqual(['31', '34']);
		});

		it('an invoice paid by a child blocks only the child’s', () => {
			expect(Object.keys(blocked([invoice(7, 'failed', 22, [line('pack_membership')])], cms, family))).toEqual(['32']);
		});
	});
});
