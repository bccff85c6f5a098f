import { DENIAL_CODES, GRANT_CODES, InvalidProfileError, evaluateAccess, localDateToInstant } from '../../../nodes/AccessRuleEvaluator/engine';
import type { AccessDecision } from '../../../nodes/AccessRuleEvaluator/engine';
import { NOW, codes, membership, one, profile, registration, run } from './helpers';

describe('output order and pairedItem', () => {
	it('one record per email, in order of first appearance, with every contributing input index', () => {
		const out = run([
			profile({ email: 'b@example.com' }),
			profile({ email: 'a@example.com' }),
			profile({ email: ' B@Example.com ' }),
			profile({ email: 'c@example.com' }),
			profile({ email: 'A@EXAMPLE.COM' }),
		]);
		expect(out.map((o) => o.decision.email)).toEqual(['b@example.com', 'a@example.com', 'c@example.com']);
		expect(out.map((o) => o.inputIndexes)).toEqual([[0, 2], [1, 4], [3]]);
	});

	it('empty input → empty output', () => {
		expect(run([])).toEqual([]);
	});

	it('evaluatedAt is the evaluation instant; the injected clock is used when Evaluation Time is empty', () => {
		const out = evaluateAccess([profile({ memberships: [membership()] })], {}, { clock: () => new Date('2026-05-31T23:59:59.999Z') });
		expect(out[0].decision.evaluatedAt).toBe('2026-05-31T23:59:59.999Z');
		expect(out[0].decision.access).toBe('allow');
		const later = evaluateAccess([profile({ memberships: [membership()] })], { evaluationTime: '' }, { clock: () => new Date('2026-06-01T00:00:00Z') });
		expect(later[0].decision.access).toBe('deny');
	});

	it('does not mutate its input', () => {
		const item = profile({ email: ' X@Example.com ', memberships: [membership()] });
		const copy = JSON.parse(JSON.stringify(item));
		run([item]);
		expect(item).toEqual(copy);
	});
});

