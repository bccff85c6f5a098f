import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import type { RunningSandbox } from '../../sandbox';
import { DEMO_KISI } from '../../sandbox/scenarios/demo';
import documentedWebhook from '../fixtures/vendor/kisi/event-webhook-lock-unlock.json';
import { control, demo, kisi, start, type Json } from './helpers';

const K = DEMO_KISI;
let sb: RunningSandbox;

beforeAll(async () => {
	sb = await start();
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => {
	sb.state.load(demo());
});

describe('Kisi authentication and errors', () => {
	test('missing and wrong login → 401 with the Error body', async () => {
		const none = await kisi(sb, '/user', { key: null });
		expect(none.status).toBe(401);
		expect(Object.keys(none.body).sort()).toEqual(['code', 'error']);
		const wrong = await kisi(sb, '/user', { key: 'nope' });
		expect(wrong.status).toBe(401);
		expect(typeof wrong.body.error).toBe('string');
		expect(wrong.body.code).toMatch(/^[0-9a-f]{6}$/);
	});

	test('GET /user returns the key owner', async () => {
		const me = await kisi(sb, '/user');
		expect(me.status).toBe(200);
		expect(me.body).toMatchObject({ id: K.users.owner, resource_type: 'User', email: 'owner@demo.gym', organization_id: 1 });
		const manager = await kisi(sb, '/user', { key: 'kisi-manager-key' });
		expect(manager.body.id).toBe(K.users.manager);
	});

	test('unknown id → 404 Error body; unknown route → 404', async () => {
		const r = await kisi(sb, '/groups/777');
		expect(r.status).toBe(404);
		expect(r.body).toEqual({ error: expect.any(String), code: expect.any(String) });
		expect((await kisi(sb, '/nothing-here')).status).toBe(404);
	});

	test('write payloads must be wrapped in the resource name', async () => {
		const r = await kisi(sb, '/groups', { method: 'POST', body: { name: 'Unwrapped' } });
		expect(r.status).toBe(400);
		expect(r.body.error).toMatch(/group/);
	});

	test('a write is read as a request even when it carries fields named like an answer', async () => {
		const r = await kisi(sb, '/users', { method: 'POST', body: { user: { email: 'status.field@example.com', status: 500, body: { echoed: true } } } });
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ resource_type: 'User', email: 'status.field@example.com' });
	});
});

describe('Kisi paging', () => {
	test('X-Collection-Range: start-end/total with end = offset+limit-1, */total on empty pages', async () => {
		const first = await kisi(sb, '/shares?limit=3');
		expect(first.status).toBe(200);
		expect(Array.isArray(first.body)).toBe(true);
		expect(first.body).toHaveLength(3);
		expect(first.headers.get('x-collection-range')).toBe('0-2/9');
		const last = await kisi(sb, '/shares?limit=3&offset=7');
		expect(last.body).toHaveLength(2);
		expect(last.headers.get('x-collection-range')).toBe('7-9/9');
		const beyond = await kisi(sb, '/shares?limit=3&offset=10');
		expect(beyond.body).toEqual([]);
		expect(beyond.headers.get('x-collection-range')).toBe('*/9');
		const empty = await kisi(sb, '/integrations');
		expect(empty.body).toEqual([]);
		expect(empty.headers.get('x-collection-range')).toBe('*/0');
	});

	test('defaults: groups 10, users 50; maxima enforced with 422', async () => {
		for (let i = 0; i < 12; i++) await kisi(sb, '/groups', { method: 'POST', body: { group: { name: `G${i}` } } });
		const groups = await kisi(sb, '/groups');
		expect(groups.body).toHaveLength(10);
		expect(groups.headers.get('x-collection-range')).toBe('0-9/18');
		const users = await kisi(sb, '/users');
		expect(users.headers.get('x-collection-range')).toBe('0-49/7');
		const tooMany = await kisi(sb, '/users?limit=101');
		expect(tooMany.status).toBe(422);
		expect(tooMany.body).toEqual({ errors: { limit: ['must be less than or equal to 100'] } });
		expect((await kisi(sb, '/groups?limit=250')).status).toBe(200);
		expect((await kisi(sb, '/groups?limit=251')).status).toBe(422);
	});

	test('offset maximum 20000', async () => {
		expect((await kisi(sb, '/users?offset=20000')).status).toBe(200);
		const r = await kisi(sb, '/users?offset=20001');
		expect(r.status).toBe(422);
		expect(r.body).toEqual({ errors: { offset: ['must be less than or equal to 20000'] } });
	});
});

