/**
 * Decisions older than the share (issue 16, "a webhook-driven run and the 15-minute sync running
 * at the same moment never … undo each other"): a run plans from decisions made at one instant
 * (the evaluator's `evaluatedAt`) and a share list read later. A share Kisi stamps as created or
 * changed after that instant (a real-time run granted someone who just bought) is never revoked,
 * narrowed or widened on the older decisions' strength: it is left, reported as skipped. The
 * apply-time half (a share changed while the run writes) is in apply.test.ts; the sandbox runs in
 * test/engine/sync/scope.test.ts.
 */
import { evaluateAccess } from '../../../nodes/AccessRuleEvaluator/engine';
import {
	changedAfterDecisions,
	type GroupSyncPlan,
	type KisiShare,
	planGroupSync,
	type PlanGroupSyncInput,
	type SyncDecision,
} from '../../../nodes/Kisi/sync/plan';

const GROUP = 501;
const ME = 100;
const DECIDED = '2026-03-02T14:00:00.000Z';
const BEFORE = '2026-03-02T13:50:00Z';
const AFTER = '2026-03-02T14:00:07Z';

const share = (id: number, email: string, changed: string | null, overrides: Partial<KisiShare> = {}): KisiShare => ({
	id,
	email,
	group_id: GROUP,
	valid_from: null,
	valid_until: null,
	created_by_id: ME,
	created_by_type: 'User',
	created_at: '2026-01-01T00:00:00Z',
	updated_at: changed,
	...overrides,
});
const allow = (email: string, validUntil: string | null = null, evaluatedAt: string | null = DECIDED): SyncDecision => ({
	email,
	access: 'allow',
	validFrom: null,
	validUntil,
	reasons: [{ code: 'MEMBERSHIP_ACTIVE', message: 'Gold is active' }],
	evaluatedAt,
});
const deny = (email: string, evaluatedAt: string | null = DECIDED): SyncDecision => ({
	email,
	access: 'deny',
	validFrom: null,
	validUntil: null,
	denials: [{ code: 'MEMBERSHIP_CANCELLED', message: 'Gold was cancelled' }],
	evaluatedAt,
});
const plan = (input: Partial<PlanGroupSyncInput>): GroupSyncPlan =>
	planGroupSync({ decisions: [], shares: [], groupId: GROUP, ownUserId: ME, now: DECIDED, maxRevocations: '100%', ...input });
const row = (entry: { action: string; email: string; shareId: unknown }) => `${entry.action} ${entry.email} ${String(entry.shareId)}`;
const all = (p: GroupSyncPlan) => [...p.creates, ...p.updates, ...p.deletes, ...p.unchanged, ...p.skipped].map(row).sort();

