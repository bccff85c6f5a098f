/**
 * The sandbox's Glofox webhooks (docs/spec/sandbox.md, Additions): targets registered as Glofox
 * support would (`/__sandbox/glofox/webhooks`), and the signed events a change to Glofox's state
 * sends them (`deliverChange`, which `POST /__sandbox/change` calls for `service: "glofox"`).
 * Shapes from Glofox's OpenAPI 2.3.0 (`webhooks`, `components.schemas.*Event`;
 * Zchasse63/potential-chainsaw @ 88e290c docs/glofox/openapi.json).
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { type RunningSandbox, ScenarioError } from '../../sandbox';
import { deliverChange } from '../../sandbox/glofox';
import { D, type Json, demo, glofoxHeaders, start } from './helpers';

/** The payload properties of each event schema in Glofox's OpenAPI (the sandbox sends these and no others). */
const SCHEMA_FIELDS: Record<string, string[]> = {
	MEMBER: ['id', 'first_name', 'last_name', 'email', 'home_location_id', 'gender', 'birth', 'phone', 'role', 'active', 'emergency_contact', 'namespace', 'parent_id', 'contact_email', 'image_url', 'created', 'modified'],
	MEMBERSHIP: ['id', 'user_id', 'membership_definition', 'price', 'upfront_fee', 'contract', 'cycle', 'status', 'group', 'created', 'modified'],
	BOOKING: ['id', 'user_id', 'status', 'time_start', 'time_finish', 'guest_bookings', 'model', 'model_id', 'paid', 'attended', 'course_session_id', 'created', 'modified'],
	COURSE_BOOKING: ['id', 'user_id', 'course_id', 'status', 'date_start', 'date_finish', 'guest_bookings', 'paid', 'schedule', 'created', 'modified'],
};
const domainOf = (type: string) => type.replace(/_(CREATED|UPDATED|DELETED)$/, '');

interface Received {
	headers: Record<string, string | string[] | undefined>;
	raw: string;
	body: Json;
}

