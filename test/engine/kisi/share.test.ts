import type { INode } from 'n8n-workflow';

import { runWorkflow } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { credential, type Json, kisiScenario, kisiWorkflow, rl } from './fixtures';

jest.setTimeout(60_000);

interface Share {
	id: number;
	email?: string;
	user_id: number;
	group_id: number;
	valid_from: string | null;
	valid_until: string | null;
}

const sandbox = withSandbox(() => kisiScenario({ manyShares: 600 }));
const run = async (
	parameters: Json,
	options: { triggerItems?: Json[]; node?: Partial<INode> } = {},
) =>
	await runWorkflow(kisiWorkflow({ resource: 'share', ...parameters }, options.node), {
		credentials: [credential(sandbox.kisiUrl)],
		triggerItems: options.triggerItems,
	});
/** Kisi and the sandbox may or may not write milliseconds: compare instants. */
const iso = (value: unknown) => (typeof value === 'string' ? new Date(value).toISOString() : value);
const validity = (share: { valid_from?: unknown; valid_until?: unknown } | undefined) => ({
	valid_from: iso(share?.valid_from),
	valid_until: iso(share?.valid_until),
});
const shareInState = async (id: number): Promise<Share | undefined> =>
	((await sandbox.state()).kisi.shares as Share[]).find((share) => share.id === id);

