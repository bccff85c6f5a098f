import { codes, membership, one, profile, registration } from './helpers';

const ON = { grantOnRegistrations: true };

describe('§3.2 registrations that grant', () => {
	it('a class at 15:00 opens the door from 14:00 to 17:00 (60/60 minutes)', () => {
		const d = one(profile({ registrations: [registration({ id: '7001' })] }), ON);
		expect(d).toMatchObject({
			access: 'allow',
			activeNow: true,
			validFrom: '2026-03-02T14:00:00.000Z',
			validUntil: '2026-03-02T17:00:00.000Z',
			windows: [{ from: '2026-03-02T14:00:00.000Z', until: '2026-03-02T17:00:00.000Z', basis: 'registration', refId: '7001' }],
		});
		expect(d.reasons).toEqual([
			{
				code: 'REGISTRATION_WINDOW',
				registrationId: '7001',
				message: 'Registered for Morning Yoga (class, 2026-03-02T15:00:00.000Z): access now from 2026-03-02T14:00:00.000Z until 2026-03-02T17:00:00.000Z',
			},
		]);
		expect(d.denials).toEqual([{ code: 'NO_ACTIVE_MEMBERSHIP', message: 'No membership' }]);
	});

	it('a window that opens later within the look-ahead is scheduled', () => {
		const d = one(profile({ registrations: [registration()] }), { ...ON, minutesBefore: 30 });
		expect(d).toMatchObject({ access: 'allow', activeNow: false, validFrom: '2026-03-02T14:30:00.000Z', validUntil: '2026-03-02T17:00:00.000Z' });
		expect(d.reasons[0].message).toMatch(/: access scheduled from 2026-03-02T14:30:00.000Z/);
	});

	it('minutes before/after 0: the session itself', () => {
		const d = one(profile({ registrations: [registration({ startsAt: '2026-03-02T13:30:00Z', endsAt: '2026-03-02T14:30:00Z' })] }), { ...ON, minutesBefore: 0, minutesAfter: 0 });
		expect(d).toMatchObject({ validFrom: '2026-03-02T13:30:00.000Z', validUntil: '2026-03-02T14:30:00.000Z', activeNow: true });
	});

	it('fractional minutes are exact', () => {
		const d = one(profile({ registrations: [registration()] }), { ...ON, minutesBefore: 61.5, minutesAfter: 0.25 });
		expect(d).toMatchObject({ validFrom: '2026-03-02T13:58:30.000Z', validUntil: '2026-03-02T16:00:15.000Z' });
	});

	it('attended keeps access for the rest of the window', () => {
		const d = one(profile({ registrations: [registration({ status: 'attended', startsAt: '2026-03-02T13:00:00Z', endsAt: '2026-03-02T14:00:00Z' })] }), ON);
		expect(d).toMatchObject({ access: 'allow', activeNow: true, validUntil: '2026-03-02T15:00:00.000Z' });
		expect(d.reasons[0].message).toMatch(/^Attended Morning Yoga/);
	});

	it.each(['registered', 'REGISTERED', 'BOOKED', 'attended'])('status %s grants', (status) => {
		expect(one(profile({ registrations: [registration({ status })] }), ON).access).toBe('allow');
	});

	it.each(['class', 'appointment', 'course', 'Course'])('kind %s grants with the default kinds', (kind) => {
		expect(one(profile({ registrations: [registration({ kind })] }), ON).access).toBe('allow');
	});

	it('a session without duration still gets the minutes around it', () => {
		const d = one(profile({ registrations: [registration({ startsAt: '2026-03-02T15:00:00Z', endsAt: '2026-03-02T15:00:00Z' })] }), ON);
		expect(d).toMatchObject({ validFrom: '2026-03-02T14:00:00.000Z', validUntil: '2026-03-02T16:00:00.000Z' });
	});

	it('a session without duration and 0/0 minutes has no window, and says so', () => {
		const d = one(profile({ registrations: [registration({ id: 'z', startsAt: '2026-03-02T15:00:00Z', endsAt: '2026-03-02T15:00:00Z' })] }), { ...ON, minutesBefore: 0, minutesAfter: 0 });
		expect(d.access).toBe('deny');
		expect(d.denials[2]).toMatchObject({ code: 'NO_UPCOMING_REGISTRATION', registrationId: 'z', message: expect.stringMatching(/no duration/) });
	});
});

