import type { IDataObject } from 'n8n-workflow';

import { normaliseEmail } from '../../AccessRuleEvaluator/engine/email';
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
	return normaliseEmail(share.email ?? user?.email) ?? '';
}

interface Listing {
	items: IDataObject[];
	total: number;
	complete: boolean;
}

/** Offset paging of one filter at the maximum page size, from `from` (a first page already read) up to Kisi's offset cap. */
async function listReachable(client: ApiClient, qs: IDataObject, from?: Listing): Promise<Listing> {
	const items: IDataObject[] = from ? [...from.items] : [];
	let total = from?.total ?? 0;
	if (from && (from.complete || items.length >= total)) return { items, total, complete: true };
	for (let offset = items.length; offset <= KISI_MAX_OFFSET; ) {
		const page = await listPage(client, qs, offset);
		items.push(...page.items);
		total = page.total ?? items.length;
		offset += page.items.length;
		if (page.items.length < PAGE || offset >= total) return { items, total, complete: true };
	}
	return { items, total, complete: items.length >= total };
}

async function listPage(client: ApiClient, qs: IDataObject, offset: number): Promise<{ items: IDataObject[]; total: number | undefined }> {
	const response = await client.request<IDataObject[]>({ method: 'GET', path: '/shares', qs: { ...qs, limit: PAGE, offset } });
	const items = Array.isArray(response.body) ? response.body : [];
	return { items, total: collectionTotal(header(response.headers, 'x-collection-range')) };
}

/**
 * Every share of a group. Up to 20,250 shares this is plain offset paging at the maximum page
 * size. Beyond that, Kisi's offset cap hides part of the group from any one filter, so after the
 * first page (which tells the size) the group is listed through `query` filters that cover the
 * emails we expect (`expectedEmails`, typically the decision list) with as little overlap as
 * possible (see chooseQueries); if shares are still missing (emails nobody told us about), the
 * unfiltered listing up to the cap, then rarer single characters, until it holds as many shares
 * as Kisi says the group has. If it cannot get them all it fails: a sync must never act on a
 * partial view of a group.
 */
export async function listGroupShares(client: ApiClient, groupId: number, expectedEmails: readonly string[]): Promise<GroupShares> {
	const byId = new Map<string, IDataObject>();
	const add = (items: IDataObject[]) => {
		for (const share of items) if (Number(share.group_id ?? groupId) === groupId) byId.set(String(share.id), share);
	};
	const base = { group_id: groupId };
	const firstPage = await listPage(client, base, 0);
	const first: Listing = {
		items: firstPage.items,
		total: firstPage.total ?? firstPage.items.length,
		complete: firstPage.items.length < PAGE || (firstPage.total !== undefined && firstPage.items.length >= firstPage.total),
	};
	const queries: string[] = [];
	if (first.complete || first.total <= KISI_REACHABLE) {
		const all = await listReachable(client, base, first);
		add(all.items);
		const total = all.total;
		if (all.complete || byId.size >= total) return { shares: [...byId.values()], total, queries };
		first.total = total;
	} else {
		add(first.items);
	}
	const total = first.total;

	const listed = () => new Set([...byId.values()].map(shareEmail));
	const population = [...new Set([...listed(), ...expectedEmails])];
	const tried = new Set<string>();
	const run = async (query: string) => {
		tried.add(query);
		queries.push(query);
		add((await listReachable(client, { ...base, query })).items);
	};
	const cover = async () => {
		const seen = listed();
		const targets = expectedEmails.filter((email) => !seen.has(email));
		for (const { query } of chooseQueries(targets, population, KISI_REACHABLE, PAGE)) {
			if (byId.size >= total) break;
			if (!tried.has(query)) await run(query);
		}
	};
	await cover();
	if (byId.size < total && first.items.length < KISI_REACHABLE) {
		// Shares of emails nobody told us about: the unfiltered listing up to the cap shows the
		// oldest ones (people who left long ago), then cover what is still expected and missing.
		add((await listReachable(client, base, first)).items);
		await cover();
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

export interface ListedShares {
	/** The shares of the listed emails in the group. */
	shares: IDataObject[];
	/** What Kisi says the group holds in all (X-Collection-Range of its first page). */
	total: number;
}

/**
 * The shares of a few people in one group (Sync Group Access, "Listed People Only"), without
 * reading a big group whole. The group's first page (250 shares; X-Collection-Range gives the
 * group's size) answers for a group that fits on it. A bigger group is listed whole when that
 * takes no more pages than one search per person; else each person not on the first page is
 * searched with `query` (Kisi: free text over the user's email and name, [SPEC] GET /shares) and
 * the answers are compared exactly (trimmed, lower-cased), as the whole-group listing does.
 */
export async function listSharesOfEmails(client: ApiClient, groupId: number, emails: readonly string[]): Promise<ListedShares> {
	const wanted = new Set(emails);
	const base = { group_id: groupId };
	const byId = new Map<string, IDataObject>();
	const add = (items: IDataObject[]) => {
		for (const share of items) if (Number(share.group_id ?? groupId) === groupId && wanted.has(shareEmail(share))) byId.set(String(share.id), share);
	};
	const firstPage = await listPage(client, base, 0);
	const total = firstPage.total ?? firstPage.items.length;
	add(firstPage.items);
	if (firstPage.items.length < PAGE || firstPage.items.length >= total) return { shares: [...byId.values()], total };

	const onFirstPage = new Set([...byId.values()].map(shareEmail));
	const searches = [...wanted].filter((email) => !onFirstPage.has(email));
	if (total <= KISI_REACHABLE && Math.ceil(total / PAGE) - 1 <= searches.length) {
		const all = await listReachable(client, base, { items: firstPage.items, total, complete: false });
		add(all.items);
		return { shares: [...byId.values()], total };
	}
	for (const email of searches) {
		const found = await listReachable(client, { ...base, query: email });
		if (!found.complete) {
			throw new Error(`Kisi's search for ${email} in group ${groupId} matches more than ${KISI_REACHABLE} shares, so that person's share could not be read; nothing was changed`);
		}
		add(found.items);
	}
	return { shares: [...byId.values()], total };
}
