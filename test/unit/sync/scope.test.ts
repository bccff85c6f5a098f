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
		// The revocation ends the share now (PATCH), it does not delete it: see "a revocation ends the share" below.
		expect(p.deletes.map((d) => [d.shareId, d.end?.request])).toEqual([[2, { valid_until: NOW }]]);
		expect(p.deletes[0].reason).toMatch(/^Denied: Gold was cancelled: access ended at 2026-03-02T14:00:00.000Z; the ended share stays in Kisi until the next Whole Group run removes it/);
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

	describe('a revocation ends the share at once instead of deleting it (a stale Whole Group run then cannot share again)', () => {
		it('a running share gets valid_until = now, to the second; its start is kept; the item shows the ended validity', () => {
			const started = share(2, 'cancelled@example.com', { valid_from: '2026-01-01T00:00:00Z', valid_until: '2026-12-31T00:00:00Z' });
			const p = plan({ decisions: [deny('cancelled@example.com')], shares: [started], now: '2026-03-02T14:00:00.750Z' });
			expect(p.deletes.map((d) => [d.action, d.shareId, d.end?.request, d.validFrom, d.validUntil, d.previous])).toEqual([
				['delete', 2, { valid_until: NOW }, '2026-01-01T00:00:00.000Z', NOW, { validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2026-12-31T00:00:00.000Z' }],
			]);
		});

		it('dated decisions end it when they were made (the evaluation, a moment before the run writes)', () => {
			const p = plan({ decisions: [{ ...deny('cancelled@example.com'), evaluatedAt: '2026-03-02T13:59:58.400Z' }], shares: [share(2, 'cancelled@example.com')] });
			expect(p.deletes[0].end).toEqual({ request: { valid_until: '2026-03-02T13:59:58.000Z' }, cause: 'Denied: Gold was cancelled' });
		});

		it('a share that has not started yet (a booking later today) also gets a start just before the end: its dates stay in order and grant nothing', () => {
			const later = share(2, 'cancelled@example.com', { valid_from: '2026-03-02T18:00:00Z', valid_until: '2026-03-02T19:30:00Z' });
			const p = plan({ decisions: [deny('cancelled@example.com')], shares: [later] });
			expect(p.deletes[0].end?.request).toEqual({ valid_from: '2026-03-02T13:59:59.000Z', valid_until: NOW });
			const unreadable = plan({ decisions: [deny('cancelled@example.com')], shares: [share(2, 'cancelled@example.com', { valid_from: 'next week' })] });
			expect(unreadable.deletes[0].end?.request).toEqual({ valid_from: '2026-03-02T13:59:59.000Z', valid_until: NOW });
		});

		it('a share that has already ended is not written again: a burst of webhooks about one cancellation ends it once', () => {
			const ended = share(2, 'cancelled@example.com', { valid_until: '2026-03-02T13:59:00Z' });
			const p = plan({ decisions: [deny('cancelled@example.com')], shares: [ended] });
			expect(p.deletes).toEqual([]);
			expect(p.unchanged.map((u) => [u.shareId, u.validUntil])).toEqual([[2, '2026-03-02T13:59:00.000Z']]);
			expect(p.unchanged[0].reason).toBe('Denied: Gold was cancelled: access already ended at 2026-03-02T13:59:00.000Z, left as it is until the next Whole Group run removes it');
		});

		it('still counts as a revocation for the limit; the Whole Group scope deletes as before', () => {
			const decisions = [1, 2, 3, 4, 5, 6].map((i) => deny(`m${i}@example.com`));
			const shares = [1, 2, 3, 4, 5, 6].map((i) => share(i, `m${i}@example.com`));
			expect(plan({ decisions, shares }).refusal?.rule).toBe('maxRevocations');
			const whole = plan({ decisions: [deny('cancelled@example.com'), allow('stays@example.com')], shares: GYM.slice(0, 2), scope: 'wholeGroup' });
			expect(whole.deletes.map((d) => [d.shareId, d.end, d.reason])).toEqual([[2, undefined, 'Denied: Gold was cancelled']]);
		});

		it('a Whole Group run removing shares that have already ended takes no one\'s access away: the revocation limit does not count them', () => {
			const ended = [1, 2, 3, 4, 5, 6].map((i) => share(i, `e${i}@example.com`, { valid_until: '2026-03-02T13:50:00Z' }));
			const live = [7, 8, 9, 10, 11, 12].map((i) => share(i, `l${i}@example.com`));
			const endedGo = plan({ decisions: [...ended.map((s) => deny(String(s.email))), ...live.map((s) => allow(String(s.email)))], shares: [...ended, ...live], scope: 'wholeGroup', maxRevocations: 5 });
			expect(endedGo.deletes.map((d) => d.shareId)).toEqual([1, 2, 3, 4, 5, 6]);
			expect(endedGo.guard).toMatchObject({ ok: true, revocations: 0 });
			expect(endedGo.refusal).toBeNull();
			// Six shares that still open the door are six revocations: refused.
			const liveGo = plan({ decisions: [...ended, ...live].map((s) => deny(String(s.email))), shares: [...ended, ...live], scope: 'wholeGroup', maxRevocations: 5 });
			expect(liveGo.guard).toMatchObject({ ok: false, revocations: 6 });
			expect(liveGo.refusal?.rule).toBe('maxRevocations');
		});

		it('the Whole Group run that read the source before the cancellation leaves the ended share; the next one removes it', () => {
			// 14:00:00 the Whole Group run evaluates (the cancellation not yet in the source); 14:00:05 the real-time run ends the share.
			const ended = share(2, 'cancelled@example.com', { valid_until: '2026-03-02T14:00:05.000Z', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-03-02T14:00:05Z' });
			const stale = plan({ decisions: [{ ...allow('cancelled@example.com'), evaluatedAt: NOW }], shares: [ended], scope: 'wholeGroup', now: '2026-03-02T14:00:09Z' });
			expect(actions(stale)).toEqual(['skipped cancelled@example.com']);
			expect(stale.skipped[0].reason).toMatch(/changed in Kisi after these decisions were made/);
			const next = plan({ decisions: [{ ...deny('cancelled@example.com'), evaluatedAt: '2026-03-02T14:15:00Z' }], shares: [ended], scope: 'wholeGroup', now: '2026-03-02T14:15:02Z' });
			expect(next.deletes.map((d) => [d.shareId, d.end])).toEqual([[2, undefined]]);
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
