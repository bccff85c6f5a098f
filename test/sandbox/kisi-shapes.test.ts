/**
 * The sandbox answers as Kisi does: every object it serves has exactly the keys Kisi's OpenAPI
 * lists for it (required ones always, optional ones only where the schema allows), and the
 * vendor's own example objects (sources in test/fixtures/vendor/kisi/SOURCES.md) load as a
 * scenario and come back as Kisi would serve them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningSandbox } from '../../sandbox';
import { DEMO_KISI } from '../../sandbox/scenarios/demo';
import { parseScenario, ScenarioError } from '../../sandbox/scenario';
import currentUser from '../fixtures/vendor/kisi/current-user.json';
import documentedKeys from '../fixtures/vendor/kisi/documented-keys.json';
import group from '../fixtures/vendor/kisi/group.json';
import placeGroup from '../fixtures/vendor/kisi/group.place-scoped.json';
import integration from '../fixtures/vendor/kisi/integration.event-webhook.json';
import guideLock from '../fixtures/vendor/kisi/lock.in-app-unlocks.json';
import lock from '../fixtures/vendor/kisi/lock.json';
import memberCreated from '../fixtures/vendor/kisi/member.create-response.json';
import place from '../fixtures/vendor/kisi/place.json';
import roleAssignmentCreated from '../fixtures/vendor/kisi/role-assignment.create-response.json';
import roleAssignment from '../fixtures/vendor/kisi/role-assignment.group.json';
import share from '../fixtures/vendor/kisi/share.json';
import marketplaceShare from '../fixtures/vendor/kisi/share.marketplace.json';
import userCreated from '../fixtures/vendor/kisi/user.create-response.json';
import user from '../fixtures/vendor/kisi/user.json';
import { control, demo, type Json, kisi, start } from './helpers';

type Kind = Exclude<keyof typeof documentedKeys, '_source'>;

/** Problems with an object's keys against Kisi's schema: missing required, undocumented, out of order. */
function keyProblems(kind: Kind, object: Json): string[] {
	const { required, optional } = documentedKeys[kind] as { required: string[]; optional: string[] };
	const keys = Object.keys(object);
	const problems = [
		...required.filter((key) => !keys.includes(key)).map((key) => `${kind}: missing ${key}`),
		...keys.filter((key) => !required.includes(key) && !optional.includes(key)).map((key) => `${kind}: undocumented ${key}`),
	];
	const order = keys.filter((key) => required.includes(key));
	if (problems.length === 0 && order.join() !== required.join()) problems.push(`${kind}: keys out of order`);
	return problems;
}

describe('the vendor fixtures themselves', () => {
	it.each([
		['user', user],
		['currentUser', currentUser],
		['group', group],
		['group', placeGroup],
		['place', place],
		['lock', lock],
		['share', share],
		['share', marketplaceShare],
		['roleAssignment.Group', roleAssignment],
		['integration.event_webhook', integration],
	] as Array<[Kind, Json]>)('%s example has exactly the documented keys', (kind, example) => {
		expect(keyProblems(kind, example)).toEqual([]);
	});
});