/** A loopback receiver that records every POST and answers `status`. */
class Receiver {
	readonly received: Received[] = [];
	status = 200;
	private server?: Server;
	url = '';

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				this.received.push({ headers: req.headers, raw, body: JSON.parse(raw) });
				res.writeHead(this.status).end();
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook/glofox`;
		return this;
	}

	async stop(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}
}

const scenario = demo() as unknown as { glofox: { members: Json[]; bookings: Json[]; events: Json[]; memberships: Json[]; credits: Json[]; accesses: Json[] } };
const member = (email: string) => scenario.glofox.members.find((m) => m.email === email);
const ANA = member('ana.ruiz@example.com');
const SECRET = 'glofox-webhook-secret-for-tests';
const sign = (raw: string, secret = SECRET) => createHmac('sha256', secret).update(raw).digest('hex');

let sb: RunningSandbox;
let receiver: Receiver;

async function control(method: string, path: string, body?: unknown) {
	const res = await fetch(`${sb.url}/__sandbox${path}`, {
		method,
		headers: body === undefined ? undefined : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, body: (await res.json()) as Json };
}

beforeAll(async () => {
	sb = await start();
	receiver = await new Receiver().start();
});

afterAll(async () => {
	await receiver?.stop();
	await sb?.close();
});

beforeEach(async () => {
	await control('POST', '/scenario', demo());
	await control('POST', '/glofox/webhooks', { url: receiver.url, secret: SECRET });
	receiver.received.length = 0;
	receiver.status = 200;
});

describe('Glofox webhook targets (what Glofox support sets up)', () => {
	it('registers, lists, replaces the secret of a URL, and clears one or all', async () => {
		expect((await control('GET', '/glofox/webhooks')).body).toEqual({ webhooks: [{ url: receiver.url, secret: SECRET }] });
		await control('POST', '/glofox/webhooks', { url: receiver.url, secret: 'another' });
		await control('POST', '/glofox/webhooks', { url: 'http://127.0.0.1:9/other', secret: 's2' });
		expect((await control('GET', '/glofox/webhooks')).body.webhooks).toEqual([
			{ url: receiver.url, secret: 'another' },
			{ url: 'http://127.0.0.1:9/other', secret: 's2' },
		]);
		// They are part of the state (and so of a saved scenario).
		expect((await control('GET', '/state')).body.glofox.webhooks).toHaveLength(2);
		expect((await control('DELETE', `/glofox/webhooks?url=${encodeURIComponent('http://127.0.0.1:9/other')}`)).body).toEqual({ cleared: 1 });
		expect((await control('DELETE', '/glofox/webhooks')).body).toEqual({ cleared: 1 });
		expect((await control('GET', '/glofox/webhooks')).body).toEqual({ webhooks: [] });
	});

	it('refuses a target without an http(s) URL or a secret', async () => {
		expect((await control('POST', '/glofox/webhooks', { url: 'ftp://x', secret: 's' })).status).toBe(400);
		expect((await control('POST', '/glofox/webhooks', { url: receiver.url })).status).toBe(400);
		expect((await control('POST', '/glofox/webhooks', { url: receiver.url, secret: '' })).status).toBe(400);
	});
});

describe('a change to Glofox delivers its signed events', () => {
	it('a membership paused: MEMBERSHIP_UPDATED, PascalCase envelope, signed with the secret over the raw body; the API shows the change', async () => {
		const answer = await deliverChange(sb.state.glofox, { collection: 'members', upsert: { _id: ANA._id, membership: { ...ANA.membership, status: 'PAUSED' } } });
		expect(answer.delivered).toEqual([expect.objectContaining({ url: receiver.url, status: 200, event: 'MEMBERSHIP_UPDATED', attempts: 1 })]);
		expect(receiver.received).toHaveLength(1);
		const [delivery] = receiver.received;
		expect(delivery.headers.signature).toBe(sign(delivery.raw));
		expect(delivery.headers['content-type']).toBe('application/json');
		expect(Object.keys(delivery.body)).toEqual(['Type', 'Metadata', 'Timestamp', 'Payload']);
		expect(delivery.body).toMatchObject({
			Type: 'MEMBERSHIP_UPDATED',
			Metadata: { trace_id: expect.stringMatching(/^[0-9a-f]{32}$/), location_id: D.glofox.branchId, version: '1' },
			Timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
			Payload: {
				id: ANA.membership.user_membership_id,
				user_id: ANA._id,
				status: 'PAUSED',
				membership_definition: expect.objectContaining({ plan_code: '1001', type: 'time' }),
			},
		});
		expect(Object.keys(delivery.body.Payload).sort()).toEqual([...SCHEMA_FIELDS.MEMBERSHIP].sort());
		// What a receiver re-reads is the new state.
		const res = await fetch(`${sb.glofoxUrl}/2.0/members/${ANA._id}`, { headers: glofoxHeaders });
		expect(((await res.json()) as Json).membership.status).toBe('PAUSED');
	});

	it('a new member with a membership: MEMBER_CREATED and MEMBERSHIP_CREATED, one trace id', async () => {
		const newcomer = { _id: 'abcdefabcdefabcdefabcdef', first_name: 'Nia', last_name: 'New', email: 'nia.new@example.com', membership: { ...ANA.membership, user_membership_id: 'fedcbafedcbafedcbafedcba' } };
		const answer = await deliverChange(sb.state.glofox, { collection: 'members', upsert: newcomer });
		expect(answer.events).toEqual(['MEMBER_CREATED', 'MEMBERSHIP_CREATED']);
		const [memberEvent, membershipEvent] = receiver.received.map((r) => r.body);
		expect(memberEvent.Payload).toMatchObject({ id: newcomer._id, email: 'nia.new@example.com', active: true, home_location_id: D.glofox.branchId });
		expect(Object.keys(memberEvent.Payload).sort()).toEqual([...SCHEMA_FIELDS.MEMBER].sort());
		expect(membershipEvent.Payload).toMatchObject({ user_id: newcomer._id, id: 'fedcbafedcbafedcbafedcba', status: 'ACTIVE' });
		expect(membershipEvent.Metadata.trace_id).toBe(memberEvent.Metadata.trace_id);
	});

	it('a member changed without their membership: MEMBER_UPDATED only; deleted: MEMBER_UPDATED with active false (Glofox deletes softly)', async () => {
		const xena = member('xena.lead@example.com');
		await deliverChange(sb.state.glofox, { collection: 'members', upsert: { _id: xena._id, last_name: 'Renamed' } });
		expect(receiver.received.map((r) => r.body.Type)).toEqual(['MEMBER_UPDATED']);
		expect(receiver.received[0].body.Payload).toMatchObject({ id: xena._id, last_name: 'Renamed', active: true });
		receiver.received.length = 0;
		await deliverChange(sb.state.glofox, { collection: 'members', delete: xena._id });
		expect(receiver.received.map((r) => [r.body.Type, r.body.Payload.active])).toEqual([['MEMBER_UPDATED', false]]);
	});

	it('a membership removed: MEMBERSHIP_DELETED; a catalogue change: nothing (Glofox documents no event for it)', async () => {
		await deliverChange(sb.state.glofox, { collection: 'members', upsert: { _id: ANA._id, membership: null } });
		expect(receiver.received.map((r) => [r.body.Type, r.body.Payload.user_id])).toEqual([['MEMBERSHIP_DELETED', ANA._id]]);
		receiver.received.length = 0;
		const catalogue = scenario.glofox.memberships[0];
		expect((await deliverChange(sb.state.glofox, { collection: 'memberships', upsert: { ...catalogue, name: 'Renamed' } })).delivered).toEqual([]);
		expect(receiver.received).toEqual([]);
	});

	it('bookings: BOOKING_CREATED, _UPDATED (attended), _DELETED with ISO times; a course booking: COURSE_BOOKING_CREATED', async () => {
		const yoga = scenario.glofox.events.find((e) => e.name === 'Afternoon Yoga');
		const booking = { _id: '0123456789abcdef01234567', user_id: ANA._id, event_id: yoga._id, status: 'BOOKED' };
		await deliverChange(sb.state.glofox, { collection: 'bookings', upsert: booking });
		await deliverChange(sb.state.glofox, { collection: 'bookings', upsert: { _id: booking._id, attended: true } });
		await deliverChange(sb.state.glofox, { collection: 'bookings', delete: booking._id });
		expect(receiver.received.map((r) => r.body.Type)).toEqual(['BOOKING_CREATED', 'BOOKING_UPDATED', 'BOOKING_DELETED']);
		const created = receiver.received[0].body.Payload;
		expect(created).toMatchObject({
			id: booking._id,
			user_id: ANA._id,
			status: 'BOOKED',
			model: 'events',
			model_id: yoga._id,
			time_start: new Date(yoga.time_start * 1000).toISOString(),
			time_finish: new Date((yoga.time_start + yoga.duration * 60) * 1000).toISOString(),
		});
		expect(Object.keys(created).sort()).toEqual([...SCHEMA_FIELDS.BOOKING].sort());
		expect(receiver.received[1].body.Payload.attended).toBe(true);

		receiver.received.length = 0;
		const course = scenario.glofox.events.find((e) => e.type === 'course');
		await deliverChange(sb.state.glofox, { collection: 'bookings', upsert: { ...booking, _id: '0123456789abcdef01234568', event_id: course._id } });
		expect(receiver.received.map((r) => r.body.Type)).toEqual(['COURSE_BOOKING_CREATED']);
		expect(Object.keys(receiver.received[0].body.Payload).sort()).toEqual([...SCHEMA_FIELDS.COURSE_BOOKING].sort());
		for (const r of receiver.received) expect(Object.keys(SCHEMA_FIELDS)).toContain(domainOf(r.body.Type));
	});

	it('?duplicate: each event twice, the same bytes (same trace id)', async () => {
		await deliverChange(sb.state.glofox, { collection: 'members', upsert: { _id: ANA._id, membership: { ...ANA.membership, status: 'LOCKED' } } }, { duplicate: true });
		expect(receiver.received).toHaveLength(2);
		expect(receiver.received[1].raw).toBe(receiver.received[0].raw);
		expect(receiver.received[1].headers.signature).toBe(receiver.received[0].headers.signature);
	});

	it('every target gets the event signed with its own secret', async () => {
		const other = await new Receiver().start();
		try {
			await control('POST', '/glofox/webhooks', { url: other.url, secret: 'the-other-secret' });
			await deliverChange(sb.state.glofox, { collection: 'members', upsert: { _id: ANA._id, membership: { ...ANA.membership, status: 'CANCELLED' } } });
			expect(receiver.received[0].headers.signature).toBe(sign(receiver.received[0].raw));
			expect(other.received[0].headers.signature).toBe(sign(other.received[0].raw, 'the-other-secret'));
			expect(other.received[0].raw).toBe(receiver.received[0].raw);
		} finally {
			await other.stop();
		}
	});

	it('a receiver that fails is tried three times in all; one that cannot be reached is reported with no status', async () => {
		receiver.status = 500;
		const answer = await deliverChange(sb.state.glofox, { collection: 'members', upsert: { _id: ANA._id, membership: { ...ANA.membership, status: 'PAUSED' } } });
		expect(answer.delivered).toEqual([expect.objectContaining({ status: 500, attempts: 3 })]);
		expect(receiver.received).toHaveLength(3);
		await control('DELETE', '/glofox/webhooks');
		await control('POST', '/glofox/webhooks', { url: 'http://127.0.0.1:9/closed', secret: SECRET });
		const unreachable = await deliverChange(sb.state.glofox, { collection: 'members', upsert: { _id: ANA._id, membership: { ...ANA.membership, status: 'ACTIVE' } } });
		expect(unreachable.delivered).toEqual([expect.objectContaining({ status: null, error: expect.any(String) })]);
	});

	it('refuses a change the state refuses (as a scenario would), changing nothing and sending nothing', async () => {
		const yoga = scenario.glofox.events.find((e) => e.name === 'Afternoon Yoga');
		const bad = { collection: 'bookings', upsert: { _id: '0123456789abcdef01234569', user_id: 'ffffffffffffffffffffffff', event_id: yoga._id, status: 'BOOKED' } };
		await expect(deliverChange(sb.state.glofox, bad)).rejects.toThrow(ScenarioError);
		await expect(deliverChange(sb.state.glofox, { collection: 'members', upsert: { _id: ANA._id, membership: { ...ANA.membership, status: 'SLEEPING' } } })).rejects.toThrow(ScenarioError);
		await expect(deliverChange(sb.state.glofox, { collection: 'nonsense', delete: ANA._id })).rejects.toThrow(/collection/);
		expect(receiver.received).toEqual([]);
		expect((await control('GET', '/state')).body.glofox.bookings).toHaveLength(scenario.glofox.bookings.length);
	});
});