describe('duplicate emails', () => {
	const family = () => [
		profile({ email: 'family@example.com', name: 'Parent', source: 'teamup', sourceId: '1', memberships: [membership({ id: 'p', status: 'cancelled' })] }),
		profile({ email: 'other@example.com' }),
		profile({ email: ' Family@Example.COM', name: 'Child', source: 'teamup', sourceId: '2', memberships: [membership({ id: 'c', expiresAt: '2026-04-01T00:00:00Z' })] }),
	];

	it('merge: one record, union of access, all source ids, DUPLICATE_EMAIL among the reasons', () => {
		const out = run(family());
		expect(out).toHaveLength(2);
		const d = out[0].decision;
		expect(out[0].inputIndexes).toEqual([0, 2]);
		expect(d).toMatchObject({ email: 'family@example.com', name: 'Parent', source: 'teamup', sourceIds: ['1', '2'], access: 'allow', activeNow: true, validUntil: '2026-04-01T00:00:00.000Z' });
		expect(codes(d.reasons)).toEqual(['MEMBERSHIP_ACTIVE', 'DUPLICATE_EMAIL']);
		expect(d.reasons[1].message).toBe('2 profiles share this email (1, 2): merged, access is the union of their access');
		expect(codes(d.denials)).toEqual(['MEMBERSHIP_CANCELLED']);
	});

	it('merge: union of windows from both people', () => {
		const out = run(
			[
				profile({ email: 'f@example.com', registrations: [registration({ id: 'x' })] }),
				profile({ email: 'f@example.com', registrations: [registration({ id: 'y', startsAt: '2026-03-02T17:00:00Z', endsAt: '2026-03-02T18:00:00Z' })] }),
			],
			{ grantOnRegistrations: true },
		);
		expect(out[0].decision).toMatchObject({ validFrom: '2026-03-02T14:00:00.000Z', validUntil: '2026-03-02T19:00:00.000Z' });
		expect(out[0].decision.windows.map((w) => w.refId)).toEqual(['x', 'y']);
	});

	it('merge, nobody has access: DUPLICATE_EMAIL goes to the denials', () => {
		const out = run([profile({ email: 'f@example.com' }), profile({ email: 'F@example.com' })]);
		const d = out[0].decision;
		expect(d.access).toBe('deny');
		expect(d.reasons).toEqual([]);
		expect(codes(d.denials)).toEqual(['DUPLICATE_EMAIL', 'NO_ACTIVE_MEMBERSHIP']);
		expect(d.denials[0].message).toMatch(/^2 profiles share this email .*none of them has access/);
	});

	it('deny: everyone sharing the email is denied with DUPLICATE_EMAIL', () => {
		const out = run(family(), { duplicateEmails: 'deny' });
		const d = out[0].decision;
		expect(out[0].inputIndexes).toEqual([0, 2]);
		expect(d).toMatchObject({ access: 'deny', activeNow: false, validFrom: null, validUntil: null, reasons: [], windows: [], sourceIds: ['1', '2'] });
		expect(d.denials[0]).toEqual({
			code: 'DUPLICATE_EMAIL',
			message: '2 profiles share this email (1, 2), and Duplicate Emails is set to deny; the rules would otherwise grant access',
		});
		expect(codes(d.denials)).toEqual(['DUPLICATE_EMAIL', 'MEMBERSHIP_CANCELLED']);
		expect(out[1].decision.denials.map((r) => r.code)).not.toContain('DUPLICATE_EMAIL');
	});

	it('the same source record listed twice is one person, not a duplicate (even under deny)', () => {
		const copy = () => profile({ email: 'ana@example.com', source: 'glofox', sourceId: 'g1', memberships: [membership({ id: 'm1' })] });
		for (const duplicateEmails of ['merge', 'deny']) {
			const out = run([copy(), profile(), copy()], { duplicateEmails });
			expect(out[0].inputIndexes).toEqual([0, 2]);
			expect(out[0].decision).toMatchObject({ access: 'allow', sourceIds: ['g1'] });
			expect(codes(out[0].decision.reasons)).toEqual(['MEMBERSHIP_ACTIVE']);
			expect(out[0].decision.windows).toHaveLength(1);
		}
	});

	it('the same source id from two sources, or profiles without source ids, are different people', () => {
		const twoSources = run([profile({ email: 'a@example.com', source: 'teamup', sourceId: '7' }), profile({ email: 'a@example.com', source: 'glofox', sourceId: '7' })]);
		expect(codes(twoSources[0].decision.denials)).toContain('DUPLICATE_EMAIL');
		expect(twoSources[0].decision.sourceIds).toEqual(['7']);
		const noIds = run([profile({ email: 'a@example.com', sourceId: null }), profile({ email: 'a@example.com', sourceId: null })]);
		expect(noIds[0].decision.denials[0].message).toBe('2 profiles share this email: merged, and none of them has access');
	});

	it('an email seen once is not a duplicate', () => {
		const d = one(profile({ memberships: [membership()] }), { duplicateEmails: 'deny' });
		expect(d.access).toBe('allow');
	});

	it('merge with an invalid profile among them: the valid one still counts, the invalid one is reported', () => {
		const out = run([
			profile({ email: 'f@example.com', memberships: [membership()] }),
			profile({ email: 'f@example.com', registrations: [{ kind: 'class' }] }),
		]);
		const d = out[0].decision;
		expect(d.access).toBe('allow');
		expect(codes(d.reasons)).toEqual(['MEMBERSHIP_ACTIVE', 'DUPLICATE_EMAIL']);
		expect(d.denials).toEqual([{ code: 'INVALID_PROFILE', itemIndex: 1, message: 'Item 1: registrations[0].status is required' }]);
	});
});

describe('invalid emails', () => {
	it.each([
		[undefined, null, 'No email'],
		[null, null, 'No email'],
		['', '', 'Email is empty'],
		['ana.example.com', 'ana.example.com', "'ana.example.com' is not a usable email (expected local@domain)"],
		[42, null, 'Email must be text, got a number'],
	])('%p → INVALID_EMAIL, email in the output as given (%p)', (email, shown, problem) => {
		const d = one(profile({ email, memberships: [membership()] }));
		expect(d).toMatchObject({ email: shown, access: 'deny', reasons: [], windows: [], validFrom: null, validUntil: null });
		expect(d.denials).toEqual([{ code: 'INVALID_EMAIL', message: `${problem}: Kisi identifies people by email; the rules would otherwise grant access` }]);
	});

	it('people without a usable email never merge with each other', () => {
		const out = run([profile({ email: '' }), profile({ email: '' }), profile({ email: 'n/a' }), profile({ email: 'n/a' })]);
		expect(out).toHaveLength(4);
		expect(out.map((o) => o.inputIndexes)).toEqual([[0], [1], [2], [3]]);
		expect(out.every((o) => o.decision.denials[0].code === 'INVALID_EMAIL')).toBe(true);
		expect(out[0].decision.denials[0].message).toBe('Email is empty: Kisi identifies people by email');
	});

	it('an invalid email is denied even under Allow Blocked / merge settings and keeps name and source', () => {
		const d = one(profile({ email: 'bad', name: 'Ana', source: 'teamup', sourceId: '9' }));
		expect(d).toMatchObject({ email: 'bad', name: 'Ana', source: 'teamup', sourceIds: ['9'] });
	});
});