describe('a share changed in Kisi after the decisions were made', () => {
	// The 15-minute run read its source before Ana bought; a real-time run then shared the group
	// with her (created after the decisions), and renewed Ben's share (updated after them).
	const shares = [
		share(1, 'ana@example.com', null, { created_at: AFTER }),
		share(2, 'ben@example.com', AFTER, { valid_until: '2026-06-01T00:00:00Z' }),
		share(3, 'cat@example.com', AFTER),
		share(4, 'dan@example.com', BEFORE),
	];

	it('is not revoked when its person is missing from the decisions or denied, and says why', () => {
		const p = plan({ decisions: [deny('ben@example.com'), allow('cat@example.com', '2026-03-10T00:00:00Z'), deny('dan@example.com')], shares });
		expect(p.decidedAt).toBe(DECIDED);
		expect(all(p)).toEqual(['delete dan@example.com 4', 'skipped ana@example.com 1', 'skipped ben@example.com 2', 'skipped cat@example.com 3']);
		const reasons = Object.fromEntries(p.skipped.map((entry) => [entry.email, entry.reason]));
		expect(reasons['ana@example.com']).toBe(
			"Not in the evaluator's output, but the share was changed in Kisi after these decisions were made (share changed 2026-03-02T14:00:07.000Z, decisions made 2026-03-02T14:00:00.000Z): left as it is, the next run decides",
		);
		expect(reasons['ben@example.com']).toMatch(/^Denied: Gold was cancelled, but the share was changed in Kisi after these decisions were made/);
		// Neither narrowed (nor widened): Cat's newer share keeps its validity.
		expect(reasons['cat@example.com']).toBe(
			'Allowed (Gold is active), but the share was changed in Kisi after these decisions were made (share changed 2026-03-02T14:00:07.000Z, decisions made 2026-03-02T14:00:00.000Z): left as it is, the next run decides (not applied: valid_until none → 2026-03-10T00:00:00.000Z)',
		);
		expect(p.skipped.find((entry) => entry.email === 'ben@example.com')).toMatchObject({ validFrom: null, validUntil: '2026-06-01T00:00:00.000Z' });
	});

	it('is still "unchanged" when the decision agrees with it, and a new person is still shared', () => {
		const p = plan({ decisions: [allow('ben@example.com', '2026-06-01T00:00:00Z'), allow('eve@example.com')], shares: shares.slice(1, 2) });
		expect(all(p)).toEqual(['create eve@example.com null', 'unchanged ben@example.com 2']);
	});

	it('a share changed before the decisions, or within the same second (Kisi writes whole seconds), is acted on', () => {
		const sameSecond = [share(5, 'fay@example.com', '2026-03-02T14:00:00.900Z'), share(6, 'gus@example.com', BEFORE)];
		expect(all(plan({ decisions: [deny('fay@example.com')], shares: sameSecond }))).toEqual(['delete fay@example.com 5', 'delete gus@example.com 6']);
		expect(changedAfterDecisions(Date.parse(DECIDED), Date.parse('2026-03-02T14:00:00.999Z'))).toBe(false);
		expect(changedAfterDecisions(Date.parse(DECIDED), Date.parse('2026-03-02T14:00:01Z'))).toBe(true);
	});

	it('undated decisions (a Code node without evaluatedAt) act as before, whatever the stamps', () => {
		const p = plan({ decisions: [deny('ben@example.com', null), allow('cat@example.com', '2026-03-10T00:00:00Z', null)], shares });
		expect(p.decidedAt).toBeNull();
		expect(all(p)).toEqual(['delete ana@example.com 1', 'delete ben@example.com 2', 'delete dan@example.com 4', 'update cat@example.com 3']);
		// An unreadable evaluatedAt dates nothing either.
		expect(plan({ decisions: [deny('ben@example.com', 'yesterday')], shares }).decidedAt).toBeNull();
	});

	it('several evaluators: the earliest decision instant counts', () => {
		const p = plan({ decisions: [deny('ben@example.com', '2026-03-02T14:10:00Z'), deny('dan@example.com', DECIDED)], shares: shares.slice(1) });
		expect(p.decidedAt).toBe(DECIDED);
		expect(p.deletes.map((entry) => entry.email)).toEqual(['dan@example.com']);
	});

	it('the source was read from the run\'s start: a share changed while a long source read went on counts as newer', () => {
		// The execution started at 13:58; the evaluator decided at 14:00, after a two-minute source read.
		const duringRead = [share(8, 'hal@example.com', '2026-03-02T13:59:00Z')];
		expect(all(plan({ decisions: [deny('hal@example.com')], shares: duringRead }))).toEqual(['delete hal@example.com 8']);
		const p = plan({ decisions: [deny('hal@example.com')], shares: duringRead, startedAt: '2026-03-02T13:58:00Z' });
		expect(p.decidedAt).toBe('2026-03-02T13:58:00.000Z');
		expect(all(p)).toEqual(['skipped hal@example.com 8']);
		// A later start (decisions handed over from an earlier run) never moves the instant forward.
		expect(plan({ decisions: [deny('hal@example.com')], shares: duringRead, startedAt: Date.parse('2026-03-02T15:00:00Z') }).decidedAt).toBe(DECIDED);
		// Undated decisions stay undated.
		expect(plan({ decisions: [deny('hal@example.com', null)], shares: duringRead, startedAt: new Date('2026-03-02T13:58:00Z') }).decidedAt).toBeNull();
		expect(() => plan({ decisions: [deny('hal@example.com')], startedAt: 'soon' })).toThrow(expect.objectContaining({ parameter: 'startedAt' }));
	});

	it('a protected email is reported as protected (the rule that always holds)', () => {
		const p = plan({ decisions: [deny('ben@example.com')], shares, protectedEmails: 'ben@example.com' });
		expect(p.skipped.find((entry) => entry.email === 'ben@example.com')?.reason).toBe('Protected email, never revoked (Denied: Gold was cancelled)');
	});

	it('holds for a Listed People run too (an older real-time run never undoes a newer one)', () => {
		const p = plan({ decisions: [deny('ben@example.com'), deny('dan@example.com')], shares, scope: 'listedPeople' });
		expect(all(p)).toEqual(['delete dan@example.com 4', 'skipped ben@example.com 2']);
	});

	it('with the evaluator\'s own items: their evaluatedAt dates the plan', () => {
		const decisions = evaluateAccess([{ email: 'ben@example.com', source: 'glofox', sourceId: 'b', memberships: [], registrations: [] }], {
			evaluationTime: DECIDED,
		}).map((item) => item.decision as SyncDecision);
		const p = plan({ decisions, shares });
		expect(p.decidedAt).toBe(DECIDED);
		expect(p.skipped.map((entry) => entry.email)).toEqual(['ana@example.com', 'ben@example.com', 'cat@example.com']);
		expect(p.deletes.map((entry) => entry.email)).toEqual(['dan@example.com']);
	});

	it('the revocation limit counts only what is really revoked', () => {
		const many = Array.from({ length: 8 }, (_, i) => share(10 + i, `m${i}@example.com`, i < 6 ? AFTER : BEFORE));
		const p = plan({ decisions: [allow('x@example.com')], shares: many, maxRevocations: undefined });
		expect(p.guard).toMatchObject({ ok: true, revocations: 2 });
		expect(p.refusal).toBeNull();
	});
});
