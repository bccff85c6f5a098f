import { evaluateMembership, parseProfile, resolveParameters, ruleContext } from '../../../nodes/AccessRuleEvaluator/engine';
import { NOW, codes, membership, one, profile, registration } from './helpers';

describe('§3.1 memberships that grant', () => {
	it('an active membership grants now, until its expiry', () => {
		const d = one(profile({ memberships: [membership({ id: '991', name: 'Gold Monthly' })] }));
		expect(d).toMatchObject({
			access: 'allow',
			activeNow: true,
			validFrom: '2026-01-01T00:00:00.000Z',
			validUntil: '2026-06-01T00:00:00.000Z',
			reasons: [{ code: 'MEMBERSHIP_ACTIVE', membershipId: '991', message: 'Gold Monthly is active until 2026-06-01T00:00:00.000Z' }],
			denials: [],
			windows: [{ from: '2026-01-01T00:00:00.000Z', until: '2026-06-01T00:00:00.000Z', basis: 'membership', refId: '991' }],
			evaluatedAt: NOW,
		});
	});

	it('the §5 example: a pack with 3 uses left, registrations on but none upcoming', () => {
		const d = one(
			{
				source: 'glofox',
				sourceId: '62d9e7d8e803e136a87b7367',
				email: 'Ana.Ruiz@Example.com ',
				name: 'Ana Ruiz',
				memberships: [{ id: '991', planId: '4411', name: '10 Class Pack', type: 'pack', status: 'active', startsAt: null, expiresAt: '2026-06-01T00:00:00Z', remainingUses: 3, blocked: false, blockReason: null }],
			},
			{ grantOnRegistrations: true },
		);
		expect(d).toEqual({
			email: 'ana.ruiz@example.com',
			name: 'Ana Ruiz',
			source: 'glofox',
			sourceIds: ['62d9e7d8e803e136a87b7367'],
			access: 'allow',
			activeNow: true,
			validFrom: null,
			validUntil: '2026-06-01T00:00:00.000Z',
			reasons: [{ code: 'MEMBERSHIP_ACTIVE', membershipId: '991', message: '10 Class Pack is active, 3 uses left' }],
			denials: [{ code: 'NO_UPCOMING_REGISTRATION', message: 'No registration within the next 24 hours' }],
			windows: [{ from: null, until: '2026-06-01T00:00:00.000Z', basis: 'membership', refId: '991' }],
			evaluatedAt: '2026-03-02T14:00:00.000Z',
		});
		expect(Object.keys(d)).toEqual(['email', 'name', 'source', 'sourceIds', 'access', 'activeNow', 'validFrom', 'validUntil', 'reasons', 'denials', 'windows', 'evaluatedAt']);
	});

	it('no start → validFrom null; no expiry → validUntil null (open-ended)', () => {
		const d = one(profile({ memberships: [membership({ startsAt: null, expiresAt: null })] }));
		expect(d).toMatchObject({ access: 'allow', activeNow: true, validFrom: null, validUntil: null });
		expect(d.reasons[0].message).toBe('Gold Monthly is active with no end date');
		expect(d.windows[0]).toMatchObject({ from: null, until: null });
	});

	it('a start in the past is kept as validFrom (it is a defined start)', () => {
		expect(one(profile({ memberships: [membership({ startsAt: '2026-03-02T13:59:59Z' })] })).validFrom).toBe('2026-03-02T13:59:59.000Z');
	});

	it('a membership starting exactly now is active', () => {
		expect(one(profile({ memberships: [membership({ startsAt: NOW })] }))).toMatchObject({ access: 'allow', activeNow: true });
	});

	it.each(['recurring', 'recurring_plan', 'prepaid', 'prepaid_plan', 'pack', 'time', 'time_classes', 'num_classes', 'TIME', null])('type %p grants', (type) => {
		expect(one(profile({ memberships: [membership({ type })] })).access).toBe('allow');
	});

	it('Glofox ACTIVE (upper case) grants', () => {
		expect(one(profile({ memberships: [membership({ status: 'ACTIVE' })] })).access).toBe('allow');
	});

	it('a membership expiring mid-window: the window ends at expiresAt', () => {
		const d = one(profile({ memberships: [membership({ expiresAt: '2026-03-02T18:30:00Z' })] }));
		expect(d).toMatchObject({ access: 'allow', activeNow: true, validUntil: '2026-03-02T18:30:00.000Z' });
	});
});

