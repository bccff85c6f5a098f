/**
 * The Kisi Trigger's lifecycle and webhook methods against the sandbox, with a minimal stand-in
 * for the hook/webhook contexts n8n passes them (HTTP goes to the sandbox for real). The whole
 * flow through a real n8n is in test/e2e/kisi-trigger.test.ts; through n8n-core's own contexts in
 * test/engine/reliability/webhooks.test.ts.
 *
 * The trigger keeps no state: the integration is found in Kisi by the webhook URL and the
 * signature key is derived from the credential, so each test also checks that the workflow's
 * static data is left as it was.
 */
import { createHmac } from 'node:crypto';
import type { IDataObject, IHookFunctions, IHttpRequestOptions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { KisiApi } from '../../../credentials/KisiApi.credentials';
import { KisiTrigger } from '../../../nodes/Kisi/KisiTrigger.node';
import kisiWebhookSample from '../../fixtures/vendor/kisi/event-webhook-lock-unlock.filled.json';
import { withSandbox } from '../../harness/sandbox';
import { KEY, kisiScenario, OWNER_ID } from './fixtures';

jest.setTimeout(60_000);

/** A second API key of the same Kisi user: what an operator rotates the credential to. */
const ROTATED_KEY = 'kisi-test-key-rotated';

const sandbox = withSandbox(() => {
	const scenario = kisiScenario();
	(scenario.kisi as { apiKeys: IDataObject[] }).apiKeys.push({ key: ROTATED_KEY, user_id: OWNER_ID });
	return scenario;
});
const trigger = new KisiTrigger();
const WEBHOOK_URL = 'http://127.0.0.1:5678/webhook/1f5c/webhook';

interface Fake {
	staticData: IDataObject;
	parameters: IDataObject;
	webhookUrl: string;
	apiKey: string;
	workflowId: string;
	/** n8n's execution mode for the delivery: `webhook` (production) or `manual` (the editor's test listener). */
	mode: 'webhook' | 'manual';
	response: { status?: number; body?: unknown };
	logs: string[];
}

function fake(overrides: Partial<Fake> = {}): Fake {
	return {
		staticData: {},
		parameters: { events: ['lock.unlock'], onlySuccessful: true, placeIds: '', lockIds: '' },
		webhookUrl: WEBHOOK_URL,
		apiKey: KEY,
		workflowId: 'wfDoorLog0001',
		mode: 'webhook',
		response: {},
		logs: [],
		...overrides,
	};
}

/** What n8n's HookContext / WebhookContext offer the trigger, wired to the sandbox. */
function context(state: Fake, request?: { body: unknown; rawBody?: Buffer; headers?: Record<string, string> }) {
	const node = {
		id: 'trigger',
		name: 'Kisi Trigger',
		type: 'n8n-nodes-gym-access.kisiTrigger',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: state.parameters,
		credentials: { kisiApi: { id: 'kisi-cred', name: 'Kisi sandbox' } },
	};
	const ctx = {
		getNode: () => node,
		getNodeParameter: (name: string, fallback?: unknown) => state.parameters[name] ?? fallback,
		getWorkflowStaticData: () => state.staticData,
		getNodeWebhookUrl: () => state.webhookUrl,
		getWorkflow: () => ({ id: state.workflowId, name: 'Door log', active: true }),
		getMode: () => state.mode,
		getCredentials: async () => ({ apiKey: state.apiKey, baseUrl: sandbox.kisiUrl, requestsPerSecond: 100 }),
		logger: {
			debug: (message: string) => state.logs.push(message),
			info: (message: string) => state.logs.push(message),
			warn: (message: string) => state.logs.push(message),
			error: (message: string) => state.logs.push(message),
		},
		helpers: {
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
			// As n8n's httpRequestWithAuthentication: the credential type's own authenticate adds the headers.
			async httpRequestWithAuthentication(_type: string, incoming: IHttpRequestOptions) {
				const options = await new KisiApi().authenticate(await ctx.getCredentials(), incoming);
				const url = new URL(String(options.url));
				for (const [key, value] of Object.entries(options.qs ?? {})) url.searchParams.set(key, String(value));
				const response = await fetch(url, {
					method: options.method,
					headers: options.headers as Record<string, string>,
					body: options.body === undefined ? undefined : JSON.stringify(options.body),
				});
				const text = await response.text();
				return { statusCode: response.status, body: text ? JSON.parse(text) : undefined, headers: Object.fromEntries(response.headers) };
			},
		},
		getBodyData: () => request?.body,
		getRequestObject: () => ({ rawBody: request?.rawBody, headers: Object.fromEntries(Object.entries(request?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])) }),
		getResponseObject: () => {
			const res = {
				status(code: number) {
					state.response.status = code;
					return res;
				},
				json(body: unknown) {
					state.response.body = body;
					return res;
				},
			};
			return res;
		},
	};
	return ctx as unknown as IHookFunctions & IWebhookFunctions;
}

