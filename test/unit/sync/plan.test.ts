import { evaluateAccess } from '../../../nodes/AccessRuleEvaluator/engine';
import {
	SyncParameterError,
	parseEmailList,
	parseMaxRevocations,
	planGroupSync,
	revocationLimit,
} from '../../../nodes/Kisi/sync/plan';
import type { GroupSyncPlan, KisiShare, PlanGroupSyncInput, SyncDecision } from '../../../nodes/Kisi/sync/plan';

const GROUP = 45274;
const ME = 900;
const NOW = '2026-03-02T14:00:00.000Z';

function share(id: number, email: string, overrides: Partial<KisiShare> = {}): KisiShare {
	return { id, email, group_id: GROUP, valid_from: null, valid_until: null, created_by_id: ME, created_by_type: 'User', ...overrides };
}

function allow(email: string, validFrom: string | null = null, validUntil: string | null = null, message = 'Gold Monthly is active'): SyncDecision {
	return { email, access: 'allow', validFrom, validUntil, reasons: [{ code: 'MEMBERSHIP_ACTIVE', message }], denials: [] };
}

function deny(email: string, ...messages: Array<[string, string]>): SyncDecision {
	return { email, access: 'deny', validFrom: null, validUntil: null, reasons: [], denials: messages.map(([code, message]) => ({ code, message })) };
}

function plan(input: Partial<PlanGroupSyncInput>): GroupSyncPlan {
	return planGroupSync({ decisions: [], shares: [], groupId: GROUP, ownership: 'createdByThisKey', ownUserId: ME, now: NOW, ...input });
}

function writes(p: GroupSyncPlan): number {
	return p.creates.length + p.updates.length + p.deletes.length;
}

/** What Kisi would hold after the plan ran (creates get fresh ids, made by this key's user). */
function apply(shares: KisiShare[], p: GroupSyncPlan, nextId = 100_000): KisiShare[] {
	const deleted = new Set(p.deletes.map((d) => d.shareId));
	const updates = new Map(p.updates.map((u) => [u.shareId, u.request]));
	const out = shares
		.filter((s) => !deleted.has(s.id))
		.map((s) => {
			const patch = updates.get(s.id);
			return patch ? { ...s, valid_from: patch.valid_from, valid_until: patch.valid_until } : s;
		});
	for (const c of p.creates) {
		out.push({ id: nextId++, email: c.request.email, group_id: c.request.group_id, valid_from: c.request.valid_from, valid_until: c.request.valid_until, created_by_id: ME, created_by_type: 'User' });
	}
	return out;
}

describe('create', () => {
	it('allowed and no share → create with the Kisi request body', () => {
		const p = plan({ decisions: [allow('ana@example.com', '2026-03-02T14:00:00Z', '2026-06-01T00:00:00+00:00')], notify: true });
		expect(p.creates).toEqual([
			{
				action: 'create',
				email: 'ana@example.com',
				shareId: null,
				groupId: GROUP,
				validFrom: '2026-03-02T14:00:00.000Z',
				validUntil: '2026-06-01T00:00:00.000Z',
				previous: null,
				reason: 'Allowed: Gold Monthly is active',
				request: { email: 'ana@example.com', group_id: GROUP, role_id: 'basic', valid_from: '2026-03-02T14:00:00.000Z', valid_until: '2026-06-01T00:00:00.000Z', notify: true },
			},
		]);
		expect(p.guard).toEqual({ ok: true, managedCount: 0, revocations: 0, limit: 5 });
	});

	it('notify defaults to false; open-ended validity stays null', () => {
		const p = plan({ decisions: [allow('ana@example.com')] });
		expect(p.creates[0].request).toMatchObject({ notify: false, valid_from: null, valid_until: null });
	});

	it('the reason skips DUPLICATE_EMAIL and falls back when the decision has no reasons', () => {
		const decision = { ...allow('a@example.com'), reasons: [{ code: 'DUPLICATE_EMAIL', message: 'dup' }, { code: 'REGISTRATION_WINDOW', message: 'Registered for Yoga' }] };
		expect(plan({ decisions: [decision] }).creates[0].reason).toBe('Allowed: Registered for Yoga');
		expect(plan({ decisions: [{ email: 'b@example.com', access: 'allow' }] }).creates[0].reason).toBe('Allowed: access allowed');
	});

	it('decisions without a usable email are ignored; denied people without a share need nothing', () => {
		const p = plan({ decisions: [{ email: null, access: 'allow' }, { email: '  ', access: 'allow' }, deny('x@example.com')] });
		expect(writes(p) + p.skipped.length + p.unchanged.length).toBe(0);
	});
});