describe('§3.1 rule 2: status', () => {
	it.each([
		['hold', 'MEMBERSHIP_ON_HOLD', 'Gold Monthly is on hold (status hold)'],
		['PAUSED', 'MEMBERSHIP_ON_HOLD', 'Gold Monthly is on hold (status PAUSED)'],
		['paused', 'MEMBERSHIP_ON_HOLD', 'Gold Monthly is on hold (status paused)'],
		['expired', 'MEMBERSHIP_EXPIRED', 'Gold Monthly has expired (status expired)'],
		['EXPIRED', 'MEMBERSHIP_EXPIRED', 'Gold Monthly has expired (status EXPIRED)'],
		['completed', 'MEMBERSHIP_EXPIRED', 'Gold Monthly has ended (status completed)'],
		['cancelled', 'MEMBERSHIP_CANCELLED', 'Gold Monthly is cancelled (status cancelled)'],
		['CANCELLED', 'MEMBERSHIP_CANCELLED', 'Gold Monthly is cancelled (status CANCELLED)'],
		['canceled', 'MEMBERSHIP_CANCELLED', 'Gold Monthly is cancelled (status canceled)'],
		['FUTURE', 'MEMBERSHIP_NOT_STARTED', 'Gold Monthly has not started yet (status FUTURE)'],
		['future', 'MEMBERSHIP_NOT_STARTED', 'Gold Monthly has not started yet (status future)'],
		['LOCKED', 'MEMBERSHIP_BLOCKED', 'Gold Monthly is blocked (status LOCKED)'],
	])('%s → %s', (status, code, message) => {
		const d = one(profile({ memberships: [membership({ id: 'm', status })] }));
		expect(d.access).toBe('deny');
		expect(d.reasons).toEqual([]);
		expect(d.windows).toEqual([]);
		expect(d.validFrom).toBeNull();
		expect(d.validUntil).toBeNull();
		expect(d.denials).toEqual([
			{ code: 'NO_ACTIVE_MEMBERSHIP', message: 'No active membership (1 membership checked)' },
			{ code, membershipId: 'm', message },
		]);
	});

	it.each([
		['pack', 'PACK_USED_UP'],
		['num_classes', 'PACK_USED_UP'],
		['recurring', 'MEMBERSHIP_EXPIRED'],
		['prepaid_plan', 'MEMBERSHIP_EXPIRED'],
		['time_classes', 'MEMBERSHIP_EXPIRED'],
		[null, 'MEMBERSHIP_EXPIRED'],
	])('completed %p → %s', (type, code) => {
		const d = one(profile({ memberships: [membership({ status: 'completed', type })] }));
		expect(codes(d.denials)).toEqual(['NO_ACTIVE_MEMBERSHIP', code]);
	});

	it('an unknown status never grants and is reported as not active, naming the status', () => {
		const d = one(profile({ memberships: [membership({ id: 'm', status: 'frozen' })] }));
		expect(d.access).toBe('deny');
		expect(d.denials).toEqual([
			{ code: 'NO_ACTIVE_MEMBERSHIP', message: 'No active membership (1 membership checked)' },
			{
				code: 'NO_ACTIVE_MEMBERSHIP',
				membershipId: 'm',
				message: "Gold Monthly has an unknown membership status 'frozen': only active memberships grant access",
				unrecognised: { field: 'status', value: 'frozen' },
			},
		]);
	});

	it('FUTURE with a start within the look-ahead is scheduled from its start', () => {
		const d = one(profile({ memberships: [membership({ id: 'f', status: 'FUTURE', startsAt: '2026-03-03T00:00:00Z', expiresAt: null })] }));
		expect(d).toMatchObject({ access: 'allow', activeNow: false, validFrom: '2026-03-03T00:00:00.000Z', validUntil: null });
		expect(codes(d.reasons)).toEqual(['MEMBERSHIP_ACTIVE']);
		expect(d.denials).toEqual([{ code: 'MEMBERSHIP_NOT_STARTED', membershipId: 'f', message: 'Gold Monthly starts at 2026-03-03T00:00:00.000Z: access is scheduled from then' }]);
	});
});

