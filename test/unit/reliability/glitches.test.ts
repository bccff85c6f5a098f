/**
 * The pure rules behind the reliability suite's pack fixes (test/engine/reliability): a source
 * glitch never revokes, a protected-email typo is refused, and an unreadable Glofox booking is
 * reported instead of vanishing.
 */
import { evaluateAccess } from '../../../nodes/AccessRuleEvaluator/engine';
import { type GlofoxBooking, toAccessProfile } from '../../../nodes/Glofox/mapping/profile';
import { type KisiShare, parseEmailList, planGroupSync, type PlanGroupSyncInput, type SyncDecision } from '../../../nodes/Kisi/sync/plan';

const GROUP = 503;
const ME = 100;
const NOW = '2026-03-02T14:00:00.000Z';

const share = (id: number, email: string): KisiShare => ({ id, email, group_id: GROUP, valid_from: null, valid_until: null, created_by_id: ME, created_by_type: 'User' });
const allow = (email: string): SyncDecision => ({ email, access: 'allow', validFrom: null, validUntil: null, reasons: [{ code: 'MEMBERSHIP_ACTIVE', message: 'active' }], denials: [] });
const invalid = (email: string, extra: Array<{ code: string; message: string }> = []): SyncDecision => ({
	email,
	access: 'deny',
	validFrom: null,
	validUntil: null,
	reasons: [],
	denials: [{ code: 'INVALID_PROFILE', message: 'Item 3: registrations[0].startsAt is required' }, ...extra],
});
const plan = (input: Partial<PlanGroupSyncInput>) => planGroupSync({ decisions: [], shares: [], groupId: GROUP, ownUserId: ME, now: NOW, ...input });

describe('a denial resting on an invalid profile never revokes', () => {
	it('skips the share with the reason instead of deleting it, and does not count it against the guard', () => {
		const p = plan({ decisions: [invalid('lena@example.com'), allow('ana@example.com')], shares: [share(1, 'lena@example.com'), share(2, 'ana@example.com')] });
		expect(p.deletes).toEqual([]);
		expect(p.skipped).toEqual([
			expect.objectContaining({ action: 'skipped', email: 'lena@example.com', shareId: 1, reason: 'Decision not applied: the source profile is invalid (Item 3: registrations[0].startsAt is required); share left as it is' }),
		]);
		expect(p.guard).toMatchObject({ ok: true, revocations: 0 });
	});

	it('also when another of the person\'s profiles is denied for a real reason (the unreadable one might grant)', () => {
		const p = plan({ decisions: [invalid('lena@example.com', [{ code: 'MEMBERSHIP_EXPIRED', message: 'expired' }])], shares: [share(1, 'lena@example.com')] });
		expect(p.deletes).toEqual([]);
		expect(p.skipped.map((entry) => entry.email)).toEqual(['lena@example.com']);
	});

	it('never creates a share for such a person, and an ordinary denial still revokes', () => {
		const p = plan({ decisions: [invalid('new@example.com'), { ...invalid('old@example.com'), denials: [{ code: 'MEMBERSHIP_EXPIRED', message: 'expired' }] }], shares: [share(1, 'old@example.com')] });
		expect(p.creates).toEqual([]);
		expect(p.deletes.map((entry) => entry.email)).toEqual(['old@example.com']);
	});
});

describe('Protected Emails refuses an entry that is not an email', () => {
	it.each(['boss@gym', 'boss gym.com', 'boss@'])('%s', (typo) => {
		expect(() => parseEmailList(`owner@demo.gym, ${typo}`)).toThrow(`Protected Emails [protectedEmails] contains "${typo}", which is not an email address`);
	});

	it('still accepts lists, separators, blanks and case', () => {
		expect([...parseEmailList(' Owner@Demo.gym ;\nstaff@demo.gym,, ')]).toEqual(['owner@demo.gym', 'staff@demo.gym']);
		expect([...parseEmailList(['A@b.co', ''])]).toEqual(['a@b.co']);
	});
});

describe('a Glofox booking listed without readable session times', () => {
	const nowMs = Date.parse(NOW);
	const member = { _id: 'aaaaaaaaaaaaaaaaaaaaaaaa', email: 'lena@example.com', active: true, membership: { type: 'payg', status: 'ACTIVE' } };
	const profileOf = (bookings: GlofoxBooking[]) =>
		toAccessProfile({ member, bookings, timezone: 'Europe/London', nowMs, range: { fromMs: nowMs - 6 * 3_600_000, untilMs: nowMs + 24 * 3_600_000 } });

	it('is kept with null times when it could grant access, so the evaluator reports the profile as invalid, naming the field', () => {
		const profile = profileOf([{ _id: 'b1', user_id: member._id, status: 'BOOKED', time_start: null, time_finish: null }]);
		expect(profile.registrations).toEqual([expect.objectContaining({ id: 'b1', status: 'registered', startsAt: null, endsAt: null })]);
		const [{ decision }] = evaluateAccess([profile], { grantOnRegistrations: true, evaluationTime: NOW });
		expect(decision).toMatchObject({ access: 'deny', denials: [expect.objectContaining({ code: 'INVALID_PROFILE', message: expect.stringContaining('registrations[0].startsAt') })] });
	});

	it('is left out when it could not grant anything (cancelled)', () => {
		expect(profileOf([{ _id: 'b1', user_id: member._id, status: 'CANCELED', time_start: null }]).registrations).toEqual([]);
	});
});
