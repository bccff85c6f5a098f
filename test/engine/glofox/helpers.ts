/** Shared by the Glofox engine tests: Start → Glofox against a sandbox (test/harness/node-tests.ts). */
import type { IDataObject } from 'n8n-workflow';

import { DEMO_CREDENTIALS, DEMO_NOW, type RunningSandbox } from '../../../sandbox';
import { SandboxClient } from '../../harness/sandbox';
import { demoScenario, nodeTests, start } from '../../harness/node-tests';

export const G = DEMO_CREDENTIALS.glofox;
export const CREDENTIAL_NAME = 'Glofox demo gym';
export const NODE = 'Glofox';

export const { credential, workflow, run, hints, reportedRequests, requestLog, clearRequestLog, addFault, clearFaults } = nodeTests({
	service: 'glofox',
	node: NODE,
	type: 'n8n-nodes-gym-access.glofox',
	credential: {
		id: 'glofox-1',
		name: CREDENTIAL_NAME,
		type: 'glofoxApi',
		data: (sb) => ({ branchId: G.branchId, apiKey: G.apiKey, apiToken: G.apiToken, baseUrl: sb.glofoxUrl, requestsPerSecond: 10 }),
	},
});

export async function sandboxState(sb: RunningSandbox): Promise<{ glofox: { bookings: IDataObject[]; accesses: IDataObject[]; members: IDataObject[] } }> {
	return (await new SandboxClient(sb.url).state()) as never;
}

export { DEMO_NOW, demoScenario, start };
