/**
 * The two real-time templates imported unchanged into a real n8n (the pack installed from its
 * tarball) and activated, against the sandbox's demo gym on the real clock with the documented rate
 * limits: the TeamUp Trigger registers its webhook destination itself; the Glofox webhook is set up
 * the way Glofox support does it (the template's URL and the credential's Webhook Secret). A change
 * made in the source (`POST /__sandbox/change`) reaches n8n as that source's webhook and the share
 * appears or disappears in Kisi; a repeated delivery starts one execution; a Glofox delivery with a
 * bad signature gets 401 and starts nothing; the 15-minute template (imported too, run with "Run
 * now") syncing the whole group while a real-time run adds someone leaves one share each. One n8n start.
 */
import { createHmac } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { buildDemoScenario, type RunningSandbox, startSandbox } from '../../sandbox';
import { DEMO_KISI } from '../../sandbox/scenarios/demo';
import { N8nInstance } from '../harness/n8n-process';
import { type Change, type Gym, realtimeGyms } from '../harness/realtime';
import { SandboxClient } from '../harness/sandbox';
import { loadTemplate, sandboxCredentials } from '../harness/templates';

jest.setTimeout(240_000);

const SECRET = 'e2e-glofox-webhook-secret';
const XENA = 'xena.lead@example.com';
const PIA = 'pia.larsen@example.com';
// The demo gym built around the real current time: a real n8n runs on the real clock.
const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const demo = buildDemoScenario(now);
const { GYMS, classWindow } = realtimeGyms(now);
const templates = Object.fromEntries(GYMS.map((gym) => [gym.source, loadTemplate(gym.template)]));
/** The 15-minute templates, imported unpublished (no schedule firing mid-test): run with "Run now". */
const fifteenMinute = Object.fromEntries(GYMS.map((gym) => [gym.source, loadTemplate(gym.fifteenMinuteTemplate)]));