describe('§3.1 rule 3: blocked', () => {
	it('blocked: true → MEMBERSHIP_BLOCKED with the block reason', () => {
		const d = one(profile({ memberships: [membership({ id: 'b', blocked: true, blockReason: 'Payment failed' })] }));
		expect(d.access).toBe('deny');
		expect(d.denials[1]).toEqual({ code: 'MEMBERSHIP_BLOCKED', membershipId: 'b', message: 'Gold Monthly is blocked: Payment failed' });
	});

	it('blocked without a reason', () => {
		expect(one(profile({ memberships: [membership({ blocked: true })] })).denials[1].message).toBe('Gold Monthly is blocked');
	});

	it('Allow Blocked Memberships: blocked grants, with MEMBERSHIP_BLOCKED_ALLOWED', () => {
		const d = one(profile({ memberships: [membership({ id: 'b', blocked: true, blockReason: 'Payment retrying' })] }), { allowBlockedMemberships: true });
		expect(d).toMatchObject({ access: 'allow', activeNow: true, denials: [] });
		expect(d.reasons).toEqual([
			{
				code: 'MEMBERSHIP_BLOCKED_ALLOWED',
				membershipId: 'b',
				message: 'Gold Monthly is active until 2026-06-01T00:00:00.000Z; it is blocked: Payment retrying, and Allow Blocked Memberships is on',
			},
		]);
	});

	it('Glofox LOCKED is a blocked active membership: granted only when blocked ones are allowed', () => {
		expect(one(profile({ memberships: [membership({ status: 'LOCKED' })] }), { allowBlockedMemberships: false }).access).toBe('deny');
		const d = one(profile({ memberships: [membership({ status: 'LOCKED' })] }), { allowBlockedMemberships: true });
		expect(d.access).toBe('allow');
		expect(codes(d.reasons)).toEqual(['MEMBERSHIP_BLOCKED_ALLOWED']);
	});

	it('allowing blocked memberships does not revive a held or cancelled one', () => {
		const d = one(profile({ memberships: [membership({ status: 'hold', blocked: true })] }), { allowBlockedMemberships: true });
		expect(d.access).toBe('deny');
		expect(codes(d.denials)).toEqual(['NO_ACTIVE_MEMBERSHIP', 'MEMBERSHIP_ON_HOLD']);
	});
});