describe('Kisi → Share', () => {
	it('Create gives an email access to a group for a window; Kisi creates the user', async () => {
		const result = await run({
			operation: 'create',
			email: ' New.Member@Demo.gym ',
			groupId: rl(501),
			additionalFields: { validFrom: '2026-03-02T15:00:00+01:00', validUntil: '2026-03-31T22:00:00Z', notify: false },
		});
		expect(result.error).toBeUndefined();
		const [share] = result.output('Kisi');
		expect(share).toMatchObject({ group_id: 501, role_id: 'basic' });
		expect(validity(share)).toEqual({ valid_from: '2026-03-02T14:00:00.000Z', valid_until: '2026-03-31T22:00:00.000Z' });
		const state = await sandbox.state();
		const user = state.kisi.users.find((u: { email: string }) => u.email === 'new.member@demo.gym');
		expect(user).toBeDefined();
		const stored = await shareInState(share.id as number);
		expect(stored).toMatchObject({ user_id: user.id, group_id: 501 });
		expect(validity(stored)).toEqual({ valid_from: '2026-03-02T14:00:00.000Z', valid_until: '2026-03-31T22:00:00.000Z' });
		const [post] = await sandbox.requests({ service: 'kisi', method: 'POST', path: '/shares' });
		expect(post.status).toBe(200);
	});

	it("a second share for the same email in the group fails with Kisi's own message (422)", async () => {
		const result = await run({ operation: 'create', email: 'ana@demo.gym', groupId: rl(501) });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Kisi rejected POST /shares (422: email has already been taken)');
		expect(result.error?.description).toMatch(/Fix the fields Kisi names/);
		// A 422 is not retried.
		expect(await sandbox.requests({ service: 'kisi', method: 'POST', path: '/shares' })).toHaveLength(1);
	});

	it('with Continue On Fail, failing items become paired error items and the others are created', async () => {
		const result = await run(
			{ operation: 'create', email: '={{ $json.email }}', groupId: rl(502) },
			{
				node: { onError: 'continueRegularOutput' },
				triggerItems: [{ email: 'carla@demo.gym' }, { email: 'staff@demo.gym' }, { email: 'not-an-email' }, { email: 'dan@demo.gym' }],
			},
		);
		expect(result.status).toBe('success');
		const items = result.items('Kisi');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[0].json).toMatchObject({ group_id: 502, user: expect.objectContaining({ email: 'carla@demo.gym' }) });
		expect(items[1].json.error).toMatch(/^Kisi rejected POST \/shares \(422: email has already been taken\)/);
		expect(items[2].json.error).toBe('Item 2: "Email" must be an email address like ana@example.com (got "not-an-email")');
		expect(items[3].json).toMatchObject({ group_id: 502 });
		// The invalid email never reached Kisi.
		expect(await sandbox.requests({ service: 'kisi', method: 'POST', path: '/shares' })).toHaveLength(3);
	});

	it('bad dates fail before any request, naming the field and the item', async () => {
		const wrong = await run(
			{ operation: 'create', email: '={{ $json.email }}', groupId: rl(501), additionalFields: { validUntil: '={{ $json.until }}' } },
			{ triggerItems: [{ email: 'eve@demo.gym', until: '2026-04-01T00:00:00Z' }, { email: 'fay@demo.gym', until: 'end of March' }] },
		);
		expect(wrong.error?.message).toBe(
			'Item 1: "Valid Until" must be an ISO-8601 date-time with a time zone, like 2026-03-02T15:00:00Z (got "end of March")',
		);
		const reversed = await run({
			operation: 'create',
			email: 'gus@demo.gym',
			groupId: rl(501),
			additionalFields: { validFrom: '2026-04-01T00:00:00Z', validUntil: '2026-03-01T00:00:00Z' },
		});
		expect(reversed.error?.message).toMatch(/^Item 0: "Valid Until" \(2026-03-01T00:00:00Z\) must be after "Valid From"/);
		// Only the valid first item of the first run was sent.
		expect(await sandbox.requests({ service: 'kisi', method: 'POST', path: '/shares' })).toHaveLength(1);
	});

	it('Get returns one share', async () => {
		const result = await run({ operation: 'get', shareId: '9002' });
		expect(result.output('Kisi')).toEqual([expect.objectContaining({ id: 9002, group_id: 501 })]);
		expect(validity(result.output('Kisi')[0])).toEqual({ valid_from: '2026-03-01T00:00:00.000Z', valid_until: '2026-04-01T00:00:00.000Z' });
		const missing = await run({ operation: 'get', shareId: '123456' });
		expect(missing.error?.message).toMatch(/^Kisi found nothing at GET \/shares\/123456 \(404/);
	});

	it('Get Many by group pages past 250 (Return All) and stops at the Limit', async () => {
		const all = await run({ operation: 'getAll', returnAll: true, filters: { groupId: rl(501) } });
		const shares = all.output('Kisi');
		expect(shares.length).toBeGreaterThanOrEqual(601);
		expect(shares.every((share) => share.group_id === 501)).toBe(true);
		expect(new Set(shares.map((share) => share.id)).size).toBe(shares.length);
		const pages = await sandbox.requests({ service: 'kisi', path: '/shares' });
		expect(pages.map((r) => [r.query.group_id, r.query.limit, r.query.offset])).toEqual([
			['501', '250', '0'],
			['501', '250', '250'],
			['501', '250', '500'],
		]);

		const limited = await run({ operation: 'getAll', returnAll: false, limit: 260, filters: { groupId: rl(501) } });
		expect(limited.output('Kisi')).toHaveLength(260);
	});

	it('Get Many by user and by email query', async () => {
		const byUser = await run({ operation: 'getAll', returnAll: true, filters: { userId: '101' } });
		expect(byUser.output('Kisi').map((share) => share.id)).toEqual([9001]);
		const byQuery = await run({ operation: 'getAll', returnAll: true, filters: { query: 'ana@demo' } });
		expect(byQuery.output('Kisi').map((share) => share.id)).toEqual([9002]);
		const badUser = await run({ operation: 'getAll', returnAll: true, filters: { userId: 'ana' } });
		expect(badUser.error?.message).toBe('Item 0: "Filters → User ID" must be a numeric ID like 501 (got "ana")');
	});

	it('Update Validity sets both dates (PATCH 204) and outputs the share as Kisi now holds it', async () => {
		const result = await run({ operation: 'updateValidity', shareId: '9002', validFrom: '2026-03-05T08:00:00Z', validUntil: '' });
		expect(result.error).toBeUndefined();
		expect(result.output('Kisi')).toEqual([expect.objectContaining({ id: 9002 })]);
		expect(validity(result.output('Kisi')[0])).toEqual({ valid_from: '2026-03-05T08:00:00.000Z', valid_until: null });
		expect(validity(await shareInState(9002))).toEqual({ valid_from: '2026-03-05T08:00:00.000Z', valid_until: null });
		const calls = await sandbox.requests({ service: 'kisi', path: '/shares/9002' });
		expect(calls.map((r) => `${r.method} ${r.status}`)).toEqual(['PATCH 204', 'GET 200']);
	});

	it('Update Validity reads an offset-less date in the workflow time zone', async () => {
		const workflow = kisiWorkflow({ resource: 'share', operation: 'updateValidity', shareId: '9001', validFrom: '', validUntil: '2026-06-30T23:59:00' });
		workflow.settings = { timezone: 'Europe/Berlin' };
		const result = await runWorkflow(workflow, { credentials: [credential(sandbox.kisiUrl)] });
		expect(result.output('Kisi')[0]).toMatchObject({ id: 9001 });
		expect(validity(result.output('Kisi')[0])).toEqual({ valid_from: null, valid_until: '2026-06-30T21:59:00.000Z' });
	});

	it('Delete removes the share and keeps the user', async () => {
		const result = await run({ operation: 'delete', shareId: '9001' });
		expect(result.output('Kisi')).toEqual([{ id: 9001, resource_type: 'Share', deleted: true }]);
		const state = await sandbox.state();
		expect(state.kisi.shares.some((share: Share) => share.id === 9001)).toBe(false);
		expect(state.kisi.users.some((user: { id: number }) => user.id === 101)).toBe(true);
	});
});
