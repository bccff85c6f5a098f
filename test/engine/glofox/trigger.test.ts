/**
 * The Glofox Trigger through n8n-core's real hook and webhook contexts (activation with HookContext,
 * each delivery in WebhookContext behind a loopback endpoint that handles the request as n8n's
 * webhook server does, then the workflow through n8n's engine; see
 * test/engine/reliability/trigger-endpoint.ts), against the sandbox's demo gym.
 *
 * Envelopes follow Glofox's OpenAPI 2.3.0 event schemas (`components.schemas.*Event`,
 * Zchasse63/potential-chainsaw @ 88e290c docs/glofox/openapi.json), in the key casings they spell
 * and integrators report; Glofox gives no example delivery (test/fixtures/vendor/glofox/SOURCES.md).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { type RunningSandbox } from '../../../sandbox';
import { deliverChange } from '../../../sandbox/glofox';
import type { WorkflowJson } from '../../harness/engine';
import { TriggerEndpoint } from '../reliability/trigger-endpoint';
import { DEMO_NOW, G, start } from './helpers';

jest.setTimeout(60_000);

const SECRET = 'a-webhook-secret-glofox-gave-with-the-api-credentials';
const TRIGGER = 'Glofox Trigger';
const ANA = 'e1c6e882f1d9fc2bf876d39d'; // ana.ruiz@example.com in the demo
const BEN = '737da4f2fdb737e9119fc0ff';
const LENA = 'd6c6d7a03a54c4eb2617f06f';
const LOCATION = G.branchId;

let sb: RunningSandbox;

beforeAll(async () => {
	sb = await start();
});

afterAll(async () => {
	await sb?.close();
});

function glofoxCredential(data: IDataObject = {}) {
	return {
		id: 'glofox-1',
		name: 'Glofox demo gym',
		type: 'glofoxApi',
		data: { branchId: G.branchId, apiKey: G.apiKey, apiToken: G.apiToken, baseUrl: sb.glofoxUrl, requestsPerSecond: 10, webhookSecret: SECRET, ...data },
	};
}

let workflowCount = 0;
/** Glofox Trigger → `next` (a No Op by default). Each call is a new workflow (its own memory of deliveries). */
function workflow(next: WorkflowJson['nodes'][number] = { id: 'done', name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, 0], parameters: {} }) {
	workflowCount++;
	return {
		id: `glofox-trigger-${workflowCount}`,
		name: 'Glofox real-time',
		nodes: [
			{
				id: 'trigger',
				name: TRIGGER,
				type: 'n8n-nodes-gym-access.glofoxTrigger',
				typeVersion: 1,
				position: [0, 0] as [number, number],
				parameters: {},
				webhookId: `hook-${workflowCount}`,
				credentials: { glofoxApi: { id: 'glofox-1', name: 'Glofox demo gym' } },
			},
			next,
		],
		connections: { [TRIGGER]: { main: [[{ node: next.name, type: 'main' as const, index: 0 }]] } },
	};
}

async function activated(credentialData: IDataObject = {}, next?: WorkflowJson['nodes'][number]): Promise<TriggerEndpoint> {
	const endpoint = new TriggerEndpoint(workflow(next), [glofoxCredential(credentialData)]);
	await endpoint.start();
	return endpoint;
}

const sign = (body: string | Buffer, key: string | Buffer = SECRET) => createHmac('sha256', key).update(body).digest('hex');
const traceId = () => randomBytes(16).toString('hex');

/** An envelope in Glofox's PascalCase spelling. */
function event(type: string, payload: IDataObject, trace: string | null = traceId()): IDataObject {
	return { Type: type, Metadata: { ...(trace === null ? {} : { trace_id: trace }), location_id: LOCATION, version: '1' }, Timestamp: '2026-03-02T13:59:58Z', Payload: payload };
}

