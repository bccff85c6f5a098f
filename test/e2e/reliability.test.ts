/**
 * Issue 10 in a real n8n (the pack installed from its tarball, one n8n start): the hostile webhook
 * requests of test/engine/reliability/webhooks.test.ts against the two published check-in
 * templates, and the secrets search of test/engine/reliability/secrets.test.ts over n8n's own log
 * (n8n.log) and its stored executions after failing runs.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import { buildDemoScenario, DEMO_CREDENTIALS, DEMO_KISI } from '../../sandbox/scenarios/demo';
import { N8nInstance } from '../harness/n8n-process';
import { SandboxClient } from '../harness/sandbox';
import { demoUnlockEvent, loadTemplate, sandboxCredentials, type TemplateName } from '../harness/templates';

jest.setTimeout(240_000);

const CHECKINS: TemplateName[] = ['kisi-unlock-glofox-checkin', 'kisi-unlock-teamup-checkin'];
const SYNC: TemplateName = 'glofox-kisi-access-sync';
const id = (name: TemplateName) => loadTemplate(name).id;
const SECRETS = [DEMO_CREDENTIALS.kisi.apiKey, DEMO_CREDENTIALS.teamup.token, DEMO_CREDENTIALS.glofox.apiKey, DEMO_CREDENTIALS.glofox.apiToken];

// The demo gym around the real current time (a real n8n runs on the real clock), no rate limits.
const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
let server: RunningSandbox;
let sandbox: SandboxClient;
let n8n: N8nInstance;
let integrations: Array<{ url: string; key: string }> = [];

beforeAll(async () => {
	server = await startSandbox({ scenario: { ...buildDemoScenario(now), rateLimits: false }, port: 0 });
	sandbox = new SandboxClient(server.url);
	n8n = new N8nInstance({
		credentials: sandboxCredentials(sandbox.url, { kisi: { requestsPerSecond: 50 }, glofox: { requestsPerSecond: 50 }, teamup: { requestsPerMinute: 3000 } }),
		workflows: [...CHECKINS, SYNC].map((name) => loadTemplate(name)),
		publish: CHECKINS.map(id),
	});
	await n8n.start();
	// n8n may report ready a moment before the published workflows have registered their webhooks.
	for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
		const registered = ((await sandbox.state()).kisi.integrations as IDataObject[]).filter((it) => it.type === 'event_webhook');
		integrations = registered.map((it) => ({ url: String(it.url), key: String(it.signature_key) }));
		if (integrations.length === 2) break;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
});

afterAll(async () => {
	await n8n?.stop();
	await server?.close();
});

const sign = (body: string, key: string) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
const settle = () => new Promise((resolve) => setTimeout(resolve, 2000));

async function counts() {
	const state = await sandbox.state();
	const attended = (state.teamup.attendances as IDataObject[]).filter((a) => a.status === 'attended').length;
	const executions = (await Promise.all(CHECKINS.map(async (name) => (await n8n.executions(id(name))).length))).reduce((a, b) => a + b, 0);
	return { glofox: (state.glofox.accesses ?? []).length, teamup: (state.teamup.checkins ?? []).length + attended, executions };
}

function event(overrides: IDataObject = {}): string {
	return JSON.stringify(demoUnlockEvent(overrides));
}

/** Posts `body` to both check-in webhooks; `headers` may sign with that webhook's key. */
async function post(body: string, headers: (key: string) => Record<string, string>): Promise<Array<{ status: number; text: string }>> {
	const answers = [];
	for (const { url, key } of integrations) {
		const response = await fetch(url, { method: 'POST', headers: headers(key), body });
		answers.push({ status: response.status, text: await response.text() });
	}
	return answers;
}

