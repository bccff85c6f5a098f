/** Shared by the TeamUp engine tests: Start → TeamUp against a sandbox (test/harness/node-tests.ts). */
import type { IDataObject } from 'n8n-workflow';

import { DEMO_CREDENTIALS, DEMO_NOW, type RunningSandbox } from '../../../sandbox';
import { SandboxClient } from '../../harness/sandbox';
import { demoScenario, nodeTests, start } from '../../harness/node-tests';

export const T = DEMO_CREDENTIALS.teamup;
export const CREDENTIAL_NAME = 'TeamUp demo gym';
export const NODE = 'TeamUp';

export const { credential, workflow, run, hints, reportedRequests, requestLog, clearRequestLog, addFault, clearFaults } = nodeTests({
	service: 'teamup',
	node: NODE,
	type: 'n8n-nodes-gym-access.teamUp',
	credential: {
		id: 'teamup-1',
		name: CREDENTIAL_NAME,
		type: 'teamUpApi',
		data: (sb) => ({ token: T.token, authScheme: 'Bearer', providerId: String(T.providerId), baseUrl: sb.teamupUrl }),
	},
});

export async function teamupState(sb: RunningSandbox): Promise<{ attendances: IDataObject[]; checkins: IDataObject[]; customers: IDataObject[] }> {
	return ((await new SandboxClient(sb.url).state()) as { teamup: never }).teamup;
}

export { DEMO_NOW, demoScenario, start };
