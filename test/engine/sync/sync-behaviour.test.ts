/**
 * Kisi → Share → Sync Group Access on its own: decisions fed in directly, against small Kisi
 * scenarios in the sandbox. What an operator relies on: dry run, ownership, protected emails,
 * the revocation guard, place-scoped groups, overlapping runs, partial failures, big groups.
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
