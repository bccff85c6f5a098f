import type { IDataObject } from 'n8n-workflow';

import type { ApiClient } from '../../shared/http';
import { header } from '../../shared/http';
import { chooseQueries, fallbackQueries } from '../sync/partition';
import { collectionTotal, KISI_MAX_OFFSET } from './index';

const PAGE = 250;
/** The most results one filter can list: offsets 0…20,000 plus one page. */
export const KISI_REACHABLE = KISI_MAX_OFFSET + PAGE;

export interface GroupShares {
	shares: IDataObject[];
	/** What Kisi says the group holds (X-Collection-Range). */
	total: number;
	/** Query filters used to get past Kisi's offset cap (empty for groups up to 20,250 shares). */
	queries: string[];
}

export function shareEmail(share: IDataObject): string {
	const user = share.user as IDataObject | undefined;
	const email = share.email ?? user?.email;
	return typeof email === 'string' ? email.trim().toLowerCase() : '';
}

async function listReachable(client: ApiClient, qs: IDataObject): Promise<{ items: IDataObject[]; total: number; complete: boolean }> {
	const items: IDataObject[] = [];
	let total = 0;
	for (let offset = 0; offset <= KISI_MAX_OFFSET; ) {
		const response = await client.request<IDataObject[]>({ method: 'GET', path: '/shares', qs: { ...qs, limit: PAGE, offset } });
		const page = Array.isArray(response.body) ? response.body : [];
		items.push(...page);
		total = collectionTotal(header(response.headers, 'x-collection-range')) ?? items.length;
		offset += page.length;
		if (page.length < PAGE || offset >= total) return { items, total, complete: true };
	}
	return { items, total, complete: items.length >= total };
}

/**
 * Every share of a group. Up to 20,250 shares this is plain offset paging at the maximum page
 * size. Beyond that, Kisi's offset cap hides the rest, so the listing continues with `query`
 * filters that cover the emails we expect (`expectedEmails`, typically the decision list), then
 * rarer single characters, until it holds as many shares as Kisi says the group has. If it cannot
 * get them all it fails: a sync must never act on a partial view of a group.
 */
export async function listGroupShares(client: ApiClient, groupId: number, expectedEmails: readonly string[]): Promise<GroupShares> {
	const byId = new Map<string, IDataObject>();
	const add = (items: IDataObject[]) => {
		for (const share of items) if (Number(share.group_id ?? groupId) === groupId) byId.set(String(share.id), share);
	};
	const first = await listReachable(client, { group_id: groupId });
	add(first.items);
	const total = first.total;
	const queries: string[] = [];
	if (first.complete || byId.size >= total) return { shares: [...byId.values()], total, queries };

	const listed = new Set([...byId.values()].map(shareEmail));
	const population = [...new Set([...listed, ...expectedEmails])];
	const targets = expectedEmails.filter((email) => !listed.has(email));
	const tried = new Set<string>();
	const run = async (query: string) => {
		tried.add(query);
		queries.push(query);
		add((await listReachable(client, { group_id: groupId, query })).items);
	};
	for (const { query } of chooseQueries(targets, population, KISI_REACHABLE, PAGE)) {
		if (byId.size >= total) break;
		await run(query);
	}
	for (const query of fallbackQueries(population, tried)) {
		if (byId.size >= total) break;
		await run(query);
	}
	if (byId.size < total) {
		throw new Error(
			`Kisi lists at most ${KISI_REACHABLE} shares per filter and this group has ${total}; even with ${queries.length} search filters only ${byId.size} could be read, so nothing was changed. Split the members over several groups.`,
		);
	}
	return { shares: [...byId.values()], total, queries };
}