const hooks = trigger.webhookMethods.default;
const integrations = async () => ((await sandbox.state()).kisi.integrations as Array<Record<string, unknown>>).filter((it) => it.type === 'event_webhook');
const integrationAt = async (url: string) => (await integrations()).filter((it) => it.url === url);

/** The key Kisi signs this trigger's deliveries with (write-only in Kisi's API; the sandbox's state shows it). */
async function kisiKey(state: Fake): Promise<string> {
	const [integration] = await integrationAt(state.webhookUrl);
	if (!integration) throw new Error(`No integration calls ${state.webhookUrl}`);
	return String(integration.signature_key);
}

/** Delivers `event` as Kisi does: signed with the key Kisi holds (or `key`, or unsigned). */
async function deliver(state: Fake, event: IDataObject, { sign = true, raw = true, key }: { sign?: boolean; raw?: boolean; key?: string } = {}) {
	const body = JSON.stringify(event);
	const headers: Record<string, string> = {};
	if (sign) headers['X-Signature'] = `sha256=${createHmac('sha256', key ?? (await kisiKey(state))).update(body).digest('hex')}`;
	const result: IWebhookResponseData = await trigger.webhook.call(context(state, { body: event, rawBody: raw ? Buffer.from(body) : undefined, headers }));
	return result;
}

/** Kisi's documented webhook payload (no actor_email), pointed at the scenario's people and doors. */
const unlock = (overrides: IDataObject = {}): IDataObject => ({
	...kisiWebhookSample,
	uuid: `evt-${Math.random().toString(36).slice(2)}`,
	actor_id: 103,
	actor_name: 'Ben Member',
	object_id: 1001,
	object_name: 'Front Door',
	organization_id: 1,
	place_id: 10,
	created_at: '2026-03-02T14:00:00Z',
	...overrides,
});

/** Another webhook URL of the same n8n (each trigger node has its own). */
const urlOf = (id: string) => `http://127.0.0.1:5678/webhook/${id}/webhook`;
const calls = async () => (await sandbox.requests({ service: 'kisi' })).map((call) => `${call.method} ${call.path} ${call.status}`);

