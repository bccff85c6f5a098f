/**
 * Hostile and odd webhook requests (issue 10, "Webhooks"): the two shipped check-in templates
 * (Kisi Trigger → Glofox / TeamUp Check In), activated in-process with n8n-core's HookContext and
 * served by a loopback endpoint that handles requests as n8n's webhook server does (see
 * trigger-endpoint.ts). The sandbox's Kisi delivers real signed events to them; the tests send the
 * hostile ones. No check-in for any of them, a clear answer, and the trigger keeps serving.
 *
 * Forged / missing signatures and a duplicate delivery through a real n8n are in
 * test/e2e/kisi-trigger.test.ts and test/e2e/templates.test.ts; test/e2e/reliability.test.ts
 * repeats the hostile requests of this file against a real n8n.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { DEMO_KISI } from '../../../sandbox/scenarios/demo';
import { withSandbox } from '../../harness/sandbox';
import { demoUnlockEvent, loadTemplate } from '../../harness/templates';
import { convergedScenario, credentials, type Outcome, printOutcomes } from './helpers';
import { type Delivery, keyInKisi, TriggerEndpoint } from './trigger-endpoint';

jest.setTimeout(60_000);

const sandbox = withSandbox(() => convergedScenario('glofox'));
const outcomes: Outcome[] = [];
let glofox: TriggerEndpoint;
let teamup: TriggerEndpoint;
const endpoints = () => [glofox, teamup];

/** Check-ins recorded in the gym software: Glofox accesses, TeamUp front-desk check-ins and attended classes. */
async function checkIns(): Promise<{ glofox: number; teamup: number }> {
	const state = await sandbox.state();
	const attended = (state.teamup.attendances as IDataObject[]).filter((a) => a.status === 'attended').length;
	return { glofox: (state.glofox.accesses ?? []).length, teamup: (state.teamup.checkins ?? []).length + attended };
}

const sign = (body: string | Buffer, key: string) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;

const event = demoUnlockEvent;

/** Posts to both check-in workflows' webhooks; waits for any execution it started. */
async function post(body: string | Buffer, headers: (endpoint: TriggerEndpoint) => Record<string, string>): Promise<Array<{ status: number; body: unknown }>> {
	const answers = [];
	for (const endpoint of endpoints()) {
		const response = await fetch(endpoint.url, { method: 'POST', headers: headers(endpoint), body });
		const text = await response.text();
		answers.push({ status: response.status, body: text ? JSON.parse(text) : undefined });
	}
	for (const endpoint of endpoints()) await endpoint.settle();
	return answers;
}

const executions = () => glofox.executions.length + teamup.executions.length;

/** Runs a hostile case: nothing recorded, no execution started, and returns the answers. */
async function hostile(name: string, send: () => Promise<Array<{ status: number; body: unknown }>>) {
	const before = await checkIns();
	const started = executions();
	const answers = await send();
	expect(await checkIns()).toEqual(before);
	expect(executions()).toBe(started);
	outcomes.push({ category: 'Webhooks', case: name, outcome: `${answers.map((a) => `${a.status} ${JSON.stringify(a.body)}`).join(' / ')}; no check-in` });
	return answers;
}

