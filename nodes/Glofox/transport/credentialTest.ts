import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { GlofoxApi } from '../../../credentials/GlofoxApi.credentials';
import { type CredentialTestSpec, runCredentialTest } from '../../shared/credentialTest';
import { glofoxApi } from './index';

const credentialType = new GlofoxApi();

/** One member of the location: needs the key, the token and the Location ID to fit together. */
export const glofoxCredentialTest: CredentialTestSpec = {
	api: glofoxApi,
	authenticate: async (credentials, options) => await credentialType.authenticate(credentials, options),
	path: '/2.0/members',
	qs: { limit: 1 },
	secretName: 'API key and token',
	refusedInBody: 'Glofox refused the API token or the Location ID (it answered success: false)',
};

/** The Glofox credential's "Test" (`testedBy: 'glofoxApiTest'` on the Glofox node). */
export async function glofoxApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	return await runCredentialTest(this, credential, glofoxCredentialTest);
}
