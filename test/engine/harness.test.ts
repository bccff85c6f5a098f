import nock from 'nock';

import { usingRealCoreNodes } from '../harness/core-nodes';
import { runWorkflow, type WorkflowJson } from '../harness/engine';

const kisiCredential = { id: 'k1', name: 'Kisi account', type: 'kisiApi', data: { apiKey: 'secret-key', baseUrl: 'https://kisi.test' } };

const workflow: WorkflowJson = {
	name: 'List places',
	nodes: [
		{ id: 'a', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'b',
			name: 'Kisi',
			type: 'n8n-nodes-gym-access.kisi',
			typeVersion: 1,
			position: [200, 0],
			parameters: { resource: 'place', operation: 'getAll', returnAll: true },
			credentials: { kisiApi: { id: 'k1', name: 'Kisi account' } },
		},
	],
	connections: { Start: { main: [[{ node: 'Kisi', type: 'main', index: 0 }]] } },
};

afterEach(() => nock.cleanAll());

describe('in-process harness', () => {
	it('uses the core nodes of the pinned n8n release', () => {
		expect(usingRealCoreNodes).toBe(true);
	});

	it('runs workflow JSON through WorkflowExecute with the credential injected by its authenticate block', async () => {
		const places = Array.from({ length: 260 }, (_, i) => ({ id: i + 1, name: `Place ${i + 1}` }));
		const scope = nock('https://kisi.test', { reqheaders: { authorization: 'KISI-LOGIN secret-key' } })
			.get('/places')
			.query({ limit: 250, offset: 0 })
			.reply(200, places.slice(0, 250), { 'X-Collection-Range': '0-249/260' })
			.get('/places')
			.query({ limit: 250, offset: 250 })
			.reply(200, places.slice(250), { 'X-Collection-Range': '250-499/260' });

		const result = await runWorkflow(workflow, { credentials: [kisiCredential] });

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.output('Kisi')).toHaveLength(260);
		expect(result.items('Kisi')[259].pairedItem).toEqual({ item: 0 });
		expect(scope.isDone()).toBe(true);
	});
});