describe('invalid profiles', () => {
	const items = () => [
		profile({ email: 'ok@example.com', memberships: [membership()] }),
		profile({ email: 'bad@example.com', name: 'Bad', sourceId: 'b1', registrations: [registration(), registration({ startsAt: '2026-03-02T16:00:00Z', endsAt: '2026-03-02T15:00:00Z' })] }),
		'just a string',
		profile({ email: 'late@example.com', memberships: [membership({ startsAt: 'next week' })] }),
	];

	it('deny (default): that person is denied with INVALID_PROFILE naming the field; others are unaffected', () => {
		const out = run(items());
		expect(out).toHaveLength(4);
		expect(out[0].decision.access).toBe('allow');
		expect(out[1].decision).toMatchObject({
			email: 'bad@example.com',
			name: 'Bad',
			sourceIds: ['b1'],
			access: 'deny',
			reasons: [],
			denials: [{ code: 'INVALID_PROFILE', itemIndex: 1, message: 'Item 1: registrations[1].endsAt is before startsAt' }],
		});
		expect(out[2].decision).toMatchObject({ email: null, access: 'deny' });
		expect(out[2].decision.denials).toEqual([
			{ code: 'INVALID_PROFILE', itemIndex: 2, message: 'Item 2: profile must be an object (got text)' },
			{ code: 'INVALID_EMAIL', message: 'No email: Kisi identifies people by email' },
		]);
		expect(out[3].decision.denials[0].message).toBe("Item 3: memberships[0].startsAt is not an ISO-8601 date-time (got 'next week')");
	});

	it('fail: throws for the first invalid item, with its index and the field in the message', () => {
		let caught: unknown;
		try {
			run(items(), { onInvalidProfile: 'fail' });
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InvalidProfileError);
		const error = caught as InvalidProfileError;
		expect(error.itemIndex).toBe(1);
		expect(error.field).toBe('registrations[1].endsAt');
		expect(error.message).toBe('Invalid access profile in item 1: registrations[1].endsAt is before startsAt');
	});

	it.each([
		[null, 'profile'],
		[[1, 2], 'profile'],
		[{ email: 'a@b.co', memberships: [{ status: 'active', expiresAt: 'never' }] }, 'memberships[0].expiresAt'],
		[{ email: 'a@b.co', memberships: [{ status: 'active', startsAt: '2026-02-01T00:00:00Z', expiresAt: '2026-01-01T00:00:00Z' }] }, 'memberships[0].expiresAt'],
	])('fail names the field for %p', (item, field) => {
		expect(() => run([profile(), item], { onInvalidProfile: 'fail' })).toThrow(expect.objectContaining({ itemIndex: 1, field }));
	});

	it('fail does not trigger on invalid emails (they are INVALID_EMAIL, not invalid profiles)', () => {
		expect(run([profile({ email: 'nope' })], { onInvalidProfile: 'fail' })[0].decision.denials[0].code).toBe('INVALID_EMAIL');
	});
});