describe('the check-in templates under hostile webhook requests', () => {
	// Inside the describe: they run before the sandbox closes.
	beforeAll(async () => {
		glofox = new TriggerEndpoint(loadTemplate('kisi-unlock-glofox-checkin'), credentials(sandbox.url));
		teamup = new TriggerEndpoint(loadTemplate('kisi-unlock-teamup-checkin'), credentials(sandbox.url));
		await glofox.start();
		await teamup.start();
		for (const endpoint of endpoints()) endpoint.signatureKey = await keyInKisi(sandbox, endpoint.url);
	});

	afterAll(async () => {
		await glofox?.stop();
		await teamup?.stop();
		printOutcomes('Webhooks (in-process)', outcomes);
	});

	it('baseline: a genuine unlock from Kisi is checked in once in Glofox and once in TeamUp', async () => {
		const before = await checkIns();
		const { deliveries } = await sandbox.kisiUnlock({ email: 'ana.ruiz@example.com', lock_id: DEMO_KISI.lockIds.frontDoor });
		expect(deliveries.map((d: IDataObject) => d.status)).toEqual([200, 200]);
		for (const endpoint of endpoints()) await endpoint.settle();
		expect(await checkIns()).toEqual({ glofox: before.glofox + 1, teamup: before.teamup + 1 });
		expect(glofox.executions.at(-1)?.output('Check in to Glofox')[0]).toMatchObject({ status: 'checked_in', email: 'ana.ruiz@example.com' });
		expect(teamup.executions.at(-1)?.output('Check in to TeamUp')[0]).toMatchObject({ status: 'checked_in', email: 'ana.ruiz@example.com' });
	});

	it('forged signature (HMAC with another key): 401', async () => {
		const body = JSON.stringify(event({ actor_email: 'lena.fischer@example.com' }));
		const answers = await hostile('forged signature', async () => await post(body, () => ({ 'content-type': 'application/json', 'x-signature': sign(body, 'f'.repeat(64)) })));
		for (const answer of answers) expect(answer).toEqual({ status: 401, body: { error: 'Missing or invalid X-Signature' } });
	});

	it('missing signature: 401', async () => {
		const body = JSON.stringify(event({ actor_email: 'lena.fischer@example.com' }));
		const answers = await hostile('missing signature', async () => await post(body, () => ({ 'content-type': 'application/json' })));
		for (const answer of answers) expect(answer.status).toBe(401);
	});

	it("a genuine signature on an altered body (uuid and actor changed): 401", async () => {
		const original = JSON.stringify(event());
		const altered = JSON.stringify({ ...JSON.parse(original), uuid: randomUUID(), actor_email: 'lena.fischer@example.com' });
		const answers = await hostile('genuine signature, altered body', async () => await post(altered, (endpoint) => ({ 'content-type': 'application/json', 'x-signature': sign(original, endpoint.signatureKey!) })));
		for (const answer of answers) expect(answer.status).toBe(401);
	});

	it('a replayed event (the same signed delivery again, later): acknowledged as a duplicate, starts nothing', async () => {
		const { event: delivered } = await sandbox.kisiUnlock({ email: 'hugo.laurent@example.com', lock_id: DEMO_KISI.lockIds.frontDoor });
		for (const endpoint of endpoints()) await endpoint.settle();
		const bytes = JSON.stringify(delivered);
		const answers = await hostile('replayed event (same signed bytes)', async () => await post(bytes, (endpoint) => ({ 'content-type': 'application/json', 'x-signature': sign(bytes, endpoint.signatureKey!) })));
		for (const answer of answers) expect(answer).toEqual({ status: 200, body: { received: true, started: false, reason: 'duplicate delivery of this event' } });
	});

	it('Kisi delivering the same event twice: one check-in in each system', async () => {
		const before = await checkIns();
		const { deliveries } = await sandbox.kisiUnlock({ email: 'finn.obrien@example.com', lock_id: DEMO_KISI.lockIds.frontDoor }, true);
		expect(deliveries.map((d: IDataObject) => d.status)).toEqual([200, 200, 200, 200]);
		for (const endpoint of endpoints()) await endpoint.settle();
		expect(await checkIns()).toEqual({ glofox: before.glofox + 1, teamup: before.teamup + 1 });
		outcomes.push({ category: 'Webhooks', case: 'duplicate delivery by Kisi (same uuid twice)', outcome: '4 × 200; exactly one check-in per system' });
	});

	it('a failed unlock (success: false): acknowledged, starts nothing', async () => {
		const answers = await hostile('failed unlock (success:false)', async () => {
			const { deliveries } = await sandbox.kisiUnlock({ email: 'ana.ruiz@example.com', lock_id: DEMO_KISI.lockIds.frontDoor, success: false });
			for (const endpoint of endpoints()) await endpoint.settle();
			return endpoints().map((endpoint, i) => ({ status: deliveries[i].status as number, body: endpoint.deliveries.at(-1)?.body }));
		});
		for (const answer of answers) expect(answer.status).toBe(200);
		const reasons = endpoints().map((endpoint) => endpoint.deliveries.at(-1)?.body);
		expect(reasons).toEqual([
			{ received: true, started: false, reason: 'the event was not successful' },
			{ received: true, started: false, reason: 'the event was not successful' },
		]);
	});

	it('an unlock by a Kisi user who is not a gym member: the workflow says unknown_member, no check-in', async () => {
		const before = await checkIns();
		await sandbox.kisiUnlock({ email: 'coach.theo@demo.gym', lock_id: DEMO_KISI.lockIds.frontDoor });
		for (const endpoint of endpoints()) await endpoint.settle();
		expect(await checkIns()).toEqual(before);
		expect(glofox.executions.at(-1)?.output('Check in to Glofox')).toEqual([expect.objectContaining({ status: 'unknown_member', email: 'coach.theo@demo.gym' })]);
		expect(teamup.executions.at(-1)?.output('Check in to TeamUp')).toEqual([expect.objectContaining({ status: 'unknown_member', email: 'coach.theo@demo.gym' })]);
		outcomes.push({ category: 'Webhooks', case: 'unlock by a Kisi user unknown to the gym software', outcome: '200; execution outputs status unknown_member (both systems); no check-in' });
	});

	it('a signed event whose actor Kisi does not know (no email): unknown_member, no check-in, no failed execution', async () => {
		const before = await checkIns();
		const started = executions();
		const body = JSON.stringify(event({ actor_id: 999_999, actor_email: null }));
		const answers = await post(body, (endpoint) => ({ 'content-type': 'application/json', 'x-signature': sign(body, endpoint.signatureKey!) }));
		for (const answer of answers) expect(answer).toEqual({ status: 200, body: { message: 'Workflow was started' } });
		expect(executions()).toBe(started + 2);
		expect(await checkIns()).toEqual(before);
		for (const [endpoint, node] of [[glofox, 'Check in to Glofox'], [teamup, 'Check in to TeamUp']] as const) {
			const run = endpoint.executions.at(-1)!;
			expect(run.error).toBeUndefined();
			expect(run.output(node)).toEqual([expect.objectContaining({ status: 'unknown_member', email: null })]);
		}
		outcomes.push({ category: 'Webhooks', case: 'event for a user Kisi does not know (email lookup 404)', outcome: '200; execution succeeds with status unknown_member, email null; no check-in' });
	});

	it('malformed JSON: n8n refuses it (422) before the trigger; sent as text, the trigger answers 400 if signed, 401 if not', async () => {
		const broken = '{"uuid": "x", "type": "lock.unlock", "success": tru';
		const json = await hostile('malformed body, Content-Type JSON', async () => await post(broken, (endpoint) => ({ 'content-type': 'application/json', 'x-signature': sign(broken, endpoint.signatureKey!) })));
		for (const answer of json) expect(answer).toEqual({ status: 422, body: { code: 422, message: 'Failed to parse request body' } });
		const signed = await hostile('malformed body, signed, as text', async () => await post(broken, (endpoint) => ({ 'content-type': 'text/plain', 'x-signature': sign(broken, endpoint.signatureKey!) })));
		for (const answer of signed) expect(answer).toEqual({ status: 400, body: { error: 'The body is not valid JSON' } });
		const unsigned = await hostile('malformed body, unsigned, as text', async () => await post(broken, () => ({ 'content-type': 'text/plain' })));
		for (const answer of unsigned) expect(answer.status).toBe(401);
		const notEvent = JSON.stringify({ hello: 'world' });
		const other = await hostile('signed JSON that is not a Kisi event', async () => await post(notEvent, (endpoint) => ({ 'content-type': 'application/json', 'x-signature': sign(notEvent, endpoint.signatureKey!) })));
		for (const answer of other) expect(answer).toEqual({ status: 400, body: { error: 'Not a Kisi event: the event has no "type"' } });
	});

	it('a 1 MB body: 401 unsigned or forged, 400 when signed but not an event', async () => {
		const big = JSON.stringify({ ...event({ actor_email: 'lena.fischer@example.com' }), padding: 'x'.repeat(1024 * 1024) });
		expect(big.length).toBeGreaterThan(1024 * 1024);
		const unsigned = await hostile('1 MB body, unsigned', async () => await post(big, () => ({ 'content-type': 'application/json' })));
		const forged = await hostile('1 MB body, forged signature', async () => await post(big, () => ({ 'content-type': 'application/json', 'x-signature': sign(big, 'guess') })));
		for (const answer of [...unsigned, ...forged]) expect(answer.status).toBe(401);
		const junk = JSON.stringify({ padding: 'y'.repeat(1024 * 1024) });
		const signed = await hostile('1 MB body, signed, not an event', async () => await post(junk, (endpoint) => ({ 'content-type': 'application/json', 'x-signature': sign(junk, endpoint.signatureKey!) })));
		for (const answer of signed) expect(answer.status).toBe(400);
	});

	it('after a queue-mode worker overwrote the workflow’s static data, a genuine unlock is still checked in once', async () => {
		// A worker saves its copy of the static data after each execution: the Check In's cooldown
		// only. The trigger keeps nothing there, so there is nothing to lose.
		for (const endpoint of endpoints()) {
			expect(endpoint.staticData[`node:${endpoint.trigger.name}`] ?? {}).toEqual({});
			for (const key of Object.keys(endpoint.staticData)) if (!key.startsWith('node:Check in')) delete endpoint.staticData[key];
		}
		const before = await checkIns();
		const { deliveries } = await sandbox.kisiUnlock({ email: 'lena.fischer@example.com', lock_id: DEMO_KISI.lockIds.frontDoor });
		expect(deliveries.map((d: IDataObject) => d.status)).toEqual([200, 200]);
		for (const endpoint of endpoints()) await endpoint.settle();
		expect(await checkIns()).toEqual({ glofox: before.glofox + 1, teamup: before.teamup + 1 });
		outcomes.push({ category: 'Webhooks', case: 'static data overwritten by another process (queue mode)', outcome: '2 × 200; one check-in per system' });
	});

	it('keeps serving: after all of that, a genuine unlock is checked in once in each system', async () => {
		const before = await checkIns();
		const { deliveries } = await sandbox.kisiUnlock({ email: 'diego.alvarez@example.com', lock_id: DEMO_KISI.lockIds.studioDoor });
		expect(deliveries.map((d: IDataObject) => d.status)).toEqual([200, 200]);
		for (const endpoint of endpoints()) await endpoint.settle();
		expect(await checkIns()).toEqual({ glofox: before.glofox + 1, teamup: before.teamup + 1 });
		const statuses = endpoints().flatMap((endpoint) => endpoint.deliveries.map((d: Delivery) => d.status));
		expect(statuses).not.toContain(500);
		outcomes.push({ category: 'Webhooks', case: 'keeps serving after the hostile requests', outcome: 'genuine unlock → 200, one check-in per system; no 500 ever answered' });
	});

	it('deactivating removes both webhooks from Kisi, with no integration ID stored anywhere', async () => {
		for (const endpoint of endpoints()) for (const key of Object.keys(endpoint.staticData)) delete endpoint.staticData[key];
		await glofox.stop();
		await teamup.stop();
		const left = ((await sandbox.state()).kisi.integrations as IDataObject[]).filter((it) => it.type === 'event_webhook');
		expect(left).toEqual([]);
		outcomes.push({ category: 'Webhooks', case: 'deactivation with the static data emptied', outcome: 'both Kisi integrations deleted (found by URL)' });
	});
});
