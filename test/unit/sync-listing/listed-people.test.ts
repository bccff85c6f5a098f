/**
 * listSharesOfEmails ("Listed People Only"): the listed people's shares of a group in the fewest
 * reads: the first page for a small group, one search per person in a big one, the whole group
 * when that takes fewer pages. Against an in-memory Kisi with its paging, `query` search (free
 * text over the user's email and name) and offset cap.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ApiClient, ApiRequest } from '../../../nodes/shared/http';
import { listSharesOfEmails } from '../../../nodes/Kisi/transport/groupShares';

const GROUP = 501;

function fakeKisi(count: number) {
	const shares = Array.from({ length: count }, (_, i) => ({ id: 9000 + i, email: `m${i}@gym.test`, name: i === 3 ? 'M500 Fan' : null }));
	const log: string[] = [];
	const client = {
		async request({ qs = {} }: ApiRequest) {
			const offset = Number(qs.offset ?? 0);
			const limit = Number(qs.limit ?? 10);
			const query = typeof qs.query === 'string' ? qs.query.toLowerCase() : undefined;
			log.push(`${query ?? 'group'}@${offset}`);
			const list = query ? shares.filter((s) => s.email.includes(query) || (s.name ?? '').toLowerCase().includes(query)) : shares;
			const page = list.slice(offset, offset + limit).map((s) => ({ id: s.id, group_id: GROUP, user: { email: s.email, name: s.name } }) as IDataObject);
			const range = page.length ? `${offset}-${offset + page.length - 1}/${list.length}` : `*/${list.length}`;
			return { status: 200, body: page, headers: { 'x-collection-range': range } };
		},
	};
	return { client: client as unknown as ApiClient, log };
}

const ids = (shares: IDataObject[]) => shares.map((share) => share.id).sort();

describe('listSharesOfEmails', () => {
	it('a group that fits on one page: one read, and the group size', async () => {
		const { client, log } = fakeKisi(120);
		const listed = await listSharesOfEmails(client, GROUP, ['m7@gym.test', 'm80@gym.test', 'nobody@gym.test']);
		expect(ids(listed.shares)).toEqual([9007, 9080]);
		expect(listed.total).toBe(120);
		expect(log).toEqual(['group@0']);
	});

	it('a big group: the first page, then one search per person not on it, kept to exact matches', async () => {
		const { client, log } = fakeKisi(2000);
		// "m500@gym.test" also matches m1500@… and the user named "M500 Fan": only m500 is kept.
		const listed = await listSharesOfEmails(client, GROUP, ['m500@gym.test', 'm7@gym.test']);
		expect(ids(listed.shares)).toEqual([9007, 9500]);
		expect(listed.total).toBe(2000);
		expect(log).toEqual(['group@0', 'm500@gym.test@0']);
	});

	it('many people in a group of a few pages: the whole group is read when that takes fewer reads than the searches', async () => {
		const { client, log } = fakeKisi(600);
		const emails = [300, 400, 500, 550].map((i) => `m${i}@gym.test`);
		const listed = await listSharesOfEmails(client, GROUP, emails);
		expect(ids(listed.shares)).toEqual([9300, 9400, 9500, 9550]);
		expect(log).toEqual(['group@0', 'group@250', 'group@500']);
	});
});
