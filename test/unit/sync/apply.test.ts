/**
 * Applying a plan, through an in-memory stand-in for Kisi's share endpoints (the real ones, with
 * the sandbox, are in test/engine/sync/sync-behaviour.test.ts): the order of the writes, the races
 * with an overlapping run, failures that do not block the others, and the stop after repeated
 * failures.
 */
import { applyPlan, FRESH_VIEW_WRITES, type ShareWriter } from '../../../nodes/Kisi/sync/apply';
import { type KisiShare, planGroupSync } from '../../../nodes/Kisi/sync/plan';

const GROUP = 501;
const ME = 100;

/**
 * Kisi's shares of one group, in memory; `fail` makes the next writes to an email throw; `onCreate`
 * runs after each create (another run writing meanwhile). Writes stamp `updated_at` with `clock`.
 */
function kisi(initial: KisiShare[]) {
	const shares = new Map(initial.map((s) => [String(s.id), { ...s }]));
	const calls: string[] = [];
	const failing = new Set<string>();
	const clock = { now: '2026-03-02T14:00:30Z' };
	const hooks: { onCreate?: (count: number) => void; refuseEnd?: boolean } = {};
	let creates = 0;
	let nextId = 5000;
	const writer: ShareWriter = {
		async create(request) {
			calls.push(`create ${request.email}`);
			if (failing.has(request.email)) throw new Error('Kisi answered 500');
			if ([...shares.values()].some((s) => s.email === request.email)) return 'taken';
			const id = nextId++;
			shares.set(String(id), {
				id,
				email: request.email,
				group_id: GROUP,
				valid_from: request.valid_from,
				valid_until: request.valid_until,
				created_by_id: ME,
				created_at: clock.now,
				updated_at: clock.now,
			});
			hooks.onCreate?.(++creates);
			return { id };
		},
		async find(email) {
			return [...shares.values()].find((s) => s.email === email) ?? null;
		},
		async get(id) {
			calls.push(`get ${id}`);
			const found = shares.get(String(id));
			return found ? { ...found } : null;
		},
		async update(id, validity) {
			calls.push(`update ${id}`);
			const found = shares.get(String(id));
			if (!found) return false;
			Object.assign(found, validity, { updated_at: clock.now });
			return true;
		},
		async remove(id) {
			calls.push(`remove ${id}`);
			return shares.delete(String(id));
		},
		async end(id, request) {
			calls.push(`end ${id}`);
			const found = shares.get(String(id));
			if (!found) return 'gone';
			if (hooks.refuseEnd) return 'refused';
			Object.assign(found, request, { updated_at: clock.now });
			return 'ended';
		},
	};
	return { writer, shares, calls, failing, clock, hooks };
}

const share = (id: number, email: string, until: string | null = null): KisiShare => ({ id, email, group_id: GROUP, valid_from: null, valid_until: until, created_by_id: ME, created_by_type: 'User' });
const allow = (email: string, validUntil: string | null = null) => ({ email, access: 'allow', validUntil });
const options = { notify: false, describeError: (error: unknown) => (error as Error).message };
const planFor = (decisions: object[], shares: KisiShare[]) => planGroupSync({ decisions, shares, groupId: GROUP, ownUserId: ME, maxRevocations: '100%' });