describe('§3.1 rule 4: dates', () => {
	it('expired by date (status still active) → MEMBERSHIP_EXPIRED', () => {
		const d = one(profile({ memberships: [membership({ id: 'e', expiresAt: '2026-03-01T00:00:00Z' })] }));
		expect(d.access).toBe('deny');
		expect(d.denials[1]).toEqual({ code: 'MEMBERSHIP_EXPIRED', membershipId: 'e', message: 'Gold Monthly expired at 2026-03-01T00:00:00.000Z' });
	});

	it('expiring exactly now is expired (the window is half-open)', () => {
		expect(codes(one(profile({ memberships: [membership({ expiresAt: NOW })] })).denials)).toEqual(['NO_ACTIVE_MEMBERSHIP', 'MEMBERSHIP_EXPIRED']);
	});

	it('one millisecond before expiry is still active', () => {
		expect(one(profile({ memberships: [membership({ expiresAt: '2026-03-02T14:00:00.001Z' })] })).access).toBe('allow');
	});

	it('not started, within the look-ahead → scheduled access (MEMBERSHIP_NOT_STARTED for now, plus the window)', () => {
		const d = one(profile({ memberships: [membership({ id: 'n', startsAt: '2026-03-03T06:00:00Z', expiresAt: '2026-04-03T06:00:00Z' })] }));
		expect(d).toMatchObject({ access: 'allow', activeNow: false, validFrom: '2026-03-03T06:00:00.000Z', validUntil: '2026-04-03T06:00:00.000Z' });
		expect(d.reasons).toEqual([
			{ code: 'MEMBERSHIP_ACTIVE', membershipId: 'n', message: 'Gold Monthly starts at 2026-03-03T06:00:00.000Z, access scheduled until 2026-04-03T06:00:00.000Z' },
		]);
		expect(d.denials).toEqual([{ code: 'MEMBERSHIP_NOT_STARTED', membershipId: 'n', message: 'Gold Monthly starts at 2026-03-03T06:00:00.000Z: access is scheduled from then' }]);
		expect(d.windows).toEqual([{ from: '2026-03-03T06:00:00.000Z', until: '2026-04-03T06:00:00.000Z', basis: 'membership', refId: 'n' }]);
	});

	it('not started, beyond the look-ahead → denied', () => {
		const d = one(profile({ memberships: [membership({ id: 'n', startsAt: '2026-03-04T00:00:00Z' })] }));
		expect(d.access).toBe('deny');
		expect(d.denials).toEqual([
			{ code: 'NO_ACTIVE_MEMBERSHIP', message: 'No active membership (1 membership checked)' },
			{ code: 'MEMBERSHIP_NOT_STARTED', membershipId: 'n', message: 'Gold Monthly starts at 2026-03-04T00:00:00.000Z, beyond the look-ahead of 24 hours' },
		]);
	});

	it('starting exactly at the look-ahead horizon is beyond it; a longer look-ahead includes it', () => {
		const m = membership({ startsAt: '2026-03-03T14:00:00Z' });
		expect(one(profile({ memberships: [m] })).access).toBe('deny');
		expect(one(profile({ memberships: [m] }), { lookAheadHours: 48 })).toMatchObject({ access: 'allow', activeNow: false });
	});

	it('look-ahead 0: nothing is scheduled', () => {
		const d = one(profile({ memberships: [membership({ startsAt: '2026-03-02T14:00:01Z' })] }), { lookAheadHours: 0 });
		expect(d.access).toBe('deny');
		expect(d.denials[1].message).toMatch(/beyond the look-ahead of 0 hours/);
	});

	it('not started AND failing another rule → no scheduled window', () => {
		const d = one(profile({ memberships: [membership({ startsAt: '2026-03-03T00:00:00Z', blocked: true })] }));
		expect(d.access).toBe('deny');
		expect(codes(d.denials)).toEqual(['NO_ACTIVE_MEMBERSHIP', 'MEMBERSHIP_BLOCKED', 'MEMBERSHIP_NOT_STARTED']);
		expect(d.denials[2].message).toBe('Gold Monthly starts at 2026-03-03T00:00:00.000Z');
	});

	it('a renewal that starts when the current one ends (touching) extends the window once within the look-ahead', () => {
		const items = [
			profile({
				memberships: [
					membership({ id: 'may', startsAt: '2026-05-01T00:00:00Z', expiresAt: '2026-06-01T00:00:00Z' }),
					membership({ id: 'june', startsAt: '2026-06-01T00:00:00Z', expiresAt: '2026-07-01T00:00:00Z' }),
				],
			}),
		];
		const early = one(items[0], { evaluationTime: '2026-05-15T12:00:00Z' });
		expect(early).toMatchObject({ access: 'allow', validFrom: '2026-05-01T00:00:00.000Z', validUntil: '2026-06-01T00:00:00.000Z' });
		const late = one(items[0], { evaluationTime: '2026-05-31T12:00:00Z' });
		expect(late).toMatchObject({ access: 'allow', activeNow: true, validFrom: '2026-05-01T00:00:00.000Z', validUntil: '2026-07-01T00:00:00.000Z' });
		expect(late.windows.map((w) => w.refId)).toEqual(['may', 'june']);
	});
});