describe('update and unchanged', () => {
	it('Date objects are accepted as validity (a Code node may build decisions)', () => {
		const p = plan({ decisions: [{ email: 'a@example.com', access: 'allow', validUntil: new Date('2026-06-01T00:00:00Z') }], shares: [share(1, 'a@example.com', { valid_until: '2026-06-01T02:00:00+02:00' })] });
		expect(p.unchanged).toHaveLength(1);
	});

	it('same instants written differently are unchanged (compared as instants, not strings)', () => {
		const p = plan({
			decisions: [allow('a@example.com', '2026-03-02T14:00:00.000Z', '2026-06-01T00:00:00.000Z')],
			shares: [share(1, 'a@example.com', { valid_from: '2026-03-02T15:00:00+01:00', valid_until: '2026-06-01T00:00:00Z' })],
		});
		expect(p.unchanged).toEqual([
			{
				action: 'unchanged',
				email: 'a@example.com',
				shareId: 1,
				groupId: GROUP,
				validFrom: '2026-03-02T14:00:00.000Z',
				validUntil: '2026-06-01T00:00:00.000Z',
				previous: { validFrom: '2026-03-02T14:00:00.000Z', validUntil: '2026-06-01T00:00:00.000Z' },
				reason: 'Allowed, share already matches: Gold Monthly is active',
			},
		]);
		expect(writes(p)).toBe(0);
	});

	it('null equals null', () => {
		expect(plan({ decisions: [allow('a@example.com')], shares: [share(1, 'a@example.com')] }).unchanged).toHaveLength(1);
	});

	it('a sub-second difference is not a change (Kisi keeps seconds)', () => {
		const p = plan({ decisions: [allow('a@example.com', null, '2026-06-01T00:00:00.400Z')], shares: [share(1, 'a@example.com', { valid_until: '2026-06-01T00:00:00Z' })] });
		expect(p.unchanged).toHaveLength(1);
	});

	it('a different end → update (PATCH body with both fields), with the previous validity', () => {
		const p = plan({
			decisions: [allow('a@example.com', null, '2026-07-01T00:00:00Z')],
			shares: [share(7, 'a@example.com', { valid_until: '2026-06-01T00:00:00Z' })],
		});
		expect(p.updates).toEqual([
			{
				action: 'update',
				email: 'a@example.com',
				shareId: 7,
				groupId: GROUP,
				validFrom: null,
				validUntil: '2026-07-01T00:00:00.000Z',
				previous: { validFrom: null, validUntil: '2026-06-01T00:00:00.000Z' },
				reason: 'Allowed: Gold Monthly is active; valid_until 2026-06-01T00:00:00.000Z → 2026-07-01T00:00:00.000Z',
				request: { valid_from: null, valid_until: '2026-07-01T00:00:00.000Z' },
			},
		]);
	});

	it('null vs a value in either direction is a change', () => {
		const toOpen = plan({ decisions: [allow('a@example.com')], shares: [share(1, 'a@example.com', { valid_until: '2026-06-01T00:00:00Z' })] });
		expect(toOpen.updates[0].reason).toMatch(/valid_until 2026-06-01T00:00:00.000Z → none/);
		const toStart = plan({ decisions: [allow('a@example.com', '2026-03-02T15:00:00Z')], shares: [share(1, 'a@example.com')] });
		expect(toStart.updates[0]).toMatchObject({ validFrom: '2026-03-02T15:00:00.000Z', previous: { validFrom: null, validUntil: null } });
		expect(toStart.updates[0].reason).toMatch(/valid_from none → 2026-03-02T15:00:00.000Z$/);
	});

	it('a share date without an offset is unreadable (it would depend on the server zone) and gets replaced', () => {
		const p = plan({ decisions: [allow('a@example.com', null, '2026-06-01T00:00:00Z')], shares: [share(1, 'a@example.com', { valid_until: '2026-06-01T00:00:00' })] });
		expect(p.updates[0]).toMatchObject({ previous: { validFrom: null, validUntil: '2026-06-01T00:00:00' }, validUntil: '2026-06-01T00:00:00.000Z' });
	});

	it('an unreadable date on the share is replaced', () => {
		const p = plan({ decisions: [allow('a@example.com')], shares: [share(1, 'a@example.com', { valid_until: 'garbage' })] });
		expect(p.updates[0].previous).toEqual({ validFrom: null, validUntil: 'garbage' });
	});
});

