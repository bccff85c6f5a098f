/**
 * The editor's searchable lists (resource locators) of the TeamUp node, against the sandbox. n8n
 * calls them with a load-options context; this stands in for it with the credential's own
 * `authenticate` and real HTTP.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';

import { TeamUpApi } from '../../../credentials/TeamUpApi.credentials';
import { searchCustomers, searchMemberships, searchVenues } from '../../../nodes/TeamUp/methods/listSearch';
import type { RunningSandbox } from '../../../sandbox';
import { CREDENTIAL_NAME, start, T } from './helpers';

let sb: RunningSandbox;

beforeAll(async () => {
	sb = await start();
});

afterAll(async () => {
	await sb?.close();
});

function context(): ILoadOptionsFunctions {
	const credentials: ICredentialDataDecryptedObject = { token: T.token, authScheme: 'Token', providerId: '', baseUrl: sb.teamupUrl };
	const type = new TeamUpApi();
	return {
		getCredentials: async () => credentials,
		getNode: () => ({ name: 'TeamUp', credentials: { teamUpApi: { id: '1', name: CREDENTIAL_NAME } } }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				const signed = await type.authenticate(credentials, options);
				const url = new URL(String(signed.url));
				for (const [key, value] of Object.entries((signed.qs ?? {}) as IDataObject)) url.searchParams.set(key, String(value));
				const res = await fetch(url, { method: signed.method, headers: signed.headers as Record<string, string> });
				return { statusCode: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) };
			},
		},
	} as unknown as ILoadOptionsFunctions;
}

describe('TeamUp list search', () => {
	it('customers by name or email, labelled with the email', async () => {
		const found = await searchCustomers.call(context(), 'parker');
		expect(found.results.map((r) => r.name)).toEqual(['Sam Parker (parkers@example.com)', 'Tess Parker (parkers@example.com)']);
		expect(found.results[0].value).toMatch(/^\d+$/);
		expect(found.paginationToken).toBeUndefined();
	});

	it('without a filter lists everyone (one page of up to 50 here)', async () => {
		const first = await searchCustomers.call(context());
		expect(first.results).toHaveLength(38);
		expect(first.paginationToken).toBeUndefined();
	});

	it('membership plans and venues (with their time zone), filtered by name', async () => {
		const plans = await searchMemberships.call(context(), 'pack');
		expect(plans.results.map((r) => [r.name, r.value])).toEqual([
			['10 Class Pack', '4402'],
			['5 Class Pack', '4403'],
		]);
		const venues = await searchVenues.call(context());
		expect(venues.results).toEqual([{ name: 'Main Street (Europe/London)', value: '310' }]);
	});
});
