/**
 * The planner decides every refusal of the sync (the node only reports it): a place-scoped group,
 * an empty decision list that would revoke, too many revocations, an input item that is not a
 * decision. Each refusal says what happened and what to do; nothing is written.
 */
import { evaluateAccess } from '../../../nodes/AccessRuleEvaluator/engine';
import {
	DecisionItemError,
	type KisiShare,
	placeScopedGroupRefusal,
	planGroupSync,
	type PlanGroupSyncInput,
	readDecisionItems,
} from '../../../nodes/Kisi/sync/plan';

const GROUP = 503;
const ME = 100;
const NOW = '2026-03-02T14:00:00.000Z';

const share = (id: number, email: string, overrides: Partial<KisiShare> = {}): KisiShare => ({ id, email, group_id: GROUP, valid_from: null, valid_until: null, created_by_id: ME, created_by_type: 'User', ...overrides });
const managed = (n: number) => Array.from({ length: n }, (_, i) => share(i + 1, `m${String(i).padStart(2, '0')}@example.com`));
const plan = (input: Partial<PlanGroupSyncInput>) => planGroupSync({ decisions: [], shares: [], groupId: GROUP, ownUserId: ME, now: NOW, ...input });

describe('an empty decision list', () => {
	it('that would revoke is refused, naming the group and the first emails, even under the revocation limit', () => {
		const p = plan({ decisions: [], shares: managed(3) });
		expect(p.guard.ok).toBe(true); // 3 is within the default limit of 5…
		expect(p.refusal).toEqual({
			rule: 'emptyDecisionList',
			message: 'The decision list is empty, so the sync would revoke all 3 shares it manages in group 503 (m00@example.com, m01@example.com, m02@example.com); nothing was changed',
			description:
				'Check the source node (outage, wrong Location ID or credential, a filter that matches nobody). To really empty the group, set "Max Revocations" explicitly (for example "100%") for one run.',
		});
	});

	it('lists at most ten emails', () => {
		expect(plan({ decisions: [], shares: managed(12) }).refusal?.message).toMatch(/\(m00@example\.com, .*, m09@example\.com, …\); nothing was changed$/);
	});

	it('comes before the revocation limit when both apply', () => {
		expect(plan({ decisions: [], shares: managed(40) }).refusal?.rule).toBe('emptyDecisionList');
	});

	it('is not refused when an explicit Max Revocations allows it (the operator really empties the group)', () => {
		const p = plan({ decisions: [], shares: managed(3), maxRevocations: '100%' });
		expect(p.refusal).toBeNull();
		expect(p.deletes).toHaveLength(3);
		// An explicit limit still applies.
		expect(plan({ decisions: [], shares: managed(3), maxRevocations: 2 }).refusal?.rule).toBe('maxRevocations');
	});

	it('is no refusal when there is nothing to revoke (protected or unmanaged shares only)', () => {
		const p = plan({ decisions: [], shares: [share(1, 'boss@example.com'), share(2, 'staff@example.com', { created_by_id: 7 })], protectedEmails: 'boss@example.com' });
		expect(p.deletes).toEqual([]);
		expect(p.refusal).toBeNull();
	});

	it('from the node: only "Always Output Data" placeholders upstream count as empty', () => {
		const p = plan({ decisions: readDecisionItems([{}, {}]), shares: managed(2) });
		expect(p.refusal?.rule).toBe('emptyDecisionList');
		// One decision without a usable email is still a decision: the ordinary limit applies.
		expect(plan({ decisions: readDecisionItems([{ email: null, access: 'deny' }]), shares: managed(2) }).refusal).toBeNull();
	});
});

describe('too many revocations', () => {
	it('is refused with the guard\'s count, limit and first emails, and what to do', () => {
		const shares = managed(40);
		const p = plan({ decisions: shares.slice(20).map((s) => ({ email: s.email, access: 'allow' })), shares });
		expect(p.refusal).toEqual({
			rule: 'maxRevocations',
			message: p.guard.message,
			description:
				'Nothing was changed. If the source really lost that many members, raise "Max Revocations" for one run; if not, check the source (outage, wrong Location ID or credential).',
		});
		expect(p.refusal?.message).toMatch(/^The sync would revoke 20 shares, more than the limit of 5/);
	});

	it('a plan within the limit has no refusal', () => {
		const shares = managed(10);
		expect(plan({ decisions: shares.slice(1).map((s) => ({ email: s.email, access: 'allow' })), shares }).refusal).toBeNull();
	});
});