describe('delete', () => {
	it('denied with a managed share → delete, with the specific cause as reason', () => {
		const p = plan({
			decisions: [deny('a@example.com', ['NO_ACTIVE_MEMBERSHIP', 'No active membership'], ['MEMBERSHIP_EXPIRED', 'Gold expired at X'], ['MEMBERSHIP_ON_HOLD', 'Silver is on hold'], ['PACK_USED_UP', 'Pack used up'])],
			shares: [share(3, 'a@example.com', { valid_until: '2026-06-01T00:00:00Z' })],
		});
		expect(p.deletes).toEqual([
			{
				action: 'delete',
				email: 'a@example.com',
				shareId: 3,
				groupId: GROUP,
				validFrom: null,
				validUntil: null,
				previous: { validFrom: null, validUntil: '2026-06-01T00:00:00.000Z' },
				reason: 'Denied: Gold expired at X; Silver is on hold',
			},
		]);
	});

	it('a denial with only summary codes uses them; none at all says "access denied"', () => {
		expect(plan({ decisions: [deny('a@example.com', ['NO_ACTIVE_MEMBERSHIP', 'No membership'])], shares: [share(1, 'a@example.com')] }).deletes[0].reason).toBe('Denied: No membership');
		expect(plan({ decisions: [{ email: 'a@example.com', access: 'deny' }], shares: [share(1, 'a@example.com')] }).deletes[0].reason).toBe('Denied: access denied');
	});

	it('absent from the decisions → delete', () => {
		const p = plan({ decisions: [allow('b@example.com')], shares: [share(1, 'a@example.com')] });
		expect(p.deletes.map((d) => [d.email, d.reason])).toEqual([['a@example.com', "Not in the evaluator's output"]]);
	});

	it('a membership denied only for a status or type the evaluator did not recognise keeps its share as it is (never revoked, never granted)', () => {
		const profile = (email: string, status: string, type = 'recurring') => ({
			email,
			source: 'glofox',
			sourceId: email,
			memberships: [{ id: `m-${email}`, name: 'Gold', type, status, startsAt: null, expiresAt: null }],
			registrations: [],
		});
		const decisions = evaluateAccess([profile('a@example.com', 'SUSPENDED'), profile('b@example.com', 'active', 'platinum'), profile('c@example.com', 'EXPIRED', 'platinum'), profile('d@example.com', 'GRACE')], {
			evaluationTime: NOW,
		}).map((item) => item.decision as SyncDecision);
		const p = plan({ decisions, shares: [share(1, 'a@example.com', { valid_until: '2026-04-01T00:00:00.000Z' }), share(2, 'b@example.com'), share(3, 'c@example.com')] });
		expect(p.creates).toEqual([]);
		expect(p.deletes.map((d) => d.email)).toEqual(['c@example.com']);
		expect(p.skipped.map((e) => [e.email, e.shareId])).toEqual([
			['a@example.com', 1],
			['b@example.com', 2],
		]);
		expect(p.skipped[0].reason).toContain("unknown membership status 'SUSPENDED'");
		expect(p.skipped[1].reason).toContain("unknown membership type 'platinum'");
	});

	it('allowed by a registration while the membership went unrecognised: the longer share is kept, never narrowed', () => {
		const decisions = evaluateAccess(
			[
				{
					email: 'a@example.com',
					source: 'glofox',
					sourceId: 'a',
					memberships: [{ id: 'm', name: 'Gold', type: 'recurring', status: 'SUSPENDED', startsAt: null, expiresAt: null }],
					registrations: [{ id: 'r', kind: 'class', status: 'registered', startsAt: '2026-03-02T15:00:00Z', endsAt: '2026-03-02T16:00:00Z' }],
				},
			],
			{ evaluationTime: NOW, grantOnRegistrations: true },
		).map((item) => item.decision as SyncDecision);
		expect(decisions[0].access).toBe('allow');
		const kept = plan({ decisions, shares: [share(1, 'a@example.com', { valid_until: '2026-04-01T00:00:00.000Z' })] });
		expect(writes(kept)).toBe(0);
		expect(kept.skipped[0].reason).toContain('kept as it is rather than narrowed');
		// A share that ends before the registration's window is extended as usual.
		const extended = plan({ decisions, shares: [share(1, 'a@example.com', { valid_until: '2026-03-02T14:30:00.000Z' })] });
		expect(extended.updates.map((u) => u.validUntil)).toEqual(['2026-03-02T17:00:00.000Z']);
	});

	it('any access value other than "allow" counts as denied', () => {
		const p = plan({ decisions: [{ email: 'a@example.com', access: 'ALLOW' }, { email: 'b@example.com', access: true }], shares: [share(1, 'a@example.com'), share(2, 'b@example.com')] });
		expect(p.unchanged.map((e) => e.email)).toEqual(['a@example.com']);
		expect(p.deletes.map((e) => e.email)).toEqual(['b@example.com']);
	});
});