describe('hostile webhook requests against the published check-in templates', () => {
	it('both check-in templates registered a signed webhook', () => {
		expect(integrations).toHaveLength(2);
		for (const { url, key } of integrations) {
			expect(url.startsWith(n8n.url)).toBe(true);
			expect(key).toMatch(/^[0-9a-f]{64}$/);
		}
	});

	it('forged, missing, re-used signatures; a replay; malformed and 1 MB bodies; a failed unlock: no check-in, a clear 4xx (or a duplicate acknowledgement), no execution', async () => {
		// A genuine unlock first, to replay it afterwards.
		const { event: genuine } = await sandbox.kisiUnlock({ email: 'lena.fischer@example.com', lock_id: DEMO_KISI.lockIds.frontDoor });
		for (const name of CHECKINS) await n8n.waitForExecutions(id(name), 1);
		await settle();
		const before = await counts();
		const json = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', ...extra });
		const statuses: Record<string, number[]> = {};
		const send = async (name: string, body: string, headers: (key: string) => Record<string, string>) => {
			statuses[name] = (await post(body, headers)).map((answer) => answer.status);
		};

		const body = event({ actor_email: 'lena.fischer@example.com' });
		await send('forged', body, () => json({ 'x-signature': sign(body, 'not-the-key') }));
		await send('missing', body, () => json());
		const altered = JSON.stringify({ ...genuine, uuid: randomUUID(), actor_email: 'lena.fischer@example.com' });
		await send('altered body, genuine signature', altered, (key) => json({ 'x-signature': sign(JSON.stringify(genuine), key) }));
		const bytes = JSON.stringify(genuine);
		await send('replay', bytes, (key) => json({ 'x-signature': sign(bytes, key) }));
		const broken = '{"uuid": "x", "type": "lock.unlock", "success": tru';
		await send('malformed JSON', broken, (key) => json({ 'x-signature': sign(broken, key) }));
		await send('malformed, signed, as text', broken, (key) => ({ 'content-type': 'text/plain', 'x-signature': sign(broken, key) }));
		const big = JSON.stringify({ ...JSON.parse(event()), padding: 'x'.repeat(1024 * 1024) });
		await send('1 MB unsigned', big, () => json());
		const junk = JSON.stringify({ padding: 'y'.repeat(1024 * 1024) });
		await send('1 MB signed, not an event', junk, (key) => json({ 'x-signature': sign(junk, key) }));
		const failed = await sandbox.kisiUnlock({ email: 'ana.ruiz@example.com', lock_id: DEMO_KISI.lockIds.frontDoor, success: false });
		statuses['failed unlock'] = failed.deliveries.map((d: IDataObject) => d.status as number);
		await settle();

		console.log(`Webhooks in a real n8n: ${JSON.stringify(statuses)}`);
		expect(statuses).toEqual({
			forged: [401, 401],
			missing: [401, 401],
			'altered body, genuine signature': [401, 401],
			replay: [200, 200],
			'malformed JSON': [422, 422],
			'malformed, signed, as text': [400, 400],
			'1 MB unsigned': [401, 401],
			'1 MB signed, not an event': [400, 400],
			'failed unlock': [200, 200],
		});
		expect(await counts()).toEqual(before);
	});

	it('a signed event for an actor Kisi does not know: one successful execution per template, status unknown_member, no check-in', async () => {
		const before = await counts();
		const started = await Promise.all(CHECKINS.map(async (name) => (await n8n.executions(id(name))).length));
		const body = event({ actor_id: 999_999, actor_email: null });
		const answers = await post(body, (key) => ({ 'content-type': 'application/json', 'x-signature': sign(body, key) }));
		expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
		for (const [index, name] of CHECKINS.entries()) {
			const [newest] = await n8n.waitForExecutions(id(name), started[index] + 1);
			const execution = await n8n.execution(newest.id);
			expect(execution.status).toBe('success');
			const node = name === 'kisi-unlock-glofox-checkin' ? 'Check in to Glofox' : 'Check in to TeamUp';
			expect(execution.runData[node][0].data!.main![0][0].json).toMatchObject({ status: 'unknown_member', email: null });
		}
		const after = await counts();
		expect({ glofox: after.glofox, teamup: after.teamup }).toEqual({ glofox: before.glofox, teamup: before.teamup });
	});

	it('keeps serving: a genuine unlock afterwards is checked in once in each system', async () => {
		const before = await counts();
		const { deliveries } = await sandbox.kisiUnlock({ email: 'priya.shah@example.com', lock_id: DEMO_KISI.lockIds.studioDoor });
		expect(deliveries.map((d: IDataObject) => d.status)).toEqual([200, 200]);
		for (let deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
			const now = await counts();
			if (now.glofox > before.glofox && now.teamup > before.teamup) break;
		}
		await settle();
		const after = await counts();
		expect(after).toEqual({ glofox: before.glofox + 1, teamup: before.teamup + 1, executions: before.executions + 2 });
	});
});