describe('§3.2 registrations that do not grant', () => {
	it.each([
		['cancelled', 'REGISTRATION_CANCELLED'],
		['canceled', 'REGISTRATION_CANCELLED'],
		['CANCELED', 'REGISTRATION_CANCELLED'],
		['late_cancelled', 'REGISTRATION_CANCELLED'],
		['not_registered', 'REGISTRATION_CANCELLED'],
		['no_show', 'REGISTRATION_NO_SHOW'],
	])('%s → %s', (status, code) => {
		const d = one(profile({ registrations: [registration({ id: 'r', status })] }), ON);
		expect(d.access).toBe('deny');
		expect(d.denials).toEqual([
			{ code: 'NO_ACTIVE_MEMBERSHIP', message: 'No membership' },
			{ code: 'NO_UPCOMING_REGISTRATION', message: 'No registration within the next 24 hours' },
			{ code, registrationId: 'r', message: expect.stringContaining(`(status ${status})`) },
		]);
	});

	it('waitlisted without Count Waitlisted does not grant (reported as not an upcoming registration)', () => {
		const d = one(profile({ registrations: [registration({ id: 'w', status: 'waitlisted' })] }), ON);
		expect(d.access).toBe('deny');
		expect(d.denials[2]).toEqual({
			code: 'NO_UPCOMING_REGISTRATION',
			registrationId: 'w',
			message: 'Morning Yoga (class, 2026-03-02T15:00:00.000Z): waitlisted, and Count Waitlisted is off (status waitlisted)',
		});
	});

	it('waitlisted with Count Waitlisted grants', () => {
		const d = one(profile({ registrations: [registration({ status: 'WAITING' })] }), { ...ON, countWaitlisted: true });
		expect(d.access).toBe('allow');
		expect(d.reasons[0].message).toMatch(/^Waitlisted for \(Count Waitlisted is on\) Morning Yoga/);
	});

	it('an unknown registration status does not grant', () => {
		const d = one(profile({ registrations: [registration({ status: 'plans_to_attend' })] }), ON);
		expect(d.access).toBe('deny');
		expect(d.denials[2].message).toMatch(/unknown registration status 'plans_to_attend'/);
	});

	it('a kind outside Registration Kinds → REGISTRATION_KIND_NOT_ALLOWED', () => {
		const d = one(profile({ registrations: [registration({ id: 'a', kind: 'appointment', eventName: 'PT session' })] }), { ...ON, registrationKinds: ['class', 'course'] });
		expect(d.access).toBe('deny');
		expect(d.denials[2]).toEqual({
			code: 'REGISTRATION_KIND_NOT_ALLOWED',
			registrationId: 'a',
			message: "PT session (appointment, 2026-03-02T15:00:00.000Z): kind 'appointment' is not one of the Registration Kinds (class, course)",
		});
	});

	it('an unknown kind in the profile is simply not allowed', () => {
		expect(codes(one(profile({ registrations: [registration({ kind: 'workshop' })] }), ON).denials)).toContain('REGISTRATION_KIND_NOT_ALLOWED');
	});

	it('a window closed before now → REGISTRATION_ENDED', () => {
		const d = one(profile({ registrations: [registration({ id: 'e', startsAt: '2026-03-02T10:00:00Z', endsAt: '2026-03-02T11:00:00Z' })] }), ON);
		expect(d.denials[2]).toEqual({ code: 'REGISTRATION_ENDED', registrationId: 'e', message: 'Morning Yoga (class, 2026-03-02T10:00:00.000Z): access window closed at 2026-03-02T12:00:00.000Z' });
	});

	it('a window closing exactly now has ended; one closing a millisecond later is current', () => {
		expect(codes(one(profile({ registrations: [registration({ startsAt: '2026-03-02T12:00:00Z', endsAt: '2026-03-02T13:00:00Z' })] }), ON).denials)).toContain('REGISTRATION_ENDED');
		expect(one(profile({ registrations: [registration({ startsAt: '2026-03-02T12:00:00Z', endsAt: '2026-03-02T13:00:00.001Z' })] }), ON).activeNow).toBe(true);
	});

	it('a window opening after the look-ahead → REGISTRATION_TOO_FAR_AHEAD', () => {
		const d = one(profile({ registrations: [registration({ id: 't', startsAt: '2026-03-03T16:00:00Z', endsAt: '2026-03-03T17:00:00Z' })] }), ON);
		expect(d.denials[2]).toEqual({
			code: 'REGISTRATION_TOO_FAR_AHEAD',
			registrationId: 't',
			message: 'Morning Yoga (class, 2026-03-03T16:00:00.000Z): access opens at 2026-03-03T15:00:00.000Z, beyond the look-ahead of 24 hours',
		});
	});

	it('opening exactly at now + look-ahead is too far; a millisecond earlier is scheduled', () => {
		const at = (start: string, end: string) => one(profile({ registrations: [registration({ startsAt: start, endsAt: end })] }), ON);
		expect(codes(at('2026-03-03T15:00:00Z', '2026-03-03T16:00:00Z').denials)).toContain('REGISTRATION_TOO_FAR_AHEAD');
		expect(at('2026-03-03T14:59:59.999Z', '2026-03-03T16:00:00Z')).toMatchObject({ access: 'allow', activeNow: false, validFrom: '2026-03-03T13:59:59.999Z' });
	});

	it('a longer look-ahead brings it in', () => {
		const d = one(profile({ registrations: [registration({ startsAt: '2026-03-04T09:00:00Z', endsAt: '2026-03-04T10:00:00Z' })] }), { ...ON, lookAheadHours: 48 });
		expect(d).toMatchObject({ access: 'allow', activeNow: false, validFrom: '2026-03-04T08:00:00.000Z' });
	});

	it('several causes at once are all reported', () => {
		const d = one(profile({ registrations: [registration({ kind: 'course', status: 'no_show', startsAt: '2026-03-01T10:00:00Z', endsAt: '2026-03-01T11:00:00Z' })] }), { ...ON, registrationKinds: 'class' });
		expect(codes(d.denials)).toEqual(['NO_ACTIVE_MEMBERSHIP', 'NO_UPCOMING_REGISTRATION', 'REGISTRATION_KIND_NOT_ALLOWED', 'REGISTRATION_NO_SHOW', 'REGISTRATION_ENDED']);
	});

	it('Grant On Registrations off: registrations are ignored entirely', () => {
		const d = one(profile({ registrations: [registration(), registration({ status: 'cancelled' })] }));
		expect(d.access).toBe('deny');
		expect(d.denials).toEqual([{ code: 'NO_ACTIVE_MEMBERSHIP', message: 'No membership' }]);
	});
});