describe('Kisi Trigger lifecycle', () => {
	it('create registers a signed event_webhook; nothing goes into the workflow’s static data', async () => {
		const state = fake({ parameters: { events: ['lock.unlock', 'lock.opened'], onlySuccessful: true } });
		expect(await hooks.create.call(context(state))).toBe(true);
		const [integration] = await integrations();
		expect(integration).toMatchObject({
			type: 'event_webhook',
			name: 'n8n – Door log',
			enabled: true,
			url: WEBHOOK_URL,
			enabled_events: ['lock.unlock', 'lock.opened'],
		});
		expect(integration.signature_key).toMatch(/^[0-9a-f]{64}$/);
		expect(integration.signature_key).not.toContain(KEY);
		expect(state.staticData).toEqual({});
		await hooks.delete.call(context(state));
		// Registration and removal carry the integration partner headers Kisi requires.
		const requests = await sandbox.requests({ service: 'kisi' });
		expect(requests.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /integrations', 'GET /integrations', `DELETE /integrations/${String(integration.id)}`]);
		for (const call of requests) {
			expect(call.headers).toEqual({
				'x-kisi-integration-identifier': 'n8n-nodes-gym-access',
				'x-kisi-integration-contact': 'n8n-nodes-gym-access@users.noreply.github.com',
			});
		}
		expect(state.staticData).toEqual({});
	});

	it('the key is the same on every activation, in every process, and differs per workflow', async () => {
		const first = fake({ webhookUrl: urlOf('same-1') });
		await hooks.create.call(context(first));
		const key = await kisiKey(first);
		// Activated again (n8n restarting, or another process): the same key is sent.
		expect(await hooks.checkExists.call(context(fake({ webhookUrl: urlOf('same-1') })))).toBe(true);
		expect(await kisiKey(first)).toBe(key);
		const other = fake({ webhookUrl: urlOf('same-2'), workflowId: 'wfOtherFlow01' });
		await hooks.create.call(context(other));
		expect(await kisiKey(other)).not.toBe(key);
		await hooks.delete.call(context(first));
		await hooks.delete.call(context(other));
	});

	it('create refuses bad settings before calling Kisi, naming the field', async () => {
		await expect(hooks.create.call(context(fake({ parameters: { events: ['lock.unlock'], lockIds: '1001, front' } })))).rejects.toThrow(
			'"Lock IDs" must be numeric IDs separated by commas, like 10, 11 (got "front")',
		);
		await expect(hooks.create.call(context(fake({ parameters: { events: [] } })))).rejects.toThrow('"Events" is empty');
		await expect(hooks.checkExists.call(context(fake({ parameters: { events: [] } })))).rejects.toThrow('"Events" is empty');
		expect(await sandbox.requests({ service: 'kisi' })).toEqual([]);
	});

	it('checkExists: false without a registration; true while it exists, brought up to date (events, enabled, key)', async () => {
		const state = fake();
		expect(await hooks.checkExists.call(context(state))).toBe(false);
		expect(await calls()).toEqual(['GET /integrations 200']);

		await hooks.create.call(context(state));
		const [created] = await integrations();
		expect(await hooks.checkExists.call(context(state))).toBe(true);

		// The events changed in n8n, and Kisi turned the webhook off after failed deliveries.
		state.parameters.events = ['lock.unlock', 'share.create'];
		await sandbox.clearRequests();
		await fetch(`${sandbox.kisiUrl}/integrations/${String(created.id)}`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json', authorization: `KISI-LOGIN ${KEY}` },
			body: JSON.stringify({ integration: { enabled: false } }),
		});
		expect(await hooks.checkExists.call(context(state))).toBe(true);
		const [integration] = await integrations();
		expect(integration).toMatchObject({ id: created.id, url: WEBHOOK_URL, enabled_events: ['lock.unlock', 'share.create'], enabled: true, signature_key: created.signature_key });
		expect((await calls()).slice(1)).toEqual(['GET /integrations 200', `PATCH /integrations/${String(created.id)} 204`]);
		expect(state.staticData).toEqual({});
		await hooks.delete.call(context(state));
	});

	it('checkExists finds its integration by URL among many (paged as Kisi pages), and leaves the others alone', async () => {
		const before = await sandbox.state();
		const others = Array.from({ length: 300 }, (_, i) => ({
			id: 9000 + i,
			type: 'event_webhook',
			name: `Other ${i}`,
			url: `https://elsewhere.example/hook/${i}`,
			enabled: true,
			enabled_events: ['lock.unlock'],
			signature_key: `other-${i}`,
			place_id: null,
		}));
		await sandbox.load({ ...before, kisi: { ...before.kisi, integrations: others } });
		try {
			const state = fake({ webhookUrl: urlOf('among-many') });
			await hooks.create.call(context(state));
			await sandbox.clearRequests();
			expect(await hooks.checkExists.call(context(state))).toBe(true);
			const pages = (await sandbox.requests({ service: 'kisi', method: 'GET' })).map((call) => call.query);
			expect(pages).toEqual([
				{ limit: '250', offset: '0' },
				{ limit: '250', offset: '250' },
			]);
			await hooks.delete.call(context(state));
			const left = await integrations();
			expect(left).toHaveLength(300);
			expect(left.every((it, i) => it.id === 9000 + i && it.signature_key === `other-${i}` && it.url === `https://elsewhere.example/hook/${i}`)).toBe(true);
		} finally {
			await sandbox.load(before);
		}
	});

	it('checkExists removes further integrations calling the same URL, so each event arrives once', async () => {
		const state = fake({ webhookUrl: urlOf('twice') });
		await hooks.create.call(context(state));
		await hooks.create.call(context(state));
		expect(await integrationAt(state.webhookUrl)).toHaveLength(2);
		expect(await hooks.checkExists.call(context(state))).toBe(true);
		expect(await integrationAt(state.webhookUrl)).toHaveLength(1);
		await hooks.delete.call(context(state));
	});

	it('finds its integration when Kisi writes the URL differently (host case, default port)', async () => {
		const state = fake({ webhookUrl: 'https://n8n.gym.example/webhook/written-differently/webhook' });
		await fetch(`${sandbox.kisiUrl}/integrations`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `KISI-LOGIN ${KEY}` },
			body: JSON.stringify({ integration: { type: 'event_webhook', name: 'n8n – Door log', url: 'https://N8N.Gym.Example:443/webhook/written-differently/webhook', enabled_events: ['lock.unlock'] } }),
		});
		expect(await hooks.checkExists.call(context(state))).toBe(true);
		await hooks.delete.call(context(state));
		expect(await integrations()).toEqual([]);
	});

	it('a new webhook URL (n8n’s address changed) is a new registration; the one for the old URL is not touched', async () => {
		const state = fake({ webhookUrl: urlOf('old-address') });
		await hooks.create.call(context(state));
		const moved = fake({ webhookUrl: 'https://n8n.gym.example/webhook/old-address/webhook' });
		expect(await hooks.checkExists.call(context(moved))).toBe(false);
		expect(await calls()).toEqual(['POST /integrations 200', 'GET /integrations 200']);
		await hooks.delete.call(context(state));
	});

	it('checkExists: false when the integration was deleted in Kisi', async () => {
		const state = fake();
		await hooks.create.call(context(state));
		const [integration] = await integrations();
		await fetch(`${sandbox.kisiUrl}/integrations/${String(integration.id)}`, { method: 'DELETE', headers: { authorization: `KISI-LOGIN ${KEY}` } });
		expect(await hooks.checkExists.call(context(state))).toBe(false);
	});

	it('delete removes the integration with no stored ID (static data wiped, or left by an older version), and tolerates none', async () => {
		const state = fake();
		await hooks.create.call(context(state));
		// What a queue-mode worker leaves: the workflow's static data holds only another node's entry.
		const wiped = fake({ staticData: { 'node:Check in to Glofox': { lastCheckIns: {} } } });
		expect(await hooks.delete.call(context(wiped))).toBe(true);
		expect(await integrations()).toEqual([]);
		expect(wiped.staticData).toEqual({ 'node:Check in to Glofox': { lastCheckIns: {} } });

		// An older version kept the ID and a random key in static data: found by URL all the same.
		await hooks.create.call(context(state));
		const legacy = fake({ staticData: { integrationId: 424242, signatureKey: 'a'.repeat(64) } });
		expect(await hooks.delete.call(context(legacy))).toBe(true);
		expect(await integrations()).toEqual([]);
		expect(legacy.staticData).toEqual({ integrationId: 424242, signatureKey: 'a'.repeat(64) });

		await sandbox.clearRequests();
		expect(await hooks.delete.call(context(state))).toBe(true);
		expect(await calls()).toEqual(['GET /integrations 200']);
	});

	it('a replaced API key: deliveries are refused (with a hint in the log) until activation sends Kisi the new key', async () => {
		const state = fake({ webhookUrl: urlOf('rotation') });
		await hooks.create.call(context(state));
		const oldKey = await kisiKey(state);
		expect((await deliver(state, unlock({ actor_email: 'ana@demo.gym' }))).workflowData).toBeDefined();

		// The operator replaces the API key in the credential (the old one may be revoked in Kisi).
		state.apiKey = ROTATED_KEY;
		const refused = await deliver(state, unlock({ actor_email: 'ana@demo.gym' }));
		expect(refused).toEqual({ noWebhookResponse: true });
		expect(state.response.status).toBe(401);
		expect(state.logs.at(-1)).toMatch(/If the Kisi API key in the credential was changed, deactivate and activate the workflow once/);

		// n8n calls checkExists when the workflow is activated again (or n8n restarts): it repairs.
		expect(await hooks.checkExists.call(context(state))).toBe(true);
		const newKey = await kisiKey(state);
		expect(newKey).not.toBe(oldKey);
		expect(await integrationAt(state.webhookUrl)).toHaveLength(1);
		const accepted = await deliver(state, unlock({ actor_email: 'ana@demo.gym' }));
		expect(accepted.workflowData?.[0][0].json.email).toBe('ana@demo.gym');
		// A delivery still signed with the old key (in flight during the change) is refused.
		expect(await deliver(state, unlock(), { key: oldKey })).toEqual({ noWebhookResponse: true });
		expect(state.logs.join('\n')).not.toContain(ROTATED_KEY);
		await hooks.delete.call(context(state));
	});
});

