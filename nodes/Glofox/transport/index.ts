import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { type ApiDefinition, type ApiProblem, ApiClient, type RequestContext } from '../../shared/http';
import { paceRule } from '../../shared/pacing';

/** Glofox's documented maximum page size (`limit`) on every list. */
export const GLOFOX_MAX_PAGE = 100;

function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Glofox's own code, if the answer has one (`message_code`, v3 `code`, `error_code`). */
function glofoxCode(body: unknown): string {
	if (!isObject(body)) return '';
	for (const key of ['message_code', 'error_code', 'code']) if (typeof body[key] === 'string') return body[key] as string;
	return '';
}

/** The API's own words: `message` and `message_code` (2.x), `code` (v3), or a gateway `message`. */
function glofoxErrorText(body: unknown): string {
	if (!isObject(body)) return typeof body === 'string' ? body.slice(0, 200) : '';
	const message = typeof body.message === 'string' ? body.message : '';
	const code = glofoxCode(body);
	if (message && code && message !== code) return `${message} (${code})`;
	return message || code;
}

/**
 * A key Glofox lets read but not write answers `INVALID_USER_TYPE` to POSTs while GETs (and so the
 * credential test) work. Glofox does not document the HTTP status of that answer: it is read the
 * same at any status (200 with `success: false`, 400, 403…), before the status-based readings.
 */
const READ_ONLY_CODE = 'INVALID_USER_TYPE';

/** A `success: false` answer that is about the credentials (wrong token, branch / Location ID). */
const AUTH_WORDS = /auth|token|branch|location|credential|forbidden|permission|not.?allowed|api.?key|unauthori[sz]ed|access.?denied|invalid.?(?:key|header)/i;

function explain(problem: ApiProblem): { message: string; description: string } {
	const said = glofoxErrorText(problem.body);
	const quote = said ? `: ${said}` : '';
	const where = `${problem.method} ${problem.path}`;
	const credential = `credential "${problem.credentialName}"`;
	const ok = problem.status >= 200 && problem.status < 300;

	if (glofoxCode(problem.body) === READ_ONLY_CODE) {
		return {
			message: `Glofox refused ${where}: the API key and token in ${credential} may read but not write (${READ_ONLY_CODE})`,
			description:
				'Glofox lets this integration read members and bookings (so the credential test passes) but not record anything. ' +
				"Ask Glofox to enable write access for the integration's API key and token: email apiactivation@abcfitness.com " +
				'with your studio name and Location ID (branch ID), and say the integration must create accesses (POST /2.0/access). ' +
				'Nothing was recorded in Glofox for this request.',
		};
	}

	if (ok) {
		// Glofox's older routes answer failures as HTTP 200 with {"success": false, …}.
		if (AUTH_WORDS.test(said)) {
			return {
				message: `Glofox refused the API token or the Location ID in ${credential}${quote}`,
				description:
					'Glofox answered success: false, which it does for a wrong API token or a Location ID (branch ID) the key is not allowed for. Check both fields in the credential; the Location ID is the 24-character ID of the branch.',
			};
		}
		return {
			message: `Glofox refused ${where}${quote || ' (it answered success: false)'}`,
			description: 'Glofox answered HTTP 200 with success: false. Fix what the message above names and run the node again.',
		};
	}
	switch (problem.status) {
		case 401:
			return {
				message: `Glofox refused the API token in ${credential} (401${quote})`,
				description: 'Check the API Token (and the API Key) in the credential.',
			};
		case 403:
			return {
				message: `Glofox refused the API key in ${credential} (403${quote || ': Forbidden'})`,
				description:
					'Glofox answers 403 Forbidden when the API key is missing, wrong or disabled. Paste the integration API key Glofox issued into the credential (a sandbox key and a live key are different).',
			};
		case 404:
			return {
				message: `Glofox found nothing at ${where} (404${quote})`,
				description: 'Check the ID: it may have been deleted or belong to another branch.',
			};
		case 429:
			return {
				message: `Glofox kept answering "too many requests" on ${where} (429${quote})`,
				description:
					'Glofox allows 10 requests per second on live accounts and 3 on sandbox accounts. Lower Max Requests per Second in the credential, especially if other tools use the same API key.',
			};
		default:
			return {
				message: `Glofox answered ${problem.status} on ${where}${quote}`,
				description:
					problem.status >= 500 ? 'Glofox had a server problem; try again later.' : 'Check the node parameters against the message above.',
			};
	}
}

export const glofoxApi: ApiDefinition = {
	service: 'Glofox',
	credentialType: 'glofoxApi',
	defaultBaseUrl: 'https://gf-api.aws.glofox.com/prod',
	pace: (credentials: ICredentialDataDecryptedObject) => paceRule(Number(credentials.requestsPerSecond) || 10, 1000),
	// Glofox limits per API key: locations sharing a key share one pacer.
	accountOf: (credentials) => String(credentials.apiKey ?? ''),
	secrets: (credentials) => [credentials.apiKey, credentials.apiToken, credentials.webhookSecret],
	explain,
	failureInBody: (body) => isObject(body) && (body.success === false || body.success === 'false'),
};

export function glofoxClient(ctx: RequestContext): ApiClient {
	return new ApiClient(ctx, glofoxApi);
}

