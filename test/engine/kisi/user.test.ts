import nock from 'nock';
import type { INode } from 'n8n-workflow';

import { runWorkflow } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { credential, type Json, kisiScenario, kisiWorkflow, rl } from './fixtures';

jest.setTimeout(60_000);

const sandbox = withSandbox(() => kisiScenario({ manyUsers: 230 }));
const run = async (parameters: Json, options: { triggerItems?: Json[]; node?: Partial<INode> } = {}) =>
	await runWorkflow(kisiWorkflow({ resource: 'user', ...parameters }, options.node), {
		credentials: [credential(sandbox.kisiUrl)],
		triggerItems: options.triggerItems,
	});
const userInState = async (id: number) => ((await sandbox.state()).kisi.users as Json[]).find((u) => u.id === id);

describe('Kisi → User', () => {
	it('Create adds a user with name, notes and metadata', async () => {
		const result = await run({
			operation: 'create',
			email: 'Zoe@Demo.gym',
			additionalFields: { name: 'Zoe', notes: 'trial week', metadata: { field: [{ key: 'glofox_id', value: '62d9e7d8e803e136a87b7367' }] } },
		});
		expect(result.error).toBeUndefined();
		const [user] = result.output('Kisi');
		expect(user).toMatchObject({ email: 'zoe@demo.gym', name: 'Zoe', notes: 'trial week', metadata: { glofox_id: '62d9e7d8e803e136a87b7367' } });
		expect(await userInState(user.id as number)).toMatchObject({ email: 'zoe@demo.gym', name: 'Zoe' });
	});

	it('Create for an existing email surfaces Kisi’s 422', async () => {
		const result = await run({ operation: 'create', email: 'ana@demo.gym' });
		expect(result.error?.message).toBe('Kisi rejected POST /users (422: email has already been taken)');
	});

	it('Get returns one user; a wrong ID names the field and the item', async () => {
		const result = await run({ operation: 'get', userId: '102' });
		expect(result.output('Kisi')).toEqual([expect.objectContaining({ id: 102, email: 'ana@demo.gym' })]);
		const bad = await run({ operation: 'get', userId: '1O2' });
		expect(bad.error?.message).toBe('Item 0: "User ID" must be a numeric ID like 501 (got "1O2")');
	});

	it('Find by Email finds exactly that user, case-insensitively, and outputs nothing for an unknown email', async () => {
		const result = await run(
			{ operation: 'findByEmail', email: '={{ $json.email }}' },
			{ triggerItems: [{ email: 'ANA@demo.gym' }, { email: 'nobody@demo.gym' }, { email: 'staff@demo.gym' }] },
		);
		expect(result.status).toBe('success');
		const items = result.items('Kisi');
		expect(items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[102, { item: 0 }],
			[101, { item: 2 }],
		]);
	});

	it('Find by Email can fail on an unknown email instead', async () => {
		const result = await run({ operation: 'findByEmail', email: 'nobody@demo.gym', errorIfNotFound: true });
		expect(result.error?.message).toBe('Item 0: Kisi has no user with the email nobody@demo.gym');
	});

	it('Get Many pages past the users maximum of 100 and stops at the Limit', async () => {
		const all = await run({ operation: 'getAll', returnAll: true });
		expect(all.output('Kisi').length).toBeGreaterThanOrEqual(234);
		const pages = await sandbox.requests({ service: 'kisi', path: '/users' });
		expect(pages.map((r) => [r.query.limit, r.query.offset])).toEqual([
			['100', '0'],
			['100', '100'],
			['100', '200'],
		]);
		const limited = await run({ operation: 'getAll', returnAll: false, limit: 120, filters: { query: 'many.test' } });
		expect(limited.output('Kisi')).toHaveLength(120);
		expect(limited.output('Kisi').every((u) => String(u.email).endsWith('@many.test'))).toBe(true);
	});

	it('Get Many filters by group and place', async () => {
		// A filter locator in URL mode is read like a top-level one.
		const inGroup = await run({ operation: 'getAll', returnAll: true, filters: { groupId: rl('https://web.kisi.io/organization/1/groups/502', 'url') } });
		expect(inGroup.output('Kisi').map((u) => u.id)).toEqual([101]);
		const atPlace = await run({ operation: 'getAll', returnAll: true, filters: { placeId: rl(10) } });
		expect(atPlace.output('Kisi').map((u) => u.id)).toEqual(expect.arrayContaining([101, 102]));
	});

	it('Update changes name, notes, access and metadata (PATCH 204) and outputs the user as Kisi now has it', async () => {
		const result = await run({
			operation: 'update',
			userId: '103',
			updateFields: { name: 'Benjamin', notes: 'moved to Harbour', access_enabled: false, metadata: { field: [{ key: 'plan', value: 'Gold' }] } },
		});
		expect(result.error).toBeUndefined();
		expect(result.output('Kisi')).toEqual([
			expect.objectContaining({ id: 103, name: 'Benjamin', notes: 'moved to Harbour', access_enabled: false, metadata: { plan: 'Gold' } }),
		]);
		expect(await userInState(103)).toMatchObject({ name: 'Benjamin', access_enabled: false });
		const calls = await sandbox.requests({ service: 'kisi', path: '/users/103' });
		expect(calls.map((r) => `${r.method} ${r.status}`)).toEqual(['PATCH 204', 'GET 200']);
	});

	it('Delete removes the user', async () => {
		const result = await run({ operation: 'delete', userId: '5001' });
		expect(result.output('Kisi')).toEqual([{ id: 5001, resource_type: 'User', deleted: true }]);
		expect(await userInState(5001)).toBeUndefined();
	});
});

