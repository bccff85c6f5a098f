/**
 * Scope "Listed People Only" (docs/spec/contracts.md, Additions → Sync Group Access: `scope`): a
 * real-time run plans only the people in its input. Everyone else's share is left alone and only
 * counted; ownership, protected emails and the revocation limit still apply, the empty-list
 * refusal does not. The engine tests against the sandbox are in test/engine/sync/scope.test.ts.
 */
import {
	type GroupSyncPlan,
	type KisiShare,
	parseScope,
	planGroupSync,
	type PlanGroupSyncInput,
	type SyncDecision,
	SyncParameterError,
} from '../../../nodes/Kisi/sync/plan';

const GROUP = 501;
const ME = 100;
const STAFF = 7;
const NOW = '2026-03-02T14:00:00.000Z';

const share = (id: number, email: string | null, overrides: Partial<KisiShare> = {}): KisiShare => ({
	id,
	email,
	group_id: GROUP,
	valid_from: null,
	valid_until: null,
	created_by_id: ME,
	created_by_type: 'User',
	...overrides,
});
const allow = (email: string, validUntil: string | null = null): SyncDecision => ({ email, access: 'allow', validFrom: null, validUntil, reasons: [{ code: 'MEMBERSHIP_ACTIVE', message: 'Gold is active' }] });
const deny = (email: string): SyncDecision => ({ email, access: 'deny', validFrom: null, validUntil: null, denials: [{ code: 'MEMBERSHIP_CANCELLED', message: 'Gold was cancelled' }] });
const plan = (input: Partial<PlanGroupSyncInput>): GroupSyncPlan =>
	planGroupSync({ decisions: [], shares: [], groupId: GROUP, ownUserId: ME, now: NOW, scope: 'listedPeople', ...input });
const actions = (p: GroupSyncPlan) =>
	[...p.creates, ...p.updates, ...p.deletes, ...p.unchanged, ...p.skipped].map((entry) => `${entry.action} ${entry.email}`).sort();

/** A gym's group: managed members, a staff share, a protected owner, a share without an email. */
const GYM: KisiShare[] = [
	share(1, 'stays@example.com'),
	share(2, 'cancelled@example.com'),
	share(3, 'renewed@example.com', { valid_until: '2026-03-31T00:00:00Z' }),
	share(4, 'absent@example.com'),
	share(5, 'coach@example.com', { created_by_id: STAFF }),
	share(6, 'owner@example.com'),
	share(7, null),
];