describe('protected emails', () => {
	it('never revoked, whether denied or absent; matched case-insensitively; text or list', () => {
		for (const protectedEmails of [' Owner@Example.com, staff@example.com ', ['OWNER@example.com', 'staff@example.com']]) {
			const p = plan({
				decisions: [deny('owner@example.com', ['NO_ACTIVE_MEMBERSHIP', 'No membership'])],
				shares: [share(1, 'owner@example.com'), share(2, 'Staff@Example.com'), share(3, 'member@example.com')],
				protectedEmails,
			});
			expect(p.deletes.map((d) => d.email)).toEqual(['member@example.com']);
			expect(p.skipped.map((s) => [s.email, s.shareId, s.reason])).toEqual([
				['owner@example.com', 1, 'Protected email, never revoked (Denied: No membership)'],
				['staff@example.com', 2, "Protected email, never revoked (Not in the evaluator's output)"],
			]);
		}
	});

	it('a protected email that is allowed is still created / updated normally', () => {
		const p = plan({ decisions: [allow('owner@example.com', null, '2026-06-01T00:00:00Z')], shares: [share(1, 'owner@example.com')], protectedEmails: 'owner@example.com' });
		expect(p.updates).toHaveLength(1);
	});

	it('parseEmailList', () => {
		expect([...parseEmailList('a@x.com; B@x.com\n c@x.com,,')]).toEqual(['a@x.com', 'b@x.com', 'c@x.com']);
		expect([...parseEmailList(undefined)]).toEqual([]);
		expect(() => parseEmailList(42)).toThrow(expect.objectContaining({ parameter: 'protectedEmails' }));
	});
});

describe('ownership', () => {
	const foreign = (id: number, email: string, overrides: Partial<KisiShare> = {}) => share(id, email, { created_by_id: 1, ...overrides });

	it('createdByThisKey: shares made by someone else are skipped and never touched', () => {
		const p = plan({
			decisions: [deny('denied@example.com'), allow('allowed@example.com')],
			shares: [foreign(1, 'denied@example.com'), foreign(2, 'allowed@example.com'), foreign(3, 'absent@example.com'), share(4, 'mine@example.com')],
		});
		expect(p.creates).toEqual([]); // no duplicate share for allowed@ (Kisi would answer 422)
		expect(p.deletes.map((d) => d.shareId)).toEqual([4]);
		expect(p.skipped.map((s) => [s.email, s.shareId])).toEqual([
			['absent@example.com', 3],
			['allowed@example.com', 2],
			['denied@example.com', 1],
		]);
		expect(p.skipped[1].reason).toBe('Share not managed by this sync (ownership: createdByThisKey), left as it is: allowed, and this share already exists (no duplicate is created)');
		expect(p.skipped[2].reason).toMatch(/left as it is: denied \(access denied\); remove the share in Kisi if it should go$/);
		expect(p.skipped[0].reason).toMatch(/no decision for this email$/);
		expect(p.skipped[0]).toMatchObject({ validFrom: null, validUntil: null, previous: { validFrom: null, validUntil: null } });
		expect(p.guard.managedCount).toBe(1);
	});

	it('ids compare as text (number vs string); created_by_type must be a user', () => {
		const p = plan({
			ownUserId: '900',
			decisions: [],
			shares: [share(1, 'a@example.com', { created_by_id: 900 }), share(2, 'b@example.com', { created_by_id: '900', created_by_type: null }), share(3, 'c@example.com', { created_by_type: 'MarketplaceInstallation' }), share(4, 'd@example.com', { created_by_id: null })],
		});
		expect(p.deletes.map((d) => d.shareId)).toEqual([1, 2]);
		expect(p.skipped.map((s) => s.shareId)).toEqual([3, 4]);
	});

	it('allSharesInGroup: every share in the group is managed; no user id needed', () => {
		const p = planGroupSync({
			decisions: [allow('a@example.com', null, '2026-06-01T00:00:00Z')],
			shares: [share(1, 'a@example.com', { created_by_id: 1 }), share(2, 'b@example.com', { created_by_id: 2, created_by_type: 'MarketplaceInstallation' })],
			groupId: GROUP,
			ownership: 'allSharesInGroup',
			now: NOW,
		});
		expect(p.updates.map((u) => u.shareId)).toEqual([1]);
		expect(p.deletes.map((d) => d.shareId)).toEqual([2]);
		expect(p.skipped).toEqual([]);
		expect(p.guard.managedCount).toBe(2);
	});

	it('createdByThisKey is the default and needs the key user id', () => {
		expect(() => planGroupSync({ decisions: [], shares: [], groupId: GROUP })).toThrow(expect.objectContaining({ parameter: 'ownUserId' }));
		expect(() => planGroupSync({ decisions: [], shares: [], groupId: GROUP, ownUserId: ' ' })).toThrow(SyncParameterError);
	});
});