/** The credential's Location ID (branch `_id`), needed in the path of `/2.x/branches/{id}/…` routes. */
export async function branchIdOf(client: ApiClient): Promise<string> {
	const credentials = await client.getCredentials();
	return String(credentials.branchId ?? '').trim();
}

export interface ListOptions {
	/** Stop after this many items; undefined = all. */
	limit?: number;
	itemIndex?: number;
	/** Called with each page's items as they arrive (for progress or streaming work). */
	onPage?: (items: IDataObject[]) => void;
}

function pageSizeFor(limit: number | undefined): number {
	return limit === undefined ? GLOFOX_MAX_PAGE : Math.max(1, Math.min(GLOFOX_MAX_PAGE, limit));
}

/** Whether the page just read was the last one. */
type LastPage = (body: unknown, data: IDataObject[], page: number, pageSize: number) => boolean;
/** How many items the whole list holds, as the page says (null when it does not). */
type TotalOf = (body: unknown) => number | null;

/**
 * Pages read ahead once the list's size is known: Glofox allows 10 requests a second, so with an
 * internet round trip (150 ms) one page at a time would take 1.5 × what the rate allows; two more
 * in flight keep it at the rate (the pacer still decides when each starts).
 */
export const READ_AHEAD_PAGES = 2;

/**
 * Pages with `page`/`limit` (the same page size on every page, since Glofox pages by page number),
 * in order. Once a page tells how many items the list holds, up to {@link READ_AHEAD_PAGES} of the
 * next pages within that size are requested while it is handled; the end is still decided by
 * `isLast` on each page as read, and pages read ahead past it are dropped.
 */
async function listPages(client: ApiClient, path: string, qs: IDataObject, options: ListOptions, isLast: LastPage, totalOf: TotalOf): Promise<IDataObject[]> {
	const pageSize = pageSizeFor(options.limit);
	const wanted = options.limit === undefined ? Infinity : Math.ceil(options.limit / pageSize);
	const read = (page: number) => client.request<IDataObject>({ method: 'GET', path, qs: { ...qs, page, limit: pageSize }, itemIndex: options.itemIndex });
	const ahead = new Map<number, ReturnType<typeof read>>();
	const results: IDataObject[] = [];
	for (let page = 1; ; page++) {
		const pending = ahead.get(page) ?? read(page);
		ahead.delete(page);
		const { body } = await pending;
		const total = totalOf(body);
		const last = Math.min(wanted, total === null ? page : Math.ceil(total / pageSize));
		for (let next = page + 1; next <= Math.min(last, page + READ_AHEAD_PAGES); next++) {
			if (ahead.has(next)) continue;
			const request = read(next);
			request.catch(() => undefined); // awaited in turn; a page dropped after the end fails silently
			ahead.set(next, request);
		}
		const data = dataOf(body);
		options.onPage?.(data);
		results.push(...data);
		if (options.limit !== undefined && results.length >= options.limit) return results.slice(0, options.limit);
		if (isLast(body, data, page, pageSize)) return results;
	}
}

/** A count field as a whole number of items, null when absent or unreadable. */
function countOf(value: unknown): number | null {
	const count = typeof value === 'number' || (typeof value === 'string' && value.trim() !== '') ? Number(value) : Number.NaN;
	return Number.isInteger(count) && count >= 0 ? count : null;
}

/**
 * Envelope A (`{object: "list", page, limit, has_more, total_count, data}`): pages until
 * `has_more` is false (or, when the flag is missing, a short page).
 */
export async function listEnvelopeA(client: ApiClient, path: string, qs: IDataObject, options: ListOptions = {}): Promise<IDataObject[]> {
	return await listPages(
		client,
		path,
		qs,
		options,
		(body, data, _page, pageSize) => {
			const hasMore = isObject(body) ? body.has_more : undefined;
			if (hasMore === false || data.length === 0) return true;
			return hasMore !== true && data.length < pageSize;
		},
		(body) => (isObject(body) ? countOf(body.total_count) : null),
	);
}

/**
 * Envelope B (`{success, meta: {totalCount, page, limit}, data}`, `GET /2.2/.../bookings`): pages
 * until `page × limit ≥ meta.totalCount` (or a short page when the count is missing).
 */
export async function listEnvelopeB(client: ApiClient, path: string, qs: IDataObject, options: ListOptions = {}): Promise<IDataObject[]> {
	const totalOf = (body: unknown) => (isObject(body) && isObject(body.meta) ? countOf(body.meta.totalCount) : null);
	return await listPages(
		client,
		path,
		qs,
		options,
		(body, data, page, pageSize) => {
			const total = totalOf(body);
			if (data.length === 0) return true;
			return total !== null ? page * pageSize >= total : data.length < pageSize;
		},
		totalOf,
	);
}

/** The items of a list answer: `data` (both envelopes) or a bare array. */
export function dataOf(body: unknown): IDataObject[] {
	if (Array.isArray(body)) return body.filter(isObject);
	if (isObject(body) && Array.isArray(body.data)) return body.data.filter(isObject);
	return [];
}

/**
 * A single object, bare (the spec) or wrapped in `data` (as one integrator saw on
 * `GET /2.0/members/{id}`): both are accepted.
 */
export function singleOf(body: unknown): IDataObject {
	if (!isObject(body)) return {};
	if (body._id === undefined && isObject(body.data)) return body.data;
	return body;
}
