import type { ICredentialDataDecryptedObject, IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { type ApiDefinition, type ApiProblem, ApiClient, type RequestContext } from '../../shared/http';
import { paceRule } from '../../shared/pacing';

/** TeamUp's documented page size maximum (docs: pagination). `/events` may allow 250; unverified, so 100 everywhere. */
export const TEAMUP_MAX_PAGE_SIZE = 100;

interface TeamUpErrorBody {
	code?: unknown;
	field_errors?: unknown;
	message?: unknown;
	type?: unknown;
	detail?: unknown;
}

/**
 * TeamUp's error envelope `{code, field_errors, message, type}` as one line, e.g.
 * `parameter_invalid: You request was invalid. offering_type: The offering type ID was not found`.
 * Django REST Framework's bare `{detail}` is understood too.
 */
export function teamUpErrorText(body: unknown): string {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return '';
	const { code, field_errors: fieldErrors, message, detail } = body as TeamUpErrorBody;
	const parts: string[] = [];
	const said = typeof message === 'string' && message.trim() !== '' ? message.trim() : typeof detail === 'string' ? detail.trim() : '';
	if (typeof code === 'string' && code !== '') parts.push(said ? `${code}: ${said}` : code);
	else if (said) parts.push(said);
	if (fieldErrors && typeof fieldErrors === 'object' && !Array.isArray(fieldErrors)) {
		const fields = Object.entries(fieldErrors as Record<string, unknown>).map(([field, messages]) => {
			const text = Array.isArray(messages) ? messages.map(String).join(', ') : String(messages);
			return field === 'non_field_errors' ? text : `${field}: ${text}`;
		});
		if (fields.length > 0) parts.push(fields.join('; '));
	}
	return parts.join('. ');
}

function errorCode(body: unknown): string {
	if (!body || typeof body !== 'object') return '';
	const { code } = body as TeamUpErrorBody;
	return typeof code === 'string' ? code : '';
}

function explain(problem: ApiProblem): { message: string; description: string } {
	const said = teamUpErrorText(problem.body);
	const quote = said ? `: ${said}` : '';
	const where = `${problem.method} ${problem.path}`;
	const code = errorCode(problem.body);
	switch (problem.status) {
		case 400:
			if (code === 'provider_header_missing' || code === 'provider_header_invalid') {
				return {
					message: `TeamUp needs a valid business ID for ${where} (400${quote})`,
					description: `Fill in Provider ID in credential "${problem.credentialName}" with the TeamUp business ID: the token can reach several businesses.`,
				};
			}
			return {
				message: `TeamUp rejected ${where} (400${quote})`,
				description: 'Fix the fields TeamUp names above (node parameters or the input item) and run the node again.',
			};
		case 401:
			return {
				message: `TeamUp refused the token in credential "${problem.credentialName}" (401${quote})`,
				description:
					'Check the token (TeamUp dashboard → Settings → Integrations → API Integration → your application → M2M Tokens; it may have expired). If the token is right, switch Auth Scheme in the credential between Bearer and Token.',
			};
		case 403:
			if (code === 'provider_invalid') {
				return {
					message: `The token in credential "${problem.credentialName}" cannot reach this TeamUp business (403${quote})`,
					description: 'Correct Provider ID in the credential, or leave it empty when the token belongs to a single business.',
				};
			}
			return {
				message: `TeamUp does not allow the token in credential "${problem.credentialName}" to do ${where} (403${quote})`,
				description:
					'Give the M2M token the permissions this operation needs (for example customers, attendances, manage events; usage and invoices need super admin), or create a token with them.',
			};
		case 404:
			return {
				message: `TeamUp found nothing at ${where} (404${quote})`,
				description: 'Check the ID: it may have been deleted or belong to another business.',
			};
		case 409:
			return {
				message: `TeamUp refused ${where} because of a conflict (409${quote})`,
				description: 'Another change got there first; read the object again and retry if still needed.',
			};
		case 429:
			return {
				message: `TeamUp kept answering "too many requests" on ${where} (429${quote})`,
				description:
					'TeamUp allows 250 requests per minute per token. Lower Max Requests per Minute in the credential if other tools use the same token.',
			};
		default:
			return {
				message: `TeamUp answered ${problem.status} on ${where}${quote}`,
				description: problem.status >= 500 ? 'TeamUp had a server problem; try again later.' : 'Check the node parameters.',
			};
	}
}

export const teamUpApi: ApiDefinition = {
	service: 'TeamUp',
	credentialType: 'teamUpApi',
	defaultBaseUrl: 'https://goteamup.com/api/v2',
	pace: (credentials: ICredentialDataDecryptedObject) => paceRule(Number(credentials.requestsPerMinute) || 250, 60_000),
	accountOf: (credentials) => String(credentials.token ?? ''),
	secrets: (credentials) => [credentials.token],
	explain,
};

export function teamUpClient(ctx: RequestContext): ApiClient {
	return new ApiClient(ctx, teamUpApi);
}

export interface ListOptions {
	/** Stop after this many (kept) results; undefined = all. */
	limit?: number;
	/** Page size to ask for; at most 100. */
	pageSize?: number;
	itemIndex?: number;
	/** Client-side filter applied before counting towards the limit. */
	keep?: (item: IDataObject) => boolean;
}

/** TeamUp's list envelope (docs: pagination). */
interface Envelope {
	count?: number;
	next?: string | null;
	results?: unknown;
}

/**
 * The page number that TeamUp's `next` URL points at. Only that number is used: the next request
 * goes to our own base URL with our own query, so the token never follows a link to another host.
 * Returns undefined when `next` is empty, `false`-ish or carries no `page`.
 */
export function nextPageNumber(next: unknown): number | undefined {
	if (typeof next !== 'string' || next.trim() === '') return undefined;
	let page: string | null = null;
	try {
		page = new URL(next, 'http://relative.invalid').searchParams.get('page');
	} catch {
		return undefined;
	}
	if (page === null || !/^\d+$/.test(page)) return undefined;
	return Number(page);
}

/** A list read in full, or the answer TeamUp refused its first page with. */
export type ListOrRefusal = { items: IDataObject[]; refused?: undefined } | { items?: undefined; refused: { status: number; body: unknown } };

/**
 * Pages through a TeamUp list (`page`/`page_size`, envelope `{count, next, previous, results}`).
 * Follows `next` by its page number only. A bare array answer is accepted as a single page.
 */
export async function teamUpList(
	client: ApiClient,
	path: string,
	qs: IDataObject = {},
	options: ListOptions = {},
): Promise<IDataObject[]> {
	return (await listPages(client, path, qs, options, [])).items ?? [];
}

/**
 * {@link teamUpList} for a query with an optional part TeamUp may not know (an undocumented filter
 * value or `expand`): when TeamUp answers the first page with one of `refusals` (e.g. 400, 404),
 * that answer is returned instead of failing, so that the caller can fall back to a documented query.
 */
export async function teamUpListUnlessRefused(
	client: ApiClient,
	path: string,
	qs: IDataObject,
	options: ListOptions,
	refusals: number[],
): Promise<ListOrRefusal> {
	return await listPages(client, path, qs, options, refusals);
}

async function listPages(client: ApiClient, path: string, qs: IDataObject, options: ListOptions, refusals: number[]): Promise<ListOrRefusal> {
	const results: IDataObject[] = [];
	const limit = options.limit;
	// A constant page size: changing it between pages would shift TeamUp's offsets.
	const pageSize = Math.max(
		1,
		Math.min(TEAMUP_MAX_PAGE_SIZE, options.pageSize ?? TEAMUP_MAX_PAGE_SIZE, limit !== undefined && !options.keep ? limit : TEAMUP_MAX_PAGE_SIZE),
	);
	let page = 1;
	let first = true;
	for (;;) {
		if (limit !== undefined && results.length >= limit) break;
		const response = await client.request<Envelope | IDataObject[]>({
			method: 'GET',
			path,
			qs: { ...qs, page, page_size: pageSize },
			itemIndex: options.itemIndex,
			...(first && refusals.length > 0 ? { expect: refusals } : {}),
		});
		if (first && refusals.includes(response.status)) return { refused: { status: response.status, body: response.body } };
		first = false;
		const body = response.body;
		const envelope: Envelope = Array.isArray(body) ? { results: body, next: null } : (body ?? {});
		const items = Array.isArray(envelope.results) ? (envelope.results as IDataObject[]) : [];
		for (const item of items) {
			if (options.keep && !options.keep(item)) continue;
			results.push(item);
			if (limit !== undefined && results.length >= limit) break;
		}
		const nextPage = nextPageNumber(envelope.next);
		if (nextPage === undefined || items.length === 0) break;
		// A `next` that does not move forward would loop for ever.
		if (nextPage <= page) break;
		page = nextPage;
	}
	return { items: results };
}

/** `1,2,3` from ids, as TeamUp's multi-value filters take them. */
export function idList(ids: Iterable<number | string>): string {
	return [...ids].map(String).join(',');
}

/** Splits ids into chunks so that a `customer=<ids>` query stays well below URL length limits. */
export function chunks<T>(values: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
	return out;
}

/**
 * The error the client would have raised for an answer the caller accepted with `expect` but
 * cannot use after all: the same wording, without sending the request again.
 */
export function teamUpError(
	client: ApiClient,
	request: { method: string; path: string; itemIndex?: number },
	status: number,
	body: unknown,
): NodeApiError {
	const { message, description } = explain({
		status,
		body,
		method: request.method,
		path: request.path,
		credentialName: client.credentialName(),
	});
	return new NodeApiError(
		client.ctx.getNode(),
		{ status, method: request.method, path: request.path, response: (body ?? null) as JsonObject } as JsonObject,
		{ message, description, httpCode: String(status), itemIndex: request.itemIndex },
	);
}
