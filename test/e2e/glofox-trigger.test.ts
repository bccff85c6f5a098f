/**
 * The Glofox Trigger in a real n8n, installed from the pack's tarball, against the sandbox's Glofox:
 * a change in Glofox (a membership paused) reaches n8n as a signed webhook, starts one execution
 * (its duplicate none), and the flow re-reads that member (Access Profile → For These People);
 * n8n's own webhook server hands the trigger the raw body the signature covers. Forged, malformed
 * and person-less deliveries start nothing. One n8n start for the whole file.
 */
import { createHmac, randomBytes } from 'node:crypto';

import { type RunningSandbox, DEMO_CREDENTIALS, DEMO_NOW, buildDemoScenario, startSandbox } from '../../sandbox';
import { deliverChange } from '../../sandbox/glofox';
import { N8nInstance, PACK_NODE_TYPE } from '../harness/n8n-process';

jest.setTimeout(240_000);

const WORKFLOW_ID = 'glofoxTriggerE2e1';
const WEBHOOK_ID = '5e0c7d1a-2b3c-4d5e-8f90-a1b2c3d4e5f6';
const CREDENTIAL = { id: 'glofoxSandboxCr1', name: 'Glofox sandbox' };
const SECRET = 'e2e-glofox-webhook-secret';
const ANA = 'e1c6e882f1d9fc2bf876d39d';
const G = DEMO_CREDENTIALS.glofox;

const workflow = {
	id: WORKFLOW_ID,
	name: 'Glofox real-time',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 'trigger',
			name: 'Glofox Trigger',
			type: PACK_NODE_TYPE('glofoxTrigger'),
			typeVersion: 1,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: {},
			credentials: { glofoxApi: CREDENTIAL },
		},
		{
			id: 'profiles',
			name: 'Profiles',
			type: PACK_NODE_TYPE('glofox'),
			typeVersion: 1,
			position: [240, 0],
			parameters: { resource: 'accessProfile', operation: 'getAll', options: { people: '={{ $json.sourceId }}', referenceTime: DEMO_NOW } },
			credentials: { glofoxApi: CREDENTIAL },
		},
	],
	connections: { 'Glofox Trigger': { main: [[{ node: 'Profiles', type: 'main', index: 0 }]] } },
};

describe('Glofox Trigger in a real n8n', () => {
	let sb: RunningSandbox;
	let n8n: N8nInstance;
	const webhookUrl = () => `${n8n.url}/webhook/${WEBHOOK_ID}/webhook`;
	const sign = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');
	/** Waits a moment so that an execution started by mistake would have shown up. */
	const settle = () => new Promise((resolve) => setTimeout(resolve, 2500));
	const post = async (body: string, headers: Record<string, string>) => {
		const response = await fetch(webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
		return { status: response.status, body: await response.text() };
	};

	beforeAll(async () => {
		sb = await startSandbox({ scenario: buildDemoScenario(new Date(DEMO_NOW)), port: 0 });
		n8n = new N8nInstance({
			credentials: [
				{
					...CREDENTIAL,
					type: 'glofoxApi',
					data: { branchId: G.branchId, apiKey: G.apiKey, apiToken: G.apiToken, baseUrl: sb.glofoxUrl, requestsPerSecond: 10, webhookSecret: SECRET },
				},
			],
			workflows: [workflow],
			publish: [WORKFLOW_ID],
		});
		await n8n.start();
		// What Glofox support does once it has the set-up e-mail.
		await fetch(`${sb.url}/__sandbox/glofox/webhooks`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ url: webhookUrl(), secret: SECRET }),
		});
	});
	afterAll(async () => {
		await n8n?.stop();
		await sb?.close();
	});

	it('a membership paused in Glofox starts one execution (its duplicate none) whose re-read shows it paused', async () => {
		const ana = sb.state.glofox.members.get(ANA)!;
		// n8n may report ready a moment before it has activated the published workflow: until then
		// the URL answers 404, then an unsigned call 401.
		const deadline = Date.now() + 20_000;
		while ((await post('{}', {})).status === 404 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
		const answer = await deliverChange(sb.state.glofox, { collection: 'members', upsert: { _id: ANA, membership: { ...ana.membership, status: 'PAUSED' } } }, { duplicate: true });
		expect(answer.delivered.map((d) => [d.event, d.status])).toEqual([
			['MEMBERSHIP_UPDATED', 200],
			['MEMBERSHIP_UPDATED', 200],
		]);
		const [execution] = await n8n.waitForExecutions(WORKFLOW_ID, 1);
		await settle();
		expect(await n8n.executions(WORKFLOW_ID)).toHaveLength(1);
		const run = await n8n.execution(execution.id);
		expect(run.status).toBe('success');
		const [trigger] = run.runData['Glofox Trigger'][0].data!.main![0];
		expect(trigger.json).toMatchObject({ source: 'glofox', sourceId: ANA, email: null, event: 'MEMBERSHIP_UPDATED', deliveryId: expect.stringMatching(/^trace:/) });
		const profiles = run.runData.Profiles[0].data!.main![0].map((item) => item.json);
		expect(profiles).toEqual([expect.objectContaining({ sourceId: ANA, email: 'ana.ruiz@example.com', memberships: [expect.objectContaining({ status: 'PAUSED' })] })]);
		expect(n8n.log.join('\n')).not.toContain(SECRET);
	});

	it('refuses forged and unsigned deliveries (401), malformed ones (n8n 422, the trigger 400), acknowledges a person-less one (200); none starts', async () => {
		const before = (await n8n.executions(WORKFLOW_ID)).length;
		const event = JSON.stringify({
			Type: 'MEMBERSHIP_UPDATED',
			Metadata: { trace_id: randomBytes(16).toString('hex'), location_id: G.branchId, version: '1' },
			Timestamp: new Date().toISOString(),
			Payload: { id: 'a'.repeat(24), user_id: ANA, status: 'ACTIVE' },
		});
		expect((await post(event, {})).status).toBe(401);
		expect((await post(event, { signature: sign(event, 'not-the-secret') })).status).toBe(401);
		expect((await post(event.replace('ACTIVE', 'LOCKED'), { signature: sign(event) })).status).toBe(401);
		const broken = '{"Type": "MEMBERSHIP_UPDATED", "Payload": {';
		expect((await post(broken, { signature: sign(broken) })).status).toBe(422);
		expect(await post(broken, { 'content-type': 'text/plain', signature: sign(broken) })).toEqual({ status: 400, body: JSON.stringify({ error: 'The body is not valid JSON' }) });
		const classChanged = JSON.stringify({ Type: 'EVENT_UPDATED', Metadata: { trace_id: 'x' }, Timestamp: new Date().toISOString(), Payload: { id: 'e'.repeat(24) } });
		const acknowledged = await post(classChanged, { signature: sign(classChanged) });
		expect(acknowledged.status).toBe(200);
		expect(JSON.parse(acknowledged.body)).toMatchObject({ started: false, reason: expect.stringContaining('not a person') });
		await settle();
		expect(await n8n.executions(WORKFLOW_ID)).toHaveLength(before);
	});
});