describe('Kisi Trigger webhook', () => {
	let state: Fake;
	beforeAll(async () => {
		state = fake({ parameters: { events: ['lock.unlock'], onlySuccessful: true, placeIds: '10', lockIds: '' } });
		await sandbox.clearRequests();
		await hooks.create.call(context(state));
	});

	it('starts the workflow with the event (its uuid included), the actor’s email looked up by id, lockId, placeId and occurredAt', async () => {
		const event = unlock();
		const result = await deliver(state, event);
		expect(result.workflowData).toEqual([[{ json: { ...event, email: 'ben@demo.gym', lockId: 1001, placeId: 10, occurredAt: '2026-03-02T14:00:00.000Z' } }]]);
		expect(result.workflowData?.[0][0].json.uuid).toBe(event.uuid);
		expect(await sandbox.requests({ service: 'kisi', path: '/users/103' })).toHaveLength(1);
	});

	it('uses actor_email when Kisi sends it (no lookup), and null for an actor it cannot find', async () => {
		const withEmail = await deliver(state, unlock({ actor_email: 'Ben@Demo.gym' }));
		expect(withEmail.workflowData?.[0][0].json.email).toBe('ben@demo.gym');
		const unknown = await deliver(state, unlock({ actor_id: 999999 }));
		expect(unknown.workflowData?.[0][0].json.email).toBeNull();
		expect((await sandbox.requests({ service: 'kisi' })).map((r) => `${r.path} ${r.status}`)).toEqual(['/users/999999 404']);
	});

	it('still verifies Kisi’s signature after the workflow’s static data was overwritten (what a queue-mode worker does)', async () => {
		const key = await kisiKey(state);
		const overwritten = fake({ parameters: state.parameters, staticData: { 'node:Check in to Glofox': { lastCheckIns: { 'ana@demo.gym': '2026-03-02T13:00:00.000Z' } } } });
		const result = await deliver(overwritten, unlock({ actor_email: 'ana@demo.gym' }), { key });
		expect(result.workflowData?.[0][0].json.email).toBe('ana@demo.gym');
		expect(overwritten.staticData).toEqual({ 'node:Check in to Glofox': { lastCheckIns: { 'ana@demo.gym': '2026-03-02T13:00:00.000Z' } } });
		const empty = fake({ parameters: state.parameters, staticData: {} });
		expect((await deliver(empty, unlock({ actor_email: 'ana@demo.gym' }), { key })).workflowData).toBeDefined();
		expect(empty.staticData).toEqual({});
	});

	it('accepts, read-only, the key an older version kept in static data (until activation replaced it in Kisi)', async () => {
		const legacyKey = 'c'.repeat(64);
		const legacy = fake({ parameters: state.parameters, staticData: { integrationId: 1, signatureKey: legacyKey } });
		const result = await deliver(legacy, unlock({ actor_email: 'ana@demo.gym' }), { key: legacyKey });
		expect(result.workflowData).toBeDefined();
		expect(legacy.staticData).toEqual({ integrationId: 1, signatureKey: legacyKey });
		// Without it in static data that key is just a wrong key.
		expect(await deliver(fake({ parameters: state.parameters }), unlock(), { key: legacyKey })).toEqual({ noWebhookResponse: true });
	});

	it('drops a second delivery of the same uuid, also when both arrive at the same moment', async () => {
		const event = unlock();
		expect((await deliver(state, event)).workflowData).toBeDefined();
		const again = await deliver(state, event);
		expect(again.workflowData).toBeUndefined();
		expect(again.webhookResponse).toEqual({ received: true, started: false, reason: 'duplicate delivery of this event' });

		const twin = unlock();
		const answers = await Promise.all([deliver(state, twin), deliver(state, twin), deliver(state, twin)]);
		expect(answers.filter((answer) => answer.workflowData !== undefined)).toHaveLength(1);
		expect(state.staticData).toEqual({});
	});

	it('an event the workflow started still reaches the editor’s test listener (its own Kisi integration)', async () => {
		const event = unlock();
		expect((await deliver(state, event)).workflowData).toBeDefined();
		const listening = fake({ parameters: state.parameters, mode: 'manual' });
		expect((await deliver(listening, event, { key: await kisiKey(state) })).workflowData).toBeDefined();
		expect((await deliver(listening, event, { key: await kisiKey(state) })).workflowData).toBeUndefined();
	});

	it('remembers only events it started: one filtered out, or refused, still starts the workflow when it comes valid', async () => {
		const event = unlock({ place_id: 11, object_id: 1101 });
		expect((await deliver(state, event)).webhookResponse).toMatchObject({ started: false, reason: 'the event is at another place' });
		expect(await deliver(state, { ...event, place_id: 10, object_id: 1001 }, { key: 'f'.repeat(64) })).toEqual({ noWebhookResponse: true });
		expect((await deliver(state, { ...event, place_id: 10, object_id: 1001 })).workflowData).toBeDefined();
	});

	it('answers 401 to a missing or wrong signature and starts nothing', async () => {
		const unsigned = fake({ parameters: state.parameters });
		const result = await deliver(unsigned, unlock(), { sign: false });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(unsigned.response).toEqual({ status: 401, body: { error: 'Missing or invalid X-Signature' } });

		const body = JSON.stringify(unlock());
		const signature = createHmac('sha256', 'f'.repeat(64)).update(body).digest('hex');
		const wrong = fake({ parameters: state.parameters });
		const answer = await trigger.webhook.call(context(wrong, { body: JSON.parse(body), rawBody: Buffer.from(body), headers: { 'X-Signature': signature } }));
		expect(answer).toEqual({ noWebhookResponse: true });
		expect(wrong.response.status).toBe(401);

		// A key derived for another workflow is not this one's.
		const elsewhere = fake({ parameters: state.parameters, workflowId: 'wfOtherFlow01' });
		expect(await deliver(elsewhere, unlock(), { key: await kisiKey(state) })).toEqual({ noWebhookResponse: true });
	});

	it('without a raw body, verifies against the body serialised again', async () => {
		const result = await deliver(state, unlock({ actor_email: 'ana@demo.gym' }), { raw: false });
		expect(result.workflowData?.[0][0].json.email).toBe('ana@demo.gym');
	});

	it('answers 400 to a signed body that is not a Kisi event', async () => {
		const local = fake({ parameters: state.parameters });
		const result = await deliver(local, { hello: 'world' }, { key: await kisiKey(state) });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(local.response).toEqual({ status: 400, body: { error: 'Not a Kisi event: the event has no "type"' } });
	});

	it('acknowledges filtered events without starting the workflow', async () => {
		expect((await deliver(state, unlock({ success: false }))).webhookResponse).toEqual({ received: true, started: false, reason: 'the event was not successful' });
		expect((await deliver(state, unlock({ place_id: 11, object_id: 1101 }))).webhookResponse).toMatchObject({ started: false, reason: 'the event is at another place' });
		expect((await deliver(state, unlock({ type: 'lock.opened' }))).webhookResponse).toMatchObject({ started: false });
	});

	it('never puts the signature key or the API key in an output item or a log line', async () => {
		const result = await deliver(state, unlock());
		await deliver(state, unlock(), { key: 'f'.repeat(64) });
		const key = await kisiKey(state);
		expect(JSON.stringify(result)).not.toContain(key);
		expect(state.logs.join('\n')).not.toContain(key);
		expect(state.logs.join('\n')).not.toContain(KEY);
		expect(state.staticData).toEqual({});
	});
});