describe('DST: windows on absolute instants', () => {
	const ON = { grantOnRegistrations: true };

	it('Europe/London fall back: a class at 01:30 BST on the change night (01:30 happens twice)', () => {
		// 01:30 BST = 00:30Z; a one-hour class ends at 01:30 GMT = 01:30Z (the clock shows 01:30 again).
		const d = one(
			profile({ registrations: [registration({ startsAt: '2026-10-25T01:30:00+01:00', endsAt: '2026-10-25T01:30:00+00:00' })] }),
			{ ...ON, evaluationTime: '2026-10-25T00:00:00Z' },
		);
		expect(d).toMatchObject({ access: 'allow', activeNow: true, validFrom: '2026-10-24T23:30:00.000Z', validUntil: '2026-10-25T02:30:00.000Z' });
		expect(Date.parse(d.validUntil as string) - Date.parse(d.validFrom as string)).toBe(3 * 3_600_000);
	});

	it('Europe/London fall back: the second 01:30 (GMT) is an hour later', () => {
		const d = one(
			profile({ registrations: [registration({ startsAt: '2026-10-25T01:30:00+00:00', endsAt: '2026-10-25T02:30:00+00:00' })] }),
			{ ...ON, evaluationTime: '2026-10-25T00:00:00Z' },
		);
		expect(d).toMatchObject({ activeNow: false, validFrom: '2026-10-25T00:30:00.000Z', validUntil: '2026-10-25T03:30:00.000Z' });
	});

	it('Europe/London spring forward: a class from 00:30 GMT to 02:30 BST lasts one hour', () => {
		const d = one(
			profile({ registrations: [registration({ startsAt: '2026-03-29T00:30:00+00:00', endsAt: '2026-03-29T02:30:00+01:00' })] }),
			{ ...ON, evaluationTime: '2026-03-29T01:00:00Z' },
		);
		expect(d).toMatchObject({ activeNow: true, validFrom: '2026-03-28T23:30:00.000Z', validUntil: '2026-03-29T02:30:00.000Z' });
	});

	it('America/New_York spring forward: a class at 01:30 EST ending at 03:30 EDT lasts one hour', () => {
		const d = one(
			profile({ registrations: [registration({ startsAt: '2026-03-08T01:30:00-05:00', endsAt: '2026-03-08T03:30:00-04:00' })] }),
			{ ...ON, evaluationTime: '2026-03-08T06:00:00Z' },
		);
		expect(d).toMatchObject({ activeNow: true, validFrom: '2026-03-08T05:30:00.000Z', validUntil: '2026-03-08T08:30:00.000Z' });
	});

	it('America/New_York fall back: classes at 01:30 EDT and 01:30 EST are separate, touching windows merge', () => {
		const d = one(
			profile({
				registrations: [
					registration({ id: 'edt', startsAt: '2026-11-01T01:30:00-04:00', endsAt: '2026-11-01T02:00:00-05:00' }), // 05:30Z-07:00Z (90 min)
					registration({ id: 'est', startsAt: '2026-11-01T01:30:00-05:00', endsAt: '2026-11-01T02:30:00-05:00' }), // 06:30Z-07:30Z
				],
			}),
			{ ...ON, evaluationTime: '2026-11-01T05:00:00Z', minutesBefore: 0, minutesAfter: 0 },
		);
		expect(d).toMatchObject({ activeNow: false, validFrom: '2026-11-01T05:30:00.000Z', validUntil: '2026-11-01T07:30:00.000Z' });
	});

	it('look-ahead is absolute hours, not wall-clock hours, across a DST change', () => {
		// Saturday 12:00 GMT → Sunday 12:30 BST is 24.5 hours on the wall clock but 23.5 real hours (11:30Z).
		const item = profile({ registrations: [registration({ startsAt: '2026-03-29T12:30:00+01:00', endsAt: '2026-03-29T13:30:00+01:00' })] });
		const d = one(item, { ...ON, evaluationTime: '2026-03-28T12:00:00+00:00', minutesBefore: 0 });
		expect(d).toMatchObject({ access: 'allow', activeNow: false, validFrom: '2026-03-29T11:30:00.000Z', validUntil: '2026-03-29T13:30:00.000Z' });
		const tighter = one(item, { ...ON, evaluationTime: '2026-03-28T12:00:00+00:00', minutesBefore: 0, lookAheadHours: 23.5 });
		expect(codes(tighter.denials)).toContain('REGISTRATION_TOO_FAR_AHEAD');
		expect(one(item, { ...ON, evaluationTime: '2026-03-28T12:00:00+00:00', minutesBefore: 0, lookAheadHours: 23.6 }).access).toBe('allow');
	});

	it('a date-only membership converted with localDateToInstant ends at 00:00 local after its last day (23-hour day)', () => {
		const m = membership({
			startsAt: localDateToInstant('2026-03-01', 'Europe/London'),
			expiresAt: localDateToInstant('2026-03-29', 'Europe/London', true), // 00:00 BST on 30 March = 23:00Z on 29 March
		});
		expect(one(profile({ memberships: [m] }), { evaluationTime: '2026-03-29T22:59:59.999Z' })).toMatchObject({ access: 'allow', validUntil: '2026-03-29T23:00:00.000Z' });
		expect(one(profile({ memberships: [m] }), { evaluationTime: '2026-03-29T23:00:00Z' }).access).toBe('deny');
	});

	it('New York date-only membership across fall back', () => {
		const m = membership({ startsAt: localDateToInstant('2026-11-01', 'America/New_York'), expiresAt: localDateToInstant('2026-11-01', 'America/New_York', true) });
		const d = one(profile({ memberships: [m] }), { evaluationTime: '2026-11-01T12:00:00Z' });
		expect(d).toMatchObject({ validFrom: '2026-11-01T04:00:00.000Z', validUntil: '2026-11-02T05:00:00.000Z' });
	});

	it('evaluation time with an offset is the same instant as in UTC', () => {
		const item = profile({ registrations: [registration()] });
		expect(one(item, { ...ON, evaluationTime: '2026-03-02T09:00:00-05:00' })).toEqual(one(item, { ...ON, evaluationTime: NOW }));
	});
});

