/**
 * The Kisi Trigger's lifecycle and webhook methods against the sandbox, with a minimal stand-in
 * for the hook/webhook contexts n8n passes them (HTTP goes to the sandbox for real). The whole
 * flow through a real n8n is in test/e2e/kisi-trigger.test.ts.
 */
import { createHmac } from 'node:crypto';
import type { IDataObject, IHookFunctions, IHttpRequestOptions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { KisiApi } from '../../../credentials/KisiApi.credentials';
import { KisiTrigger } from '../../../nodes/Kisi/KisiTrigger.node';
import kisiWebhookSample from '../../fixtures/vendor/kisi/event-webhook-lock-unlock.filled.json';
import { withSandbox } from '../../harness/sandbox';
import { KEY, kisiScenario } from './fixtures';

jest.setTimeout(60_000);

const sandbox = withSandbox(() => kisiScenario());
const trigger = new KisiTrigger();
const WEBHOOK_URL = 'http://127.0.0.1:5678/webhook/1f5c/webhook';

interface Fake {
	staticData: IDataObject;
	parameters: IDataObject;
	webhookUrl: string;
	response: { status?: number; body?: unknown };
	logs: string[];
}

function fake(overrides: Partial<Fake> = {}): Fake {
	return {
		staticData: {},
		parameters: { events: ['lock.unlock'], onlySuccessful: true, placeIds: '', lockIds: '' },
		webhookUrl: WEBHOOK_URL,
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
		getWorkflow: () => ({ id: undefined, name: 'Door log', active: true }),
		getCredentials: async () => ({ apiKey: KEY, baseUrl: sandbox.kisiUrl, requestsPerSecond: 100 }),
		// As n8n's httpRequestWithAuthentication: the credential type's own authenticate adds the headers.
		logger: {
			debug: (message: string) => state.logs.push(message),
			info: (message: string) => state.logs.push(message),
			warn: (message: string) => state.logs.push(message),
			error: (message: string) => state.logs.push(message),
		},
		helpers: {
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
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
const integrations = async () => (await sandbox.state()).kisi.integrations as Array<Record<string, unknown>>;

async function deliver(state: Fake, event: IDataObject, { sign = true, raw = true }: { sign?: boolean; raw?: boolean } = {}) {
	const body = JSON.stringify(event);
	const headers: Record<string, string> = {};
	if (sign) headers['X-Signature'] = `sha256=${createHmac('sha256', String(state.staticData.signatureKey)).update(body).digest('hex')}`;
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

describe('Kisi Trigger lifecycle', () => {
	it('create registers a signed event_webhook and keeps its id and key in static data', async () => {
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
		expect(state.staticData).toEqual({ integrationId: integration.id, signatureKey: integration.signature_key });
		expect(state.staticData.signatureKey).toMatch(/^[0-9a-f]{64}$/);
		await hooks.delete.call(context(state));
		// Registration and removal carry the integration partner headers Kisi requires.
		const calls = await sandbox.requests({ service: 'kisi' });
		expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /integrations', `DELETE /integrations/${String(integration.id)}`]);
		for (const call of calls) {
			expect(call.headers).toEqual({
				'x-kisi-integration-identifier': 'n8n-nodes-gym-access',
				'x-kisi-integration-contact': 'n8n-nodes-gym-access@users.noreply.github.com',
			});
		}
	});

	it('create refuses bad settings before calling Kisi, naming the field', async () => {
		await expect(hooks.create.call(context(fake({ parameters: { events: ['lock.unlock'], lockIds: '1001, front' } })))).rejects.toThrow(
			'"Lock IDs" must be numeric IDs separated by commas, like 10, 11 (got "front")',
		);
		await expect(hooks.create.call(context(fake({ parameters: { events: [] } })))).rejects.toThrow('"Events" is empty');
		expect(await sandbox.requests({ service: 'kisi' })).toEqual([]);
	});

	it('checkExists: false without a registration, true while it exists, repaired when the events or URL changed', async () => {
		const state = fake();
		expect(await hooks.checkExists.call(context(state))).toBe(false);
		expect(await sandbox.requests({ service: 'kisi' })).toEqual([]);

		await hooks.create.call(context(state));
		expect(await hooks.checkExists.call(context(state))).toBe(true);

		state.parameters.events = ['lock.unlock', 'share.create'];
		state.webhookUrl = 'http://127.0.0.1:5678/webhook/moved/webhook';
		expect(await hooks.checkExists.call(context(state))).toBe(true);
		const [integration] = await integrations();
		expect(integration).toMatchObject({ url: state.webhookUrl, enabled_events: ['lock.unlock', 'share.create'], enabled: true });
		const calls = (await sandbox.requests({ service: 'kisi', path: `/integrations/${state.staticData.integrationId}` })).map((r) => r.method);
		expect(calls).toEqual(['GET', 'GET', 'PATCH']);
		await hooks.delete.call(context(state));
	});

	it('checkExists: false, and static data cleared, when the integration was deleted in Kisi', async () => {
		const state = fake();
		await hooks.create.call(context(state));
		await hooks.delete.call(context({ ...state, staticData: { ...state.staticData } }));
		expect(await hooks.checkExists.call(context(state))).toBe(false);
		expect(state.staticData).toEqual({});
	});

	it('delete removes the integration, and tolerates one already gone', async () => {
		const state = fake();
		await hooks.create.call(context(state));
		const copy = { ...state.staticData };
		expect(await hooks.delete.call(context(state))).toBe(true);
		expect(await integrations()).toEqual([]);
		expect(state.staticData).toEqual({});
		expect(await hooks.delete.call(context(fake({ staticData: copy })))).toBe(true);
		expect((await sandbox.requests({ service: 'kisi', method: 'DELETE' })).map((r) => r.status)).toEqual([204, 404]);
	});
});

describe('Kisi Trigger webhook', () => {
	let state: Fake;
	beforeAll(async () => {
		state = fake({ parameters: { events: ['lock.unlock'], onlySuccessful: true, placeIds: '10', lockIds: '' } });
		await sandbox.clearRequests();
		await hooks.create.call(context(state));
	});

	it('starts the workflow with the event, the actor’s email looked up by id, lockId, placeId and occurredAt', async () => {
		const event = unlock();
		const result = await deliver(state, event);
		expect(result.workflowData).toEqual([[{ json: { ...event, email: 'ben@demo.gym', lockId: 1001, placeId: 10, occurredAt: '2026-03-02T14:00:00.000Z' } }]]);
		expect(await sandbox.requests({ service: 'kisi', path: '/users/103' })).toHaveLength(1);
	});

	it('uses actor_email when Kisi sends it (no lookup), and null for an actor it cannot find', async () => {
		const withEmail = await deliver(state, unlock({ actor_email: 'Ben@Demo.gym' }));
		expect(withEmail.workflowData?.[0][0].json.email).toBe('ben@demo.gym');
		const unknown = await deliver(state, unlock({ actor_id: 999999 }));
		expect(unknown.workflowData?.[0][0].json.email).toBeNull();
		expect((await sandbox.requests({ service: 'kisi' })).map((r) => `${r.path} ${r.status}`)).toEqual(['/users/999999 404']);
	});

	// The stand-in workflow has no id, so this is the static-data fallback; n8n's own store is
	// checked in the e2e test.
	it('drops a second delivery of the same uuid', async () => {
		const event = unlock();
		expect((await deliver(state, event)).workflowData).toBeDefined();
		const again = await deliver(state, event);
		expect(again.workflowData).toBeUndefined();
		expect(again.webhookResponse).toEqual({ received: true, started: false, reason: 'duplicate delivery of this event' });
	});

	it('answers 401 to a missing or wrong signature and starts nothing', async () => {
		const unsigned = fake({ staticData: state.staticData, parameters: state.parameters });
		const result = await deliver(unsigned, unlock(), { sign: false });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(unsigned.response).toEqual({ status: 401, body: { error: 'Missing or invalid X-Signature' } });

		const body = JSON.stringify(unlock());
		const signature = createHmac('sha256', 'f'.repeat(64)).update(body).digest('hex');
		const wrong = fake({ staticData: state.staticData, parameters: state.parameters });
		const answer = await trigger.webhook.call(context(wrong, { body: JSON.parse(body), rawBody: Buffer.from(body), headers: { 'X-Signature': signature } }));
		expect(answer).toEqual({ noWebhookResponse: true });
		expect(wrong.response.status).toBe(401);
	});

	it('without a raw body, verifies against the body serialised again', async () => {
		const result = await deliver(state, unlock({ actor_email: 'ana@demo.gym' }), { raw: false });
		expect(result.workflowData?.[0][0].json.email).toBe('ana@demo.gym');
	});

	it('answers 400 to a signed body that is not a Kisi event', async () => {
		const local = fake({ staticData: state.staticData, parameters: state.parameters });
		const result = await deliver(local, { hello: 'world' });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(local.response).toEqual({ status: 400, body: { error: 'Not a Kisi event: the event has no "type"' } });
	});

	it('acknowledges filtered events without starting the workflow', async () => {
		expect((await deliver(state, unlock({ success: false }))).webhookResponse).toEqual({ received: true, started: false, reason: 'the event was not successful' });
		expect((await deliver(state, unlock({ place_id: 11, object_id: 1101 }))).webhookResponse).toMatchObject({ started: false, reason: 'the event is at another place' });
		expect((await deliver(state, unlock({ type: 'lock.opened' }))).webhookResponse).toMatchObject({ started: false });
	});

	it('never puts the signature key in an output item or a log line', async () => {
		const result = await deliver(state, unlock());
		const key = String(state.staticData.signatureKey);
		expect(JSON.stringify(result)).not.toContain(key);
		expect(state.logs.join('\n')).not.toContain(key);
	});
});
