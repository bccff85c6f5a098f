import { runWorkflow } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { credential, type Json, kisiScenario, kisiWorkflow, rl } from './fixtures';

jest.setTimeout(60_000);

const sandbox = withSandbox(() => kisiScenario({ manyGroups: 600 }));
const run = async (parameters: Json, options: { triggerItems?: Json[] } = {}) =>
	await runWorkflow(kisiWorkflow({ resource: 'group', ...parameters }), {
		credentials: [credential(sandbox.kisiUrl)],
		...options,
	});

describe('Kisi → Group', () => {
	it('Create makes an organization group, or a group scoped to a place', async () => {
		const org = await run({ operation: 'create', name: 'Evening Members', additionalFields: { description: 'After 6 pm', login_enabled: false } });
		expect(org.error).toBeUndefined();
		const [created] = org.output('Kisi');
		expect(created).toMatchObject({ name: 'Evening Members', description: 'After 6 pm', login_enabled: false, place_id: null });

		const scoped = await run({ operation: 'create', name: 'Harbour Staff', scopeToPlace: true, placeId: rl(11) });
		expect(scoped.error).toBeUndefined();
		expect(scoped.output('Kisi')[0]).toMatchObject({ name: 'Harbour Staff', place_id: 11 });

		const state = await sandbox.state();
		expect(state.kisi.groups.find((g: { id: number }) => g.id === created.id)).toMatchObject({ name: 'Evening Members', place_id: null });
	});

	it('Get returns one group, from an ID or a Kisi URL', async () => {
		const byId = await run({ operation: 'get', groupId: rl(501) });
		expect(byId.output('Kisi')).toEqual([expect.objectContaining({ id: 501, name: 'Members' })]);
		const byUrl = await run({ operation: 'get', groupId: rl('https://web.kisi.io/organization/1/groups/502', 'url') });
		expect(byUrl.output('Kisi')).toEqual([expect.objectContaining({ id: 502, name: 'Staff' })]);
	});

	it('Get Many pages past 250 with Return All, and stops at the Limit', async () => {
		const all = await run({ operation: 'getAll', returnAll: true });
		expect(all.error).toBeUndefined();
		const groups = all.output('Kisi');
		expect(groups.length).toBeGreaterThanOrEqual(603);
		expect(new Set(groups.map((g) => g.id)).size).toBe(groups.length);
		const pages = await sandbox.requests({ service: 'kisi', path: '/groups' });
		expect(pages.map((r) => [r.query.limit, r.query.offset])).toEqual([
			['250', '0'],
			['250', '250'],
			['250', '500'],
		]);

		await sandbox.clearRequests();
		const limited = await run({ operation: 'getAll', returnAll: false, limit: 300 });
		expect(limited.output('Kisi')).toHaveLength(300);
		const limitedPages = await sandbox.requests({ service: 'kisi', path: '/groups' });
		expect(limitedPages.map((r) => [r.query.limit, r.query.offset])).toEqual([
			['250', '0'],
			['50', '250'],
		]);
	});

	it('Get Many filters by query, scope and place', async () => {
		const byQuery = await run({ operation: 'getAll', returnAll: true, filters: { query: 'harbour mem' } });
		expect(byQuery.output('Kisi').map((g) => g.id)).toEqual([503]);
		const placeScoped = await run({ operation: 'getAll', returnAll: true, filters: { scope: 'place' } });
		expect(placeScoped.output('Kisi').every((g) => g.place_id !== null)).toBe(true);
		expect(placeScoped.output('Kisi').map((g) => g.id)).toContain(503);
		const atPlace = await run({ operation: 'getAll', returnAll: true, filters: { placeId: rl(11) } });
		expect(atPlace.output('Kisi').map((g) => g.id)).toContain(503);
		expect(atPlace.output('Kisi').every((g) => g.place_id === 11)).toBe(true);
		const requests = await sandbox.requests({ service: 'kisi', path: '/groups' });
		expect(requests.map((r) => r.query)).toEqual([
			expect.objectContaining({ query: 'harbour mem' }),
			expect.objectContaining({ scope: 'place' }),
			expect.objectContaining({ place_id: '11' }),
		]);
	});

	it('Update changes the fields given and outputs the group as Kisi now has it (PATCH answers 204)', async () => {
		const result = await run({ operation: 'update', groupId: rl(502), updateFields: { name: 'Team', login_enabled: false } });
		expect(result.error).toBeUndefined();
		expect(result.output('Kisi')).toEqual([expect.objectContaining({ id: 502, name: 'Team', login_enabled: false })]);
		const methods = (await sandbox.requests({ service: 'kisi', path: '/groups/502' })).map((r) => `${r.method} ${r.status}`);
		expect(methods).toEqual(['PATCH 204', 'GET 200']);
	});

	it('Update with nothing to change fails before any request, naming the field and the item', async () => {
		const result = await run({ operation: 'update', groupId: rl(502), updateFields: {} });
		expect(result.error?.message).toMatch(/Item 0: "Update Fields" is empty/);
		expect(await sandbox.requests({ service: 'kisi' })).toHaveLength(0);
	});

	it('Delete removes the group and says so', async () => {
		const created = await run({ operation: 'create', name: 'Temporary' });
		const id = created.output('Kisi')[0].id as number;
		const result = await run({ operation: 'delete', groupId: rl(id) });
		expect(result.output('Kisi')).toEqual([{ id, resource_type: 'Group', deleted: true }]);
		const state = await sandbox.state();
		expect(state.kisi.groups.some((g: { id: number }) => g.id === id)).toBe(false);
	});

	it('a group ID that is not a number fails with the field and the item named', async () => {
		const result = await run({ operation: 'get', groupId: rl('={{ $json.group }}') }, { triggerItems: [{ group: 501 }, { group: 'members' }] });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Item 1: "Group" must be a numeric ID like 501 (got "members")');
	});
});