describe('applyPlan', () => {
	describe('a Listed People revocation ends the share', () => {
		const listed = (decisions: object[], shares: KisiShare[]) =>
			planGroupSync({ decisions, shares, groupId: GROUP, ownUserId: ME, scope: 'listedPeople', now: '2026-03-02T14:00:30Z' });
		const cancelled = { email: 'gone@example.com', access: 'deny', denials: [{ code: 'MEMBERSHIP_CANCELLED', message: 'Gold was cancelled' }] };

		it('with one PATCH: the share stays, ended now, stamped by Kisi', async () => {
			const initial = [share(2, 'gone@example.com')];
			const { writer, calls, shares } = kisi(initial);
			const result = await applyPlan(listed([cancelled], initial), writer, options);
			expect(calls).toEqual(['end 2']);
			expect(shares.get('2')).toMatchObject({ valid_until: '2026-03-02T14:00:30.000Z', updated_at: '2026-03-02T14:00:30Z' });
			expect(result.entries.map((e) => [e.action, e.shareId, e.validUntil])).toEqual([['delete', 2, '2026-03-02T14:00:30.000Z']]);
		});

		it('deleted instead when Kisi refuses an end in the past (its reference does not say): the door closes either way', async () => {
			const initial = [share(2, 'gone@example.com')];
			const { writer, calls, shares, hooks } = kisi(initial);
			hooks.refuseEnd = true;
			const result = await applyPlan(listed([cancelled], initial), writer, options);
			expect(calls).toEqual(['end 2', 'remove 2']);
			expect(shares.has('2')).toBe(false);
			expect(result.entries.map((e) => [e.action, e.shareId, e.validUntil, e.reason])).toEqual([
				['delete', 2, null, 'Denied: Gold was cancelled: Kisi refused to end the share at 2026-03-02T14:00:30.000Z, so it was removed'],
			]);
		});

		it('a share removed meanwhile is reported as already removed', async () => {
			const initial = [share(2, 'gone@example.com')];
			const { writer, shares } = kisi(initial);
			const plan = listed([cancelled], initial);
			shares.delete('2');
			const result = await applyPlan(plan, writer, options);
			expect(result.entries.map((e) => [e.action, e.validUntil, e.reason])).toEqual([['delete', null, expect.stringMatching(/\(already removed\)$/)]]);
		});
	});

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

/**
 * With dated decisions (the evaluator's `evaluatedAt`), what another run wrote after them stands:
 * the apply-time half of the rule in stale-decisions.test.ts.
 */
describe('applyPlan with dated decisions', () => {
	const DECIDED = '2026-03-02T14:00:00.000Z';
	const stamped = (id: number, email: string, until: string | null = null): KisiShare => ({
		...share(id, email, until),
		created_at: '2026-02-01T00:00:00Z',
		updated_at: '2026-02-01T00:00:00Z',
	});
	const dated = (decision: object) => ({ ...decision, evaluatedAt: DECIDED });
	const deny = (email: string) => ({ email, access: 'deny', evaluatedAt: DECIDED });
	const datedPlan = (decisions: object[], shares: KisiShare[]) => planFor(decisions.map(dated), shares);

	it('a create another run made first is used, never duplicated; with another validity it is left as that run made it', async () => {
		const planned = datedPlan([allow('a@example.com', '2026-06-01T00:00:00Z'), allow('b@example.com', '2026-06-01T00:00:00Z')], []);
		// A real-time run shared both after these decisions: a as planned here, b with its newer validity.
		const { writer, shares, calls } = kisi([
			{ ...stamped(7, 'a@example.com', '2026-06-01T00:00:00Z'), created_at: '2026-03-02T14:00:20Z' },
			{ ...stamped(8, 'b@example.com', '2026-09-01T00:00:00Z'), created_at: '2026-03-02T14:00:20Z', updated_at: '2026-03-02T14:00:20Z' },
		]);
		const result = await applyPlan(planned, writer, options);
		expect(result.entries.map((e) => [e.action, e.email, e.shareId, e.validUntil, e.reason])).toEqual([
			['unchanged', 'a@example.com', 7, '2026-06-01T00:00:00.000Z', 'Allowed: access allowed (already created by an overlapping run)'],
			[
				'skipped',
				'b@example.com',
				8,
				'2026-09-01T00:00:00Z',
				'Allowed: access allowed, but another run created the share (at 2026-03-02T14:00:20.000Z) after these decisions were made: left as it is, the next run decides',
			],
		]);
		expect(calls).toEqual(['create a@example.com', 'create b@example.com']);
		expect(shares.size).toBe(2);
		expect(shares.get('8')?.valid_until).toBe('2026-09-01T00:00:00Z');
	});

	it('an update of a share removed meanwhile does not share again (the removal is newer than the decisions)', async () => {
		const planned = datedPlan([allow('a@example.com', '2026-05-01T00:00:00Z')], [stamped(1, 'a@example.com', '2026-04-01T00:00:00Z')]);
		const { writer, shares, calls } = kisi([]);
		const result = await applyPlan(planned, writer, options);
		expect(result.entries.map((e) => [e.action, e.email, e.reason])).toEqual([
			[
				'skipped',
				'a@example.com',
				'Allowed: access allowed; valid_until 2026-04-01T00:00:00.000Z → 2026-05-01T00:00:00.000Z, but the share was removed in Kisi after these decisions were made: not shared again, the next run decides',
			],
		]);
		expect(calls).toEqual(['update 1']);
		expect(shares.size).toBe(0);
	});

	describe(`a long run (more than ${FRESH_VIEW_WRITES} changes) re-reads each share before updating or removing it`, () => {
		const newcomers = Array.from({ length: 30 }, (_, i) => allow(`new${i}@example.com`));
		const initial = [stamped(1, 'moved@example.com', '2026-04-01T00:00:00Z'), stamped(2, 'renewed@example.com'), stamped(3, 'gone@example.com'), stamped(4, 'left@example.com')];
		const decisions = [...newcomers, allow('moved@example.com', '2026-05-01T00:00:00Z'), deny('renewed@example.com'), deny('gone@example.com'), deny('left@example.com')];

		it('and leaves a share another run changed meanwhile; a share removed meanwhile is not removed twice', async () => {
			const planned = datedPlan(decisions, initial);
			expect([planned.creates.length, planned.updates.length, planned.deletes.length]).toEqual([30, 1, 3]);
			const { writer, shares, calls, clock, hooks } = kisi(initial);
			// While this run creates, a real-time run renews Renewed's and moves Moved's share, and another removes Gone's.
			hooks.onCreate = (count) => {
				if (count !== 10) return;
				clock.now = '2026-03-02T14:05:00Z';
				Object.assign(shares.get('1')!, { valid_until: '2026-07-01T00:00:00Z', updated_at: clock.now });
				Object.assign(shares.get('2')!, { valid_until: '2026-12-31T00:00:00Z', updated_at: clock.now });
				shares.delete('3');
			};
			const result = await applyPlan(planned, writer, options);
			expect(calls.slice(30)).toEqual(['get 1', 'get 3', 'get 4', 'remove 4', 'get 2']);
			const late = result.entries.slice(30).map((e) => [e.action, e.email, e.validUntil, e.reason]);
			expect(late).toEqual([
				[
					'skipped',
					'moved@example.com',
					'2026-07-01T00:00:00Z',
					'Allowed: access allowed; valid_until 2026-04-01T00:00:00.000Z → 2026-05-01T00:00:00.000Z, but the share was changed in Kisi after these decisions were made (share changed 2026-03-02T14:05:00.000Z, decisions made 2026-03-02T14:00:00.000Z): left as it is, the next run decides',
				],
				['delete', 'gone@example.com', null, 'Denied: access denied (already removed)'],
				['delete', 'left@example.com', null, 'Denied: access denied'],
				[
					'skipped',
					'renewed@example.com',
					'2026-12-31T00:00:00Z',
					'Denied: access denied, but the share was changed in Kisi after these decisions were made (share changed 2026-03-02T14:05:00.000Z, decisions made 2026-03-02T14:00:00.000Z): left as it is, the next run decides',
				],
			]);
			expect(shares.get('1')?.valid_until).toBe('2026-07-01T00:00:00Z');
			expect(shares.has('2')).toBe(true);
			expect(shares.has('4')).toBe(false);
		});

		it('but the first changes of a run, which follow its reading of the group, do not re-read', async () => {
			const { writer, calls } = kisi(initial);
			await applyPlan(datedPlan(decisions.slice(30), initial), writer, options);
			expect(calls).toEqual(['update 1', 'remove 3', 'remove 4', 'remove 2']);
		});

		it('nor does a run with undated decisions, which keeps acting as it always did', async () => {
			const { writer, calls } = kisi(initial);
			await applyPlan(planFor(decisions.map((d) => ({ ...d, evaluatedAt: undefined })), initial), writer, options);
			expect(calls.filter((call) => call.startsWith('get'))).toEqual([]);
			expect(calls.slice(30)).toEqual(['update 1', 'remove 3', 'remove 4', 'remove 2']);
		});
	});
});

describe('applyPlan: progress and a stop part-way', () => {
	const people = Array.from({ length: 10 }, (_, i) => `p${i}@example.com`);

	it('tells how many of how many changes are done, with an estimate from the pace so far', async () => {
		const { writer } = kisi([]);
		let now = 0;
		const seen: Array<{ done: number; total: number; created: number; remainingMs: number | null; current: string | null }> = [];
		await applyPlan(planFor(people.map((email) => allow(email)), []), writer, {
			...options,
			now: () => now,
			onProgress: (p) => {
				if (p.current !== null) now += 200; // the write about to start takes 200 ms (Kisi's 5 per second)
				seen.push({ done: p.done, total: p.total, created: p.created, remainingMs: p.remainingMs, current: p.current?.email ?? null });
			},
		});
		const after = seen.filter((p) => p.current === null);
		expect(after.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		expect(after.every((p) => p.total === 10)).toBe(true);
		expect(after[3]).toMatchObject({ done: 4, created: 4, remainingMs: 1200 }); // 6 left at 200 ms each
		expect(after.at(-1)).toMatchObject({ done: 10, remainingMs: 0 });
		// Before each write it names the change under way.
		expect(seen.filter((p) => p.current !== null).map((p) => p.current)).toEqual(people);
	});

	it('a stop between two changes: the ones made are reported made, the rest not applied, none half-done', async () => {
		const { writer, shares } = kisi([]);
		const stop = new AbortController();
		const result = await applyPlan(planFor(people.map((email) => allow(email)), []), writer, {
			...options,
			signal: stop.signal,
			onProgress: (p) => {
				if (p.current?.email === 'p4@example.com') stop.abort(); // stopped while p4 is being written
			},
		});
		expect(result.stopped).toBe(true);
		const made = result.entries.filter((e) => !e.error).map((e) => e.email);
		expect(made).toEqual(people.slice(0, 5)); // the write under way finishes
		expect([...shares.values()].map((s) => s.email).sort()).toEqual(made);
		expect(result.notAttempted.map((e) => [e.email, e.error])).toEqual(people.slice(5).map((email) => [email, 'not applied: the run was stopped before this change']));
		expect(result.failed).toEqual([]);
	});
});