describe('every reason code of the spec is produced', () => {
	it('covers all grant and denial codes', () => {
		const ON = { grantOnRegistrations: true };
		const seen = new Set<string>();
		const add = (decisions: AccessDecision[]) => decisions.forEach((d) => [...d.reasons, ...d.denials].forEach((r) => seen.add(`${d.access === 'allow' && d.reasons.includes(r) ? 'grant' : 'deny'}:${r.code}`)));
		const decide = (items: unknown[], params = {}) => add(run(items, { ...ON, ...params }).map((o) => o.decision));

		decide([
			profile({ memberships: [membership()] }),
			profile({ memberships: [membership({ blocked: true })] }),
			profile({ registrations: [registration()] }),
			profile({ email: 'd@example.com', memberships: [membership()] }),
			profile({ email: 'd@example.com' }),
			profile({ email: 'x@example.com' }),
			profile({ email: 'x@example.com' }),
			'not a profile',
			profile({ email: 'nope' }),
			profile({
				memberships: [
					membership({ status: 'hold' }),
					membership({ status: 'expired' }),
					membership({ type: 'pack', remainingUses: 0 }),
					membership({ status: 'cancelled' }),
					membership({ startsAt: '2027-01-01T00:00:00Z', expiresAt: null }),
					membership({ blocked: true }),
					membership({ type: 'payg' }),
				],
				registrations: [
					registration({ status: 'cancelled' }),
					registration({ status: 'no_show' }),
					registration({ kind: 'appointment' }),
					registration({ startsAt: '2026-03-05T10:00:00Z', endsAt: '2026-03-05T11:00:00Z' }),
					registration({ startsAt: '2026-03-01T10:00:00Z', endsAt: '2026-03-01T11:00:00Z' }),
				],
			}),
		]);
		decide([profile({ memberships: [membership({ blocked: true })] })], { allowBlockedMemberships: true });
		decide([profile({ memberships: [membership({ blocks: [{ kind: 'payment', since: '2026-03-01T09:00:00Z', reason: 'Failed payment' }] })] })], { graceDays: 3 });
		decide([profile({ email: 'banned@example.com', memberships: [membership()] })], { denyList: 'banned@example.com' });
		decide([profile({ memberships: [membership({ status: 'hold' })], registrations: [registration()] })]);
		decide([profile({ memberships: [membership({ planId: '1', name: 'Pool' })] })], { allowedMemberships: 'Gold' });
		decide([profile({ registrations: [registration({ kind: 'appointment' })] })], { registrationKinds: 'class' });
		decide([profile({ email: 'z@example.com' }), profile({ email: 'z@example.com' })], { duplicateEmails: 'deny' });

		const grants = [...seen].filter((s) => s.startsWith('grant:')).map((s) => s.slice(6));
		const denials = [...seen].filter((s) => s.startsWith('deny:')).map((s) => s.slice(5));
		expect(new Set(grants)).toEqual(new Set(GRANT_CODES));
		expect(new Set(denials)).toEqual(new Set(DENIAL_CODES));
	});
});

describe('scale', () => {
	it('evaluates 5,000 profiles (Kisi × Glofox sync limit) and prints the time', () => {
		const items = Array.from({ length: 5_000 }, (_, i) =>
			profile({ email: `p${i % 4_900}@example.com`, memberships: [membership()], registrations: [registration()] }),
		);
		const started = performance.now();
		const out = run(items, { grantOnRegistrations: true });
		const ms = performance.now() - started;
		 
		console.log(`evaluator: 5,000 profiles in ${ms.toFixed(0)} ms`);
		expect(out).toHaveLength(4_900);
		expect(out[0].inputIndexes).toEqual([0, 4_900]);
	});
});