describe('Kisi groups', () => {
	test('create 200, patch 204 (place_id unchangeable), delete 204, scope filter', async () => {
		const created = await kisi(sb, '/groups', { method: 'POST', body: { group: { name: 'Night Owls', place_id: K.placeId } } });
		expect(created.status).toBe(200);
		expect(created.body).toMatchObject({ resource_type: 'Group', name: 'Night Owls', place_id: K.placeId, place: { id: K.placeId, resource_type: 'Place', name: 'Main Street' } });
		const id = created.body.id;
		const patched = await kisi(sb, `/groups/${id}`, { method: 'PATCH', body: { group: { name: 'Night Owls 2', place_id: null } } });
		expect(patched.status).toBe(204);
		expect(patched.text).toBe('');
		const after = await kisi(sb, `/groups/${id}`);
		expect(after.body).toMatchObject({ name: 'Night Owls 2', place_id: K.placeId });
		const org = await kisi(sb, '/groups?scope=organization');
		expect(org.body.map((g: Json) => g.id)).toEqual([K.membersGroupId, K.glofoxGroupId, K.teamupGroupId, K.premiumGroupId, K.classGroupId]);
		const place = await kisi(sb, '/groups?scope=place');
		expect(place.body.map((g: Json) => g.id)).toEqual([K.placeGroupId, id]);
		expect((await kisi(sb, '/groups?scope=planet')).status).toBe(422);
		expect((await kisi(sb, `/groups/${id}`, { method: 'DELETE' })).status).toBe(204);
		expect((await kisi(sb, `/groups/${id}`)).status).toBe(404);
	});

	test('users_count and locks_count are derived', async () => {
		const g = await kisi(sb, `/groups/${K.membersGroupId}`);
		expect(g.body).toMatchObject({ users_count: 3, locks_count: 2 });
	});
});

