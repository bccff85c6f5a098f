/**
 * The TeamUp Trigger in a real n8n, installed from the pack's tarball, against the sandbox's TeamUp:
 * on activation it adds its webhook destination (with its secret in the URL); a change in TeamUp
 * (a membership cancelled) reaches n8n as a feed item, starts one execution (its duplicate none), and
 * the flow re-reads that customer (Access Profile → For These People); a delivery without the secret
 * gets 401; nothing is kept in static data; unpublishing removes the destination. One n8n start.
 */
import { join } from 'node:path';

import { buildDemoScenario, DEMO_CREDENTIALS, DEMO_NOW } from '../../sandbox';
import { N8nInstance, PACK_NODE_TYPE } from '../harness/n8n-process';
import { withSandbox } from '../harness/sandbox';

jest.setTimeout(240_000);

const WORKFLOW_ID = 'teamupTriggerE2e1';
const WEBHOOK_ID = '7d1e2f3a-4b5c-4d6e-9f80-a1b2c3d4e5f7';
const CREDENTIAL = { id: 'teamupSandboxCr1', name: 'TeamUp sandbox' };
const SECRET = 'e2e teamup secret';
const T = DEMO_CREDENTIALS.teamup;

const workflow = {
	id: WORKFLOW_ID,
	name: 'TeamUp real-time',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 'trigger',
			name: 'TeamUp Trigger',
			type: PACK_NODE_TYPE('teamUpTrigger'),
			typeVersion: 1,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: { secret: SECRET },
			credentials: { teamUpApi: CREDENTIAL },
		},
		{
			id: 'profiles',
			name: 'Profiles',
			type: PACK_NODE_TYPE('teamUp'),
			typeVersion: 1,
			position: [240, 0],
			parameters: { resource: 'accessProfile', operation: 'getAll', options: { people: '={{ $json.sourceId }}', referenceTime: DEMO_NOW } },
			credentials: { teamUpApi: CREDENTIAL },
		},
	],
	connections: { 'TeamUp Trigger': { main: [[{ node: 'Profiles', type: 'main', index: 0 }]] } },
};

const demo = buildDemoScenario(new Date(DEMO_NOW)) as unknown as { teamup: Record<string, Array<Record<string, unknown>>> };
const ana = demo.teamup.customers.find((c) => c.email === 'ana.ruiz@example.com')!;
const anaMembership = demo.teamup.customer_memberships.find((cm) => cm.customer === ana.id)!;

describe('TeamUp Trigger in a real n8n', () => {
	const sandbox = withSandbox(() => ({ ...buildDemoScenario(new Date(DEMO_NOW)), rateLimits: false }));
	let n8n: N8nInstance;
	const webhookUrl = () => `${n8n.url}/webhook/${WEBHOOK_ID}/webhook`;
	const destinations = async () => (await sandbox.state()).teamup.webhook_destinations as Array<{ id: number; url: string; active: boolean }>;
	/** Waits a moment so that an execution started by mistake would have shown up. */
	const settle = () => new Promise((resolve) => setTimeout(resolve, 2500));

	beforeAll(async () => {
		n8n = new N8nInstance({
			credentials: [
				{ ...CREDENTIAL, type: 'teamUpApi', data: { token: T.token, authScheme: 'Bearer', providerId: String(T.providerId), baseUrl: sandbox.teamupUrl } },
			],
			workflows: [workflow],
			publish: [WORKFLOW_ID],
		});
		await n8n.start();
	});
	afterAll(async () => {
		await n8n?.stop();
	});

	it('on activation adds one webhook destination calling n8n, the secret appended; the secret is not in n8n’s log', async () => {
		const deadline = Date.now() + 20_000;
		while ((await destinations()).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
		expect(await destinations()).toEqual([expect.objectContaining({ url: `${webhookUrl()}?secret=${encodeURIComponent(SECRET)}`, active: true })]);
		expect(n8n.log.join('\n')).not.toContain(SECRET);
		expect(n8n.log.join('\n')).not.toContain(encodeURIComponent(SECRET));
	});

	it('a membership cancelled in TeamUp starts one execution (its duplicate none) that re-reads the customer', async () => {
		const before = (await n8n.executions(WORKFLOW_ID)).length;
		const { delivered } = await sandbox.control('POST', '/change?duplicate=1', {
			service: 'teamup',
			collection: 'customer_memberships',
			upsert: { id: anaMembership.id, status: 'cancelled' },
		});
		expect(delivered.map((d: { status: number }) => d.status)).toEqual([200, 200]);
		const [newest] = await n8n.waitForExecutions(WORKFLOW_ID, before + 1);
		await settle();
		expect(await n8n.executions(WORKFLOW_ID)).toHaveLength(before + 1);
		const execution = await n8n.execution(newest.id);
		expect(execution.status).toBe('success');
		expect(execution.runData['TeamUp Trigger'][0].data!.main![0].map((item) => item.json)).toEqual([
			expect.objectContaining({ source: 'teamup', sourceId: String(ana.id), event: 'customer_membership.updated', deliveryId: expect.any(String) }),
		]);
		expect(execution.runData.Profiles[0].data!.main![0].map((item) => item.json)).toEqual([
			expect.objectContaining({ sourceId: String(ana.id), email: ana.email, memberships: [expect.objectContaining({ status: 'cancelled' })] }),
		]);
		expect(JSON.stringify(execution.runData)).not.toContain(SECRET);
	});

	it('a delivery without the secret, or with another, gets 401 and starts nothing; one naming nobody gets 200 and starts nothing', async () => {
		const before = (await n8n.executions(WORKFLOW_ID)).length;
		const body = JSON.stringify({ feed_items: [{ object: 'feed_item', id: 1, timestamp: DEMO_NOW, resources: { customer: ana.id } }] });
		const post = async (query: string, payload = body) =>
			await fetch(`${webhookUrl()}${query}`, { method: 'POST', headers: { 'content-type': 'application/json', 'TEAMUP-WEBHOOK-ID': `e2e-${query}` }, body: payload });
		expect((await post('')).status).toBe(401);
		expect((await post('?secret=guess')).status).toBe(401);
		const nobody = await post(`?secret=${encodeURIComponent(SECRET)}`, JSON.stringify({ feed_items: [{ object: 'feed_item', id: 2, resources: { event: 1 } }] }));
		expect(nobody.status).toBe(200);
		await settle();
		expect(await n8n.executions(WORKFLOW_ID)).toHaveLength(before);
	});

	it('keeps nothing in the workflow’s static data', async () => {
		const { DatabaseSync } = await import('node:sqlite');
		const db = new DatabaseSync(join(n8n.userFolder, '.n8n', 'database.sqlite'), { readOnly: true });
		try {
			const row = db.prepare('SELECT staticData FROM workflow_entity WHERE id = ?').get(WORKFLOW_ID) as { staticData: string | null };
			const stored = (row.staticData ? JSON.parse(row.staticData) : {}) as Record<string, unknown>;
			expect(stored['node:TeamUp Trigger'] ?? {}).toEqual({});
		} finally {
			db.close();
		}
	});

	it('unpublishing the workflow removes the destination from TeamUp', async () => {
		const [registered] = await destinations();
		await n8n.deactivate(WORKFLOW_ID);
		const deadline = Date.now() + 20_000;
		while ((await destinations()).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
		expect(await destinations()).toEqual([]);
		expect((await sandbox.requests({ service: 'teamup', method: 'DELETE' })).map((r) => `${r.path} ${r.status}`)).toEqual([`/webhook_destinations/${registered.id} 204`]);
	});
});
