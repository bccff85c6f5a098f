import type { INode } from 'n8n-workflow';

import { runWorkflow } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { credential, type Json, kisiScenario, kisiWorkflow, rl } from './fixtures';

jest.setTimeout(60_000);

const sandbox = withSandbox(() => kisiScenario());
const run = async (parameters: Json, options: { triggerItems?: Json[]; node?: Partial<INode> } = {}) =>
	await runWorkflow(kisiWorkflow({ resource: 'roleAssignment', ...parameters }, options.node), {
		credentials: [credential(sandbox.kisiUrl)],
		triggerItems: options.triggerItems,
	});
const iso = (value: unknown) => (typeof value === 'string' ? new Date(value).toISOString() : value);
/** Group role assignments: in the sandbox's state they are the group's access records. */
const groupAccess = async (groupId: number, userId: number) =>
	((await sandbox.state()).kisi.shares as Json[]).find((a) => a.group_id === groupId && a.user_id === userId);

describe('Kisi → Role Assignment', () => {
	it('Create assigns group_basic to a user given by email, with a validity window', async () => {
		const result = await run({
			operation: 'create',
			user: 'Ben@Demo.gym',
			groupId: rl(501),
			additionalFields: { validFrom: '2026-03-02T18:00:00Z', validUntil: '2026-03-02T20:00:00Z' },
		});
		expect(result.error).toBeUndefined();
		const [assignment] = result.output('Kisi');
		expect(assignment).toMatchObject({ role_id: 'group_basic', applies_to_type: 'Group', applies_to_id: 501, assignee_type: 'User', assignee_id: 103 });
		const stored = await groupAccess(501, 103);
		expect(stored).toMatchObject({ role_id: 'basic' });
		expect([iso(stored?.valid_from), iso(stored?.valid_until)]).toEqual(['2026-03-02T18:00:00.000Z', '2026-03-02T20:00:00.000Z']);
		// The email was resolved with the exact email filter; one lookup was enough.
		const lookups = await sandbox.requests({ service: 'kisi', path: '/users' });
		expect(lookups.map((r) => r.query.email)).toEqual(['ben@demo.gym']);
	});

	it('Create takes a numeric user ID too, and the manager role', async () => {
		const result = await run({ operation: 'create', user: '101', groupId: rl(501), role: 'group_manager' });
		expect(result.output('Kisi')[0]).toMatchObject({ role_id: 'group_manager', assignee_id: 101, applies_to_id: 501 });
		expect(await sandbox.requests({ service: 'kisi', path: '/users' })).toHaveLength(0);
	});

	it('an unknown email or a malformed user fails the item, saying what to do', async () => {
		const result = await run(
			{ operation: 'create', user: '={{ $json.user }}', groupId: rl(502) },
			{ node: { onError: 'continueRegularOutput' }, triggerItems: [{ user: 'nobody@demo.gym' }, { user: 'ben' }, { user: 'ana@demo.gym' }] },
		);
		const items = result.items('Kisi');
		expect(items[0].json.error).toBe(
			'Item 0: Kisi has no user with the email nobody@demo.gym Create the user first (User → Create), or give access by email with Share → Create, which creates the user.',
		);
		expect(items[1].json.error).toBe('Item 1: "User" must be an email address or a numeric user ID (got "ben")');
		expect(items[2].json).toMatchObject({ assignee_id: 102, applies_to_id: 502 });
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('Get Many filters by group, by user (ID or email) and by role', async () => {
		const byGroup = await run({ operation: 'getAll', returnAll: true, filters: { groupId: rl(501) } });
		const groupIds = byGroup.output('Kisi').map((a) => a.assignee_id);
		expect(groupIds).toEqual(expect.arrayContaining([101, 102, 103]));
		expect(byGroup.output('Kisi').every((a) => a.applies_to_id === 501)).toBe(true);

		const byEmail = await run({ operation: 'getAll', returnAll: true, filters: { user: 'ana@demo.gym' } });
		expect(byEmail.output('Kisi').map((a) => [a.assignee_id, a.applies_to_id]).sort()).toEqual([
			[102, 501],
			[102, 502],
		]);

		const managers = await run({ operation: 'getAll', returnAll: true, filters: { role: 'group_manager' } });
		expect(managers.output('Kisi').map((a) => a.assignee_id)).toEqual([101]);

		const nobody = await run({ operation: 'getAll', returnAll: true, filters: { user: 'nobody@demo.gym' } });
		expect(nobody.status).toBe('success');
		expect(nobody.output('Kisi')).toEqual([]);

		const queries = (await sandbox.requests({ service: 'kisi', path: '/role_assignments' })).map((r) => r.query);
		expect(queries[0]).toMatchObject({ applies_to_type: 'Group', applies_to_id: '501', limit: '250', offset: '0' });
		expect(queries[1]).toMatchObject({ assignee_type: 'User', assignee_id: '102' });
		expect(queries[2]).toMatchObject({ role_id: 'group_manager' });
	});

	it('Get Many stops at the Limit', async () => {
		const result = await run({ operation: 'getAll', returnAll: false, limit: 2 });
		expect(result.output('Kisi')).toHaveLength(2);
		const [page] = await sandbox.requests({ service: 'kisi', path: '/role_assignments' });
		expect(page.query).toMatchObject({ limit: '2', offset: '0' });
	});

	it('Delete takes the role away and keeps the user', async () => {
		const access = await groupAccess(501, 103);
		const id = access?.id as number;
		const result = await run({ operation: 'delete', roleAssignmentId: String(id) });
		expect(result.output('Kisi')).toEqual([{ id, resource_type: 'RoleAssignment', deleted: true }]);
		expect(await groupAccess(501, 103)).toBeUndefined();
		expect((await sandbox.state()).kisi.users.some((u: { id: number }) => u.id === 103)).toBe(true);
	});
});
