import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { KisiApi } from '../../../credentials/KisiApi.credentials';
import { type CredentialTestSpec, runCredentialTest } from '../../shared/credentialTest';
import { kisiApi } from './index';

const credentialType = new KisiApi();

/** `GET /user`: the key's own user, the cheapest authenticated read Kisi has. */
export const kisiCredentialTest: CredentialTestSpec = {
	api: kisiApi,
	authenticate: async (credentials, options) => await credentialType.authenticate(credentials, options),
	path: '/user',
	secretName: 'API key',
};

/** The Kisi credential's "Test" (`testedBy: 'kisiApiTest'` on the Kisi and Kisi Trigger nodes). */
export async function kisiApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	return await runCredentialTest(this, credential, kisiCredentialTest);
}
