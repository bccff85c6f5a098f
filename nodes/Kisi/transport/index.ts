import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { type ApiDefinition, type ApiProblem, ApiClient, header, type RequestContext } from '../../shared/http';
import { paceRule } from '../../shared/pacing';

/** Kisi's documented list maxima: most lists 250 per page, users and members 100. */
export const KISI_MAX_OFFSET = 20_000;

function kisiErrorText(body: unknown): string {
	if (!body || typeof body !== 'object') return '';
	const { error, code, errors } = body as { error?: unknown; code?: unknown; errors?: unknown };
	if (errors && typeof errors === 'object') {
		return Object.entries(errors as Record<string, unknown>)
			.map(([field, messages]) => `${field} ${Array.isArray(messages) ? messages.join(', ') : String(messages)}`)
			.join('; ');
	}
	if (typeof error === 'string') return code ? `${error} (code ${String(code)})` : error;
	return '';
}

function explain(problem: ApiProblem): { message: string; description: string } {
	const said = kisiErrorText(problem.body);
	const quote = said ? `: ${said}` : '';
	const where = `${problem.method} ${problem.path}`;
	switch (problem.status) {
		case 401:
			return {
				message: `Kisi refused the API key in credential "${problem.credentialName}" (401${quote})`,
				description:
					'Create a new API key in Kisi (My Account → API → Add API key, ideally as the organization owner) and paste it into the credential.',
			};
		case 403:
			return {
				message: `Kisi does not allow this key's user to do ${where} (403${quote})`,
				description: 'Use an API key of an organization administrator or owner.',
			};
		case 404:
			return {
				message: `Kisi found nothing at ${where} (404${quote})`,
				description: 'Check the ID: it may have been deleted or belong to another organization.',
			};
		case 422:
			return {
				message: `Kisi rejected ${where} (422${quote})`,
				description: 'Fix the fields Kisi names above and run the node again.',
			};
		case 429:
			return {
				message: `Kisi kept answering "too many requests" on ${where} (429${quote})`,
				description:
					"Kisi allows 5 requests per second per user across all of that user's keys. Lower Max Requests per Second in the credential if other tools use the same Kisi user.",
			};
		default:
			return {
				message: `Kisi answered ${problem.status} on ${where}${quote}`,
				description: problem.status >= 500 ? 'Kisi had a server problem; try again later.' : 'Check the node parameters.',
			};
	}
}

export const kisiApi: ApiDefinition = {
	service: 'Kisi',
	credentialType: 'kisiApi',
	defaultBaseUrl: 'https://api.kisi.io',
	pace: (credentials: ICredentialDataDecryptedObject) => paceRule(Number(credentials.requestsPerSecond) || 5, 1000),
	accountOf: (credentials) => String(credentials.apiKey ?? ''),
	secrets: (credentials) => [credentials.apiKey],
	explain,
	// Every header (key, JSON, the integration partner's identifier and contact) comes from the
	// credential's authenticate, so the credential test and webhook registration send them too.
};

export function kisiClient(ctx: RequestContext): ApiClient {
	return new ApiClient(ctx, kisiApi);
}

/**
 * A group's page in Kisi's web app. Kisi's address carries the organization's id: "45274 is the
 * group ID of https://web.kisi.io/organization/3289/groups/45274" (docs.kisi.io, assign access rights).
 */
export function groupWebUrl(organizationId: number | string, groupId: number | string): string {
	return `https://web.kisi.io/organization/${String(organizationId)}/groups/${String(groupId)}`;
}

/** The organization of the API key's user: `organization_id` of `GET /user`, when Kisi gives one. */
export async function organizationIdOf(client: ApiClient): Promise<number | undefined> {
	const { body } = await client.request<IDataObject>({ method: 'GET', path: '/user' });
	const id = body?.organization_id ?? (body?.organization as IDataObject | undefined)?.id;
	return typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : undefined;
}

/** Parses `X-Collection-Range: 10-19/15` (or `*\/15` for an empty page) into the total count. */
export function collectionTotal(value: string | undefined): number | undefined {
	const match = /^(?:\d+-\d+|\*)\/(\d+)$/.exec((value ?? '').trim());
	return match ? Number(match[1]) : undefined;
}

export interface ListOptions {
	/** Stop after this many items; undefined = all. */
	limit?: number;
	/** The endpoint's documented maximum page size. */
	pageSize: number;
	itemIndex?: number;
}

/**
 * Pages through a Kisi list with `limit`/`offset`, reading the total from X-Collection-Range.
 * Kisi refuses offsets above 20,000, so one filter can list at most 20,000 + one page.
 */
export async function kisiList(
	client: ApiClient,
	path: string,
	qs: IDataObject,
	options: ListOptions,
): Promise<IDataObject[]> {
	const results: IDataObject[] = [];
	let offset = 0;
	for (;;) {
		const wanted = options.limit === undefined ? options.pageSize : Math.min(options.pageSize, options.limit - results.length);
		if (wanted <= 0) break;
		if (offset > KISI_MAX_OFFSET) {
			throw new Error(
				`Kisi lists at most ${KISI_MAX_OFFSET + options.pageSize} results for one filter, and ${path} has more. Narrow the list with a filter (for example Query).`,
			);
		}
		const response = await client.request<IDataObject[]>({
			method: 'GET',
			path,
			qs: { ...qs, limit: wanted, offset },
			itemIndex: options.itemIndex,
		});
		const page = Array.isArray(response.body) ? response.body : [];
		results.push(...page);
		const total = collectionTotal(header(response.headers, 'x-collection-range'));
		offset += page.length;
		if (page.length < wanted || (total !== undefined && offset >= total)) break;
	}
	return results;
}
