/**
 * TeamUp's push side in the sandbox: webhook destinations and `POST /__sandbox/change`, which
 * applies a change to the state and delivers its feed item to every destination as TeamUp does
 * (`{"feed_items": [...]}`, header TEAMUP-WEBHOOK-ID, unsigned; 410 Gone disables a destination).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { RunningSandbox } from '../../sandbox';
import { control, demo, start, teamup, type Json } from './helpers';

interface Received {
	path: string;
	headers: IncomingHttpHeaders;
	body: Json;
}

let sb: RunningSandbox;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** The status the receiver answers with (per path; 200 by default). */
const answers = new Map<string, number>();

beforeAll(async () => {
	sb = await start();
	receiver = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const path = req.url ?? '/';
			received.push({ path, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
			res.writeHead(answers.get(path.split('?')[0]) ?? 200).end();
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
	await sb.close();
	await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
beforeEach(() => {
	sb.state.load(demo());
	received.length = 0;
	answers.clear();
});

const customers = () => [...sb.state.teamup.customers.values()];
const firstMembership = () => [...sb.state.teamup.customerMemberships.values()][0];
const change = async (body: unknown, query = '') => await control(sb, `/change${query}`, { method: 'POST', body });
const register = async (url: string) => await teamup(sb, '/webhook_destinations', { method: 'POST', body: { url } });

describe('webhook destinations (listed in TeamUp’s reference; bodies and DELETE are the sandbox’s reading)', () => {
	test('POST creates one from {url} (201), GET lists it in TeamUp’s page envelope, DELETE removes it', async () => {
		const created = await register(`${receiverUrl}/hook?secret=s3`);
		expect(created.status).toBe(201);
		expect(created.body).toEqual({ id: 1, object: 'webhook_destination', url: `${receiverUrl}/hook?secret=s3`, active: true, created_at: expect.any(String) });
		const listed = await teamup(sb, '/webhook_destinations');
		expect(listed.status).toBe(200);
		expect(listed.body).toMatchObject({ count: 1, next: null, previous: null, results: [created.body] });
		expect((await teamup(sb, `/webhook_destinations/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
		expect((await teamup(sb, `/webhook_destinations/${created.body.id}`, { method: 'DELETE' })).status).toBe(404);
		expect((await teamup(sb, '/webhook_destinations')).body.count).toBe(0);
	});

	test('a missing or non-HTTP url is refused with TeamUp’s field errors; the token is required', async () => {
		const missing = await teamup(sb, '/webhook_destinations', { method: 'POST', body: {} });
		expect(missing.status).toBe(400);
		expect(missing.body).toMatchObject({ code: 'parameter_invalid', field_errors: { url: ['This field is required.'] } });
		const ftp = await register('ftp://example.com/hook');
		expect(ftp.status).toBe(400);
		expect(ftp.body.field_errors).toEqual({ url: ['Enter a valid URL.'] });
		expect((await teamup(sb, '/webhook_destinations', { auth: null })).status).toBe(401);
	});

	test('destinations are part of the state: GET /state shows them and a scenario can hold them', async () => {
		await register(`${receiverUrl}/a`);
		const state = (await control(sb, '/state')).body;
		expect(state.teamup.webhook_destinations).toEqual([expect.objectContaining({ id: 1, url: `${receiverUrl}/a`, active: true })]);
		expect((await control(sb, '/scenario', { method: 'POST', body: state })).status).toBe(200);
		expect((await teamup(sb, '/webhook_destinations')).body.count).toBe(1);
	});
});

describe('POST /__sandbox/change for TeamUp', () => {
	test('applies the change and delivers one feed item to every destination, with its own TEAMUP-WEBHOOK-ID', async () => {
		await register(`${receiverUrl}/one`);
		await register(`${receiverUrl}/two?secret=x`);
		const cm = firstMembership();
		const answer = await change({ service: 'teamup', collection: 'customer_memberships', upsert: { id: cm.id, status: 'cancelled' } });
		expect(answer.status).toBe(200);
		expect(answer.body.delivered).toEqual(
			expect.arrayContaining([
				{ url: `${receiverUrl}/one`, status: 200 },
				{ url: `${receiverUrl}/two?secret=x`, status: 200 },
			]),
		);
		// The change is in the state the API serves.
		expect((await teamup(sb, `/customer_memberships/${cm.id}`)).body.status).toBe('cancelled');
		expect(received.map((r) => r.path).sort()).toEqual(['/one', '/two?secret=x']);
		for (const delivery of received) {
			expect(delivery.headers['content-type']).toBe('application/json');
			expect(delivery.headers['teamup-webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
			expect(delivery.body).toEqual({
				feed_items: [
					{
						object: 'feed_item',
						id: 1,
						timestamp: expect.any(String),
						type: 'customer_membership.updated',
						resources: { customer: cm.customer, customer_membership: cm.id },
					},
				],
			});
		}
		expect(received[0].headers['teamup-webhook-id']).not.toBe(received[1].headers['teamup-webhook-id']);
		// No signature header: TeamUp documents none.
		expect(Object.keys(received[0].headers).filter((name) => /signature/i.test(name))).toEqual([]);
	});

	test('a new object is created, a deleted one removed; registrations are event_registration items; ids count up', async () => {
		await register(`${receiverUrl}/hook`);
		const customer = customers()[0];
		const created = await change({
			service: 'teamup',
			collection: 'customers',
			upsert: { id: 999001, first_name: 'New', last_name: 'Member', email: 'new.member@example.com' },
		});
		expect(created.status).toBe(200);
		expect((await teamup(sb, '/customers/999001')).body.email).toBe('new.member@example.com');
		const event = [...sb.state.teamup.events.values()][0];
		await change({ service: 'teamup', collection: 'attendances', upsert: { id: 777001, customer: customer.id, event: event.id, status: 'registered' } });
		const removed = await change({ service: 'teamup', collection: 'attendances', delete: 777001 });
		expect(removed.status).toBe(200);
		expect((await teamup(sb, '/attendances/777001')).status).toBe(404);
		expect(received.map((r) => r.body.feed_items[0])).toEqual([
			expect.objectContaining({ id: 1, type: 'customer.created', resources: { customer: 999001 } }),
			expect.objectContaining({ id: 2, type: 'event_registration.created', resources: { customer: customer.id, attendance: 777001 } }),
			expect.objectContaining({ id: 3, type: 'event_registration.deleted', resources: { customer: customer.id, attendance: 777001 } }),
		]);
	});

	test('a change that names no customer (a class) is delivered without one', async () => {
		await register(`${receiverUrl}/hook`);
		const event = [...sb.state.teamup.events.values()][0];
		await change({ service: 'teamup', collection: 'events', upsert: { id: event.id, name: 'Renamed class' } });
		expect(received[0].body.feed_items[0].resources).toEqual({ event: event.id });
	});

	test('?duplicate=1 delivers the same feed item twice with the same TEAMUP-WEBHOOK-ID', async () => {
		await register(`${receiverUrl}/hook`);
		const answer = await change({ service: 'teamup', collection: 'customer_memberships', upsert: { id: firstMembership().id, status: 'hold' } }, '?duplicate=1');
		expect(answer.body.delivered).toEqual([
			{ url: `${receiverUrl}/hook`, status: 200 },
			{ url: `${receiverUrl}/hook`, status: 200 },
		]);
		expect(received).toHaveLength(2);
		expect(received[0].headers['teamup-webhook-id']).toBe(received[1].headers['teamup-webhook-id']);
		expect(received[0].body).toEqual(received[1].body);
	});

	test('failures are reported; a destination that answers 410 Gone is disabled for good', async () => {
		await register(`${receiverUrl}/gone`);
		await register(`${receiverUrl}/broken`);
		await register('http://127.0.0.1:9/nobody-listens');
		answers.set('/gone', 410);
		answers.set('/broken', 500);
		const first = await change({ service: 'teamup', collection: 'customer_memberships', upsert: { id: firstMembership().id, status: 'hold' } });
		expect(first.body.delivered).toEqual(
			expect.arrayContaining([
				{ url: `${receiverUrl}/gone`, status: 410 },
				{ url: `${receiverUrl}/broken`, status: 500 },
				{ url: 'http://127.0.0.1:9/nobody-listens', status: null, error: expect.any(String) },
			]),
		);
		expect((await teamup(sb, '/webhook_destinations')).body.results.find((d: Json) => d.url.endsWith('/gone')).active).toBe(false);
		const second = await change({ service: 'teamup', collection: 'customer_memberships', upsert: { id: firstMembership().id, status: 'active' } });
		expect(second.body.delivered.map((d: Json) => d.url)).not.toContain(`${receiverUrl}/gone`);
	});

	test('a change the state refuses is answered 400 with the problems, nothing changed and nothing delivered', async () => {
		await register(`${receiverUrl}/hook`);
		const cm = firstMembership();
		const cases: Array<[unknown, RegExp]> = [
			[{ service: 'teamup', collection: 'customer_memberships', upsert: { id: cm.id, status: 'paused' } }, /status/],
			[{ service: 'teamup', collection: 'customer_memberships', upsert: { id: cm.id, customer: 424242 } }, /customer 424242 does not exist/],
			[{ service: 'teamup', collection: 'customers', delete: cm.customer }, /does not exist/],
			[{ service: 'teamup', collection: 'customers', delete: 123 }, /no object with id 123/],
			[{ service: 'teamup', collection: 'customers', upsert: { first_name: 'No id' } }, /needs the object/],
			[{ service: 'teamup', collection: 'customers' }, /exactly one of/],
			[{ service: 'teamup', collection: 'customer_membership_usage', delete: 1 }, /not one of/],
			[{ service: 'teamup', collection: 'webhook_destinations', delete: 1 }, /not one of/],
			[{ service: 'kisi', collection: 'shares', delete: 1 }, /service must be/],
			[{ collection: 'customers', delete: 1 }, /service must be/],
		];
		for (const [body, message] of cases) {
			const answer = await change(body);
			expect({ body, status: answer.status }).toEqual({ body, status: 400 });
			expect(JSON.stringify(answer.body)).toMatch(message);
		}
		expect((await teamup(sb, `/customer_memberships/${cm.id}`)).body.status).toBe(cm.status);
		expect((await change('{oops')).status).toBe(400);
		expect(received).toEqual([]);
	});

	test('the same endpoint takes Glofox changes (Glofox’s own part, sandbox/glofox): a bad one is refused naming its problem', async () => {
		const answer = await change({ service: 'glofox', collection: 'nothing', delete: 'x' });
		expect(answer.status).toBe(400);
		expect(answer.body.error).toMatch(/collection: "nothing" is not one of/);
	});
});
