import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { TeamUpApi } from '../../../credentials/TeamUpApi.credentials';
import { type CredentialTestSpec, runCredentialTest } from '../../shared/credentialTest';
import { teamUpApi } from './index';

const credentialType = new TeamUpApi();

/** One customer: the cheapest read that needs a token valid for the business. */
export const teamUpCredentialTest: CredentialTestSpec = {
	api: teamUpApi,
	authenticate: async (credentials, options) => await credentialType.authenticate(credentials, options),
	path: '/customers',
	qs: { page_size: 1 },
	secretName: 'token',
};

/** The TeamUp credential's "Test" (`testedBy: 'teamUpApiTest'` on the TeamUp node). */
export async function teamUpApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	return await runCredentialTest(this, credential, teamUpCredentialTest);
}