let server: RunningSandbox;
let sandbox: SandboxClient;
let n8n: N8nInstance;
const webhookUrl = (gym: Gym) => `${n8n.url}/webhook/${String(templates[gym.source].nodes.find((node) => node.webhookId)!.webhookId)}/webhook`;

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
/** Waits a moment so that an execution started by mistake would have shown up. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 2500));

beforeAll(async () => {
	server = await startSandbox({ scenario: demo, port: 0 });
	sandbox = new SandboxClient(server.url);
	// Kisi's clock is the real one, as n8n's: the scenario's instant is the minute started before.
	await sandbox.control('POST', '/clock', { now: new Date().toISOString() });
	n8n = new N8nInstance({
		credentials: sandboxCredentials(sandbox.url, { glofox: { webhookSecret: SECRET } }),
		workflows: GYMS.flatMap((gym) => [templates[gym.source], fifteenMinute[gym.source]]),
		publish: GYMS.map((gym) => templates[gym.source].id),
	});
	await n8n.start();
	// What Glofox support does on request: the template's URL, signed with the secret.
	await sandbox.control('POST', '/glofox/webhooks', { url: webhookUrl(GYMS[1]), secret: SECRET });
});

afterAll(async () => {
	await n8n?.stop();
	await server?.close();
});

it('the TeamUp template, activated, registered its webhook destination in TeamUp', async () => {
	const destinations = await until('the TeamUp destination', async () => {
		const list = (await sandbox.state()).teamup.webhook_destinations as IDataObject[];
		return list.length > 0 && list;
	});
	expect(destinations).toEqual([expect.objectContaining({ url: webhookUrl(GYMS[0]), active: true })]);
});

describe.each(GYMS)('$template in a real n8n', (gym) => {
	const workflowId = () => templates[gym.source].id;
	const sharesOf = async (email: string) =>
		((await sandbox.state()).kisi.shares as IDataObject[]).filter((share) => share.group_id === gym.groupId && String(share.email).toLowerCase() === email);
	const change = async (body: Change, duplicate = false) =>
		(await sandbox.control('POST', `/change${duplicate ? '?duplicate=1' : ''}`, { service: gym.source, ...body })) as { delivered: Array<{ status: number | null }> };
	const finished = async () => (await n8n.executions(workflowId())).filter((execution) => execution.stoppedAt || execution.finished);

	it('a membership bought opens the door (a share for its length); cancelled, the door closes at once (the share ends then)', async () => {
		await until('n8n listening on the template’s webhook', async () => (await fetch(webhookUrl(gym), { method: 'POST' })).status !== 404);
		const bought = await change(gym.buy(demo, XENA, 20));
		expect(bought.delivered.length).toBeGreaterThan(0);
		expect(bought.delivered.every((delivery) => delivery.status === 200)).toBe(true);
		const [share] = await until('Xena’s share', async () => {
			const shares = await sharesOf(XENA);
			return shares.length > 0 && shares;
		});
		expect(await sharesOf(XENA)).toEqual([expect.objectContaining(gym.membershipWindow(20))]);
		expect(share).toMatchObject(gym.membershipWindow(20));

		expect(await sandbox.doorOpens(XENA, DEMO_KISI.lockIds.frontDoor)).toBe(true);
		await change(gym.cancel(demo, XENA));
		const [ended] = await until('Xena’s share ended', async () => {
			const shares = await sharesOf(XENA);
			return shares.length === 1 && Date.parse(String(shares[0].valid_until)) <= Date.now() && shares;
		});
		expect(ended.id).toBe(share.id);
		expect(await sandbox.doorOpens(XENA, DEMO_KISI.lockIds.frontDoor)).toBe(false);
		await settle();
		const executions = await finished();
		expect(executions.length).toBeGreaterThanOrEqual(2);
		expect(executions.map((execution) => execution.status)).toEqual(executions.map(() => 'success'));
	});

	it('a class booked, its webhook delivered twice: one execution, a share for the session’s window', async () => {
		const before = (await finished()).length;
		const booked = await change(gym.book(demo, PIA, 'spin'), true);
		expect(booked.delivered.map((delivery) => delivery.status)).toEqual([200, 200]);
		await n8n.waitForExecutions(workflowId(), before + 1);
		await settle();
		expect(await finished()).toHaveLength(before + 1);
		expect(await sharesOf(PIA)).toEqual([expect.objectContaining(classWindow('spin'))]);
	});

	it('the 15-minute sync of the whole group and a real-time run at the same moment: one share each, nothing undone', async () => {
		const OMAR = 'omar.haddad@example.com'; // pay as you go, waitlisted only: no access until he buys
		const sync = n8n.runManually(fifteenMinute[gym.source].id, 'Run now');
		await change(gym.buy(demo, OMAR, 20, 1));
		const execution = await sync;
		expect(execution.status).toBe('success');
		await until('Omar’s share', async () => (await sharesOf(OMAR)).length > 0);
		await settle();
		expect(await sharesOf(OMAR)).toEqual([expect.objectContaining(gym.membershipWindow(20))]);
		const group = ((await sandbox.state()).kisi.shares as IDataObject[]).filter((share) => share.group_id === gym.groupId);
		const emails = group.map((share) => String(share.email).toLowerCase());
		expect(emails.length).toBe(new Set(emails).size);
		// What the real-time runs did before stays: Pia's class; Xena, who cancelled, has no share any
		// more (the real-time run ended it, this run, deciding after the cancellation, removed it).
		expect(await sharesOf(PIA)).toEqual([expect.objectContaining(classWindow('spin'))]);
		expect(await sharesOf(XENA)).toEqual([]);
		const executions = await finished();
		expect(executions.map((run) => run.status)).toEqual(executions.map(() => 'success'));
		// They did overlap: the real-time run for Omar started before the 15-minute one ended.
		expect(Date.parse(executions[0].startedAt)).toBeLessThan(Date.parse(String(execution.stoppedAt)));
	});
});

it('a Glofox delivery with a bad or missing signature gets 401 and starts nothing', async () => {
	const gym = GYMS[1];
	const before = (await n8n.executions(templates.glofox.id)).length;
	await sandbox.control('DELETE', '/requests');
	const body = JSON.stringify({
		Type: 'MEMBERSHIP_UPDATED',
		Metadata: { trace_id: 'f'.repeat(32), location_id: demo.glofox!.branch_id, version: '1' },
		Timestamp: now.toISOString(),
		Payload: { id: 'a'.repeat(24), user_id: gym.idOf(demo, XENA), status: 'ACTIVE' },
	});
	const post = async (headers: Record<string, string>) => (await fetch(webhookUrl(gym), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).status;
	expect(await post({ signature: createHmac('sha256', 'not-the-secret').update(body).digest('hex') })).toBe(401);
	expect(await post({})).toBe(401);
	await settle();
	expect(await n8n.executions(templates.glofox.id)).toHaveLength(before);
	expect(((await sandbox.control('GET', '/requests')) as IDataObject[]).filter((request) => request.service !== 'teamup')).toEqual([]);
});
