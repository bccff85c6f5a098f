import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { header } from '../../shared/http';
import { collectionTotal, kisiClient } from '../transport';

const PAGE = 50;

async function search(
	ctx: ILoadOptionsFunctions,
	path: string,
	urlPath: string,
	filter?: string,
	paginationToken?: string,
	extraQuery: IDataObject = {},
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0);
	const qs: IDataObject = { ...extraQuery, limit: PAGE, offset };
	if (filter) qs.query = filter;
	const response = await kisiClient(ctx).request<IDataObject[]>({ method: 'GET', path, qs });
	const page = Array.isArray(response.body) ? response.body : [];
	const total = collectionTotal(header(response.headers, 'x-collection-range'));
	const next = offset + page.length;
	return {
		results: page.map((entry) => ({
			name: String(entry.name ?? entry.id),
			value: String(entry.id),
			url: `https://web.kisi.io/${urlPath}/${String(entry.id)}`,
		})),
		paginationToken: page.length === PAGE && (total === undefined || next < total) ? String(next) : undefined,
	};
}

export async function searchGroups(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await search(this, '/groups', 'organization/groups', filter, paginationToken);
}

export async function searchPlaces(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await search(this, '/places', 'places', filter, paginationToken);
}

export async function searchLocks(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await search(this, '/locks', 'locks', filter, paginationToken);
}