describe('emails, groups and odd shares', () => {
	it('emails compare case-insensitively, from share.email or share.user.email', () => {
		const p = plan({
			decisions: [allow(' Ana@Example.COM '), allow('BEN@example.com')],
			shares: [share(1, 'ana@example.com'), { ...share(2, ''), email: undefined, user: { email: 'Ben@Example.com' } }],
		});
		expect(p.unchanged.map((u) => [u.email, u.shareId])).toEqual([
			['ana@example.com', 1],
			['ben@example.com', 2],
		]);
		expect(writes(p)).toBe(0);
	});

	it('shares of other groups are ignored; group ids compare as text', () => {
		const p = plan({ groupId: String(GROUP), decisions: [], shares: [share(1, 'a@example.com', { group_id: 999 }), share(2, 'b@example.com', { group_id: GROUP }), share(3, 'c@example.com', { group_id: undefined })] });
		expect(p.deletes.map((d) => d.shareId)).toEqual([2, 3]);
		expect(p.deletes[0].groupId).toBe(String(GROUP));
	});

	it('a share without an email is skipped', () => {
		const p = plan({ shares: [{ ...share(5, ''), email: null, user: null }] });
		expect(p.skipped).toEqual([expect.objectContaining({ email: '', shareId: 5, reason: 'Share without an email: left as it is' })]);
		expect(p.deletes).toEqual([]);
	});

	it('an allowing decision with unreadable validity changes nothing for that email', () => {
		const p = plan({
			decisions: [
				allow('a@example.com', 'tomorrow'),
				allow('b@example.com', '2026-06-01T00:00:00Z', '2026-05-01T00:00:00Z'),
				{ email: 'c@example.com', access: 'allow', validUntil: 5 },
				allow('d@example.com', '2026-06-01'),
			],
			shares: [share(1, 'a@example.com')],
		});
		expect(writes(p)).toBe(0);
		expect(p.skipped.map((s) => [s.email, s.shareId, s.reason])).toEqual([
			['a@example.com', 1, 'Decision not applied: validFrom "tomorrow" is not a date-time; nothing changed for this email'],
			['b@example.com', null, 'Decision not applied: validUntil 2026-05-01T00:00:00.000Z is not after validFrom 2026-06-01T00:00:00.000Z; nothing changed for this email'],
			['c@example.com', null, 'Decision not applied: validUntil 5 is not a date-time; nothing changed for this email'],
			['d@example.com', null, 'Decision not applied: validFrom "2026-06-01" is not a date-time; nothing changed for this email'],
		]);
	});
});

