/**
 * Hold Keeps Bookings (docs/spec/access-rules.md §3.2 rule 4, issue 19): off (the default), a person
 * whose membership is on hold and who has no other active membership does not get in through their
 * bookings during the hold; on, they do.
 */
import { codes, membership, one, profile, registration, run } from './helpers';

const ON = { grantOnRegistrations: true };
const held = (extra: Record<string, unknown> = {}) => membership({ id: 'h1', name: 'Unlimited Monthly', status: 'hold', ...extra });
const yoga = () => registration({ id: 'r1', eventName: 'Afternoon Yoga', startsAt: '2026-03-02T14:45:00Z', endsAt: '2026-03-02T15:45:00Z' });

describe('a membership on hold and a booking', () => {
	it('off (default): the booking does not open the door, and the registration says why', () => {
		const d = one(profile({ memberships: [held()], registrations: [yoga()] }), ON);
		expect(d).toMatchObject({ access: 'deny', reasons: [], windows: [] });
		expect(codes(d.denials)).toEqual(['NO_ACTIVE_MEMBERSHIP', 'MEMBERSHIP_ON_HOLD', 'NO_UPCOMING_REGISTRATION', 'REGISTRATION_DURING_HOLD']);
		expect(d.denials[3]).toEqual({
			code: 'REGISTRATION_DURING_HOLD',
			registrationId: 'r1',
			message:
				'Afternoon Yoga (class, 2026-03-02T14:45:00.000Z): Unlimited Monthly is on hold (status hold) and no other membership is active, and Hold Keeps Bookings is off',
		});
	});

	it('on: the booking opens the door around its session, as before the option existed', () => {
		const d = one(profile({ memberships: [held()], registrations: [yoga()] }), { ...ON, holdKeepsBookings: true });
		expect(d).toMatchObject({ access: 'allow', activeNow: true, validFrom: '2026-03-02T13:45:00.000Z', validUntil: '2026-03-02T16:45:00.000Z' });
		expect(codes(d.reasons)).toEqual(['REGISTRATION_WINDOW']);
		expect(codes(d.denials)).toEqual(['NO_ACTIVE_MEMBERSHIP', 'MEMBERSHIP_ON_HOLD']);
	});

	it('Glofox PAUSED is a hold too', () => {
		const item = profile({ memberships: [held({ status: 'PAUSED', type: 'time' })], registrations: [yoga()] });
		expect(one(item, ON).access).toBe('deny');
		expect(one(item, { ...ON, holdKeepsBookings: true }).access).toBe('allow');
	});

	it('a scheduled booking (tomorrow) is held back too', () => {
		const tomorrow = registration({ startsAt: '2026-03-03T07:00:00Z', endsAt: '2026-03-03T08:00:00Z' });
		expect(one(profile({ memberships: [held()], registrations: [tomorrow] }), ON).access).toBe('deny');
	});

	it('in a registrations-only tier (Grant On Active Membership off) the hold still keeps the bookings shut', () => {
		const d = one(profile({ memberships: [held()], registrations: [yoga()] }), { ...ON, grantOnMembership: false });
		expect(d.access).toBe('deny');
		expect(codes(d.denials)).toEqual(['NO_UPCOMING_REGISTRATION', 'REGISTRATION_DURING_HOLD']);
	});
});

describe('who counts as on hold', () => {
	it('a person with another active membership is not frozen: the booking counts as usual', () => {
		const pack = membership({ id: 'p1', name: '10 Class Pack', type: 'pack', remainingUses: 0 });
		const d = one(profile({ memberships: [held(), pack], registrations: [yoga()] }), ON);
		expect(d.access).toBe('allow');
		expect(codes(d.reasons)).toEqual(['REGISTRATION_WINDOW']);
		expect(codes(d.denials)).not.toContain('REGISTRATION_DURING_HOLD');
	});

	it('another membership that has expired or not started does not count: still on hold', () => {
		for (const other of [membership({ expiresAt: '2026-03-01T00:00:00Z' }), membership({ startsAt: '2026-04-01T00:00:00Z', expiresAt: null })]) {
			expect(one(profile({ memberships: [held(), other], registrations: [yoga()] }), ON).access).toBe('deny');
		}
	});

	it('no membership at all (pay-as-you-go) or a cancelled one: bookings grant as before', () => {
		expect(one(profile({ registrations: [yoga()] }), ON).access).toBe('allow');
		expect(one(profile({ memberships: [membership({ status: 'cancelled' })], registrations: [yoga()] }), ON).access).toBe('allow');
	});

	it('judged per profile: of two people sharing an e-mail, the one not on hold still gets in through their booking', () => {
		const out = run(
			[
				profile({ sourceId: 'a', email: 'family@example.com', memberships: [held()], registrations: [yoga()] }),
				profile({ sourceId: 'b', email: 'family@example.com', registrations: [registration({ id: 'r2' })] }),
			],
			ON,
		);
		expect(out[0].decision).toMatchObject({ access: 'allow', reasons: [{ code: 'REGISTRATION_WINDOW', registrationId: 'r2' }, { code: 'DUPLICATE_EMAIL' }] });
	});
});