describe('re-check: the second read of a refused mass revocation', () => {
	// 20 managed shares; the first read (a glitch) denied m00…m09: 10 revocations, over the default limit of 5.
	const shares = managed(20);
	const emails = shares.map((s) => String(s.email));
	const firstRead = emails.slice(0, 10);
	const allowAllBut = (denied: string[]) => emails.map((email) => ({ email, access: denied.includes(email) ? 'deny' : 'allow' }));

	it('the glitch cleared: only the revocations both reads agree on are planned, and the plan says the picture changed', () => {
		const p = plan({ decisions: allowAllBut(['m00@example.com', 'm01@example.com']), shares, confirmRevocations: firstRead });
		expect(p.refusal).toBeNull();
		expect(p.deletes.map((d) => d.email)).toEqual(['m00@example.com', 'm01@example.com']);
		for (const d of p.deletes) expect(d.reason).toMatch(/^Denied: .*\(seen on both reads of the source\)$/);
		expect(p.recheck).toEqual({
			firstRead,
			secondRead: ['m00@example.com', 'm01@example.com'],
			confirmed: ['m00@example.com', 'm01@example.com'],
			cleared: firstRead.slice(2),
			secondReadOnly: [],
			changed: true,
			message: expect.stringMatching(/^The second read of the source changed the picture: the first read would revoke 10 people, the second 2 people; only the 2 both reads agree on count, 8 kept their access \(m02@example\.com, /),
		});
	});

	it('a revocation only the second read wants is not made by this run', () => {
		const p = plan({ decisions: allowAllBut(['m00@example.com', 'm15@example.com']), shares, confirmRevocations: firstRead });
		expect(p.deletes.map((d) => d.email)).toEqual(['m00@example.com']);
		expect(p.skipped).toEqual([
			expect.objectContaining({ action: 'skipped', email: 'm15@example.com', shareId: 16, reason: expect.stringMatching(/but only the second read of the source says so \(the first one did not\): not revoked by this run, the next run decides$/) }),
		]);
		expect(p.recheck).toMatchObject({ confirmed: ['m00@example.com'], secondReadOnly: ['m15@example.com'], changed: true });
	});

	it('the glitch persists: the same revocations, still over the limit, are refused again as confirmed on a second read', () => {
		const p = plan({ decisions: allowAllBut(firstRead), shares, confirmRevocations: firstRead.map((email) => email.toUpperCase()) });
		expect(p.recheck).toMatchObject({ confirmed: firstRead, cleared: [], secondReadOnly: [], changed: false, message: 'The second read of the source confirmed the first: both would revoke the same 10 people' });
		expect(p.refusal?.rule).toBe('maxRevocations');
		expect(p.refusal?.message).toMatch(/^The sync would revoke 10 shares, more than the limit of 5 .* Confirmed on a second read of the source: both reads would revoke these\. Nothing was written\./);
	});

	it('partly cleared: the twice-seen revocations within the limit are made, the others kept', () => {
		const p = plan({ decisions: allowAllBut([...firstRead.slice(0, 4), 'm12@example.com']), shares, confirmRevocations: firstRead });
		expect(p.refusal).toBeNull();
		expect(p.deletes.map((d) => d.email)).toEqual(firstRead.slice(0, 4));
		expect(p.recheck).toMatchObject({ confirmed: firstRead.slice(0, 4), cleared: firstRead.slice(4), secondReadOnly: ['m12@example.com'] });
	});

	it('an ordinary run has no re-check', () => {
		expect(plan({ decisions: allowAllBut([]), shares }).recheck).toBeNull();
	});
});

describe('a place-scoped group', () => {
	it('is refused, naming the group and its place, and saying how to fix it', () => {
		const refusal = placeScopedGroupRefusal({ name: 'Main Street Only', place_id: 10, place: { name: 'Main Street' } }, 502);
		expect(refusal).toMatchObject({ rule: 'placeScopedGroup', message: 'The Kisi group "Main Street Only" (502) is scoped to the place "Main Street"; the sync only works with organization groups' });
		expect(refusal?.description).toContain('"Scope to a place" disabled');
		expect(placeScopedGroupRefusal({ name: 'X', place_id: 10 }, 1)?.message).toContain('is scoped to a place;');
	});

	it('an organization group is fine', () => {
		expect(placeScopedGroupRefusal({ name: 'Members', place_id: null }, 501)).toBeNull();
		expect(placeScopedGroupRefusal({ name: 'Members' }, 501)).toBeNull();
	});
});

describe("the node's input items", () => {
	it('an item that is not a decision is refused, naming the item', () => {
		for (const item of [{ email: 'b@example.com', name: 'B' }, { email: 'b@example.com', access: 'maybe' }, { email: 'b@example.com', access: 'ALLOW' }]) {
			let caught: unknown;
			try {
				readDecisionItems([{ email: 'a@example.com', access: 'allow' }, item]);
			} catch (error) {
				caught = error;
			}
			expect(caught).toBeInstanceOf(DecisionItemError);
			expect(caught).toMatchObject({ itemIndex: 1, message: 'Item 1 is not an access decision: "access" must be "allow" or "deny"' });
			expect((caught as DecisionItemError).description).toContain('Access Rule Evaluator');
		}
	});

	it('are read once into typed decisions, with the items each email came from', () => {
		const list = readDecisionItems([{}, { email: ' Ana@Example.com', access: 'allow', validUntil: '2026-06-01T02:00:00+02:00' }, { email: 'ana@example.com', access: 'deny' }, { email: null, access: 'deny' }]);
		expect(list.decisions.map((d) => [d.email, d.access])).toEqual([
			['ana@example.com', 'allow'],
			['ana@example.com', 'deny'],
			[null, 'deny'],
		]);
		expect(list.decisions[0].validUntil).toEqual({ ok: true, ms: Date.parse('2026-06-01T00:00:00Z'), iso: '2026-06-01T00:00:00.000Z' });
		expect([...list.origins]).toEqual([['ana@example.com', [1, 2]]]);
	});

	it("plan the same as the evaluator's decisions given directly", () => {
		const items = evaluateAccess(
			[
				{ email: 'ana@example.com', memberships: [{ id: '1', status: 'active', expiresAt: '2026-06-01T00:00:00Z' }] },
				{ email: 'ben@example.com', memberships: [{ id: '2', status: 'cancelled' }] },
				{ email: 'cy@example.com', memberships: [{ id: '3', status: 'SUSPENDED' }] },
			],
			{ evaluationTime: NOW },
		).map((item) => JSON.parse(JSON.stringify(item.decision)) as Record<string, unknown>);
		const shares = [share(1, 'ben@example.com'), share(2, 'cy@example.com'), share(3, 'gone@example.com')];
		expect(plan({ decisions: readDecisionItems(items), shares })).toEqual(plan({ decisions: items, shares }));
	});
});