describe('duplicates', () => {
	it('several managed shares for an allowed email: keep the matching one, delete the others', () => {
		const p = plan({
			decisions: [allow('a@example.com', null, '2026-06-01T00:00:00Z')],
			shares: [share(3, 'a@example.com'), share(9, 'A@example.com', { valid_until: '2026-06-01T00:00:00Z' }), share(5, 'a@example.com')],
		});
		expect(p.unchanged.map((u) => u.shareId)).toEqual([9]);
		expect(p.deletes.map((d) => [d.shareId, d.reason])).toEqual([
			[3, 'Duplicate share for this email in the group (share 9 is kept)'],
			[5, 'Duplicate share for this email in the group (share 9 is kept)'],
		]);
	});

	it('none matching: keep the lowest id and update it', () => {
		const p = plan({ decisions: [allow('a@example.com', null, '2026-06-01T00:00:00Z')], shares: [share(12, 'a@example.com'), share(4, 'a@example.com')] });
		expect(p.updates.map((u) => u.shareId)).toEqual([4]);
		expect(p.deletes.map((d) => d.shareId)).toEqual([12]);
	});

	it('denied with duplicates: all go; protected with duplicates: all stay', () => {
		expect(plan({ decisions: [deny('a@example.com')], shares: [share(1, 'a@example.com'), share(2, 'a@example.com')] }).deletes).toHaveLength(2);
		const p = plan({ decisions: [allow('a@example.com')], shares: [share(1, 'a@example.com'), share(2, 'a@example.com')], protectedEmails: 'a@example.com' });
		expect(p.unchanged.map((u) => u.shareId)).toEqual([1]);
		expect(p.skipped.map((s) => [s.shareId, s.reason])).toEqual([[2, 'Duplicate share of a protected email: left as it is (share 1 is kept)']]);
	});

	it('a managed and an unmanaged share for one allowed email: the managed one is synced, the other reported', () => {
		const p = plan({ decisions: [allow('a@example.com', null, '2026-06-01T00:00:00Z')], shares: [share(1, 'a@example.com', { created_by_id: 1 }), share(2, 'a@example.com')] });
		expect(p.updates.map((u) => u.shareId)).toEqual([2]);
		expect(p.skipped.map((s) => s.shareId)).toEqual([1]);
		expect(p.creates).toEqual([]);
	});

	it('two decisions for one email: allow wins; among allows, the one open now; then the earliest start', () => {
		const both = plan({ decisions: [deny('a@example.com'), allow('A@example.com', null, '2026-06-01T00:00:00Z')] });
		expect(both.creates[0].validUntil).toBe('2026-06-01T00:00:00.000Z');
		const live = plan({ decisions: [allow('a@example.com', '2026-03-02T20:00:00Z', '2026-03-02T22:00:00Z'), allow('a@example.com', '2026-03-02T13:00:00Z', '2026-03-02T15:00:00Z')] });
		expect(live.creates[0].validFrom).toBe('2026-03-02T13:00:00.000Z');
		const earliest = plan({ decisions: [allow('a@example.com', '2026-03-02T20:00:00Z'), allow('a@example.com', '2026-03-02T18:00:00Z')] });
		expect(earliest.creates[0].validFrom).toBe('2026-03-02T18:00:00.000Z');
		const valid = plan({ decisions: [allow('a@example.com', 'bad'), allow('a@example.com', '2026-03-02T18:00:00Z')] });
		expect(valid.creates).toHaveLength(1);
		expect(plan({ decisions: [allow('a@example.com', '2026-03-02T18:00:00Z'), deny('a@example.com')] }).creates).toHaveLength(1);
	});
});

