/**
 * TeamUp's own example payloads (test/fixtures/vendor/teamup, from TeamUp's v2 reference) through
 * the Access Profile mapping, the evaluator and the Check In logic: the code reads the vendor's
 * shapes, not shapes of its own invention.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { evaluateWithParameters, resolveParameters } from '../../../nodes/AccessRuleEvaluator/engine';
import { checkinBody, selectRegistration } from '../../../nodes/TeamUp/mapping/checkIn';
import { buildProfiles, type Json, type TeamUpData } from '../../../nodes/TeamUp/mapping/profile';
import { vendorFixture, vendorPayload } from '../../fixtures/vendor/load';

const fixture = (name: string) => vendorPayload<Json>('teamup', name);

// The reference's examples all use id 0 and the same instant, so they refer to one another:
// customer 0 holds customer membership 0 of plan 0, is on the waitlist (attendance 0) of event 0 at
// venue 0, has registration block 0 and pays invoice 0.
const EVENT_AT = '2024-07-29T15:51:28.071Z';
const NOW = Date.parse('2024-07-29T12:00:00Z');
const options = { now: NOW, lookAheadHours: 24, lookBackHours: 6, includeInactive: true };

function referenceData(changes: Partial<TeamUpData> = {}): TeamUpData {
	const event = fixture('event');
	return {
		customers: [fixture('customer')],
		customerMemberships: [fixture('customer-membership')],
		plans: new Map([['0', fixture('membership')]]),
		usage: new Map([['0', fixture('customer-membership-usage')]]),
		registrationBlocks: [fixture('customer-registration-block')],
		invoices: [fixture('invoice')],
		events: new Map([['0', event]]),
		attendances: [fixture('attendance')],
		// The reference's venue has the placeholder "string" as its timezone, which is no zone (refused:
		// see below); UTC stands in for a real one.
		venues: [{ ...fixture('venue'), timezone: 'UTC' }],
		...changes,
	};
}

describe('the TeamUp fixtures', () => {
	it('each says where in TeamUp’s reference it comes from', () => {
		const names = readdirSync(join(__dirname, '../../fixtures/vendor/teamup')).filter((file) => file.endsWith('.json'));
		expect(names.length).toBeGreaterThanOrEqual(11);
		for (const name of names) {
			const { _source: source } = vendorFixture('teamup', name.replace(/\.json$/, ''));
			expect({ name, url: source.url }).toEqual({
				name,
				url: expect.stringMatching(/^https:\/\/github\.com\/rob693\/teamup-api-docs\/blob\/[0-9a-f]{40}\/(\w+\/)?endpoints_[\w-]+\.md$/),
			});
		}
	});
});

describe('Access Profile mapping of the reference examples', () => {
	it('the reference venue as it is, whose timezone is the placeholder "string", gives no time zone: refused, naming it', () => {
		expect(() => buildProfiles(referenceData({ venues: [fixture('venue')] }), options)).toThrow('No TeamUp venue has a valid time zone (TeamUp gave "string")');
	});

	it('customer, customer membership, plan, usage, registration block, event and waitlisted attendance make one profile', () => {
		const [profile] = buildProfiles(referenceData(), options);
		expect(profile).toEqual({
			source: 'teamup',
			sourceId: '0',
			email: 'string',
			name: 'string string',
			memberships: [
				{
					id: '0',
					planId: '0',
					name: 'string',
					type: 'pack',
					status: 'active',
					// Whole days in the venue's time zone (UTC here).
					startsAt: '2024-07-29T00:00:00.000Z',
					expiresAt: '2024-07-30T00:00:00.000Z',
					// usage_periods[0].remaining_count
					remainingUses: 0,
					blocked: true,
					// The open invoice blocks nothing; the active registration block does.
					blockReason: 'Registrations blocked in TeamUp since 2024-07-29',
					// A registration block is a manual block (never Payment Grace Days), dated by its created_at.
					blocks: [{ kind: 'manual', since: '2024-07-29T15:51:28.071Z', reason: 'Registrations blocked in TeamUp since 2024-07-29' }],
				},
			],
			registrations: [{ id: '0', kind: 'class', status: 'waitlisted', startsAt: EVENT_AT, endsAt: EVENT_AT, eventId: '0', eventName: 'string' }],
			timeZone: 'UTC',
		});
	});

	it('the reference invoice made failed (a flat fee: a charge on any membership) blocks the payer’s membership, with its due date', () => {
		const failed = { ...fixture('invoice'), status: 'failed' };
		const [profile] = buildProfiles(referenceData({ invoices: [failed], registrationBlocks: [] }), options);
		expect(profile.memberships[0]).toMatchObject({
			blocked: true,
			blockReason: 'Failed payment (invoice 0 due 2024-07-29)',
			// A payment block, failed on its due date (00:00 in the venue's zone, UTC here).
			blocks: [{ kind: 'payment', since: '2024-07-29T00:00:00.000Z', reason: 'Failed payment (invoice 0 due 2024-07-29)' }],
		});
		// Retrying, with its line item typed as the pack it bills.
		const invoice = fixture('invoice');
		const retrying = { ...invoice, status: 'retrying', line_items: [{ ...(invoice.line_items as Json[])[0], type: 'pack_membership' }] };
		const [again] = buildProfiles(referenceData({ invoices: [retrying], registrationBlocks: [] }), options);
		expect(again.memberships[0]).toMatchObject({ blocked: true, blockReason: 'Payment being retried (invoice 0 due 2024-07-29)' });
		// Its line item typed as a class booking: no membership is blocked.
		const booking = { ...invoice, status: 'failed', line_items: [{ ...(invoice.line_items as Json[])[0], type: 'event_registration' }] };
		const [free] = buildProfiles(referenceData({ invoices: [booking], registrationBlocks: [] }), options);
		expect(free.memberships[0]).toMatchObject({ blocked: false, blockReason: null });
	});

	// The example's email is the placeholder "string": a real one for the evaluator.
	const customer = { ...fixture('customer'), email: 'ana@example.com' };

	it('the evaluator denies the reference customer: the pack is used up and blocked, a waitlist place is no registration', () => {
		const profiles = buildProfiles(referenceData({ customers: [customer] }), options);
		const [{ decision }] = evaluateWithParameters(profiles, resolveParameters({ grantOnRegistrations: true, evaluationTime: new Date(NOW).toISOString() }));
		expect(decision.access).toBe('deny');
		expect(decision.denials.map((d) => d.code)).toEqual(expect.arrayContaining(['PACK_USED_UP', 'MEMBERSHIP_BLOCKED']));
	});

	it('the usage example with uses left, and the attendance as a registration, grant access', () => {
		const usage = fixture('customer-membership-usage');
		(usage.usage_periods as Json[])[0] = { ...(usage.usage_periods as Json[])[0], end_date: '2024-08-31', remaining_count: 4, used_count: 6, max_uses: 10 };
		const attendance: Json = { ...fixture('attendance'), status: 'registered' };
		delete attendance.waitlist_spot;
		const profiles = buildProfiles(
			referenceData({ customers: [customer], usage: new Map([['0', usage]]), registrationBlocks: [], attendances: [attendance], customerMemberships: [{ ...fixture('customer-membership'), expiration_date: '2024-08-31' }] }),
			options,
		);
		expect(profiles[0].memberships[0]).toMatchObject({ remainingUses: 4, blocked: false });
		expect(profiles[0].registrations[0]).toMatchObject({ status: 'registered', kind: 'class' });
		const [{ decision }] = evaluateWithParameters(profiles, resolveParameters({ grantOnRegistrations: true, evaluationTime: new Date(NOW).toISOString() }));
		expect(decision).toMatchObject({ access: 'allow', activeNow: true });
	});
});

describe('Check In logic on the reference examples', () => {
	const events = new Map([['0', fixture('event')]]);
	const at = Date.parse(EVENT_AT) - 30 * 60_000;

	it('a waitlisted attendance (the example) is no place in the class; a registered one is chosen', () => {
		expect(selectRegistration([fixture('attendance')], events, at, { minutesBefore: 60, minutesAfter: 60 })).toBeUndefined();
		const registered = { ...fixture('attendance'), status: 'registered', waitlist_spot: null };
		expect(selectRegistration([registered], events, at, { minutesBefore: 60, minutesAfter: 60 })).toMatchObject({ eventId: '0', status: 'registered', startsAt: EVENT_AT });
	});

	it('the check-in body has the reference request’s fields and a calendar date, the venue’s local day', () => {
		const reference = fixture('checkin-create-request');
		const body = checkinBody({ customer: 0, venue: 0, atMs: Date.parse('2024-07-29T15:51:28Z'), zone: 'Europe/London' });
		expect(Object.keys(body).every((key) => key in reference)).toBe(true);
		expect(body).toEqual({ date: reference.date, venue: reference.venue, customer: reference.customer });
		// 23:30 UTC on 29 July is 00:30 on 30 July in London (BST).
		expect(checkinBody({ customer: 1, venue: 2, atMs: Date.parse('2024-07-29T23:30:00Z'), zone: 'Europe/London' }).date).toBe('2024-07-30');
		expect(checkinBody({ customer: 1, venue: 2, atMs: Date.parse('2024-07-29T23:30:00Z'), zone: 'UTC' }).date).toBe('2024-07-29');
	});
});