describe('Kisi shares', () => {
	test('create for a new email auto-creates the user; created_by is the key user', async () => {
		const before = await kisi(sb, '/users?email=new.member@example.com');
		expect(before.body).toEqual([]);
		const r = await kisi(sb, '/shares', {
			method: 'POST',
			body: { share: { email: 'New.Member@Example.com', group_id: K.membersGroupId, role_id: 'basic', notify: false, valid_from: '2026-03-02T13:00:00Z', valid_until: '2026-03-02T17:00:00+01:00' } },
		});
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({
			resource_type: 'Share',
			email: 'new.member@example.com',
			group_id: K.membersGroupId,
			group: { id: K.membersGroupId, resource_type: 'Group', name: 'Members' },
			role_id: 'basic',
			valid_from: '2026-03-02T13:00:00Z',
			valid_until: '2026-03-02T16:00:00Z',
			created_by_type: 'User',
			created_by_id: K.users.owner,
			created_by: { id: K.users.owner, email: 'owner@demo.gym' },
			place_id: null,
		});
		const user = await kisi(sb, '/users?email=NEW.member@example.com');
		expect(user.body).toHaveLength(1);
		expect(user.body[0].id).toBe(r.body.user_id);
		const byManager = await kisi(sb, '/shares', { method: 'POST', key: 'kisi-manager-key', body: { share: { email: 'another@example.com', group_id: K.membersGroupId } } });
		expect(byManager.body.created_by_id).toBe(K.users.manager);
	});

	test('a second share for the same email in the same group → 422 has already been taken', async () => {
		const r = await kisi(sb, '/shares', { method: 'POST', body: { share: { email: ' ANA.RUIZ@example.com', group_id: K.membersGroupId } } });
		expect(r.status).toBe(422);
		expect(r.body).toEqual({ errors: { email: ['has already been taken'] } });
		const other = await kisi(sb, '/shares', { method: 'POST', body: { share: { email: 'ana.ruiz@example.com', group_id: K.placeGroupId } } });
		expect(other.status).toBe(200);
	});

	test('validation errors → 422 Errors body', async () => {
		const r = await kisi(sb, '/shares', { method: 'POST', body: { share: { email: 'not-an-email', group_id: 777, role_id: 'owner', valid_from: 'yesterday' } } });
		expect(r.status).toBe(422);
		expect(r.body.errors).toEqual({
			email: ["can't be blank or invalid"],
			group: ['must exist'],
			role_id: ['is not included in the list'],
			valid_from: ['is not a valid date-time'],
		});
	});

	test('PATCH accepts validity, ignores email/group; DELETE keeps the user', async () => {
		const id = K.shares.danMembers;
		const patched = await kisi(sb, `/shares/${id}`, { method: 'PATCH', body: { share: { valid_until: '2026-03-03T00:00:00Z', email: 'x@y.z', group_id: K.placeGroupId } } });
		expect(patched.status).toBe(204);
		const share = await kisi(sb, `/shares/${id}`);
		expect(share.body).toMatchObject({ valid_until: '2026-03-03T00:00:00Z', email: 'dan.whitfield@example.com', group_id: K.membersGroupId });
		expect((await kisi(sb, `/shares/${id}`, { method: 'PATCH', body: { share: { valid_until: '2020-01-01T00:00:00Z' } } })).status).toBe(422);
		const del = await kisi(sb, `/shares/${id}`, { method: 'DELETE' });
		expect(del.status).toBe(204);
		expect(del.text).toBe('');
		expect((await kisi(sb, `/shares/${id}`)).status).toBe(404);
		const user = await kisi(sb, `/users/${K.users.dan}`);
		expect(user.status).toBe(200);
		expect(user.body.email).toBe('dan.whitfield@example.com');
		expect((await kisi(sb, `/shares/${id}`, { method: 'DELETE' })).status).toBe(404);
	});

	test('list filters: group_id, user_id=me, query (case-insensitive), place_id', async () => {
		const members = await kisi(sb, `/shares?group_id=${K.membersGroupId}&limit=250`);
		expect(members.body.map((s: Json) => s.id)).toEqual([K.shares.staffMembers, K.shares.danMembers, K.shares.anaMembers]);
		const q = await kisi(sb, '/shares?query=THEO');
		expect(q.body.map((s: Json) => s.id)).toEqual([K.shares.staffMembers, K.shares.staffPlaceGroup, K.shares.staffGlofoxGroup, K.shares.staffTeamupGroup]);
		const place = await kisi(sb, `/shares?place_id=${K.placeId}`);
		expect(place.body.map((s: Json) => s.id)).toEqual([K.shares.staffPlaceGroup]);
		const mine = await kisi(sb, '/shares?user_id=me');
		expect(mine.body).toEqual([]);
	});
});

