import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { dataOf, glofoxClient } from '../transport';

const PAGE = 100;

/** The membership catalogue (public and private), filtered by name on this side. */
export async function searchMemberships(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 1) || 1;
	const { body } = await glofoxClient(this).request<IDataObject>({
		method: 'GET',
		path: '/2.0/memberships',
		qs: { private: 'any', page, limit: PAGE },
	});
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = dataOf(body)
		.filter((membership) => wanted === '' || String(membership.name ?? '').toLowerCase().includes(wanted))
		.map((membership) => ({ name: String(membership.name ?? membership._id), value: String(membership._id) }));
	const hasMore = body && typeof body === 'object' && (body as IDataObject).has_more === true;
	return { results, paginationToken: hasMore ? String(page + 1) : undefined };
}
