/**
 * Kisi → Share → Sync Group Access on its own: decisions fed in directly, against small Kisi
 * scenarios in the sandbox. What an operator relies on: dry run, ownership, protected emails,
 * the revocation guard, place-scoped groups, overlapping runs, partial failures, big groups, the
 * "Listed People Only" scope and a real-time run overlapping the 15-minute sync.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runWorkflow, type WorkflowJson } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';

jest.setTimeout(120_000);

const KEY = 'kisi-sync-key';
const OWNER = 100;
const STAFF_MAKER = 101;
const credentials = (url: string) => [{ id: 'k', name: 'Kisi account', type: 'kisiApi', data: { apiKey: KEY, baseUrl: `${url}/kisi` } }];

interface ShareSeed {
	email: string;
	by?: number;
	from?: string | null;
	until?: string | null;
	group?: number;
	/** When Kisi created the share (default: the scenario's now). */
	created?: string;
}

function scenario(shares: ShareSeed[], extraGroups: IDataObject[] = []): IDataObject {
	const emails = [...new Set(['owner@gym.test', 'maker@gym.test', ...shares.map((share) => share.email)])];
	return {
		now: '2026-03-02T14:00:00Z',
		rateLimits: false,
		kisi: {
			apiKeys: [{ key: KEY, user_id: OWNER }],
			organization: { id: 1, name: 'Gym' },
			users: emails.map((email, i) => ({ id: i === 0 ? OWNER : i === 1 ? STAFF_MAKER : 1000 + i, email, name: email.split('@')[0] })),
			places: [{ id: 10, name: 'Main Street', time_zone: 'Europe/London' }],
			locks: [{ id: 1001, name: 'Front Door', place_id: 10 }],
			groups: [
				{ id: 501, name: 'Members', place_id: null },
				{ id: 502, name: 'Main Street Only', place_id: 10 },
				...extraGroups,
			],
			shares: shares.map((share, i) => ({
				id: 9000 + i,
				email: share.email,
				group_id: share.group ?? 501,
				created_by_id: share.by ?? OWNER,
				valid_from: share.from ?? null,
				valid_until: share.until ?? null,
				...(share.created ? { created_at: share.created } : {}),
			})),
		},
	};
}

function workflow(parameters: IDataObject = {}): WorkflowJson {
	return {
		name: 'Sync',
		nodes: [
			{ id: 'a', name: 'Decisions', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'b',
				name: 'Sync',
				type: 'n8n-nodes-gym-access.kisi',
				typeVersion: 1,
				position: [200, 0],
				parameters: {
					resource: 'share',
					operation: 'syncGroupAccess',
					groupId: { __rl: true, mode: 'id', value: '501' },
					...parameters,
				} as INodeParameters,
				credentials: { kisiApi: { id: 'k', name: 'Kisi account' } },
			},
		],
		connections: { Decisions: { main: [[{ node: 'Sync', type: 'main', index: 0 }]] } },
	};
}

const allow = (email: string, validFrom: string | null = null, validUntil: string | null = null) => ({ email, access: 'allow', validFrom, validUntil, reasons: [{ code: 'MEMBERSHIP_ACTIVE', message: 'active' }] });
const deny = (email: string) => ({ email, access: 'deny', validFrom: null, validUntil: null, denials: [{ code: 'MEMBERSHIP_EXPIRED', message: 'expired' }] });

const sandbox = withSandbox(() => scenario([]));

async function reset(shares: ShareSeed[], extraGroups: IDataObject[] = []) {
	await sandbox.load(scenario(shares, extraGroups));
	await sandbox.clearRequests();
}

async function run(decisions: IDataObject[], parameters: IDataObject = {}) {
	return await runWorkflow(workflow(parameters), { credentials: credentials(sandbox.url), triggerItems: decisions });
}

async function shares(group = 501): Promise<IDataObject[]> {
	return ((await sandbox.state()).kisi.shares as IDataObject[]).filter((share) => share.group_id === group);
}

