/**
 * Kisi Trigger, "Denied Unlocks Output": an unlock Kisi denied (`success: false`) comes out on the
 * trigger's second output, "Denied Unlocks", so that a flow can alert staff; with the option off
 * (the default) the trigger has one output and ignores denied unlocks as before. Served as n8n
 * serves it: activation through n8n-core's HookContext, each delivery through its WebhookContext
 * (test/engine/reliability/trigger-endpoint.ts), the sandbox's Kisi delivering real signed events.
 */
import { createHmac } from 'node:crypto';
import type { IDataObject, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { DEMO_KISI, DEMO_NOW, buildDemoScenario } from '../../../sandbox/scenarios/demo';
import { nodeTypes, type WorkflowJson } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { demoUnlockEvent, sandboxCredentials } from '../../harness/templates';
import { keyInKisi, TriggerEndpoint } from '../reliability/trigger-endpoint';

jest.setTimeout(60_000);

const sandbox = withSandbox(() => ({ ...buildDemoScenario(new Date(DEMO_NOW)), rateLimits: false }));
const ANA = 'ana.ruiz@example.com';

/** Kisi Trigger → "Welcome" on its first output and, when it has one, "Alert staff" on its second. */
function doorWorkflow(parameters: IDataObject): WorkflowJson & { id: string } {
	const two = parameters.deniedUnlocks === true;
	return {
		id: two ? 'doorAlerts00001' : 'doorPlain000001',
		name: 'Door events',
		nodes: [
			{
				id: 'trigger',
				name: 'Kisi Trigger',
				type: 'n8n-nodes-gym-access.kisiTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: two ? 'door-alerts' : 'door-plain',
				parameters: { events: ['lock.unlock'], ...parameters },
				credentials: { kisiApi: { id: 'KisiAccount00001', name: 'Kisi account' } },
			},
			{ id: 'welcome', name: 'Welcome', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, -100], parameters: {} },
			{ id: 'alert', name: 'Alert staff', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, 100], parameters: {} },
		],
		connections: {
			'Kisi Trigger': { main: two ? [[{ node: 'Welcome', type: 'main', index: 0 }], [{ node: 'Alert staff', type: 'main', index: 0 }]] : [[{ node: 'Welcome', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** The trigger's outputs as n8n's editor and engine compute them from its parameters. */
function outputsOf(json: WorkflowJson): unknown {
	const workflow = new Workflow({ id: 'w', nodes: json.nodes, connections: json.connections, active: false, nodeTypes });
	const node = workflow.getNode('Kisi Trigger')!;
	const description = (nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as { description: INodeTypeDescription }).description;
	return NodeHelpers.getNodeOutputs(workflow, node, description);
}

async function serve(json: WorkflowJson & { id: string }, test: (endpoint: TriggerEndpoint) => Promise<void>): Promise<void> {
	const endpoint = new TriggerEndpoint(json, sandboxCredentials(sandbox.url, { kisi: { requestsPerSecond: 100 } }));
	await endpoint.start();
	try {
		await test(endpoint);
	} finally {
		await endpoint.stop();
	}
}

/** Kisi's unlock of the front door by `email`, granted or denied, delivered to the trigger. */
async function unlock(endpoint: TriggerEndpoint, email: string, success: boolean): Promise<void> {
	const { deliveries } = await sandbox.kisiUnlock({ email, lock_id: DEMO_KISI.lockIds.frontDoor, success });
	expect(deliveries.map((delivery: IDataObject) => delivery.status)).toEqual([200]);
	await endpoint.settle();
}

describe('Kisi Trigger: denied unlocks on their own output', () => {
	it('on: two outputs, "Events" and "Denied Unlocks"; off (the default): one, as before', () => {
		expect(outputsOf(doorWorkflow({ deniedUnlocks: true }))).toEqual([
			{ type: 'main', displayName: 'Events' },
			{ type: 'main', displayName: 'Denied Unlocks' },
		]);
		expect(outputsOf(doorWorkflow({}))).toEqual([{ type: 'main' }]);
	});

	it('on: a denied unlock reaches only the flow on "Denied Unlocks", with who, where and why; a granted one only the other', async () => {
		await serve(doorWorkflow({ deniedUnlocks: true }), async (endpoint) => {
			await unlock(endpoint, ANA, false);
			await unlock(endpoint, ANA, true);
			expect(endpoint.deliveries.map((delivery) => [delivery.status, delivery.started])).toEqual([
				[200, true],
				[200, true],
			]);
			const [denied, granted] = endpoint.executions;
			expect(denied.status).toBe('success');
			expect(denied.ran('Welcome')).toBe(false);
			expect(denied.output('Alert staff')).toEqual([
				expect.objectContaining({ type: 'lock.unlock', success: false, email: ANA, lockId: DEMO_KISI.lockIds.frontDoor, placeId: DEMO_KISI.placeId, error_code: expect.any(String), uuid: expect.any(String) }),
			]);
			expect(granted.ran('Alert staff')).toBe(false);
			expect(granted.output('Welcome')).toEqual([expect.objectContaining({ success: true, email: ANA })]);
		});
	});

	it('on: "Only Successful" no longer drops denied unlocks (it is hidden); the actor\'s email is looked up when Kisi leaves it out; the lock filter still applies', async () => {
		await serve(doorWorkflow({ deniedUnlocks: true, onlySuccessful: true, lockIds: String(DEMO_KISI.lockIds.frontDoor) }), async (endpoint) => {
			const key = await keyInKisi(sandbox, endpoint.url);
			const send = async (event: IDataObject) => {
				const body = JSON.stringify(event);
				const signature = `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
				const response = await fetch(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': signature }, body });
				await endpoint.settle();
				return { status: response.status, body: (await response.json()) as IDataObject };
			};
			expect(await send(demoUnlockEvent({ success: false, actor_email: undefined, actor_id: DEMO_KISI.users.ana }))).toEqual({ status: 200, body: { message: 'Workflow was started' } });
			expect(endpoint.executions.at(-1)!.output('Alert staff')).toEqual([expect.objectContaining({ success: false, email: ANA })]);
			// A denied unlock at another door: not for this trigger.
			expect(await send(demoUnlockEvent({ success: false, object_id: DEMO_KISI.lockIds.studioDoor }))).toEqual({
				status: 200,
				body: { received: true, started: false, reason: 'the event is about another lock' },
			});
			expect(endpoint.executions).toHaveLength(1);
		});
	});

	it('off: a denied unlock is acknowledged and starts nothing; a granted one comes out on the one output', async () => {
		await serve(doorWorkflow({}), async (endpoint) => {
			await unlock(endpoint, ANA, false);
			expect(endpoint.deliveries.at(-1)).toEqual({ status: 200, body: { received: true, started: false, reason: 'the event was not successful' }, started: false });
			expect(endpoint.executions).toHaveLength(0);
			await unlock(endpoint, ANA, true);
			expect(endpoint.executions).toHaveLength(1);
			expect(endpoint.executions[0].output('Welcome')).toEqual([expect.objectContaining({ success: true, email: ANA })]);
		});
	});
});
