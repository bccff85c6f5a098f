import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { header } from '../../shared/http';
import { collectionTotal, groupWebUrl, kisiClient, organizationIdOf } from '../transport';

const PAGE = 50;

/**
 * One page of a Kisi list for the editor's searchable list. `link` gives an entry its page in
 * Kisi's web app; entries without a documented address get no link rather than a broken one.
 */
async function search(
	ctx: ILoadOptionsFunctions,
	path: string,
	filter: string | undefined,
	paginationToken: string | undefined,
	link: (entry: IDataObject) => string | undefined = () => undefined,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0);
	const qs: IDataObject = { limit: PAGE, offset };
	if (filter) qs.query = filter;
	const response = await kisiClient(ctx).request<IDataObject[]>({ method: 'GET', path, qs });
	const page = Array.isArray(response.body) ? response.body : [];
	const total = collectionTotal(header(response.headers, 'x-collection-range'));
	const next = offset + page.length;
	return {
		results: page.map((entry) => {
			const item: INodeListSearchItems = { name: String(entry.name ?? entry.id), value: String(entry.id) };
			const url = link(entry);
			if (url) item.url = url;
			return item;
		}),
		paginationToken: page.length === PAGE && (total === undefined || next < total) ? String(next) : undefined,
	};
}

export async function searchGroups(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	// A group's address needs the organization's id, which groups do not carry: GET /user has it.
	let organizationId: number | undefined;
	try {
		organizationId = await organizationIdOf(kisiClient(this));
	} catch (error) {
		this.logger.debug('Kisi: could not read the organization for group links; listing groups without links', {
			error: (error as Error).message,
		});
	}
	return await search(this, '/groups', filter, paginationToken, (group) =>
		organizationId === undefined ? undefined : groupWebUrl(organizationId, String(group.id)),
	);
}

// Kisi documents no web app address for a place or a door: their entries carry no link.
export async function searchPlaces(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await search(this, '/places', filter, paginationToken);
}

export async function searchLocks(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await search(this, '/locks', filter, paginationToken);
}