describe('scope: listedPeople', () => {
	it('creates, updates and revokes only the listed people; every other share is left alone, counted, not reported', () => {
		const p = plan({
			decisions: [allow('new@example.com'), deny('cancelled@example.com'), allow('renewed@example.com', '2026-04-30T00:00:00Z')],
			shares: GYM,
			protectedEmails: 'owner@example.com',
		});
		expect(p.scope).toBe('listedPeople');
		expect(p.creates.map((c) => c.request)).toEqual([
			{ email: 'new@example.com', group_id: GROUP, role_id: 'basic', valid_from: null, valid_until: null, notify: false },
		]);
		expect(p.updates.map((u) => [u.shareId, u.request])).toEqual([[3, { valid_from: null, valid_until: '2026-04-30T00:00:00.000Z' }]]);
		expect(p.deletes.map((d) => [d.shareId, d.reason])).toEqual([[2, 'Denied: Gold was cancelled']]);
		// stays, absent (managed, not in the input), coach (staff), owner (protected), the share without an email.
		expect(p.unchanged).toEqual([]);
		expect(p.skipped).toEqual([]);
		expect(p.leftAlone).toBe(5);
		expect(p.refusal).toBeNull();
	});

	it('the same input over the whole group revokes the managed shares of people missing from it', () => {
		const p = plan({ decisions: [allow('new@example.com'), deny('cancelled@example.com')], shares: GYM, protectedEmails: 'owner@example.com', scope: 'wholeGroup' });
		expect(p.deletes.map((d) => d.email)).toEqual(['absent@example.com', 'cancelled@example.com', 'renewed@example.com', 'stays@example.com']);
		expect(p.leftAlone).toBe(0);
	});

	it('an empty input changes nothing and is no refusal (the whole-group refusal is about a source that lost everyone)', () => {
		const p = plan({ decisions: [], shares: GYM });
		expect(actions(p)).toEqual([]);
		expect(p.refusal).toBeNull();
		expect(p.leftAlone).toBe(GYM.length);
		// Whole group, for contrast: refused.
		expect(plan({ decisions: [], shares: GYM, scope: 'wholeGroup' }).refusal?.rule).toBe('emptyDecisionList');
	});

	it('ownership still applies: a listed person whose share someone else made is never changed nor given a second share', () => {
		const denied = plan({ decisions: [deny('coach@example.com')], shares: GYM });
		expect(denied.deletes).toEqual([]);
		expect(denied.skipped.map((s) => [s.action, s.email, s.shareId])).toEqual([['skipped', 'coach@example.com', 5]]);
		expect(denied.skipped[0].reason).toMatch(/^Share not managed by this sync \(ownership: createdByThisKey\), left as it is: denied/);
		const allowed = plan({ decisions: [allow('coach@example.com', '2026-04-01T00:00:00Z')], shares: GYM });
		expect([...allowed.creates, ...allowed.updates]).toEqual([]);
		expect(allowed.skipped.map((s) => s.shareId)).toEqual([5]);
		// With "All Shares in the Group" the listed person's share is the sync's to remove.
		expect(plan({ decisions: [deny('coach@example.com')], shares: GYM, ownership: 'allSharesInGroup' }).deletes.map((d) => d.shareId)).toEqual([5]);
	});

	it('protected emails still apply: a denied owner keeps the share', () => {
		const p = plan({ decisions: [deny('owner@example.com')], shares: GYM, protectedEmails: 'Owner@Example.com' });
		expect(p.deletes).toEqual([]);
		expect(p.skipped.map((s) => [s.email, s.reason])).toEqual([['owner@example.com', 'Protected email, never revoked (Denied: Gold was cancelled)']]);
	});

	describe('the revocation limit counts the listed people', () => {
		const big = Array.from({ length: 1000 }, (_, i) => share(100 + i, `m${i}@example.com`));

		it('one cancellation in a big group is revoked (limit: 10% of the listed people\'s shares, at least 5)', () => {
			const p = plan({ decisions: [deny('m7@example.com')], shares: big });
			expect(p.guard).toEqual({ ok: true, managedCount: 1, revocations: 1, limit: 5 });
			expect(p.refusal).toBeNull();
			expect(p.deletes.map((d) => d.shareId)).toEqual([107]);
			expect(p.leftAlone).toBe(999);
		});

		it('the same when the node read only that person\'s share (a group too big for one page)', () => {
			const p = plan({ decisions: [deny('m7@example.com')], shares: [big[7]] });
			expect(p.guard).toEqual({ ok: true, managedCount: 1, revocations: 1, limit: 5 });
			expect(p.deletes).toHaveLength(1);
		});

		it('a single revocation passes an explicit percentage too ("10%" of one share rounds up to 1)', () => {
			expect(plan({ decisions: [deny('m7@example.com')], shares: big, maxRevocations: '10%' }).refusal).toBeNull();
		});

		it('six denials in one run are refused before any write, naming them; an explicit limit lets them through', () => {
			const decisions = [1, 2, 3, 4, 5, 6].map((i) => deny(`m${i}@example.com`));
			const refused = plan({ decisions, shares: big });
			expect(refused.refusal?.rule).toBe('maxRevocations');
			expect(refused.refusal?.message).toBe(
				'The sync would revoke 6 shares, more than the limit of 5 (default: 10% of 6 managed shares, at least 5; set maxRevocations to change it). First emails: m1@example.com, m2@example.com, m3@example.com, m4@example.com, m5@example.com, m6@example.com. Nothing was written. Check the source first (an outage or a wrong location ID empties the input), or raise maxRevocations if the change is intended.',
			);
			expect(plan({ decisions, shares: big, maxRevocations: 10 }).refusal).toBeNull();
		});

		it('Max Revocations 0 refuses even one', () => {
			expect(plan({ decisions: [deny('m7@example.com')], shares: big, maxRevocations: 0 }).refusal?.rule).toBe('maxRevocations');
		});
	});

	it('an email listed twice (two evaluators) is planned once, an allowing decision winning', () => {
		const p = plan({ decisions: [deny('cancelled@example.com'), allow('cancelled@example.com')], shares: GYM });
		expect(actions(p)).toEqual(['unchanged cancelled@example.com']);
	});

	it('a decision without an email plans nothing and touches nobody', () => {
		const p = plan({ decisions: [{ email: '  ', access: 'deny' }], shares: GYM });
		expect(actions(p)).toEqual([]);
		expect(p.leftAlone).toBe(GYM.length);
	});

	it('the scope defaults to the whole group; anything else is refused naming the parameter', () => {
		expect(planGroupSync({ decisions: [], shares: [], groupId: GROUP, ownUserId: ME }).scope).toBe('wholeGroup');
		expect(parseScope(undefined)).toBe('wholeGroup');
		expect(() => parseScope('everyone')).toThrow(new SyncParameterError('scope', "Scope [scope] must be 'wholeGroup' or 'listedPeople', got 'everyone'"));
		expect(() => plan({ scope: 'some' as never })).toThrow(expect.objectContaining({ parameter: 'scope' }));
	});
});