async function writes(): Promise<string[]> {
	return (await sandbox.requests({ service: 'kisi' })).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path} ${r.status}`);
}

describe('Sync Group Access', () => {
	it('dry run: outputs the plan and writes nothing', async () => {
		await reset([{ email: 'gone@gym.test' }]);
		const result = await run([allow('new@gym.test', '2026-03-02T13:00:00Z', '2026-03-02T16:00:00Z')], { dryRun: true, output: 'all' });
		expect(result.error).toBeUndefined();
		expect(result.output('Sync').map((item) => [item.action, item.email, item.dryRun])).toEqual([
			['delete', 'gone@gym.test', true],
			['create', 'new@gym.test', true],
		]);
		expect(await writes()).toEqual([]);
	});

	it('refuses a place-scoped group before any write, saying how to fix it', async () => {
		await reset([]);
		const result = await run([allow('a@gym.test')], { groupId: { __rl: true, mode: 'id', value: '502' } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('is scoped to the place "Main Street"; the sync only works with organization groups');
		expect(result.error?.description).toContain('"Scope to a place" disabled');
		expect(await writes()).toEqual([]);
	});

	it('finds the group by name, case-insensitively, and explains a missing or ambiguous name', async () => {
		await reset([], [{ id: 601, name: 'Twins', place_id: null }, { id: 602, name: 'twins', place_id: null }]);
		const byName = await run([allow('a@gym.test')], { groupId: { __rl: true, mode: 'name', value: 'members' } });
		expect(byName.error).toBeUndefined();
		expect((await shares()).map((share) => share.email)).toEqual(['a@gym.test']);
		const missing = await run([allow('a@gym.test')], { groupId: { __rl: true, mode: 'name', value: 'Nope' } });
		expect(missing.error?.message).toBe('No Kisi group is named "Nope"');
		const twins = await run([allow('a@gym.test')], { groupId: { __rl: true, mode: 'name', value: 'Twins' } });
		expect(twins.error?.message).toBe('2 Kisi groups are named "Twins" (IDs 601, 602)');
	});

	it('only touches shares this key created; protected emails are never revoked; users are kept', async () => {
		await reset([
			{ email: 'staff@gym.test', by: STAFF_MAKER },
			{ email: 'old@gym.test' },
			{ email: 'boss@gym.test' },
			{ email: 'keep@gym.test', from: '2026-01-01T00:00:00Z' },
		]);
		const result = await run([deny('old@gym.test'), allow('keep@gym.test', '2026-01-01T00:00:00Z'), deny('staff@gym.test')], {
			protectedEmails: 'BOSS@gym.test ',
			output: 'all',
		});
		expect(result.error).toBeUndefined();
		expect(result.output('Sync').map((item) => `${item.action} ${item.email}`)).toEqual([
			'skipped boss@gym.test',
			'unchanged keep@gym.test',
			'delete old@gym.test',
			'skipped staff@gym.test',
		]);
		expect((await shares()).map((share) => share.email).sort()).toEqual(['boss@gym.test', 'keep@gym.test', 'staff@gym.test']);
		expect(((await sandbox.state()).kisi.users as IDataObject[]).some((user) => user.email === 'old@gym.test')).toBe(true);
	});

	it('with "All Shares in the Group" it manages every share, but still never revokes protected emails', async () => {
		await reset([{ email: 'staff@gym.test', by: STAFF_MAKER }, { email: 'boss@gym.test', by: STAFF_MAKER }]);
		const result = await run([allow('a@gym.test')], { ownership: 'allSharesInGroup', protectedEmails: 'boss@gym.test' });
		expect(result.error).toBeUndefined();
		expect((await shares()).map((share) => share.email).sort()).toEqual(['a@gym.test', 'boss@gym.test']);
	});

	it('updates a validity that changed, creates before it deletes, and reports the request count in the summary', async () => {
		await reset([{ email: 'move@gym.test', from: '2026-03-02T13:00:00Z', until: '2026-03-02T16:00:00Z' }, { email: 'gone@gym.test' }]);
		const result = await run([allow('move@gym.test', '2026-03-03T06:00:00Z', '2026-03-03T09:00:00Z'), allow('new@gym.test')], {
			output: 'summary',
		});
		expect(result.output('Sync')).toEqual([
			{ groupId: 501, created: 1, updated: 1, deleted: 1, unchanged: 0, skipped: 0, failed: 0, dryRun: false, requests: 6 },
		]);
		expect(await writes()).toEqual(['POST /shares 200', 'PATCH /shares/9000 204', 'DELETE /shares/9001 204']);
		expect((await shares()).find((share) => share.email === 'move@gym.test')).toMatchObject({ valid_from: expect.stringMatching(/^2026-03-03T06:00:00/) });
	});

	it('refuses to revoke more than Max Revocations (default 10%, at least 5) before any write', async () => {
		const members = Array.from({ length: 40 }, (_, i) => ({ email: `m${i}@gym.test` }));
		await reset(members);
		// The source lost half its members: 20 would be revoked.
		const half = members.slice(0, 20).map((member) => allow(member.email));
		const blocked = await run(half);
		expect(blocked.status).toBe('error');
		expect(blocked.error?.message).toMatch(/20/);
		expect(blocked.error?.message).toContain('m20@gym.test');
		expect(await writes()).toEqual([]);

		const allowed = await run(half, { maxRevocations: '50%' });
		expect(allowed.error).toBeUndefined();
		expect(await shares()).toHaveLength(20);
	});

	it('rejects a bad Max Revocations and items that are not decisions, naming them', async () => {
		await reset([]);
		const bad = await run([allow('a@gym.test')], { maxRevocations: 'lots' });
		expect(bad.error?.message).toContain('Max Revocations [maxRevocations]');
		const notDecision = await run([allow('a@gym.test'), { email: 'b@gym.test', name: 'B' }]);
		expect(notDecision.error?.message).toBe('Item 1 is not an access decision: "access" must be "allow" or "deny"');
		expect(await writes()).toEqual([]);
	});

	it('refuses a protected email the Access Rule Evaluator would not accept, before any request, naming the field and the entry', async () => {
		await reset([{ email: 'boss@gym.test' }]);
		await sandbox.clearRequests();
		const result = await run([allow('a@gym.test')], { protectedEmails: 'owner@gym.test, boss@gym..test' });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Protected Emails [protectedEmails] contains "boss@gym..test", which is not an email address');
		expect(await sandbox.requests({ service: 'kisi' })).toEqual([]);
		expect((await shares()).map((share) => share.email)).toEqual(['boss@gym.test']);
	});

	it('two overlapping runs set to "Run Anyway" leave exactly one share per allowed email', async () => {
		await reset([]);
		const decisions = Array.from({ length: 12 }, (_, i) => allow(`p${i}@gym.test`, null, '2026-06-01T00:00:00Z'));
		const [first, second] = await Promise.all([run(decisions, { ifRunning: 'run' }), run(decisions, { ifRunning: 'run' })]);
		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		const current = await shares();
		expect(current).toHaveLength(12);
		expect(new Set(current.map((share) => share.email)).size).toBe(12);
		// The loser of each race got Kisi's "already taken" and adopted the share instead of failing.
		const conflicts = (await sandbox.requests({ service: 'kisi', method: 'POST' })).filter((r) => r.status === 422);
		expect(conflicts.length).toBeGreaterThan(0);
	});

	it('a change Kisi refuses does not block the others, and the run says the group is only partly synced', async () => {
		await reset([{ email: 'gone@gym.test' }]);
		await sandbox.fault({ service: 'kisi', method: 'POST', path: '/shares', status: 500, times: 1 });
		const result = await run([allow('first@gym.test'), allow('second@gym.test')]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^The group is only partly synced: 2 of 3 changes applied, 1 not \(create first@gym\.test: Kisi answered 500/);
		expect((await shares()).map((share) => share.email)).toEqual(['second@gym.test']);

		// With Continue On Fail the failed change is an item the workflow can route.
		await reset([]);
		await sandbox.fault({ service: 'kisi', method: 'POST', path: '/shares', status: 500, times: 1 });
		const flow = workflow();
		flow.nodes[1].continueOnFail = true;
		const lenient = await runWorkflow(flow, { credentials: credentials(sandbox.url), triggerItems: [allow('first@gym.test'), allow('second@gym.test')] });
		expect(lenient.output('Sync').map((item) => `${item.action} ${item.email}`)).toEqual(['error first@gym.test', 'create second@gym.test']);
	});

	it('with "On Error: Continue (using error output)", a refused run and a partly synced one send their error there, naming the node and the group', async () => {
		const withErrorOutput = () => {
			const flow = workflow();
			flow.nodes[1].onError = 'continueErrorOutput';
			return flow;
		};
		// Refused (too many revocations): nothing written, one item on the error output, none on the main one.
		await reset(Array.from({ length: 8 }, (_, i) => ({ email: `gone${i}@gym.test` })));
		const refused = await runWorkflow(withErrorOutput(), { credentials: credentials(sandbox.url), triggerItems: [allow('stays@gym.test')] });
		expect(refused.status).toBe('success');
		expect(refused.output('Sync', 0)).toEqual([]);
		expect(refused.output('Sync', 1)).toEqual([
			{ error: expect.stringMatching(/^The sync would revoke 8 shares, more than the limit of 5/), details: { description: expect.stringContaining('Nothing was changed'), node: 'Sync', group: '501' } },
		]);
		expect(await writes()).toEqual([]);

		// Partly synced: the applied changes and the failed one on the main output, the run's failure on the error output.
		await reset([]);
		await sandbox.fault({ service: 'kisi', method: 'POST', path: '/shares', status: 500, times: 1 });
		const partly = await runWorkflow(withErrorOutput(), { credentials: credentials(sandbox.url), triggerItems: [allow('first@gym.test'), allow('second@gym.test')] });
		expect(partly.output('Sync', 0).map((item) => `${item.action} ${item.email}`)).toEqual(['error first@gym.test', 'create second@gym.test']);
		expect(partly.output('Sync', 1)).toEqual([{ error: expect.stringMatching(/^The group is only partly synced: 1 of 2 changes applied, 1 not/), details: expect.objectContaining({ node: 'Sync', group: '501' }) }]);

		// "Continue (regular output)": the refusal is that one item on the main output (not the decisions passed through).
		await reset(Array.from({ length: 8 }, (_, i) => ({ email: `gone${i}@gym.test` })));
		const regular = workflow();
		regular.nodes[1].onError = 'continueRegularOutput';
		const lenient = await runWorkflow(regular, { credentials: credentials(sandbox.url), triggerItems: [allow('stays@gym.test')] });
		expect(lenient.output('Sync')).toEqual([{ error: expect.stringMatching(/^The sync would revoke 8 shares/), details: expect.objectContaining({ node: 'Sync' }) }]);
	});

	it('stops after repeated failures instead of hammering a failing Kisi, leaving the rest for the next run', async () => {
		await reset([]);
		await sandbox.fault({ service: 'kisi', method: 'POST', path: '/shares', status: 500, times: 10 });
		const result = await run(Array.from({ length: 6 }, (_, i) => allow(`p${i}@gym.test`)));
		expect(result.error?.message).toContain('0 of 6 changes applied, 6 not');
		expect((await sandbox.requests({ service: 'kisi', method: 'POST' })).length).toBe(3);
	});
});

describe('a group bigger than Kisi can list with one filter (20,250 shares)', () => {
	it('still reads every share and revokes exactly the ones it should', async () => {
		const members = Array.from({ length: 20_400 }, (_, i) => ({ email: `member.${i}.${(i * 7919) % 1000}@gym${i % 7}.test` }));
		await reset(members);
		const gone = new Set([5, 999, 15_000, 20_300, 20_399].map((i) => members[i].email));
		const decisions = members.filter((member) => !gone.has(member.email)).map((member) => allow(member.email));
		const started = Date.now();
		const result = await run(decisions, { output: 'summary', maxRevocations: '10' });
		expect(result.error).toBeUndefined();
		const [summary] = result.output('Sync');
		console.log(`20,400-share group synced in ${Date.now() - started} ms with ${String(summary.requests)} requests`);
		expect(summary).toMatchObject({ created: 0, updated: 0, deleted: 5, unchanged: 20_395 });
		const left = new Set((await shares()).map((share) => share.email));
		for (const email of gone) expect(left.has(email)).toBe(false);
		expect(left.size).toBe(20_395);
	});
});

/** Decisions as the evaluator outputs them, with the instant they were made at. */
const at = (evaluatedAt: string, decisions: IDataObject[]) => decisions.map((decision) => ({ ...decision, evaluatedAt }));
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const LISTED = { scope: 'listedPeople' };

describe('Scope "Listed People Only" (the real-time template)', () => {
	it('shares, updates and revokes only the listed people; staff, protected emails and everyone else are left alone', async () => {
		await reset([
			{ email: 'stays@gym.test' },
			{ email: 'cancelled@gym.test' },
			{ email: 'renewed@gym.test', until: '2026-03-31T00:00:00Z' },
			{ email: 'absent@gym.test' },
			{ email: 'staff@gym.test', by: STAFF_MAKER },
			{ email: 'boss@gym.test' },
		]);
		const ids = Object.fromEntries((await shares()).map((share) => [share.email, share.id]));
		const decisions = [allow('new@gym.test'), deny('cancelled@gym.test'), allow('renewed@gym.test', null, '2026-04-30T00:00:00Z'), deny('staff@gym.test'), deny('boss@gym.test')];
		const result = await run(decisions, { ...LISTED, protectedEmails: 'boss@gym.test', output: 'all' });
		expect(result.error).toBeUndefined();
		expect(result.output('Sync').map((item) => `${item.action} ${item.email}`)).toEqual([
			'skipped boss@gym.test',
			'delete cancelled@gym.test',
			'create new@gym.test',
			'update renewed@gym.test',
			'skipped staff@gym.test',
		]);
		// The cancellation ends the share at once (PATCH valid_until), see test/unit/sync/scope.test.ts.
		expect(await writes()).toEqual([`POST /shares 200`, `PATCH /shares/${String(ids['renewed@gym.test'])} 204`, `PATCH /shares/${String(ids['cancelled@gym.test'])} 204`]);
		const after = await shares();
		expect(after.map((share) => share.email).sort()).toEqual(['absent@gym.test', 'boss@gym.test', 'cancelled@gym.test', 'new@gym.test', 'renewed@gym.test', 'staff@gym.test', 'stays@gym.test']);
		expect(after.find((share) => share.email === 'renewed@gym.test')).toMatchObject({ valid_until: '2026-04-30T00:00:00Z' });
		expect(Date.parse(String(after.find((share) => share.email === 'cancelled@gym.test')!.valid_until))).toBeLessThanOrEqual(Date.now());

		// Again, as a summary: nothing to write (the ended share is not ended again); the two shares of people not listed are counted as left alone.
		await sandbox.clearRequests();
		const again = await run(decisions, { ...LISTED, protectedEmails: 'boss@gym.test', output: 'summary' });
		expect(again.output('Sync')).toEqual([
			{ groupId: 501, created: 0, updated: 0, deleted: 0, unchanged: 3, skipped: 2, failed: 0, dryRun: false, requests: 3, leftAlone: 2 },
		]);
		expect(await writes()).toEqual([]);
	});

	it('an empty input changes nothing and is no refusal (the whole-group sync refuses it)', async () => {
		await reset([{ email: 'a@gym.test' }, { email: 'b@gym.test' }]);
		// `{}` is n8n's placeholder item when the node before outputs nothing ("Always Output Data").
		const listed = await run([{}], { ...LISTED, output: 'summary' });
		expect(listed.error).toBeUndefined();
		expect(listed.output('Sync')[0]).toMatchObject({ created: 0, updated: 0, deleted: 0, leftAlone: 2 });
		const whole = await run([{}]);
		expect(whole.error?.message).toMatch(/^The decision list is empty, so the sync would revoke all 2 shares/);
		expect(await writes()).toEqual([]);
		expect(await shares()).toHaveLength(2);
	});

	it('one cancellation in a group of 600: revoked (the revocation limit counts the listed people), reading only that person\'s share', async () => {
		await reset(Array.from({ length: 600 }, (_, i) => ({ email: `m${i}@gym.test` })));
		const result = await run([deny('m500@gym.test')], { ...LISTED, output: 'summary' });
		expect(result.error).toBeUndefined();
		expect(result.output('Sync')[0]).toMatchObject({ deleted: 1, leftAlone: 599, requests: 5 });
		const listings = await sandbox.requests({ service: 'kisi', method: 'GET', path: '/shares' });
		// The group's first page (which says it holds 600), then one search for m500.
		expect(listings.map((request) => [request.query.offset, request.query.query])).toEqual([
			['0', undefined],
			['0', 'm500@gym.test'],
		]);
		expect(await writes()).toEqual(['PATCH /shares/9500 204']);
		const after = await shares();
		expect(after).toHaveLength(600);
		expect(after.filter((share) => share.valid_until !== null).map((share) => share.email)).toEqual(['m500@gym.test']);
	});
});

describe('a real-time run and the 15-minute sync at the same moment', () => {
	it('the 15-minute run does not undo what a real-time run did after its decisions were made; newer decisions do act', async () => {
		await reset([
			{ email: 'ben@gym.test', until: '2026-03-05T00:00:00Z', created: '2026-02-01T00:00:00Z' },
			{ email: 'dan@gym.test', created: '2026-02-01T00:00:00Z' },
		]);
		// 13:55: the 15-minute sync reads the source (Ana has not bought yet, Ben's renewal is not in).
		const fifteenMinute = at('2026-03-02T13:55:00.000Z', [allow('ben@gym.test', null, '2026-03-05T00:00:00Z'), deny('dan@gym.test')]);
		// 14:00: Ana buys and Ben renews; the webhook-driven run shares Ana and extends Ben.
		await sandbox.control('POST', '/clock', { now: '2026-03-02T14:00:00Z' });
		const realTime = await run(at('2026-03-02T14:00:00.000Z', [allow('ana@gym.test'), allow('ben@gym.test', null, '2026-06-01T00:00:00Z')]), LISTED);
		expect(realTime.output('Sync').map((item) => `${item.action} ${item.email}`)).toEqual(['create ana@gym.test', 'update ben@gym.test']);

		// The 15-minute run's writes land after that, from its 13:55 decisions.
		await sandbox.clearRequests();
		const whole = await run(fifteenMinute);
		expect(whole.error).toBeUndefined();
		const out = whole.output('Sync');
		expect(out.map((item) => `${item.action} ${item.email}`)).toEqual(['skipped ana@gym.test', 'skipped ben@gym.test', 'delete dan@gym.test']);
		expect(out[0].reason).toMatch(/^Not in the evaluator's output, but the share was changed in Kisi after these decisions were made \(share changed 2026-03-02T14:00:0\d\.\d{3}Z, decisions made 2026-03-02T13:55:00\.000Z\): left as it is, the next run decides$/);
		expect(out[1].reason).toMatch(/^Allowed \(active\), but the share was changed in Kisi after these decisions were made .*: left as it is, the next run decides \(not applied: valid_until 2026-06-01T00:00:00\.000Z → 2026-03-05T00:00:00\.000Z\)$/);
		expect(await writes()).toEqual([expect.stringMatching(/^DELETE \/shares\/\d+ 204$/)]);
		const kept = await shares();
		expect(kept.map((share) => [share.email, share.valid_until])).toEqual([
			['ben@gym.test', '2026-06-01T00:00:00Z'],
			['ana@gym.test', null],
		]);

		// 14:15: the next 15-minute run has newer decisions (Ana's purchase was refunded): they act.
		await sandbox.control('POST', '/clock', { now: '2026-03-02T14:15:00Z' });
		const next = await run(at('2026-03-02T14:15:00.000Z', [allow('ben@gym.test', null, '2026-06-01T00:00:00Z')]));
		expect(next.output('Sync').map((item) => `${item.action} ${item.email}`)).toEqual(['delete ana@gym.test']);
		expect((await shares()).map((share) => share.email)).toEqual(['ben@gym.test']);
	});

	it('a share changed while the 15-minute run was still reading its source counts as newer (the execution\'s start dates the decisions)', async () => {
		// On n8n's clock: this execution starts now; a real-time run shares Ana a minute later, while
		// the 15-minute run still reads a big source; its evaluator decides two minutes from now.
		const start = Date.now();
		const iso = (ms: number) => new Date(ms).toISOString();
		await reset([
			{ email: 'ana@gym.test', created: iso(start + 60_000) },
			{ email: 'dan@gym.test', created: iso(start - 3_600_000) },
		]);
		const result = await run(at(iso(start + 120_000), [deny('ana@gym.test'), deny('dan@gym.test')]));
		expect(result.error).toBeUndefined();
		const out = result.output('Sync');
		expect(out.map((item) => `${item.action} ${item.email}`)).toEqual(['skipped ana@gym.test', 'delete dan@gym.test']);
		expect(out[0].reason).toContain('the share was changed in Kisi after these decisions were made');
		expect((await shares()).map((share) => share.email)).toEqual(['ana@gym.test']);
	});

	it('both creating the same share at once leave one share, whoever wins', async () => {
		for (const [realTimeUntil, loser] of [
			['2026-06-01T00:00:00Z', 'unchanged'],
			['2026-09-01T00:00:00Z', 'skipped'],
		] as const) {
			await reset([]);
			// Both runs read the group before either write lands: each create is served after 1.5 s.
			await sandbox.fault({ service: 'kisi', method: 'POST', path: '/shares', delayMs: 1500, times: 2 });
			const decided = '2026-03-02T14:00:00.000Z';
			// Unpaced, so that neither run's reading waits for the other's (both share the credential's pacer).
			const fast = credentials(sandbox.url).map((credential) => ({ ...credential, data: { ...credential.data, requestsPerSecond: 100 } }));
			const [realTime, whole] = await Promise.all([
				runWorkflow(workflow(LISTED), { credentials: fast, triggerItems: at(decided, [allow('new@gym.test', null, realTimeUntil)]) }),
				runWorkflow(workflow(), { credentials: fast, triggerItems: at(decided, [allow('new@gym.test', null, '2026-06-01T00:00:00Z')]) }),
			]);
			expect(realTime.error).toBeUndefined();
			expect(whole.error).toBeUndefined();
			const current = await shares();
			expect(current).toHaveLength(1);
			// The loser got Kisi's "already taken" and used the winner's share (never a second one).
			expect((await sandbox.requests({ service: 'kisi', method: 'POST' })).map((request) => request.status).sort()).toEqual([200, 422]);
			const results = [realTime, whole].map((result) => result.output('Sync')[0]);
			expect(results.map((item) => item.action).sort()).toEqual(['create', loser]);
			const winner = results.find((item) => item.action === 'create')!;
			expect(current[0].email).toBe('new@gym.test');
			expect(Date.parse(String(current[0].valid_until))).toBe(Date.parse(String(winner.validUntil)));
			const other = results.find((item) => item.action === loser)!;
			expect(other.reason).toMatch(loser === 'unchanged' ? /\(already created by an overlapping run\)$/ : /another run created the share .*after these decisions were made: left as it is/);
		}
	});

	it('a 15-minute run still writing does not hold back a real-time run (it holds back another 15-minute run)', async () => {
		await reset([{ email: 'cancelled@gym.test' }]);
		// The 15-minute run's first create takes four seconds to answer.
		await sandbox.fault({ service: 'kisi', method: 'POST', path: '/shares', delayMs: 4000, times: 1 });
		let wholeDone = false;
		const whole = run([allow('cancelled@gym.test'), allow('p1@gym.test')]).then((result) => {
			wholeDone = true;
			return result;
		});
		while ((await sandbox.control<Array<{ fired: number }>>('GET', '/faults'))[0].fired === 0) await sleep(20);

		const realTime = await run([deny('cancelled@gym.test')], LISTED);
		const second = await run([allow('cancelled@gym.test'), allow('p1@gym.test')]);
		expect(wholeDone).toBe(false); // both ran while the 15-minute run was still writing
		expect(realTime.output('Sync').map((item) => `${item.action} ${item.email}`)).toEqual(['delete cancelled@gym.test']);
		expect(second.output('Sync')).toEqual([expect.objectContaining({ action: 'skipped', email: null, reason: expect.stringContaining('is still running in this n8n') })]);
		expect((await whole).error).toBeUndefined();
		// The real-time run ended the cancelled share; the 15-minute run's write did not open it again.
		const after = await shares();
		expect(after.map((share) => share.email).sort()).toEqual(['cancelled@gym.test', 'p1@gym.test']);
		expect(Date.parse(String(after.find((share) => share.email === 'cancelled@gym.test')!.valid_until))).toBeLessThanOrEqual(Date.now());
	});
});