describe('Kisi → User → Find by Email, when the email filter finds nothing', () => {
	afterEach(() => nock.cleanAll());

	it('falls back to the free-text query and matches the email exactly', async () => {
		// A Kisi that ignores `email` for this account, or matches it differently: the query search
		// returns two people whose email contains the text, only one exactly.
		const scope = nock('https://kisi.test')
			.get('/users')
			.query({ email: 'ana@demo.gym', limit: 100, offset: 0 })
			.reply(200, [], { 'X-Collection-Range': '*/0' })
			.get('/users')
			.query({ query: 'ana@demo.gym', limit: 100, offset: 0 })
			.reply(
				200,
				[
					{ id: 7, email: 'diana@demo.gym' },
					{ id: 8, email: 'Ana@Demo.gym' },
				],
				{ 'X-Collection-Range': '0-99/2' },
			);
		const result = await runWorkflow(kisiWorkflow({ resource: 'user', operation: 'findByEmail', email: 'ana@demo.gym' }), {
			credentials: [credential('https://kisi.test')],
		});
		expect(result.output('Kisi')).toEqual([{ id: 8, email: 'Ana@Demo.gym' }]);
		expect(scope.isDone()).toBe(true);
	});

	it('when the email filter answers with non-matching users, those are not taken for the person', async () => {
		nock('https://kisi.test')
			.get('/users')
			.query({ email: 'ana@demo.gym', limit: 100, offset: 0 })
			.reply(200, [{ id: 7, email: 'diana@demo.gym' }], { 'X-Collection-Range': '0-99/1' })
			.get('/users')
			.query({ query: 'ana@demo.gym', limit: 100, offset: 0 })
			.reply(200, [{ id: 7, email: 'diana@demo.gym' }], { 'X-Collection-Range': '0-99/1' });
		const result = await runWorkflow(kisiWorkflow({ resource: 'user', operation: 'findByEmail', email: 'ana@demo.gym' }), {
			credentials: [credential('https://kisi.test')],
		});
		expect(result.status).toBe('success');
		expect(result.output('Kisi')).toEqual([]);
	});
});
