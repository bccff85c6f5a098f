/**
 * The Kisi Trigger in a real n8n, installed from the pack's tarball, against the sandbox: it
 * registers its signed Event Webhook on activation, starts one execution per unlock (duplicates
 * suppressed), refuses unsigned or forged calls, keeps nothing in the workflow's static data, and
 * removes the webhook when unpublished (found in Kisi by its URL: no stored ID).
 * One n8n start for the whole file.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { N8nInstance, PACK_NODE_TYPE } from '../harness/n8n-process';
import { withSandbox } from '../harness/sandbox';
import { KEY, kisiScenario } from '../engine/kisi/fixtures';

jest.setTimeout(240_000);

const WORKFLOW_ID = 'kisiTriggerE2e01';
const WEBHOOK_ID = 'a3c0d5a2-6f7e-4f51-9d1e-1b2c3d4e5f60';
const CREDENTIAL = { id: 'kisiSandboxCred1', name: 'Kisi sandbox' };

interface Integration {
	id: number;
	type: string;
	name: string;
	url: string;
	enabled: boolean;
	enabled_events: string[] | null;
	signature_key: string | null;
}

const workflow = {
	id: WORKFLOW_ID,
	name: 'Front door unlocks',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 'trigger',
			name: 'Kisi Trigger',
			type: PACK_NODE_TYPE('kisiTrigger'),
			typeVersion: 1,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: { events: ['lock.unlock'], onlySuccessful: true, placeIds: '10', lockIds: '' },
			credentials: { kisiApi: CREDENTIAL },
		},
		{ id: 'noop', name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} },
	],
	connections: { 'Kisi Trigger': { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
};

describe('Kisi Trigger in a real n8n', () => {
	const sandbox = withSandbox(() => kisiScenario());
	let n8n: N8nInstance;

	const integrations = async (): Promise<Integration[]> =>
		((await sandbox.state()).kisi.integrations as Integration[]).filter((it) => it.type === 'event_webhook');
	const webhookUrl = () => `${n8n.url}/webhook/${WEBHOOK_ID}/webhook`;
	/** Waits a moment so that an execution started by mistake would have shown up. */
	const settle = () => new Promise((resolve) => setTimeout(resolve, 2500));

	beforeAll(async () => {
		n8n = new N8nInstance({
			credentials: [{ ...CREDENTIAL, type: 'kisiApi', data: { apiKey: KEY, baseUrl: sandbox.kisiUrl, requestsPerSecond: 5 } }],
			workflows: [workflow],
			publish: [WORKFLOW_ID],
		});
		await n8n.start();
	});
	afterAll(async () => {
		await n8n?.stop();
	});

	it('on activation registers an enabled, signed event_webhook for the selected events, pointing at n8n', async () => {
		// n8n may report ready a moment before it has activated the published workflows.
		const deadline = Date.now() + 20_000;
		while ((await integrations()).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
		const registered = await integrations();
		expect(registered).toHaveLength(1);
		const [integration] = registered;
		expect(integration).toMatchObject({
			name: 'n8n – Front door unlocks',
			enabled: true,
			enabled_events: ['lock.unlock'],
			url: webhookUrl(),
		});
		expect(integration.signature_key).toMatch(/^[0-9a-f]{64}$/);
		// The key never shows up in n8n's log.
		expect(n8n.log.join('\n')).not.toContain(integration.signature_key);
	});

	it('an unlock in Kisi starts exactly one execution, with the email, lock, place and time', async () => {
		const before = (await n8n.executions(WORKFLOW_ID)).length;
		const { event, deliveries } = await sandbox.kisiUnlock({ user_id: 102, lock_id: 1001 });
		expect(deliveries.map((d: { status: number }) => d.status)).toEqual([200]);
		const executions = await n8n.waitForExecutions(WORKFLOW_ID, before + 1);
		await settle();
		expect(await n8n.executions(WORKFLOW_ID)).toHaveLength(before + 1);
		const newest = await n8n.execution(executions[0].id);
		expect(newest.status).toBe('success');
		const [item] = newest.runData['Kisi Trigger'][0].data!.main![0];
		expect(item.json).toMatchObject({
			uuid: event.uuid,
			type: 'lock.unlock',
			email: 'ana@demo.gym',
			lockId: 1001,
			placeId: 10,
			occurredAt: new Date(event.created_at).toISOString(),
		});
		expect(JSON.stringify(newest.runData)).not.toMatch(/signature/i);
	});

	it('the same event delivered twice starts one execution', async () => {
		const before = (await n8n.executions(WORKFLOW_ID)).length;
		const { deliveries } = await sandbox.kisiUnlock({ user_id: 103, lock_id: 1002 }, true);
		// Both deliveries are acknowledged, so Kisi does not retry them.
		expect(deliveries.map((d: { status: number }) => d.status)).toEqual([200, 200]);
		await n8n.waitForExecutions(WORKFLOW_ID, before + 1);
		await settle();
		expect(await n8n.executions(WORKFLOW_ID)).toHaveLength(before + 1);
		// Dropped by the trigger's memory of the events it accepted in this n8n process (one process
		// here); across processes the node that acts deduplicates on the item's uuid.
	});

	it('keeps nothing in the workflow’s static data (which a queue-mode worker overwrites)', async () => {
		const { DatabaseSync } = await import('node:sqlite');
		const db = new DatabaseSync(join(n8n.userFolder, '.n8n', 'database.sqlite'), { readOnly: true });
		try {
			const row = db.prepare('SELECT staticData FROM workflow_entity WHERE id = ?').get(WORKFLOW_ID) as { staticData: string | null };
			const stored = (row.staticData ? JSON.parse(row.staticData) : {}) as Record<string, unknown>;
			expect(stored['node:Kisi Trigger'] ?? {}).toEqual({});
			// Nor does the trigger use n8n's deduplication table.
			expect(db.prepare('SELECT COUNT(*) AS n FROM processed_data WHERE workflowId = ?').get(WORKFLOW_ID)).toEqual({ n: 0 });
		} finally {
			db.close();
		}
	});

	it('filtered events (a failed unlock, another place) are acknowledged and start nothing', async () => {
		const before = (await n8n.executions(WORKFLOW_ID)).length;
		const failed = await sandbox.kisiUnlock({ user_id: 102, lock_id: 1001, success: false });
		const elsewhere = await sandbox.kisiUnlock({ user_id: 102, lock_id: 1101 });
		expect([...failed.deliveries, ...elsewhere.deliveries].map((d: { status: number }) => d.status)).toEqual([200, 200]);
		await settle();
		expect(await n8n.executions(WORKFLOW_ID)).toHaveLength(before);
	});

	it('a call without a valid signature gets 401 and starts nothing', async () => {
		const before = (await n8n.executions(WORKFLOW_ID)).length;
		const body = JSON.stringify({ uuid: randomUUID(), type: 'lock.unlock', success: true, actor_email: 'mallory@evil.test', object_type: 'Lock', object_id: 1001, place_id: 10 });
		const post = async (headers: Record<string, string>) =>
			await fetch(webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

		const unsigned = await post({});
		expect(unsigned.status).toBe(401);
		const forged = await post({ 'X-Signature': `sha256=${createHmac('sha256', 'guessed-key').update(body).digest('hex')}` });
		expect(forged.status).toBe(401);
		const garbage = await post({ 'X-Signature': 'sha256=not-hex' });
		expect(garbage.status).toBe(401);
		await settle();
		expect(await n8n.executions(WORKFLOW_ID)).toHaveLength(before);
	});

	it('a correctly signed call is accepted (the check is on the raw body, as Kisi signs it)', async () => {
		const [integration] = await integrations();
		const before = (await n8n.executions(WORKFLOW_ID)).length;
		const body = JSON.stringify({
			uuid: randomUUID(),
			type: 'lock.unlock',
			success: true,
			actor_type: 'User',
			actor_id: 101,
			object_type: 'Lock',
			object_id: 1002,
			place_id: 10,
			created_at: '2026-03-02T14:05:00Z',
		});
		const signature = createHmac('sha256', integration.signature_key!).update(body).digest('hex');
		// Bare hex, as some senders write it; no actor_email, so the trigger looks the user up.
		const response = await fetch(webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json', 'X-Signature': signature }, body });
		expect(response.status).toBe(200);
		const [newest] = await n8n.waitForExecutions(WORKFLOW_ID, before + 1);
		const execution = await n8n.execution(newest.id);
		expect(execution.runData['Kisi Trigger'][0].data!.main![0][0].json).toMatchObject({ email: 'staff@demo.gym', lockId: 1002, occurredAt: '2026-03-02T14:05:00.000Z' });
	});

	it('unpublishing the workflow removes the webhook from Kisi', async () => {
		const [registered] = await integrations();
		await n8n.deactivate(WORKFLOW_ID);
		// n8n answers the deactivation before its webhook removal has finished.
		const deadline = Date.now() + 20_000;
		while ((await integrations()).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
		expect(await integrations()).toEqual([]);
		expect((await sandbox.requests({ service: 'kisi', method: 'DELETE' })).map((r) => `${r.path} ${r.status}`)).toEqual([`/integrations/${registered.id} 204`]);
		const after = await fetch(webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(after.status).toBe(404);
	});
});