describe('§3.1 rule 5: remaining uses', () => {
	it('0 uses left → PACK_USED_UP', () => {
		const d = one(profile({ memberships: [membership({ id: 'p', name: '10 Class Pack', type: 'pack', remainingUses: 0 })] }));
		expect(d.access).toBe('deny');
		expect(d.denials[1]).toEqual({ code: 'PACK_USED_UP', membershipId: 'p', message: '10 Class Pack is used up (0 uses left)' });
	});

	it('1 use left grants ("1 use left")', () => {
		const d = one(profile({ memberships: [membership({ name: '10 Class Pack', type: 'pack', remainingUses: 1 })] }));
		expect(d.access).toBe('allow');
		expect(d.reasons[0].message).toBe('10 Class Pack is active, 1 use left');
	});

	it('negative uses (over-used) count as used up; null or absent = unlimited', () => {
		expect(codes(one(profile({ memberships: [membership({ type: 'num_classes', remainingUses: -2 })] })).denials)).toContain('PACK_USED_UP');
		expect(one(profile({ memberships: [membership({ remainingUses: null })] })).access).toBe('allow');
		const m = membership();
		delete m.remainingUses;
		expect(one(profile({ memberships: [m] })).access).toBe('allow');
	});

	it('a completed pack with 0 uses reports PACK_USED_UP once', () => {
		const d = one(profile({ memberships: [membership({ type: 'pack', status: 'completed', remainingUses: 0 })] }));
		expect(codes(d.denials)).toEqual(['NO_ACTIVE_MEMBERSHIP', 'PACK_USED_UP']);
	});
});

describe('§3.1 rule 6: pay-as-you-go', () => {
	it('payg → PAYG_NEEDS_REGISTRATION, saying registrations are off', () => {
		const d = one(profile({ memberships: [membership({ id: 'g', name: 'Drop-in', type: 'payg' })] }));
		expect(d.access).toBe('deny');
		expect(d.denials[1]).toEqual({ code: 'PAYG_NEEDS_REGISTRATION', membershipId: 'g', message: 'Drop-in is pay-as-you-go: access only through registrations (Grant On Registrations is off)' });
	});

	it('payg with a booking gets in through the registration', () => {
		const d = one(profile({ memberships: [membership({ type: 'PAYG' })], registrations: [registration()] }), { grantOnRegistrations: true });
		expect(d.access).toBe('allow');
		expect(codes(d.reasons)).toEqual(['REGISTRATION_WINDOW']);
		expect(codes(d.denials)).toEqual(['NO_ACTIVE_MEMBERSHIP', 'PAYG_NEEDS_REGISTRATION']);
		expect(d.denials[1].message).toBe('Gold Monthly is pay-as-you-go: access only through registrations');
	});

	it('an unknown type never grants (it could be pay-as-you-go under another name)', () => {
		const d = one(profile({ memberships: [membership({ id: 'u', type: 'drop_in' })] }));
		expect(d.access).toBe('deny');
		expect(d.denials[1]).toEqual({
			code: 'NO_ACTIVE_MEMBERSHIP',
			membershipId: 'u',
			message: "Gold Monthly has an unknown membership type 'drop_in': it does not grant access",
			unrecognised: { field: 'type', value: 'drop_in' },
		});
	});
});

describe('§3.1 rule 7: allowed memberships', () => {
	const items = () => [
		profile({ email: 'gold@example.com', memberships: [membership({ planId: '4411', name: 'Gold Monthly' })] }),
		profile({ email: 'pool@example.com', memberships: [membership({ id: 'pm', planId: '5000', name: 'Pool Only' })] }),
	];

	it.each([
		['by plan id', '4411'],
		['by name, case-insensitively', 'gold monthly'],
		['by name with spaces around, in a list', ' GOLD MONTHLY , Silver'],
		['as an array', ['silver', 4411]],
	])('%s', (_title, allowedMemberships) => {
		const out = items().map((item) => one(item, { allowedMemberships: allowedMemberships as string }));
		expect(out.map((d) => d.access)).toEqual(['allow', 'deny']);
		expect(out[1].denials[1]).toEqual({ code: 'MEMBERSHIP_NOT_ALLOWED', membershipId: 'pm', message: 'Pool Only (plan 5000) is not one of the Allowed Memberships' });
	});

	it('empty = all memberships', () => {
		expect(items().map((item) => one(item, { allowedMemberships: '' }).access)).toEqual(['allow', 'allow']);
	});

	it('the membership instance id does not count as a plan id', () => {
		expect(one(profile({ memberships: [membership({ id: '991', planId: '4411', name: 'Gold' })] }), { allowedMemberships: '991' }).access).toBe('deny');
	});

	it('a membership without plan id or name is not allowed when a list is set', () => {
		const d = one(profile({ memberships: [membership({ id: '7', planId: null, name: null })] }), { allowedMemberships: 'Gold' });
		expect(d.denials[1].message).toBe('Membership 7 is not one of the Allowed Memberships');
	});
});