describe('Kisi role assignments and users', () => {
	test('group role assignments and shares are one record', async () => {
		const created = await kisi(sb, '/role_assignments', {
			method: 'POST',
			body: { role_assignment: { applies_to_type: 'Group', applies_to_id: K.membersGroupId, assignee_type: 'User', assignee_id: K.users.lena, role_id: 'group_basic', valid_from: null, valid_until: '2026-03-02T17:00:00Z' } },
		});
		expect(created.status).toBe(200);
		expect(created.body).toMatchObject({ resource_type: 'RoleAssignment', role_id: 'group_basic', applies_to_type: 'Group', group_id: K.membersGroupId, assignee_id: K.users.lena, valid_until: '2026-03-02T17:00:00Z' });
		const asShare = await kisi(sb, `/shares/${created.body.id}`);
		expect(asShare.body).toMatchObject({ email: 'lena.fischer@example.com', role_id: 'basic' });
		const dup = await kisi(sb, '/shares', { method: 'POST', body: { share: { email: 'lena.fischer@example.com', group_id: K.membersGroupId } } });
		expect(dup.status).toBe(422);
		const legacy = await kisi(sb, '/role_assignments', { method: 'POST', body: { role_assignment: { user_id: K.users.lena, role_id: 'group_basic', group_id: K.placeGroupId } } });
		expect(legacy.status).toBe(200);
		const byUser = await kisi(sb, `/role_assignments?user_id=${K.users.lena}`);
		expect(byUser.body.map((r: Json) => r.group_id)).toEqual([K.membersGroupId, K.placeGroupId]);
		const orgRoles = await kisi(sb, '/role_assignments?applies_to_type=Organization');
		expect(orgRoles.body.map((r: Json) => r.role_id)).toEqual(['organization_owner', 'organization_administrator']);
		expect((await kisi(sb, `/role_assignments/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
		expect((await kisi(sb, `/shares/${created.body.id}`)).status).toBe(404);
	});

	test('users: create, duplicate email 422, patch access_enabled 204, delete 204', async () => {
		const u = await kisi(sb, '/users', { method: 'POST', body: { user: { email: 'Walk.In@Example.com', name: 'Walk In' } } });
		expect(u.status).toBe(200);
		expect(u.body).toMatchObject({ resource_type: 'User', email: 'walk.in@example.com', access_enabled: true });
		expect((await kisi(sb, '/users', { method: 'POST', body: { user: { email: 'walk.in@example.com' } } })).body).toEqual({ errors: { email: ['has already been taken'] } });
		expect((await kisi(sb, `/users/${u.body.id}`, { method: 'PATCH', body: { user: { access_enabled: false } } })).status).toBe(204);
		expect((await kisi(sb, `/users/${u.body.id}`)).body.access_enabled).toBe(false);
		const inGroup = await kisi(sb, `/users?group_id=${K.membersGroupId}`);
		expect(inGroup.body.map((x: Json) => x.id)).toEqual([K.users.staff, K.users.dan, K.users.ana]);
		expect((await kisi(sb, `/users/${u.body.id}`, { method: 'DELETE' })).status).toBe(204);
	});

	test('places and locks', async () => {
		const places = await kisi(sb, '/places');
		expect(places.body[0]).toMatchObject({ id: K.placeId, resource_type: 'Place', time_zone: 'Europe/London', locks_count: 2 });
		const locks = await kisi(sb, `/locks?place_id=${K.placeId}&query=front`);
		expect(locks.body.map((l: Json) => l.id)).toEqual([K.lockIds.frontDoor]);
		expect(locks.body[0].place).toMatchObject({ id: K.placeId, name: 'Main Street' });
	});
});

describe('Kisi unlock, integrations and webhooks', () => {
	let receiver: Server;
	let receiverUrl: string;
	const received: { headers: IncomingMessage['headers']; raw: string }[] = [];
	beforeAll(async () => {
		receiver = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
				res.writeHead(200).end('ok');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
	});
	afterAll(async () => {
		await new Promise((resolve) => receiver.close(resolve));
	});
	beforeEach(() => {
		received.length = 0;
	});

	test('integrations: create stores url/events/key, never echoes signature_key; PATCH 204; DELETE 204', async () => {
		const r = await kisi(sb, '/integrations', {
			method: 'POST',
			body: { integration: { type: 'event_webhook', name: 'n8n', enabled: true, url: receiverUrl, enabled_events: ['lock.unlock'], signature_key: 's3cret' } },
		});
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ resource_type: 'Integration', type: 'event_webhook', url: receiverUrl, enabled: true, enabled_events: ['lock.unlock'] });
		expect(r.body).not.toHaveProperty('signature_key');
		expect(sb.state.kisi.integrations.get(r.body.id)!.signature_key).toBe('s3cret');
		const bad = await kisi(sb, '/integrations', { method: 'POST', body: { integration: { type: 'event_webhook', name: 'x', url: 'ftp://nope' } } });
		expect(bad.status).toBe(422);
		expect(bad.body.errors.url).toEqual(['is invalid']);
		expect((await kisi(sb, `/integrations/${r.body.id}`, { method: 'PATCH', body: { integration: { enabled: false } } })).status).toBe(204);
		expect((await kisi(sb, `/integrations/${r.body.id}`, { method: 'DELETE' })).status).toBe(204);
	});

	test('control unlock delivers a signed lock.unlock event; ?duplicate=1 delivers it twice', async () => {
		const key = 'known-signature-key';
		await kisi(sb, '/integrations', { method: 'POST', body: { integration: { type: 'event_webhook', name: 'n8n', enabled: true, url: receiverUrl, enabled_events: ['lock.unlock'], signature_key: key } } });
		await kisi(sb, '/integrations', { method: 'POST', body: { integration: { type: 'event_webhook', name: 'other events', enabled: true, url: receiverUrl, enabled_events: ['lock.opened'] } } });
		const r = await control(sb, '/kisi/unlock', { method: 'POST', body: { email: 'Lena.Fischer@example.com', lock_id: K.lockIds.frontDoor } });
		expect(r.status).toBe(200);
		expect(r.body.deliveries).toEqual([{ integrationId: 1, url: receiverUrl, status: 200, ms: expect.any(Number), at: expect.any(String) }]);
		expect(received).toHaveLength(1);
		const { headers, raw } = received[0];
		expect(headers['content-type']).toBe('application/json');
		const expected = `sha256=${createHmac('sha256', key).update(Buffer.from(raw, 'utf8')).digest('hex')}`;
		expect(headers['x-signature']).toBe(expected);
		// By default exactly the fields of Kisi's sample payload, in its order (no actor_email).
		const event = JSON.parse(raw);
		expect(event).toEqual({
			uuid: r.body.event.uuid,
			actor_type: 'User',
			actor_id: K.users.lena,
			actor_name: 'Lena Fischer',
			object_type: 'Lock',
			object_id: K.lockIds.frontDoor,
			object_name: 'Front Door',
			organization_id: 1,
			place_id: K.placeId,
			success: true,
			type: 'lock.unlock',
			error_code: null,
			error_message: null,
			created_at: expect.stringMatching(/^2026-03-02T14:00:/),
		});
		expect(Object.keys(event)).toEqual(Object.keys(documentedWebhook));
		expect(event.uuid).toMatch(/^[0-9a-f-]{36}$/);

		// The other reading: the whole Event object of Kisi's event sets.
		received.length = 0;
		await control(sb, '/kisi/unlock', { method: 'POST', body: { email: 'lena.fischer@example.com', lock_id: K.lockIds.frontDoor, payload: 'event' } });
		expect(JSON.parse(received[0].raw)).toMatchObject({ action: 'unlock', actor_email: 'lena.fischer@example.com', authenticated_by_type: 'Login', sequence: expect.any(Number) });
		expect((await control(sb, '/kisi/unlock', { method: 'POST', body: { email: 'lena.fischer@example.com', lock_id: K.lockIds.frontDoor, payload: 'all' } })).status).toBe(400);

		received.length = 0;
		const twice = await control(sb, '/kisi/unlock?duplicate=1', { method: 'POST', body: { user_id: K.users.ana, lock_id: K.lockIds.studioDoor, success: false } });
		expect(twice.body.deliveries).toHaveLength(2);
		expect(received).toHaveLength(2);
		expect(received[0].raw).toBe(received[1].raw);
		expect(JSON.parse(received[0].raw)).toMatchObject({ success: false, error_code: 'afc496', error_message: expect.any(String) });
		const events = await control(sb, '/kisi/events');
		expect(events.body).toHaveLength(3);
		expect(events.body[2].deliveries).toHaveLength(2);
	});

	test('an integration without signature_key gets no X-Signature; disabled ones get nothing', async () => {
		await kisi(sb, '/integrations', { method: 'POST', body: { integration: { type: 'event_webhook', name: 'plain', url: receiverUrl, enabled_events: ['lock.unlock'] } } });
		await kisi(sb, '/integrations', { method: 'POST', body: { integration: { type: 'event_webhook', name: 'off', enabled: false, url: receiverUrl, signature_key: 'k' } } });
		await control(sb, '/kisi/unlock', { method: 'POST', body: { user_id: K.users.ana, lock_id: K.lockIds.frontDoor } });
		expect(received).toHaveLength(1);
		expect(received[0].headers['x-signature']).toBeUndefined();
	});

	test('POST /locks/{id}/unlock: admins may, others need a currently valid share', async () => {
		await kisi(sb, '/integrations', { method: 'POST', body: { integration: { type: 'event_webhook', name: 'n8n', url: receiverUrl, enabled_events: ['lock.unlock'], signature_key: 'k' } } });
		const ok = await kisi(sb, `/locks/${K.lockIds.frontDoor}/unlock`, { method: 'POST' });
		expect(ok.status).toBe(200);
		expect(ok.body).toEqual({ message: 'Unlocked!' });
		await sb.state.kisi.drain();
		expect(JSON.parse(received[0].raw)).toMatchObject({ actor_id: K.users.owner, success: true });
		expect(sb.state.kisi.events.at(-1)).toMatchObject({ actor_id: K.users.owner, authenticated_by_type: 'Login', success: true });

		// A non-admin key: Lena (no share) is denied; a share in the future / in the past give Kisi's codes.
		const s = demo();
		s.kisi!.apiKeys!.push({ key: 'lena-key', user_id: K.users.lena });
		sb.state.load(s);
		const denied = await kisi(sb, `/locks/${K.lockIds.frontDoor}/unlock`, { method: 'POST', key: 'lena-key' });
		expect(denied.status).toBe(403);
		expect(denied.body.code).toBe('afc496');
		await kisi(sb, '/shares', { method: 'POST', body: { share: { email: 'lena.fischer@example.com', group_id: K.membersGroupId, valid_from: '2026-03-02T15:00:00Z' } } });
		const early = await kisi(sb, `/locks/${K.lockIds.frontDoor}/unlock`, { method: 'POST', key: 'lena-key' });
		expect(early.body.code).toBe('f358de');
		await control(sb, '/clock', { method: 'POST', body: { now: '2026-03-02T15:30:00Z' } });
		expect((await kisi(sb, `/locks/${K.lockIds.frontDoor}/unlock`, { method: 'POST', key: 'lena-key' })).status).toBe(200);
		const share = (await kisi(sb, '/shares?query=lena')).body[0];
		await kisi(sb, `/shares/${share.id}`, { method: 'PATCH', body: { share: { valid_until: '2026-03-02T15:45:00Z' } } });
		await control(sb, '/clock', { method: 'POST', body: { now: '2026-03-02T16:00:00Z' } });
		expect((await kisi(sb, `/locks/${K.lockIds.frontDoor}/unlock`, { method: 'POST', key: 'lena-key' })).body.code).toBe('f35ade');
		expect((await kisi(sb, '/locks/999/unlock', { method: 'POST' })).status).toBe(404);
		expect(sb.state.kisi.events.filter((e) => e.success === false).map((e) => e.error_code)).toEqual(['afc496', 'f358de', 'f35ade']);
	});
});

describe('Kisi rate limit', () => {
	test('5 requests per second per user, shared by the user’s keys; off when disabled', async () => {
		sb.state.load(demo({ rateLimits: true }));
		const results = await Promise.all(
			Array.from({ length: 8 }, (_, i) => kisi(sb, '/user', { key: i % 2 ? 'kisi-demo-key' : 'kisi-demo-key-2' })),
		);
		const statuses = results.map((r) => r.status).sort();
		expect(statuses.filter((s) => s === 200)).toHaveLength(5);
		expect(statuses.filter((s) => s === 429)).toHaveLength(3);
		const limited = results.find((r) => r.status === 429)!;
		expect(limited.body).toEqual({ error: expect.any(String), code: expect.any(String) });
		// Another user has a budget of their own.
		expect((await kisi(sb, '/user', { key: 'kisi-manager-key' })).status).toBe(200);
		await new Promise((r) => setTimeout(r, 1050));
		expect((await kisi(sb, '/user')).status).toBe(200);

		sb.state.load(demo({ rateLimits: false }));
		const many = await Promise.all(Array.from({ length: 20 }, () => kisi(sb, '/user')));
		expect(many.every((r) => r.status === 200)).toBe(true);
	});
});
