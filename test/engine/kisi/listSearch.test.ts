/**
 * The editor's searchable lists of the Kisi node (group, place, lock), called as the editor calls
 * them: n8n-core's LoadOptionsContext with the credential's `authenticate` applied, against the
 * sandbox. Filtered by Kisi's `query`, 50 per page, the next page by offset until the
 * X-Collection-Range total. A group links to its page in Kisi's web app, which carries the
 * organization's id (read from GET /user); places and doors, whose addresses Kisi does not
 * document, carry no link rather than a broken one.
 */
import { searchList } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { credential, kisiScenario, kisiWorkflow } from './fixtures';

jest.setTimeout(60_000);

const sandbox = withSandbox(() => kisiScenario({ manyGroups: 70 }));
const kisiNode = () => kisiWorkflow({ resource: 'group', operation: 'get' }).nodes[1];
const search = async (method: string, filter?: string, token?: string) => await searchList(kisiNode(), method, [credential(sandbox.kisiUrl)], filter, token);

describe('Kisi list search', () => {
	it('groups: 50 per page, the next page by offset, and no token after the last page', async () => {
		const first = await search('searchGroups');
		expect(first.results).toHaveLength(50);
		expect(first.results[0]).toEqual({ name: 'Members', value: '501', url: 'https://web.kisi.io/organization/1/groups/501' });
		expect(first.results.every((r) => r.url === `https://web.kisi.io/organization/1/groups/${r.value}`)).toBe(true);
		expect(first.paginationToken).toBe('50');
		const second = await search('searchGroups', undefined, first.paginationToken);
		expect(second.results).toHaveLength(73 - 50);
		expect(second.paginationToken).toBeUndefined();
		expect(new Set([...first.results, ...second.results].map((r) => r.value)).size).toBe(73);
		const pages = await sandbox.requests({ service: 'kisi', path: '/groups' });
		expect(pages.map((r) => [r.query.limit, r.query.offset])).toEqual([
			['50', '0'],
			['50', '50'],
		]);
	});

	it('groups filtered by name through Kisi\'s query', async () => {
		await sandbox.clearRequests();
		const found = await search('searchGroups', 'members');
		expect(found.results.map((r) => r.name)).toEqual(['Members', 'Harbour Members']);
		expect(found.paginationToken).toBeUndefined();
		const [request] = await sandbox.requests({ service: 'kisi', path: '/groups' });
		expect(request.query).toMatchObject({ query: 'members', limit: '50', offset: '0' });
	});

	it('the group link carries the organization of the key, read from GET /user', async () => {
		await sandbox.load(kisiScenario({ organizationId: 3289 }));
		try {
			const found = await search('searchGroups', 'staff');
			expect(found.results).toEqual([{ name: 'Staff', value: '502', url: 'https://web.kisi.io/organization/3289/groups/502' }]);
			expect((await sandbox.requests({ service: 'kisi' })).map((r) => r.path)).toEqual(['/user', '/groups']);
		} finally {
			await sandbox.load(kisiScenario({ manyGroups: 70 }));
		}
	});

	it('without the organization (GET /user refused), groups are listed without links', async () => {
		await sandbox.fault({ service: 'kisi', method: 'GET', path: '/user', status: 403 });
		const found = await search('searchGroups', 'staff');
		expect(found.results).toEqual([{ name: 'Staff', value: '502' }]);
	});

	it('places and locks, filtered, without links (Kisi documents no address for them)', async () => {
		expect((await search('searchPlaces')).results).toEqual([
			{ name: 'Main Street', value: '10' },
			{ name: 'Harbour', value: '11' },
		]);
		expect((await search('searchLocks', 'door')).results).toEqual([{ name: 'Front Door', value: '1001' }]);
	});

	it('a wrong API key fails naming the credential, without the key', async () => {
		const failing = searchList(kisiNode(), 'searchGroups', [credential(sandbox.kisiUrl, { apiKey: 'not-the-key' })]);
		await expect(failing).rejects.toThrow(/Kisi sandbox/);
		await expect(failing).rejects.not.toThrow(/not-the-key/);
	});
});