describe('0, 1 and many registrations', () => {
	it('0 registrations: NO_UPCOMING_REGISTRATION only', () => {
		const d = one(profile(), ON);
		expect(codes(d.denials)).toEqual(['NO_ACTIVE_MEMBERSHIP', 'NO_UPCOMING_REGISTRATION']);
	});

	it('many: touching windows merge; a later one is listed in windows but not in validity', () => {
		const d = one(
			profile({
				registrations: [
					registration({ id: 'tomorrow', startsAt: '2026-03-03T09:00:00Z', endsAt: '2026-03-03T10:00:00Z' }),
					registration({ id: 'b', startsAt: '2026-03-02T18:00:00Z', endsAt: '2026-03-02T19:00:00Z' }), // window 17:00-20:00
					registration({ id: 'a' }), // window 14:00-17:00, touches b
					registration({ id: 'gone', status: 'cancelled' }),
				],
			}),
			ON,
		);
		expect(d).toMatchObject({ access: 'allow', activeNow: true, validFrom: '2026-03-02T14:00:00.000Z', validUntil: '2026-03-02T20:00:00.000Z' });
		expect(d.windows.map((w) => [w.refId, w.from, w.until])).toEqual([
			['a', '2026-03-02T14:00:00.000Z', '2026-03-02T17:00:00.000Z'],
			['b', '2026-03-02T17:00:00.000Z', '2026-03-02T20:00:00.000Z'],
			['tomorrow', '2026-03-03T08:00:00.000Z', '2026-03-03T11:00:00.000Z'],
		]);
		expect(codes(d.reasons)).toEqual(['REGISTRATION_WINDOW', 'REGISTRATION_WINDOW', 'REGISTRATION_WINDOW']);
		expect(codes(d.denials)).toEqual(['NO_ACTIVE_MEMBERSHIP', 'REGISTRATION_CANCELLED']);
	});

	it('many, none now: the earliest scheduled window is chosen', () => {
		const d = one(
			profile({
				registrations: [
					registration({ id: 'late', startsAt: '2026-03-03T09:00:00Z', endsAt: '2026-03-03T10:00:00Z' }),
					registration({ id: 'early', startsAt: '2026-03-02T20:00:00Z', endsAt: '2026-03-02T21:00:00Z' }),
				],
			}),
			ON,
		);
		expect(d).toMatchObject({ access: 'allow', activeNow: false, validFrom: '2026-03-02T19:00:00.000Z', validUntil: '2026-03-02T22:00:00.000Z' });
	});

	it('overlapping registration and membership windows merge: a membership expiring mid-class is extended by the class', () => {
		const d = one(
			profile({
				memberships: [membership({ id: 'm', expiresAt: '2026-03-02T15:30:00Z' })],
				registrations: [registration({ id: 'r' })],
			}),
			ON,
		);
		expect(d).toMatchObject({ access: 'allow', activeNow: true, validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2026-03-02T17:00:00.000Z' });
		expect(d.windows.map((w) => w.basis)).toEqual(['membership', 'registration']);
		expect(codes(d.reasons)).toEqual(['MEMBERSHIP_ACTIVE', 'REGISTRATION_WINDOW']);
		expect(d.denials).toEqual([]);
	});

	it('a membership that expires before a later class leaves a gap: the current window ends at expiresAt', () => {
		const d = one(
			profile({
				memberships: [membership({ expiresAt: '2026-03-02T15:00:00Z' })],
				registrations: [registration({ startsAt: '2026-03-02T18:00:00Z', endsAt: '2026-03-02T19:00:00Z' })],
			}),
			ON,
		);
		expect(d).toMatchObject({ activeNow: true, validUntil: '2026-03-02T15:00:00.000Z' });
		expect(d.windows).toHaveLength(2);
	});
});