describe('every cause is reported, one entry per code', () => {
	it('cancelled, expired, not allowed and blocked', () => {
		const d = one(profile({ memberships: [membership({ status: 'cancelled', expiresAt: '2026-02-01T00:00:00Z', blocked: true })] }), { allowedMemberships: 'Silver' });
		expect(codes(d.denials)).toEqual(['NO_ACTIVE_MEMBERSHIP', 'MEMBERSHIP_CANCELLED', 'MEMBERSHIP_BLOCKED', 'MEMBERSHIP_NOT_ALLOWED', 'MEMBERSHIP_EXPIRED']);
	});

	it('an expired status with an expiry date in the past reports MEMBERSHIP_EXPIRED once', () => {
		const d = one(profile({ memberships: [membership({ status: 'EXPIRED', expiresAt: '2026-02-01T00:00:00Z' })] }));
		expect(codes(d.denials)).toEqual(['NO_ACTIVE_MEMBERSHIP', 'MEMBERSHIP_EXPIRED']);
	});

	it('one good membership among bad ones grants; the bad ones are still explained', () => {
		const d = one(profile({ memberships: [membership({ status: 'cancelled' }), membership({ id: 'ok' }), membership({ status: 'hold' })] }));
		expect(d.access).toBe('allow');
		expect(codes(d.reasons)).toEqual(['MEMBERSHIP_ACTIVE']);
		expect(codes(d.denials)).toEqual(['MEMBERSHIP_CANCELLED', 'MEMBERSHIP_ON_HOLD']);
	});

	it('labels fall back to plan id, id, then position', () => {
		const d = one(profile({ memberships: [membership({ name: null, status: 'hold' }), membership({ name: null, planId: null, id: 'x9', status: 'hold' }), membership({ name: null, planId: null, id: null, status: 'hold' })] }));
		expect(d.denials.slice(1).map((r) => r.message)).toEqual([
			'Membership plan 4411 is on hold (status hold)',
			'Membership x9 is on hold (status hold)',
			'Membership #3 is on hold (status hold)',
		]);
		expect(d.denials[3].membershipId).toBeNull();
	});
});

describe('Grant On Active Membership', () => {
	it('off: memberships are ignored (no per-membership noise)', () => {
		const d = one(profile({ memberships: [membership(), membership({ status: 'hold' })] }), { grantOnMembership: false, grantOnRegistrations: true });
		expect(d.access).toBe('deny');
		expect(d.denials).toEqual([{ code: 'NO_UPCOMING_REGISTRATION', message: 'No registration within the next 24 hours' }]);
	});

	it('both rule families off: nobody gets in, and the denial says why', () => {
		const d = one(profile({ memberships: [membership()], registrations: [registration()] }), { grantOnMembership: false, grantOnRegistrations: false });
		expect(d.denials).toEqual([{ code: 'NO_ACTIVE_MEMBERSHIP', message: 'Grant On Active Membership and Grant On Registrations are both off: nothing grants access' }]);
	});

	it('a person without memberships gets "No membership"', () => {
		expect(one(profile()).denials).toEqual([{ code: 'NO_ACTIVE_MEMBERSHIP', message: 'No membership' }]);
	});
});

describe('evaluateMembership directly', () => {
	it('returns reasons, causes and the window', () => {
		const parsed = parseProfile(profile({ memberships: [membership({ id: 'z', startsAt: null, expiresAt: null })] }));
		if (!parsed.ok) throw new Error(parsed.message);
		const ctx = ruleContext(resolveParameters({ evaluationTime: NOW }));
		const outcome = evaluateMembership(parsed.profile.memberships[0], ctx);
		expect(outcome.window).toEqual({ from: Number.NEGATIVE_INFINITY, until: Number.POSITIVE_INFINITY, basis: 'membership', refId: 'z' });
		expect(outcome.denials).toEqual([]);
		expect(ctx.horizon - ctx.now).toBe(24 * 3_600_000);
	});
});
