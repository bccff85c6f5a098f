import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { nextPageNumber, teamUpClient } from '../transport';

const PAGE = 50;

async function search(
	ctx: ILoadOptionsFunctions,
	path: string,
	label: (entry: IDataObject) => string,
	qs: IDataObject,
	paginationToken?: string,
	keep?: (entry: IDataObject) => boolean,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 1) || 1;
	const response = await teamUpClient(ctx).request<{ results?: IDataObject[]; next?: string | null }>({
		method: 'GET',
		path,
		qs: { ...qs, page, page_size: PAGE },
	});
	const results = Array.isArray(response.body?.results) ? response.body.results : [];
	const next = nextPageNumber(response.body?.next);
	return {
		results: results.filter((entry) => !keep || keep(entry)).map((entry) => ({ name: label(entry), value: String(entry.id) })),
		paginationToken: next !== undefined && next > page ? String(next) : undefined,
	};
}

export async function searchCustomers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	const qs: IDataObject = filter ? { query: filter } : {};
	return await search(
		this,
		'/customers',
		(c) => {
			const name = [c.first_name, c.last_name].filter((part) => typeof part === 'string' && part).join(' ');
			return c.email ? `${name || c.id} (${String(c.email)})` : name || String(c.id);
		},
		qs,
		paginationToken,
	);
}

export async function searchMemberships(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	const wanted = (filter ?? '').trim().toLowerCase();
	return await search(
		this,
		'/memberships',
		(m) => String(m.name ?? m.id),
		{},
		paginationToken,
		wanted ? (m) => String(m.name ?? '').toLowerCase().includes(wanted) : undefined,
	);
}

export async function searchVenues(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	const wanted = (filter ?? '').trim().toLowerCase();
	return await search(
		this,
		'/venues',
		(v) => (v.timezone ? `${String(v.name ?? v.id)} (${String(v.timezone)})` : String(v.name ?? v.id)),
		{},
		paginationToken,
		wanted ? (v) => String(v.name ?? '').toLowerCase().includes(wanted) : undefined,
	);
}