describe('secrets in a real n8n', () => {
	it('failing runs (APIs echoing their secrets, a failed email lookup) leave no key, token or signature key in n8n.log or the stored executions', async () => {
		const echo = {
			kisi: JSON.stringify({ error: `Invalid API key ${DEMO_CREDENTIALS.kisi.apiKey}`, code: 'e40100' }),
			glofox: JSON.stringify({ message: `Forbidden: ${DEMO_CREDENTIALS.glofox.apiKey} / ${DEMO_CREDENTIALS.glofox.apiToken}` }),
		};
		await sandbox.fault({ service: 'kisi', status: 401, body: echo.kisi });
		const kisiFailed = await n8n.runManually(id(SYNC), 'Run now');
		await sandbox.clearFaults();
		await sandbox.fault({ service: 'glofox', status: 403, body: echo.glofox });
		const glofoxFailed = await n8n.runManually(id(SYNC), 'Run now');
		await sandbox.clearFaults();
		// The check-in fails in Glofox, which echoes its secrets.
		const before = (await n8n.executions(id('kisi-unlock-glofox-checkin'))).length;
		await sandbox.fault({ service: 'glofox', status: 403, body: echo.glofox });
		await sandbox.kisiUnlock({ email: 'dan.whitfield@example.com', lock_id: DEMO_KISI.lockIds.frontDoor });
		await n8n.waitForExecutions(id('kisi-unlock-glofox-checkin'), before + 1);
		await sandbox.clearFaults();
		// The trigger's email lookup (an event without actor_email) fails in Kisi, which echoes its key.
		await sandbox.fault({ service: 'kisi', method: 'GET', path: '/users/*', status: 503, body: echo.kisi, headers: { 'Retry-After': '0' } });
		const lookup = event({ actor_id: DEMO_KISI.users.priya, actor_email: undefined });
		expect((await post(lookup, (key) => ({ 'content-type': 'application/json', 'x-signature': sign(lookup, key) }))).map((a) => a.status)).toEqual([200, 200]);
		await n8n.waitForExecutions(id('kisi-unlock-glofox-checkin'), before + 2);
		await settle();
		await sandbox.clearFaults();

		for (const execution of [kisiFailed, glofoxFailed]) expect(execution.status).toBe('error');
		const stored: string[] = [];
		for (const name of [...CHECKINS, SYNC]) {
			for (const summary of await n8n.executions(id(name))) stored.push(JSON.stringify(await n8n.execution(summary.id)));
		}
		const all = `${stored.join('\n')}\n${n8n.log.join('\n')}`;
		// The failures are there, with the echoed secrets removed.
		expect(all).toContain('Invalid API key [redacted]');
		expect(all).toContain('[redacted] / [redacted]');
		expect(all).toContain(`could not look up the email of Kisi user ${DEMO_KISI.users.priya}`);
		for (const secret of [...SECRETS, ...integrations.map((it) => it.key)]) expect({ secret: secret.slice(0, 12), found: all.includes(secret) }).toEqual({ secret: secret.slice(0, 12), found: false });
		console.log(`Secrets in a real n8n: ${stored.length} stored executions and ${n8n.log.length} log lines searched`);
	});
});
