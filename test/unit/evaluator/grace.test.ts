/**
 * Payment Grace Days (docs/spec/access-rules.md §3.1 rule 3, issue 19): a membership blocked only
 * for a failed or retrying payment keeps access for N days after the failure, calendar days in the
 * profile's time zone.
 */
import { InvalidParameterError, resolveParameters } from '../../../nodes/AccessRuleEvaluator/engine';
import { codes, membership, NOW, one, profile, registration } from './helpers';

const LONDON = 'Europe/London';
const failed = (since: string | null, extra: Record<string, unknown> = {}) => ({ kind: 'payment', since, reason: 'Failed payment (invoice 6001 due 2026-03-27)', ...extra });
/** An open-ended membership blocked by `blocks`, as the TeamUp mapper writes it. */
const blockedBy = (...blocks: Array<Record<string, unknown>>) =>
	membership({ id: 'cm1', name: 'Unlimited Monthly', startsAt: '2026-01-01T00:00:00Z', expiresAt: null, blocked: true, blockReason: null, blocks });

describe('grace ends exactly N calendar days after the failure, in the profile’s time zone', () => {
	// 27 March 2026 10:00 GMT; the clocks go forward on 29 March: 3 days later is 30 March 10:00 BST, 71 hours on.
	const spring = profile({ timeZone: LONDON, memberships: [blockedBy(failed('2026-03-27T10:00:00Z'))] });

	it('across the spring DST change: 71 hours, ending at 10:00 local', () => {
		const d = one(spring, { graceDays: 3, evaluationTime: '2026-03-30T08:59:59.999Z' });
		expect(d).toMatchObject({ access: 'allow', activeNow: true, validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2026-03-30T09:00:00.000Z', denials: [] });
		expect(Date.parse(d.validUntil as string) - Date.parse('2026-03-27T10:00:00Z')).toBe(71 * 3_600_000);
		expect(d.reasons).toEqual([
			{
				code: 'MEMBERSHIP_PAYMENT_GRACE',
				membershipId: 'cm1',
				message:
					'Unlimited Monthly is blocked: Failed payment (invoice 6001 due 2026-03-27); payment failed 2026-03-27 10:00 Europe/London: grace of 3 days until 2026-03-30 10:00 Europe/London (2026-03-30T09:00:00.000Z)',
			},
		]);
	});

	it('at the grace end the membership is blocked again, and the denial says the grace ended', () => {
		const d = one(spring, { graceDays: 3, evaluationTime: '2026-03-30T09:00:00Z' });
		expect(d).toMatchObject({ access: 'deny', validUntil: null, reasons: [] });
		expect(d.denials).toEqual([
			{ code: 'NO_ACTIVE_MEMBERSHIP', message: 'No active membership (1 membership checked)' },
			{
				code: 'MEMBERSHIP_BLOCKED',
				membershipId: 'cm1',
				message:
					'Unlimited Monthly is blocked: Failed payment (invoice 6001 due 2026-03-27); payment failed 2026-03-27 10:00 Europe/London: the grace of 3 days ended at 2026-03-30 10:00 Europe/London',
			},
		]);
	});

	it('across the autumn DST change: 2 days from 24 October 10:00 BST end on 26 October 10:00 GMT, 49 hours on', () => {
		const autumn = profile({ timeZone: LONDON, memberships: [blockedBy(failed('2026-10-24T10:00:00+01:00'))] });
		expect(one(autumn, { graceDays: 2, evaluationTime: '2026-10-26T09:59:00Z' })).toMatchObject({ access: 'allow', validUntil: '2026-10-26T10:00:00.000Z' });
		expect(one(autumn, { graceDays: 2, evaluationTime: '2026-10-26T10:00:00Z' }).access).toBe('deny');
	});

	it('a due date read as 00:00 local (the TeamUp mapping) ends at 00:00 local N days later', () => {
		// Due 27 March: 00:00 GMT. Three days: 30 March 00:00 BST = 29 March 23:00Z.
		const due = profile({ timeZone: LONDON, memberships: [blockedBy(failed('2026-03-27T00:00:00.000Z'))] });
		expect(one(due, { graceDays: 3, evaluationTime: '2026-03-29T22:00:00Z' }).validUntil).toBe('2026-03-29T23:00:00.000Z');
	});

	it('without a time zone, days are 24 hours: 72 hours across the same change', () => {
		const noZone = profile({ memberships: [blockedBy(failed('2026-03-27T10:00:00Z'))] });
		const d = one(noZone, { graceDays: 3, evaluationTime: '2026-03-30T09:30:00Z' });
		expect(d).toMatchObject({ access: 'allow', validUntil: '2026-03-30T10:00:00.000Z' });
		expect(d.reasons[0].message).toContain('payment failed 2026-03-27T10:00:00.000Z: grace of 3 days until 2026-03-30T10:00:00.000Z');
		expect(one(noZone, { graceDays: 3, evaluationTime: '2026-03-30T10:00:00Z' }).access).toBe('deny');
	});

	it('one day is singular in the message', () => {
		const d = one(profile({ memberships: [blockedBy(failed('2026-03-02T09:00:00Z'))] }), { graceDays: 1 });
		expect(d.reasons[0].message).toContain('grace of 1 day until 2026-03-03T09:00:00.000Z');
	});
});

describe('which blocks get grace', () => {
	it('a retrying payment gets grace like a failed one', () => {
		const retrying = profile({ memberships: [blockedBy(failed('2026-02-28T00:00:00Z', { reason: 'Payment being retried (invoice 6002 due 2026-02-28)' }))] });
		const d = one(retrying, { graceDays: 7 });
		expect(d).toMatchObject({ access: 'allow', activeNow: true, validUntil: '2026-03-07T00:00:00.000Z' });
		expect(d.reasons[0]).toMatchObject({ code: 'MEMBERSHIP_PAYMENT_GRACE', message: expect.stringContaining('Payment being retried (invoice 6002 due 2026-02-28)') });
	});

	it('a manual block never gets grace, alone or next to a payment failure', () => {
		const manual = { kind: 'manual', since: '2026-03-01T00:00:00Z', reason: 'Registrations blocked in TeamUp since 2026-03-01' };
		for (const blocks of [[manual], [failed('2026-03-01T00:00:00Z'), manual]]) {
			const d = one(profile({ memberships: [blockedBy(...blocks)] }), { graceDays: 30 });
			expect(d.access).toBe('deny');
			expect(d.denials[1]).toMatchObject({
				code: 'MEMBERSHIP_BLOCKED',
				message: expect.stringContaining('no grace: it is blocked by hand, and Payment Grace Days apply only to failed payments'),
			});
		}
	});

	it('no failure date: no grace, and the denial says why', () => {
		const undated = profile({ memberships: [blockedBy(failed(null, { reason: 'Payment being retried (2 retries)' }))] });
		const d = one(undated, { graceDays: 30 });
		expect(d.access).toBe('deny');
		expect(d.denials[1]).toEqual({
			code: 'MEMBERSHIP_BLOCKED',
			membershipId: 'cm1',
			message: 'Unlimited Monthly is blocked: Payment being retried (2 retries); no grace: the source does not say when the payment failed, so Payment Grace Days cannot be counted',
		});
	});

	it('one undated payment block among dated ones: no grace (it may be older)', () => {
		const d = one(profile({ memberships: [blockedBy(failed('2026-03-01T00:00:00Z'), failed(null, { reason: 'Payment being retried' }))] }), { graceDays: 30 });
		expect(d.access).toBe('deny');
	});

	it('several dated failures: the grace runs from the earliest', () => {
		const d = one(profile({ memberships: [blockedBy(failed('2026-03-01T00:00:00Z'), failed('2026-02-25T00:00:00Z', { reason: 'Failed payment (invoice 5)' }))] }), { graceDays: 6 });
		expect(d).toMatchObject({ access: 'allow', validUntil: '2026-03-03T00:00:00.000Z' });
	});

	it('a block of unknown kind (Glofox LOCKED) or an old profile’s bare `blocked: true`: no grace, saying the source does not tell', () => {
		const locked = membership({ id: 'g1', status: 'LOCKED', blocked: true, blockReason: 'Membership locked in Glofox', blocks: [{ kind: 'unknown', since: null, reason: 'Membership locked in Glofox' }] });
		const bare = membership({ id: 'b1', blocked: true, blockReason: 'Failed payment' });
		for (const m of [locked, bare]) {
			const d = one(profile({ memberships: [m] }), { graceDays: 30 });
			expect(d.access).toBe('deny');
			expect(d.denials[1].message).toContain('no grace: the source does not say whether the block is for a failed payment, so Payment Grace Days do not apply');
		}
	});

	it('a kind the evaluator does not know is never a payment', () => {
		const d = one(profile({ memberships: [blockedBy(failed('2026-03-01T00:00:00Z', { kind: 'chargeback' }))] }), { graceDays: 30 });
		expect(d.access).toBe('deny');
		expect(d.denials[1].message).toContain("the source does not say whether the block (kind 'chargeback') is for a failed payment");
	});

	it('a failure dated after the evaluation time is not trusted: no grace', () => {
		const d = one(profile({ memberships: [blockedBy(failed('2026-03-05T00:00:00Z'))] }), { graceDays: 30 });
		expect(d.access).toBe('deny');
		expect(d.denials[1].message).toContain('after the evaluation time');
	});

	it('`blocks` without `blocked: true` still block (the list wins)', () => {
		const m = membership({ blocked: false, blocks: [{ kind: 'manual', since: null, reason: 'Banned' }] });
		expect(one(profile({ memberships: [m] })).denials[1]).toMatchObject({ code: 'MEMBERSHIP_BLOCKED', message: 'Gold Monthly is blocked: Banned' });
	});
});

describe('grace and the other rules', () => {
	it('0 days (the default) keeps today’s behaviour and message', () => {
		const item = profile({ memberships: [blockedBy(failed('2026-03-01T00:00:00Z'))] });
		for (const params of [{}, { graceDays: 0 }]) {
			const d = one(item, params);
			expect(d.access).toBe('deny');
			expect(d.denials[1]).toEqual({ code: 'MEMBERSHIP_BLOCKED', membershipId: 'cm1', message: 'Unlimited Monthly is blocked: Failed payment (invoice 6001 due 2026-03-27)' });
		}
	});

	it('Allow Blocked Memberships lets the membership in for its whole validity, grace or not', () => {
		const d = one(profile({ memberships: [blockedBy(failed('2026-03-01T00:00:00Z'))] }), { graceDays: 3, allowBlockedMemberships: true });
		expect(d).toMatchObject({ access: 'allow', validUntil: null });
		expect(codes(d.reasons)).toEqual(['MEMBERSHIP_BLOCKED_ALLOWED']);
	});

	it('the grace never outlasts the membership: the window ends at the earlier of expiry and grace end', () => {
		const m = membership({ expiresAt: '2026-03-03T00:00:00Z', blocks: [failed('2026-03-01T00:00:00Z')] });
		expect(one(profile({ memberships: [m] }), { graceDays: 10 }).validUntil).toBe('2026-03-03T00:00:00.000Z');
	});

	it('grace does not bring back a membership on hold or expired', () => {
		const held = membership({ status: 'hold', blocks: [failed('2026-03-01T00:00:00Z')] });
		const d = one(profile({ memberships: [held] }), { graceDays: 10 });
		expect(d.access).toBe('deny');
		expect(codes(d.denials)).toEqual(['NO_ACTIVE_MEMBERSHIP', 'MEMBERSHIP_ON_HOLD']);
	});

	it('the grace end merges with other windows as usual (a class that runs past it extends the access)', () => {
		const item = profile({
			memberships: [blockedBy(failed('2026-02-27T15:30:00Z'))],
			registrations: [registration({ id: 'r1', startsAt: '2026-03-02T15:00:00Z', endsAt: '2026-03-02T16:00:00Z' })],
		});
		const d = one(item, { graceDays: 3, grantOnRegistrations: true });
		// Grace until 2 March 15:30; the class window runs 14:00 to 17:00.
		expect(d).toMatchObject({ access: 'allow', activeNow: true, validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2026-03-02T17:00:00.000Z' });
		expect(codes(d.reasons)).toEqual(['MEMBERSHIP_PAYMENT_GRACE', 'REGISTRATION_WINDOW']);
		expect(d.windows).toEqual([
			{ from: '2026-01-01T00:00:00.000Z', until: '2026-03-02T15:30:00.000Z', basis: 'membership', refId: 'cm1' },
			{ from: '2026-03-02T14:00:00.000Z', until: '2026-03-02T17:00:00.000Z', basis: 'registration', refId: 'r1' },
		]);
	});

	it('evaluates at NOW in the other tests', () => {
		expect(NOW).toBe('2026-03-02T14:00:00.000Z');
	});
});

describe('Payment Grace Days [graceDays] and the profile fields it reads', () => {
	it.each([
		[-1, 'must be 0 or more, got -1'],
		[1.5, 'must be a whole number of days, got 1.5'],
		[400, 'must be 366 days or fewer, got 400'],
		['three', "must be a number, got 'three'"],
	])('%p fails naming the field: %s', (value, problem) => {
		expect(() => resolveParameters({ graceDays: value })).toThrow(InvalidParameterError);
		expect(() => resolveParameters({ graceDays: value })).toThrow(`Payment Grace Days [graceDays] ${problem}`);
	});

	it('numeric text from an expression is accepted; empty is the default 0', () => {
		expect(resolveParameters({ graceDays: '3' }).graceDays).toBe(3);
		expect(resolveParameters({ graceDays: '' }).graceDays).toBe(0);
	});

	it('an unreadable failure date or time zone makes the profile invalid, naming the field', () => {
		const badSince = one(profile({ memberships: [blockedBy(failed('27/03/2026'))] }), { graceDays: 3 });
		expect(badSince.denials[0]).toMatchObject({ code: 'INVALID_PROFILE', message: expect.stringContaining('memberships[0].blocks[0].since is not an ISO-8601 date-time') });
		const badZone = one(profile({ timeZone: 'London', memberships: [membership()] }));
		expect(badZone.denials[0]).toMatchObject({ code: 'INVALID_PROFILE', message: expect.stringContaining("timeZone is not an IANA time zone (got \"London\")") });
	});
});