describe('revocation guard', () => {
	const managed = (n: number) => Array.from({ length: n }, (_, i) => share(i + 1, `m${String(i).padStart(3, '0')}@example.com`));

	it('default: 10% of the managed shares, at least 5', () => {
		expect(revocationLimit({ kind: 'default' }, 0)).toBe(5);
		expect(revocationLimit({ kind: 'default' }, 40)).toBe(5);
		expect(revocationLimit({ kind: 'default' }, 50)).toBe(5);
		expect(revocationLimit({ kind: 'default' }, 60)).toBe(6);
		expect(revocationLimit({ kind: 'default' }, 101)).toBe(11);
		expect(revocationLimit({ kind: 'percent', percent: 10 }, 30)).toBe(3);
		expect(revocationLimit({ kind: 'percent', percent: 12.5 }, 8)).toBe(1);
		expect(revocationLimit({ kind: 'percent', percent: 0 }, 800)).toBe(0);
		expect(revocationLimit({ kind: 'count', count: 7 }, 1000)).toBe(7);
	});

	it('an empty input (source outage) must not empty the group', () => {
		const p = plan({ decisions: [], shares: managed(40) });
		expect(p.deletes).toHaveLength(40);
		expect(p.guard).toEqual({
			ok: false,
			managedCount: 40,
			revocations: 40,
			limit: 5,
			message:
				'The sync would revoke 40 shares, more than the limit of 5 (default: 10% of 40 managed shares, at least 5; set maxRevocations to change it). ' +
				'First emails: m000@example.com, m001@example.com, m002@example.com, m003@example.com, m004@example.com, m005@example.com, m006@example.com, m007@example.com, m008@example.com, m009@example.com, and 30 more. ' +
				'Nothing was written. Check the source first (an outage or a wrong location ID empties the input), or raise maxRevocations if the change is intended.',
		});
	});

	it('exactly at the limit is fine; one more is not', () => {
		const shares = managed(40);
		const keep = (n: number) => shares.slice(n).map((s) => allow(s.email as string));
		expect(plan({ decisions: keep(5), shares }).guard).toEqual({ ok: true, managedCount: 40, revocations: 5, limit: 5 });
		expect(plan({ decisions: keep(6), shares }).guard.ok).toBe(false);
	});

	it('a number', () => {
		const p = plan({ decisions: [], shares: managed(3), maxRevocations: 2 });
		expect(p.guard).toMatchObject({ ok: false, revocations: 3, limit: 2 });
		expect(p.guard.message).toMatch(/^The sync would revoke 3 shares, more than the limit of 2 \(maxRevocations\)\. First emails: m000@example\.com, m001@example\.com, m002@example\.com\. Nothing was written/);
		expect(plan({ decisions: [], shares: managed(3), maxRevocations: '3' }).guard.ok).toBe(true);
	});

	it('0 forbids any revocation', () => {
		const p = plan({ decisions: [], shares: managed(1), maxRevocations: 0 });
		expect(p.guard).toMatchObject({ ok: false, limit: 0, revocations: 1 });
		expect(p.guard.message).toMatch(/^The sync would revoke 1 share, more than the limit of 0/);
	});

	it('a percentage', () => {
		const p = plan({ decisions: [], shares: managed(30), maxRevocations: '50%' });
		expect(p.guard).toMatchObject({ ok: false, limit: 15, revocations: 30 });
		expect(p.guard.message).toMatch(/more than the limit of 15 \(maxRevocations 50% of 30 managed shares\)/);
		expect(plan({ decisions: [], shares: managed(30), maxRevocations: '100%' }).guard.ok).toBe(true);
	});

	it('only managed shares count; protected and unmanaged ones are never revocations', () => {
		const p = plan({ decisions: [], shares: [...managed(5), share(99, 'boss@example.com'), share(98, 'x@example.com', { created_by_id: 1 })], protectedEmails: 'boss@example.com' });
		expect(p.guard).toEqual({ ok: true, managedCount: 6, revocations: 5, limit: 5 });
	});

	it('parseMaxRevocations accepts numbers, numeric text, percentages and empty', () => {
		expect(parseMaxRevocations(undefined)).toEqual({ kind: 'default' });
		expect(parseMaxRevocations(null)).toEqual({ kind: 'default' });
		expect(parseMaxRevocations('  ')).toEqual({ kind: 'default' });
		expect(parseMaxRevocations(12)).toEqual({ kind: 'count', count: 12 });
		expect(parseMaxRevocations(' 7 ')).toEqual({ kind: 'count', count: 7 });
		expect(parseMaxRevocations('10%')).toEqual({ kind: 'percent', percent: 10 });
		expect(parseMaxRevocations('12.5 %')).toEqual({ kind: 'percent', percent: 12.5 });
	});

	it.each([-1, 2.5, Number.NaN, 'ten', '-3', '150%', '%', {}, true])('parseMaxRevocations rejects %p, naming the parameter', (value) => {
		let caught: unknown;
		try {
			parseMaxRevocations(value);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(SyncParameterError);
		expect((caught as SyncParameterError).parameter).toBe('maxRevocations');
		expect((caught as Error).message).toMatch(/^Max Revocations \[maxRevocations\] must be/);
	});

	it('planGroupSync validates maxRevocations before planning', () => {
		expect(() => plan({ maxRevocations: 'lots' })).toThrow(expect.objectContaining({ parameter: 'maxRevocations' }));
	});
});

describe('parameters', () => {
	it.each([
		[{ groupId: '' }, 'groupId'],
		[{ groupId: undefined as unknown as number }, 'groupId'],
		[{ ownership: 'mine' as 'allSharesInGroup' }, 'ownership'],
		[{ decisions: null as unknown as SyncDecision[] }, 'decisions'],
		[{ shares: {} as unknown as KisiShare[] }, 'shares'],
		[{ now: 'not a date' }, 'now'],
	])('%p fails naming %s', (input, parameter) => {
		expect(() => plan(input)).toThrow(expect.objectContaining({ parameter }));
	});

	it('now defaults to the clock', () => {
		expect(() => planGroupSync({ decisions: [allow('a@example.com')], shares: [], groupId: 1, ownUserId: 1 })).not.toThrow();
	});
});

describe('determinism and idempotence', () => {
	const scenario = () => ({
		decisions: [
			allow('New@Example.com', '2026-03-02T14:00:00Z', '2026-03-02T17:00:00Z'),
			allow('kept@example.com', null, '2026-06-01T00:00:00Z'),
			allow('changed@example.com', null, '2026-07-01T00:00:00Z'),
			allow('dup@example.com'),
			allow('foreign@example.com'),
			deny('gone@example.com'),
			deny('boss@example.com'),
		],
		shares: [
			share(1, 'kept@example.com', { valid_until: '2026-06-01T00:00:00Z' }),
			share(2, 'CHANGED@example.com', { valid_until: '2026-06-01T00:00:00Z' }),
			share(3, 'dup@example.com'),
			share(4, 'dup@example.com'),
			share(5, 'foreign@example.com', { created_by_id: 1 }),
			share(6, 'gone@example.com'),
			share(7, 'absent@example.com'),
			share(8, 'boss@example.com'),
		],
		protectedEmails: 'boss@example.com',
	});

	it('plans every action, each list sorted by email then share id', () => {
		const p = plan(scenario());
		expect(p.creates.map((e) => e.email)).toEqual(['new@example.com']);
		expect(p.updates.map((e) => e.email)).toEqual(['changed@example.com']);
		expect(p.deletes.map((e) => [e.email, e.shareId])).toEqual([
			['absent@example.com', 7],
			['dup@example.com', 4],
			['gone@example.com', 6],
		]);
		expect(p.unchanged.map((e) => [e.email, e.shareId])).toEqual([
			['dup@example.com', 3],
			['kept@example.com', 1],
		]);
		expect(p.skipped.map((e) => [e.email, e.shareId])).toEqual([
			['boss@example.com', 8],
			['foreign@example.com', 5],
		]);
		expect(p.guard).toEqual({ ok: true, managedCount: 7, revocations: 3, limit: 5 });
	});

	it('input order does not change the plan', () => {
		const a = scenario();
		const b = { ...scenario(), decisions: [...a.decisions].reverse(), shares: [...a.shares].reverse() };
		expect(plan(b)).toEqual(plan(a));
	});

	it('applying the plan and planning again gives no writes', () => {
		const input = scenario();
		const first = plan(input);
		const after = apply(input.shares, first);
		const second = plan({ ...input, shares: after });
		expect(writes(second)).toBe(0);
		expect(second.unchanged.map((u) => u.email)).toEqual(['changed@example.com', 'dup@example.com', 'kept@example.com', 'new@example.com']);
		expect(second.skipped.map((s) => s.email)).toEqual(['boss@example.com', 'foreign@example.com']);
	});

	it('end to end with the evaluator: decisions straight from evaluateAccess, twice', () => {
		const profiles = [
			{ email: 'Ana@Example.com', memberships: [{ id: '1', status: 'active', expiresAt: '2026-06-01T00:00:00Z' }] },
			{ email: 'ben@example.com', memberships: [{ id: '2', status: 'cancelled' }] },
			{ email: 'cy@example.com', registrations: [{ id: 'r', kind: 'class', status: 'registered', startsAt: '2026-03-02T18:00:00Z', endsAt: '2026-03-02T19:00:00Z' }] },
		];
		const decisions = evaluateAccess(profiles, { grantOnRegistrations: true, evaluationTime: NOW }).map((o) => o.decision);
		const shares = [share(1, 'ben@example.com')];
		const first = plan({ decisions, shares });
		expect(first.creates.map((c) => [c.email, c.validFrom, c.validUntil])).toEqual([
			['ana@example.com', null, '2026-06-01T00:00:00.000Z'],
			['cy@example.com', '2026-03-02T17:00:00.000Z', '2026-03-02T20:00:00.000Z'],
		]);
		expect(first.deletes.map((d) => [d.email, d.reason])).toEqual([['ben@example.com', 'Denied: Membership 2 is cancelled (status cancelled)']]);
		expect(writes(plan({ decisions, shares: apply(shares, first) }))).toBe(0);
	});
});

describe('performance', () => {
	it('50,000 shares × 50,000 decisions (prints the time)', () => {
		const n = 50_000;
		const decisions: SyncDecision[] = [];
		const shares: KisiShare[] = [];
		for (let i = 0; i < n; i++) {
			const email = `member${i}@example.com`;
			// A tenth is denied, a fifth gets a new end, a fifth is written in upper case; plus 1,000 new people.
			if (i % 10 === 0) decisions.push(deny(email));
			else decisions.push(allow(i % 5 === 1 ? email.toUpperCase() : email, null, i % 5 === 2 ? '2026-07-01T00:00:00Z' : '2026-06-01T00:00:00Z'));
			shares.push(share(i + 1, email, { valid_until: '2026-06-01T00:00:00Z' }));
		}
		for (let i = 0; i < 1_000; i++) decisions.push(allow(`new${i}@example.com`));
		const cpu = process.cpuUsage();
		const started = performance.now();
		const p = plan({ decisions, shares, maxRevocations: '20%' });
		const ms = performance.now() - started;
		const used = process.cpuUsage(cpu);
		const warmStart = performance.now();
		plan({ decisions, shares, maxRevocations: '20%' });
		const warm = performance.now() - warmStart;
		 
		console.log(
			`planner: ${n} shares × ${decisions.length} decisions in ${ms.toFixed(0)} ms (cpu ${((used.user + used.system) / 1000).toFixed(0)} ms), second run ${warm.toFixed(0)} ms`,
		);
		expect(p.deletes).toHaveLength(5_000);
		expect(p.updates).toHaveLength(10_000);
		expect(p.creates).toHaveLength(1_000);
		expect(p.unchanged).toHaveLength(35_000);
		expect(p.guard.ok).toBe(true);
	});
});
