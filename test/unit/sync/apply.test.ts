/**
 * Applying a plan, through an in-memory stand-in for Kisi's share endpoints (the real ones, with
 * the sandbox, are in test/engine/sync/sync-behaviour.test.ts): the order of the writes, the races
 * with an overlapping run, failures that do not block the others, and the stop after repeated
 * failures.
 */
import { applyPlan, type ShareWriter } from '../../../nodes/Kisi/sync/apply';
import { type KisiShare, planGroupSync } from '../../../nodes/Kisi/sync/plan';

const GROUP = 501;
const ME = 100;

/** Kisi's shares of one group, in memory; `fail` makes the next writes to an email throw. */
function kisi(initial: KisiShare[]) {
	const shares = new Map(initial.map((s) => [String(s.id), { ...s }]));
	const calls: string[] = [];
	const failing = new Set<string>();
	let nextId = 5000;
	const writer: ShareWriter = {
		async create(request) {
			calls.push(`create ${request.email}`);
			if (failing.has(request.email)) throw new Error('Kisi answered 500');
			if ([...shares.values()].some((s) => s.email === request.email)) return 'taken';
			const id = nextId++;
			shares.set(String(id), { id, email: request.email, group_id: GROUP, valid_from: request.valid_from, valid_until: request.valid_until, created_by_id: ME });
			return { id };
		},
		async find(email) {
			return [...shares.values()].find((s) => s.email === email) ?? null;
		},
		async update(id, validity) {
			calls.push(`update ${id}`);
			const found = shares.get(String(id));
			if (!found) return false;
			Object.assign(found, validity);
			return true;
		},
		async remove(id) {
			calls.push(`remove ${id}`);
			return shares.delete(String(id));
		},
	};
	return { writer, shares, calls, failing };
}

const share = (id: number, email: string, until: string | null = null): KisiShare => ({ id, email, group_id: GROUP, valid_from: null, valid_until: until, created_by_id: ME, created_by_type: 'User' });
const allow = (email: string, validUntil: string | null = null) => ({ email, access: 'allow', validUntil });
const options = { notify: false, describeError: (error: unknown) => (error as Error).message };
const planFor = (decisions: object[], shares: KisiShare[]) => planGroupSync({ decisions, shares, groupId: GROUP, ownUserId: ME, maxRevocations: '100%' });

describe('applyPlan', () => {
	it('creates, then updates, then deletes', async () => {
		const initial = [share(1, 'move@example.com', '2026-04-01T00:00:00Z'), share(2, 'gone@example.com')];
		const { writer, calls } = kisi(initial);
		const result = await applyPlan(planFor([allow('new@example.com'), allow('move@example.com', '2026-05-01T00:00:00Z')], initial), writer, options);
		expect(calls).toEqual(['create new@example.com', 'update 1', 'remove 2']);
		expect(result.entries.map((e) => [e.action, e.email, e.shareId])).toEqual([
			['create', 'new@example.com', 5000],
			['update', 'move@example.com', 1],
			['delete', 'gone@example.com', 2],
		]);
		expect(result.failed).toEqual([]);
	});

	it('a create that an overlapping run already made is adopted: unchanged when it matches, aligned when not', async () => {
		const planned = planFor([allow('a@example.com', '2026-06-01T00:00:00Z'), allow('b@example.com', '2026-06-01T00:00:00Z')], []);
		// Meanwhile another run shared both: a with the same validity (written differently), b with another.
		const { writer, shares } = kisi([share(7, 'a@example.com', '2026-06-01T02:00:00+02:00'), share(8, 'b@example.com', '2026-04-01T00:00:00Z')]);
		const result = await applyPlan(planned, writer, options);
		expect(result.entries.map((e) => [e.action, e.email, e.shareId, e.reason])).toEqual([
			['unchanged', 'a@example.com', 7, 'Allowed: access allowed (already created by an overlapping run)'],
			['update', 'b@example.com', 8, 'Allowed: access allowed (created by an overlapping run; validity aligned)'],
		]);
		expect(shares.size).toBe(2);
		expect(shares.get('8')?.valid_until).toBe('2026-06-01T00:00:00.000Z');
	});

	it('an update of a share removed meanwhile shares again; a delete of one already gone is no failure', async () => {
		const initial = [share(1, 'a@example.com', '2026-04-01T00:00:00Z'), share(2, 'gone@example.com')];
		const planned = planFor([allow('a@example.com', '2026-05-01T00:00:00Z')], initial);
		const { writer, shares } = kisi([]);
		const result = await applyPlan(planned, writer, options);
		expect(result.entries.map((e) => [e.action, e.email, e.reason])).toEqual([
			['create', 'a@example.com', 'Allowed: access allowed; valid_until 2026-04-01T00:00:00.000Z → 2026-05-01T00:00:00.000Z (the share had been removed; shared again)'],
			['delete', 'gone@example.com', "Not in the evaluator's output (already removed)"],
		]);
		expect([...shares.values()].map((s) => [s.email, s.valid_until])).toEqual([['a@example.com', '2026-05-01T00:00:00.000Z']]);
	});

	it('a failed change is recorded and the others go on; after three failures in a row the rest waits for the next run', async () => {
		const { writer, failing, calls } = kisi([]);
		const emails = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'].map((p) => `${p}@example.com`);
		failing.add(emails[0]);
		const first = await applyPlan(planFor(emails.map((e) => allow(e)), []), writer, options);
		expect(first.failed.map((e) => [e.email, e.error])).toEqual([['p0@example.com', 'Kisi answered 500']]);
		expect(first.entries.filter((e) => !e.error)).toHaveLength(5);

		for (const email of emails) failing.add(email);
		calls.length = 0;
		const second = await applyPlan(planFor(emails.map((e) => allow(e)), []), writer, options);
		expect(calls).toHaveLength(3);
		expect(second.failed).toHaveLength(3);
		expect(second.notAttempted.map((e) => [e.email, e.error])).toEqual(emails.slice(3).map((e) => [e, 'not attempted: Kisi failed several times in a row']));
	});
});