describe('every Kisi object the sandbox serves has exactly the documented keys', () => {
	let sb: RunningSandbox;
	let receiver: Server;
	const delivered: string[] = [];
	beforeAll(async () => {
		sb = await start();
		receiver = createServer((req, res) => {
			let body = '';
			req.on('data', (chunk) => (body += chunk));
			req.on('end', () => {
				delivered.push(body);
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	});
	afterAll(async () => {
		await sb.close();
		await new Promise((resolve) => receiver.close(resolve));
	});

	it('users, groups, places, locks, shares, role assignments, group locks, integrations, GET /user, errors and webhooks', async () => {
		sb.state.load(demo());
		const problems: string[] = [];
		const check = (kind: Kind, objects: Json[]) => {
			expect(objects.length).toBeGreaterThan(0);
			for (const object of objects) problems.push(...keyProblems(kind, object));
		};
		const list = async (path: string) => (await kisi(sb, path)).body as Json[];
		check('currentUser', [(await kisi(sb, '/user')).body]);
		check('user', await list('/users?limit=100'));
		check('group', await list('/groups?limit=250'));
		expect((await list('/groups?limit=250')).some((g: Json) => g.place_id === null && !('place' in g))).toBe(true);
		check('place', await list('/places'));
		check('lock', await list('/locks'));
		check('share', await list('/shares?limit=250'));
		check('groupLock', await list(`/group_locks?group_id=${DEMO_KISI.membersGroupId}`));
		const roles = await list('/role_assignments?limit=250');
		for (const type of ['Organization', 'Group'] as const) check(`roleAssignment.${type}`, roles.filter((r: Json) => r.applies_to_type === type));
		await kisi(sb, '/role_assignments', {
			method: 'POST',
			body: { role_assignment: { applies_to_type: 'Place', applies_to_id: DEMO_KISI.placeId, assignee_type: 'User', assignee_id: DEMO_KISI.users.lena, role_id: 'place_observer' } },
		});
		check('roleAssignment.Place', (await list('/role_assignments?limit=250&applies_to_type=Place')).filter((r: Json) => r.applies_to_type === 'Place'));
		const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
		const created = await kisi(sb, '/integrations', { method: 'POST', body: { integration: { type: 'event_webhook', name: 'n8n', url, enabled_events: ['lock.unlock'], signature_key: 'k' } } });
		check('integration.event_webhook', [created.body, ...(await list('/integrations'))]);
		check('error', [(await kisi(sb, '/groups/999999')).body, (await kisi(sb, '/user', { key: 'nope' })).body]);
		check('errors', [(await kisi(sb, '/groups', { method: 'POST', body: { group: { name: '' } } })).body]);
		await control(sb, '/kisi/unlock', { method: 'POST', body: { user_id: DEMO_KISI.users.ana, lock_id: DEMO_KISI.lockIds.frontDoor } });
		check('webhook', delivered.map((body) => JSON.parse(body)));
		expect(problems).toEqual([]);
	});
});

describe("Kisi's own example objects as a sandbox scenario", () => {
	const organization = currentUser.organization;
	const asUser = (u: Json) => ({ ...u });
	const scenario = {
		now: '2026-03-02T14:00:00Z',
		rateLimits: false,
		kisi: {
			apiKeys: [{ key: 'vendor-key', user_id: currentUser.id }],
			organization: { id: organization.id, name: organization.name, domain: organization.domain },
			users: [asUser(currentUser), asUser(user), { id: 988, email: 'sam@example.com', name: 'Sam Roe' }],
			places: [place],
			locks: [lock],
			groups: [group, placeGroup],
			group_locks: [
				{ id: 1, group_id: group.id, lock_id: lock.id },
				{ id: 2, group_id: placeGroup.id, lock_id: lock.id },
			],
			shares: [share, marketplaceShare],
			role_assignments: [{ id: 1, role_id: 'administrator', applies_to_type: 'Organization', applies_to_id: organization.id, assignee_type: 'User', assignee_id: currentUser.id }],
			integrations: [integration],
		},
	};
	let sb: RunningSandbox;
	beforeAll(async () => {
		sb = await start(scenario);
	});
	afterAll(async () => {
		await sb.close();
	});
	const get = async (path: string) => (await kisi(sb, path, { key: 'vendor-key' })).body;

	it('passes the sandbox\'s own scenario validation', () => {
		expect(() => parseScenario(scenario)).not.toThrow();
	});

	it('a share refers to users that exist (the validation names the share when not)', () => {
		const broken = { ...scenario, kisi: { ...scenario.kisi, users: scenario.kisi.users.filter((u) => u.id !== currentUser.id) } };
		expect(() => parseScenario(broken)).toThrow(ScenarioError);
		expect(() => parseScenario(broken)).toThrow(/kisi\.shares\[0\] \(id 9001\): created_by_id 100 does not exist/);
	});

	it('comes back as Kisi serves it: the example objects, with only the derived ids and counts of this smaller organization', async () => {
		expect(await get('/user')).toEqual(currentUser);
		expect(await get(`/users/${user.id}`)).toEqual(user);
		expect(await get(`/groups/${placeGroup.id}`)).toEqual(placeGroup);
		expect(await get(`/groups/${group.id}`)).toEqual({ ...group, locks_count: 1 });
		expect(await get(`/locks/${lock.id}`)).toEqual(lock);
		expect(await get(`/places/${place.id}`)).toEqual({ ...place, locks_count: 1, integrations_count: 0 });
		// The sandbox numbers members itself (it does not emulate the deprecated members API).
		const member = (example: Json) => ({ member_id: expect.any(Number), member: { ...example.member, id: expect.any(Number) } });
		expect(await get(`/shares/${share.id}`)).toEqual({ ...share, ...member(share) });
		expect(await get(`/shares/${marketplaceShare.id}`)).toEqual({ ...marketplaceShare, ...member(marketplaceShare) });
		expect(await get(`/integrations/${integration.id}`)).toEqual(integration);
		const [asRole] = await get(`/role_assignments?ids=${share.id}`);
		expect(keyProblems('roleAssignment.Group', asRole)).toEqual([]);
		expect(asRole).toMatchObject({ id: share.id, role_id: 'group_basic', applies_to_id: group.id, assignee_id: user.id, valid_from: share.valid_from, valid_until: share.valid_until });
		expect(roleAssignment.applies_to_type).toBe('Group');
	});
});

describe("the excerpts in Kisi's how-to guides", () => {
	let sb: RunningSandbox;
	beforeAll(async () => {
		sb = await start();
	});
	afterAll(async () => {
		await sb.close();
	});

	it('POST /users and POST /role_assignments answer at least the fields the guides show, with the same values where they are not placeholders', async () => {
		sb.state.load(demo());
		const created = (await kisi(sb, '/users', { method: 'POST', body: { user: { email: 'new.person@example.com' } } })).body;
		expect(Object.keys(userCreated).filter((key) => !(key in created))).toEqual([]);
		// A user created without a name is called by the email (the guide's member example).
		expect(memberCreated.user.name).toBe(memberCreated.user.email);
		expect(created.name).toBe('new.person@example.com');
		const legacy = (
			await kisi(sb, '/role_assignments', {
				method: 'POST',
				body: { role_assignment: { user_id: created.id, role_id: 'group_basic', group_id: DEMO_KISI.membersGroupId, valid_from: '2026-03-02T15:00:00Z', valid_until: null } },
			})
		).body;
		expect(Object.keys(roleAssignmentCreated).filter((key) => !(key in legacy))).toEqual([]);
		expect(legacy).toMatchObject({ type: roleAssignmentCreated.type, role_id: 'group_basic', group_id: DEMO_KISI.membersGroupId });
	});

	it("the guide's lock (an older shape) loads as a scenario object and is served in the documented shape", async () => {
		const scenario = {
			...demo(),
			kisi: { ...demo().kisi, places: [...(demo().kisi!.places ?? []), { id: guideLock.place_id, name: guideLock.place.name }], locks: [...(demo().kisi!.locks ?? []), guideLock] },
		};
		expect(() => parseScenario(scenario)).not.toThrow();
		sb.state.load(scenario);
		const served = (await kisi(sb, `/locks/${guideLock.id}`)).body;
		expect(keyProblems('lock', served)).toEqual([]);
		expect(served).not.toHaveProperty('integration_id');
		expect(served).toMatchObject({ name: guideLock.name, online: guideLock.online, configured: guideLock.configured, time_restriction_time_zone: 'Europe/Budapest', geofence_restriction_radius: 300, geofence_restriction_enabled: null });
	});
});