async function post(endpoint: TriggerEndpoint, body: string | Buffer, headers: Record<string, string> = {}) {
	const response = await fetch(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
	const text = await response.text();
	await endpoint.settle();
	return { status: response.status, body: text ? (JSON.parse(text) as IDataObject) : undefined };
}

/** A delivery signed as Glofox signs it: `signature` = hex HMAC-SHA256 of the raw body. */
async function deliver(endpoint: TriggerEndpoint, body: IDataObject | string) {
	const raw = typeof body === 'string' ? body : JSON.stringify(body);
	return await post(endpoint, raw, { signature: sign(raw) });
}

/** The items each execution started with (the No Op passes them on). */
const startedItems = (endpoint: TriggerEndpoint) => endpoint.executions.map((run) => run.output('Done'));

describe('Glofox Trigger activation', () => {
	it('refuses to activate without a Webhook Secret, naming the field and where the secret comes from', async () => {
		for (const data of [{ webhookSecret: '' }, { webhookSecret: '   ' }, { webhookSecret: undefined }]) {
			const endpoint = new TriggerEndpoint(workflow(), [glofoxCredential(data)]);
			const error = (await endpoint.start().then(
				() => undefined,
				(e: unknown) => e,
			)) as Error & { description?: string };
			await endpoint.stop();
			expect(error).toBeInstanceOf(Error);
			expect(error.message).toMatch(/no Webhook Secret/);
			expect(error.description).toMatch(/"Webhook Secret" field of the Glofox credential/);
			expect(error.description).toMatch(/API key and token/);
			expect(error.description).toMatch(/apiactivation@abcfitness\.com/);
		}
	});

	it('activates with the secret without calling Glofox (it has no webhook API) and keeps nothing in static data', async () => {
		await sb.state.glofox.cache.bump();
		sb.state.requests = [];
		const endpoint = await activated();
		await deliver(endpoint, event('MEMBERSHIP_UPDATED', { id: 'f'.repeat(24), user_id: ANA, status: 'PAUSED' }));
		await endpoint.stop();
		expect(sb.state.requests).toEqual([]);
		expect(endpoint.executions).toHaveLength(1);
		expect(endpoint.staticData).toEqual({});
	});
});

describe('Glofox Trigger deliveries', () => {
	let endpoint: TriggerEndpoint;
	beforeEach(async () => {
		endpoint = await activated();
	});
	afterEach(async () => {
		await endpoint.stop();
	});

	it.each([
		['MEMBER_UPDATED', { id: ANA, email: 'Ana.Ruiz@Example.com', contact_email: 'other@example.com', active: false }, [{ sourceId: ANA, email: 'ana.ruiz@example.com' }]],
		['MEMBER_CREATED', { id: BEN, email: '', contact_email: 'ben.okafor@example.com' }, [{ sourceId: BEN, email: 'ben.okafor@example.com' }]],
		['MEMBERSHIP_CREATED', { id: 'a'.repeat(24), user_id: ANA, status: 'ACTIVE' }, [{ sourceId: ANA, email: null }]],
		['MEMBERSHIP_DELETED', { id: 'a'.repeat(24), user_id: ANA, status: 'CANCELLED' }, [{ sourceId: ANA, email: null }]],
		['BOOKING_CREATED', { id: 'b'.repeat(24), user_id: LENA, status: 'BOOKED', attended: false }, [{ sourceId: LENA, email: null }]],
		['BOOKING_UPDATED', { id: 'b'.repeat(24), user_id: LENA, status: 'BOOKED', attended: true }, [{ sourceId: LENA, email: null }]],
		['COURSE_BOOKING_DELETED', { id: 'c'.repeat(24), user_id: LENA, course_id: 'd'.repeat(24), status: 'CANCELED' }, [{ sourceId: LENA, email: null }]],
		['MEMBER_ACCESS_INFO_UPDATED', { user_id: BEN, identifiers: { barcode: '123', fob_id: '9' } }, [{ sourceId: BEN, email: null }]],
		['EAGREEMENT_UPDATED,', { user_id: BEN, status: 'accepted' }, [{ sourceId: BEN, email: null, event: 'EAGREEMENT_UPDATED' }]],
		['INVOICE_UPDATED', { id: 'inv-1', user: { id: ANA, email: 'ana.ruiz@example.com' }, status: 'PAST_DUE' }, [{ sourceId: ANA, email: 'ana.ruiz@example.com' }]],
		['SOMETHING_NEW_CREATED', { user_id: ANA }, [{ sourceId: ANA, email: null }]],
	])('%s → one item per person, the event and its time, the envelope as raw', async (type, payload, expected) => {
		const body = event(type, payload as IDataObject);
		const answer = await deliver(endpoint, body);
		expect(answer).toEqual({ status: 200, body: { message: 'Workflow was started' } });
		const [items] = startedItems(endpoint);
		expect(items).toEqual(
			(expected as IDataObject[]).map((person) => ({
				source: 'glofox',
				event: type.replace(/,$/, ''),
				occurredAt: '2026-03-02T13:59:58.000Z',
				raw: body,
				deliveryId: expect.stringMatching(/^trace:[0-9a-f]{32}:/),
				...person,
			})),
		);
	});

	it('SERVICE_ events (lowercase envelope) give one item per member of member_ids, each once', async () => {
		const body = {
			type: 'SERVICE_UPDATED',
			metadata: { trace_id: traceId(), location_id: LOCATION, version: '1' },
			timestamp: '2026-03-02T13:00:00Z',
			payload: { id: 'e'.repeat(24), member_ids: [ANA, BEN, ANA, LENA, 'not-an-id'], status: 'PAUSED' },
		};
		expect((await deliver(endpoint, body)).status).toBe(200);
		const [items] = startedItems(endpoint);
		expect(items.map((item) => item.sourceId)).toEqual([ANA, BEN, LENA]);
		expect(new Set(items.map((item) => item.deliveryId)).size).toBe(1);
		expect(items[0]).toMatchObject({ event: 'SERVICE_UPDATED', occurredAt: '2026-03-02T13:00:00.000Z', raw: body });
	});

	it('reads a membership or booking event in either casing the same way', async () => {
		const trace = traceId();
		const lower = { type: 'BOOKING_DELETED', metadata: { trace_id: trace, location_id: LOCATION }, timestamp: '2026-03-02T12:00:00Z', payload: { id: 'b'.repeat(24), user_id: LENA } };
		await deliver(endpoint, lower);
		const member = { type: 'MEMBER_UPDATED', Metadata: { trace_id: traceId() }, Timestamp: '2026-03-02T12:00:00Z', Payload: { id: BEN, email: 'ben.okafor@example.com' } };
		await deliver(endpoint, member);
		expect(startedItems(endpoint).map(([item]) => [item.event, item.sourceId, item.email, item.occurredAt])).toEqual([
			['BOOKING_DELETED', LENA, null, '2026-03-02T12:00:00.000Z'],
			['MEMBER_UPDATED', BEN, 'ben.okafor@example.com', '2026-03-02T12:00:00.000Z'],
		]);
	});

	it('accepts the signature under the header names integrators look for, in any case, hex in either case, with or without sha256=', async () => {
		const variants: Array<(raw: string) => Record<string, string>> = [
			(raw) => ({ Signature: sign(raw) }),
			(raw) => ({ 'X-Glofox-Signature': sign(raw) }),
			(raw) => ({ 'x-signature': sign(raw).toUpperCase() }),
			(raw) => ({ signature: `sha256=${sign(raw)}` }),
		];
		for (const headers of variants) {
			const raw = JSON.stringify(event('MEMBERSHIP_UPDATED', { id: 'a'.repeat(24), user_id: ANA }));
			expect((await post(endpoint, raw, headers(raw))).status).toBe(200);
		}
		expect(endpoint.executions).toHaveLength(variants.length);
	});

	it('refuses (401) a missing, wrong, other-secret, malformed or stale signature, and a body changed after signing; nothing starts', async () => {
		const raw = JSON.stringify(event('MEMBERSHIP_UPDATED', { id: 'a'.repeat(24), user_id: ANA, status: 'ACTIVE' }));
		const changed = raw.replace('"ACTIVE"', '"LOCKED"');
		const cases: Array<[string, string, Record<string, string>]> = [
			['no signature', raw, {}],
			['empty signature', raw, { signature: '' }],
			['random hex', raw, { signature: randomBytes(32).toString('hex') }],
			['another secret', raw, { signature: sign(raw, 'not-the-secret') }],
			['the API token as key', raw, { signature: sign(raw, G.apiToken) }],
			['not hex', raw, { signature: 'zz'.repeat(32) }],
			['truncated', raw, { signature: sign(raw).slice(0, 63) }],
			['base64 of the right MAC', raw, { signature: createHmac('sha256', SECRET).update(raw).digest('base64') }],
			['body changed after signing', changed, { signature: sign(raw) }],
			['a whitespace added', `${raw} `, { signature: sign(raw) }],
			['an undocumented header', raw, { 'x-hub-signature': sign(raw) }],
		];
		for (const [name, body, headers] of cases) {
			const answer = await post(endpoint, body, headers);
			expect({ name, ...answer }).toEqual({ name, status: 401, body: { error: 'Missing or invalid signature' } });
		}
		expect(endpoint.executions).toEqual([]);
	});

	it('a hex secret used as its bytes is accepted too (equally secret-bound), another hex secret is not', async () => {
		const hexSecret = randomBytes(32).toString('hex');
		const hexEndpoint = await activated({ webhookSecret: hexSecret });
		try {
			const raw = JSON.stringify(event('MEMBERSHIP_UPDATED', { id: 'a'.repeat(24), user_id: ANA }));
			expect((await post(hexEndpoint, raw, { signature: sign(raw, Buffer.from(hexSecret, 'hex')) })).status).toBe(200);
			const raw2 = JSON.stringify(event('MEMBERSHIP_UPDATED', { id: 'a'.repeat(24), user_id: ANA }));
			expect((await post(hexEndpoint, raw2, { signature: sign(raw2, hexSecret) })).status).toBe(200);
			const other = randomBytes(32);
			expect((await post(hexEndpoint, raw2, { signature: sign(raw2, other) })).status).toBe(401);
			expect(hexEndpoint.executions).toHaveLength(2);
		} finally {
			await hexEndpoint.stop();
		}
	});

	it('malformed JSON: 400 from the trigger (or 422 from n8n when labelled JSON), and a body that is not an event: 400; nothing starts', async () => {
		const broken = '{"Type": "MEMBERSHIP_UPDATED", "Payload": {';
		expect(await post(endpoint, broken, { 'content-type': 'text/plain', signature: sign(broken) })).toEqual({ status: 400, body: { error: 'The body is not valid JSON' } });
		// Labelled application/json, n8n's own body parser refuses it before the node runs.
		expect((await post(endpoint, broken, { signature: sign(broken) })).status).toBe(422);
		for (const body of ['[1, 2]', '"text"', '{"Payload": {"user_id": "e1c6e882f1d9fc2bf876d39d"}}', '{"Type": ""}']) {
			const answer = await post(endpoint, body, { signature: sign(body) });
			expect(answer.status).toBe(400);
			expect(String(answer.body?.error)).toMatch(/^Not a Glofox webhook event: /);
		}
		expect(endpoint.executions).toEqual([]);
	});

	it('an event without a member id is acknowledged (200, so Glofox does not retry) with the reason, and starts nothing', async () => {
		const cases: Array<[IDataObject, RegExp]> = [
			[event('EVENT_UPDATED', { id: 'e'.repeat(24), name: 'Yoga' }), /EVENT_UPDATED is about a class, not a person/],
			[event('MEMBERSHIP_UPDATED', { id: 'a'.repeat(24), status: 'ACTIVE' }), /no member id in Payload\.user_id/],
			[event('BOOKING_CREATED', { id: 'b'.repeat(24), user_id: '' }), /no member id in Payload\.user_id/],
			[event('MEMBER_UPDATED', { email: 'x@example.com' }), /no member id in Payload\.id/],
			[event('INVOICE_UPDATED', { id: 'i', user: { email: 'x@example.com' } }), /no member id in Payload\.user\.id/],
			[{ type: 'SERVICE_CREATED', payload: { member_ids: [] } }, /no member id in payload\.member_ids/],
			[event('PUSH_NOTIFICATION_CREATED', { to: [{ user_id: ANA, device_id: 'd' }] }), /does not change anyone's access/],
			[event('SOMETHING_NEW', { thing: 1 }), /no member id/],
		];
		for (const [body, reason] of cases) {
			const answer = await deliver(endpoint, body);
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({ received: true, started: false, reason: expect.stringMatching(reason) });
		}
		expect(endpoint.executions).toEqual([]);
	});

	it('a repeated delivery (same trace id, same event) starts nothing; other events of the same trace do start', async () => {
		const trace = traceId();
		const membership = event('MEMBERSHIP_UPDATED', { id: 'a'.repeat(24), user_id: ANA, status: 'PAUSED', modified: '2026-03-02T13:59:57Z' }, trace);
		expect((await deliver(endpoint, membership)).status).toBe(200);
		expect(await deliver(endpoint, membership)).toEqual({ status: 200, body: { received: true, started: false, reason: 'duplicate delivery of this event' } });
		// A retry Glofox re-serialised (other whitespace, a later Timestamp) is still the same event.
		expect((await deliver(endpoint, JSON.stringify({ ...membership, Timestamp: '2026-03-02T14:00:30Z' }, null, 2))).body).toMatchObject({ started: false });
		// One request's other events share the trace id and are not repeats.
		expect((await deliver(endpoint, event('MEMBER_UPDATED', { id: ANA, email: 'ana.ruiz@example.com' }, trace))).body).toEqual({ message: 'Workflow was started' });
		expect((await deliver(endpoint, event('MEMBERSHIP_UPDATED', { id: 'a'.repeat(24), user_id: ANA, status: 'ACTIVE', modified: '2026-03-02T13:59:59Z' }, trace))).body).toEqual({
			message: 'Workflow was started',
		});
		expect(endpoint.executions).toHaveLength(3);
		expect(startedItems(endpoint).map(([item]) => item.deliveryId)).toEqual([
			`trace:${trace}:MEMBERSHIP_UPDATED:${'a'.repeat(24)}:2026-03-02T13:59:57Z`,
			`trace:${trace}:MEMBER_UPDATED:${ANA}:`,
			`trace:${trace}:MEMBERSHIP_UPDATED:${'a'.repeat(24)}:2026-03-02T13:59:59Z`,
		]);
	});

	it('without a trace id, a repeat of the same bytes starts nothing and different bytes do', async () => {
		const body = JSON.stringify(event('BOOKING_CREATED', { id: 'b'.repeat(24), user_id: LENA }, null));
		await deliver(endpoint, body);
		expect((await deliver(endpoint, body)).body).toMatchObject({ started: false, reason: 'duplicate delivery of this event' });
		await deliver(endpoint, body.replace('BOOKING_CREATED', 'BOOKING_DELETED'));
		expect(startedItems(endpoint).map(([item]) => item.deliveryId)).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/), expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
	});

	it('handles a 1 MB delivery', async () => {
		const memberIds = Array.from({ length: 2000 }, (_, i) => i.toString(16).padStart(24, '0'));
		const body = {
			type: 'SERVICE_UPDATED',
			metadata: { trace_id: traceId(), location_id: LOCATION, version: '1' },
			timestamp: '2026-03-02T13:00:00Z',
			payload: { id: 'e'.repeat(24), member_ids: [ANA, ...memberIds.slice(0, 3)], notes: 'x'.repeat(1024 * 1024), history: memberIds },
		};
		const raw = JSON.stringify(body);
		expect(raw.length).toBeGreaterThan(1024 * 1024);
		expect((await post(endpoint, raw, { signature: sign(raw) })).status).toBe(200);
		const [items] = startedItems(endpoint);
		expect(items.map((item) => item.sourceId)).toEqual([ANA, ...memberIds.slice(0, 3)]);
		// A byte changed anywhere in it is refused.
		const tampered = raw.slice(0, -10) + raw.slice(-10).replace('0', '1');
		expect((await post(endpoint, tampered, { signature: sign(raw) })).status).toBe(401);
	});

	it('never puts the secret in an answer, an item or the run data', async () => {
		await deliver(endpoint, event('MEMBERSHIP_UPDATED', { id: 'a'.repeat(24), user_id: ANA }));
		await post(endpoint, '{}', { signature: sign('{}', 'wrong') });
		const text = JSON.stringify({ deliveries: endpoint.deliveries, runs: endpoint.executions.map((run) => run.runData) });
		expect(text).not.toContain(SECRET);
	});
});

describe('Glofox Trigger with the sandbox Glofox: a membership paused reaches the flow, which re-reads the person', () => {
	const profiles = {
		id: 'profiles',
		name: 'Profiles',
		type: 'n8n-nodes-gym-access.glofox',
		typeVersion: 1,
		position: [300, 0] as [number, number],
		parameters: { resource: 'accessProfile', operation: 'getAll', options: { people: '={{ $json.sourceId }}', referenceTime: DEMO_NOW } },
		credentials: { glofoxApi: { id: 'glofox-1', name: 'Glofox demo gym' } },
	};

	it('delivers the signed event, the trigger starts once (duplicate included), and the profile shows the new status', async () => {
		const endpoint = await activated({}, profiles);
		try {
			await fetch(`${sb.url}/__sandbox/glofox/webhooks`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ url: endpoint.url, secret: SECRET }),
			});
			const ana = sb.state.glofox.members.get(ANA)!;
			const answer = await deliverChange(
				sb.state.glofox,
				{ collection: 'members', upsert: { _id: ANA, membership: { ...ana.membership, status: 'PAUSED' } } },
				{ duplicate: true },
			);
			await endpoint.settle();
			expect(answer.delivered.map((d) => [d.event, d.status])).toEqual([
				['MEMBERSHIP_UPDATED', 200],
				['MEMBERSHIP_UPDATED', 200],
			]);
			expect(endpoint.deliveries.map((d) => d.started)).toEqual([true, false]);
			expect(endpoint.executions).toHaveLength(1);
			const [run] = endpoint.executions;
			expect(run.error).toBeUndefined();
			expect(run.output('Profiles')).toEqual([
				expect.objectContaining({ source: 'glofox', sourceId: ANA, email: 'ana.ruiz@example.com', memberships: [expect.objectContaining({ status: 'PAUSED' })] }),
			]);
		} finally {
			await fetch(`${sb.url}/__sandbox/glofox/webhooks`, { method: 'DELETE' });
			await endpoint.stop();
		}
	});
});
