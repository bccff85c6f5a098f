/**
 * The TeamUp Trigger served as n8n serves it (test/engine/reliability/trigger-endpoint.ts: n8n-core's
 * HookContext for activation and deactivation, its WebhookContext for each delivery, the rest of the
 * workflow through n8n's engine), against the sandbox's TeamUp, which keeps the webhook
 * destinations and delivers feed items for changes made with `POST /__sandbox/change`.
 */
import { randomUUID } from 'node:crypto';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { ScenarioInput } from '../../../sandbox';
import { buildDemoScenario, DEMO_NOW } from '../../../sandbox/scenarios/demo';
import { withSandbox } from '../../harness/sandbox';
import { sandboxCredentials } from '../../harness/templates';
import { TriggerEndpoint } from '../reliability/trigger-endpoint';

jest.setTimeout(60_000);

const demo = (): ScenarioInput => ({ ...buildDemoScenario(new Date(DEMO_NOW)), rateLimits: false });
const sandbox = withSandbox(demo);
const scenario = demo() as unknown as { teamup: Record<string, IDataObject[]> };
const customers = scenario.teamup.customers;
const memberships = scenario.teamup.customer_memberships;
const attendances = scenario.teamup.attendances;

const SECRET = 'correct horse battery staple';
let workflowCount = 0;

/** TeamUp Trigger → Done, with its own workflow id (the trigger's memory of deliveries is per workflow node). */
function endpoint(parameters: INodeParameters = {}): TriggerEndpoint {
	workflowCount += 1;
	return new TriggerEndpoint(
		{
			id: `teamup-trigger-${workflowCount}`,
			name: 'TeamUp real-time',
			nodes: [
				{
					id: 'trigger',
					name: 'TeamUp Trigger',
					type: 'n8n-nodes-gym-access.teamUpTrigger',
					typeVersion: 1,
					position: [0, 0],
					webhookId: `hook-${workflowCount}`,
					parameters,
					credentials: { teamUpApi: { id: 'TeamUpAccount001', name: 'TeamUp account' } },
				},
				{ id: 'done', name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
			],
			connections: { 'TeamUp Trigger': { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		},
		sandboxCredentials(sandbox.url, { teamup: { requestsPerMinute: 6000 } }),
	);
}

const destinations = async () => ((await sandbox.state()).teamup.webhook_destinations ?? []) as IDataObject[];
const change = async (body: IDataObject, duplicate = false) =>
	(await sandbox.control('POST', `/change${duplicate ? '?duplicate=1' : ''}`, { service: 'teamup', ...body })) as { delivered: Array<{ url: string; status: number }> };
/** Every item the workflow got, over all executions. */
const outputs = (trigger: TriggerEndpoint) => trigger.executions.flatMap((run) => run.output('Done'));

/** Posts a delivery to the trigger as TeamUp would (or not), and waits for what it started. */
async function post(
	trigger: TriggerEndpoint,
	body: unknown,
	{ id = randomUUID(), query = '', headers = {}, contentType = 'application/json' }: { id?: string | null; query?: string; headers?: Record<string, string>; contentType?: string } = {},
): Promise<{ status: number; body: IDataObject }> {
	const url = `${trigger.url}${query}`;
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': contentType, ...(id === null ? {} : { 'TEAMUP-WEBHOOK-ID': id }), ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	await trigger.settle();
	return { status: response.status, body: text ? (JSON.parse(text) as IDataObject) : {} };
}

const feedItem = (fields: IDataObject = {}): IDataObject => ({ object: 'feed_item', id: Math.floor(Math.random() * 1e9), timestamp: DEMO_NOW, ...fields });

describe('activation and deactivation', () => {
	beforeEach(async () => {
		await sandbox.load(demo());
	});

	it('registers its URL as a webhook destination once, with the secret appended, and removes it on deactivation', async () => {
		const trigger = endpoint({ secret: SECRET });
		await trigger.start();
		try {
			const [destination, ...more] = await destinations();
			expect(more).toEqual([]);
			expect(destination.url).toMatch(/\/webhook\/hook-\d+\/webhook\?secret=correct%20horse%20battery%20staple$/);
			expect(destination.active).toBe(true);
			// Activated again (n8n restarted): the destination is found by its URL, not added twice.
			await trigger.activate();
			expect(await destinations()).toEqual([destination]);
		} finally {
			await trigger.stop();
		}
		expect(await destinations()).toEqual([]);
	});

	it('on activation replaces its destination left with another secret or disabled by TeamUp (410), and leaves other URLs alone', async () => {
		const trigger = endpoint({ secret: 'new secret' });
		await trigger.start();
		try {
			const teamup = sandbox.running.state.teamup;
			const [current] = teamup.destinations.values();
			const base = current.url.replace(/\?.*$/, '');
			const other = 'http://127.0.0.1:9/someone-else/webhook';
			teamup.destinations.clear();
			teamup.destinations.set(1, { id: 1, url: `${base}?secret=old`, active: true });
			teamup.destinations.set(2, { id: 2, url: other, active: true });
			teamup.destinations.set(3, { id: 3, url: current.url, active: false });
			await trigger.activate();
			const list = await destinations();
			expect(list.map((d) => [d.url, d.active])).toEqual([
				[other, true],
				[current.url, true],
			]);
			await trigger.stop();
			expect((await destinations()).map((d) => d.url)).toEqual([other]);
		} finally {
			await trigger.stop();
		}
	});

	it('does not fail activation when TeamUp refuses to add the destination (the operator adds it by hand)', async () => {
		await sandbox.fault({ service: 'teamup', method: 'POST', path: '/webhook_destinations', status: 403 });
		const trigger = endpoint();
		try {
			await expect(trigger.start()).resolves.toBeUndefined();
			expect(await destinations()).toEqual([]);
		} finally {
			await trigger.stop();
		}
	});

	it('adds nothing when TeamUp does not let it list destinations (it could not find them again)', async () => {
		await sandbox.fault({ service: 'teamup', method: 'GET', path: '/webhook_destinations', status: 403 });
		const trigger = endpoint();
		try {
			await trigger.start();
		} finally {
			await trigger.stop();
		}
		expect(await sandbox.requests({ service: 'teamup', method: 'POST', path: '/webhook_destinations' })).toEqual([]);
	});

	it('deactivates cleanly when TeamUp refuses the DELETE its reference does not document (the destination stays for the operator to remove)', async () => {
		const trigger = endpoint();
		await trigger.start();
		try {
			await sandbox.fault({ service: 'teamup', method: 'DELETE', path: '^/webhook_destinations/\\d+$', status: 405 });
			await expect(trigger.stop()).resolves.toBeUndefined();
			expect(await destinations()).toHaveLength(1);
		} finally {
			await trigger.stop();
		}
	});
});

describe('deliveries', () => {
	let trigger: TriggerEndpoint;
	beforeEach(async () => {
		await sandbox.load(demo());
		trigger = endpoint({ secret: SECRET });
		await trigger.start();
	});
	afterEach(async () => {
		await trigger.stop();
	});
	const withSecret = `?secret=${encodeURIComponent(SECRET)}`;

	it('a membership change in TeamUp starts the workflow with one item naming the customer', async () => {
		const cm = memberships[0];
		const answer = await change({ collection: 'customer_memberships', upsert: { id: cm.id, status: 'cancelled' } });
		await trigger.settle();
		expect(answer.delivered.map((d) => d.status)).toEqual([200]);
		expect(outputs(trigger)).toEqual([
			{
				source: 'teamup',
				sourceId: String(cm.customer),
				email: null,
				event: 'customer_membership.updated',
				occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
				raw: expect.objectContaining({ object: 'feed_item', resources: { customer: cm.customer, customer_membership: cm.id } }),
				deliveryId: expect.stringMatching(/^[0-9a-f-]{36}$/),
				feedItemIds: [expect.any(String)],
			},
		]);
	});

	it('a repeated TEAMUP-WEBHOOK-ID starts nothing (answered 200, so TeamUp stops retrying)', async () => {
		const answer = await change({ collection: 'attendances', upsert: { id: attendances[0].id, status: 'late_cancelled' } }, true);
		await trigger.settle();
		expect(answer.delivered.map((d) => d.status)).toEqual([200, 200]);
		expect(trigger.executions).toHaveLength(1);
		expect(trigger.deliveries.map((d) => d.started)).toEqual([true, false]);
		expect(trigger.deliveries[1].body).toMatchObject({ started: false, reason: expect.stringMatching(/repeated delivery/) });
	});

	it('a burst of feed items about one person in one delivery gives one item; each other person gets theirs', async () => {
		const [ana, ben] = customers;
		const anaMembership = memberships.find((cm) => cm.customer === ana.id)!;
		const items = [
			feedItem({ type: 'customer.updated', timestamp: '2026-03-02T14:00:01Z', resources: { customer: ana.id } }),
			feedItem({ type: 'invoice.updated', timestamp: '2026-03-02T14:00:03Z', resources: { customer: String(ana.id), invoice: 5 } }),
			// Named only by its membership: looked up in TeamUp.
			feedItem({ type: 'customer_membership.created', timestamp: '2026-03-02T14:00:02Z', resources: { customer_membership: anaMembership.id } }),
			feedItem({ type: 'customer.updated', resources: { customer: { id: ben.id, object: 'customer', email: 'Ben@Example.com' } } }),
		];
		const answer = await post(trigger, { feed_items: items }, { query: withSecret });
		expect(answer.status).toBe(200);
		expect(trigger.executions).toHaveLength(1);
		const out = outputs(trigger);
		expect(out.map((item) => [item.sourceId, item.email, item.event, (item.feedItemIds as string[]).length])).toEqual([
			[String(ana.id), null, 'invoice.updated', 3],
			[String(ben.id), 'ben@example.com', 'customer.updated', 1],
		]);
		expect(out[0].occurredAt).toBe('2026-03-02T14:00:03.000Z');
	});

	it.each([
		['an attendance id alone', (a: IDataObject) => ({ resources: { attendance: a.id } }), true],
		['an expanded attendance with its customer', (a: IDataObject) => ({ data: { object: 'attendance', id: a.id, customer: a.customer } }), false],
		['a customer id at the top level', (a: IDataObject) => ({ customer_id: String(a.customer) }), false],
		['an expanded customer as the item’s data', (a: IDataObject) => ({ data: { object: 'customer', id: a.customer } }), false],
	])('reads the person from %s', async (_what, shape, looksUp) => {
		const attendance = attendances[0];
		await sandbox.clearRequests();
		const answer = await post(trigger, { feed_items: [feedItem(shape(attendance))] }, { query: withSecret });
		expect(answer.status).toBe(200);
		expect(outputs(trigger).map((item) => item.sourceId)).toEqual([String(attendance.customer)]);
		const lookups = await sandbox.requests({ service: 'teamup', method: 'GET', path: `/attendances/${attendance.id}` });
		expect(lookups.length).toBe(looksUp ? 1 : 0);
	});

	it('a delivery naming nobody is answered 200 with the reason and starts nothing', async () => {
		const event = scenario.teamup.events[0];
		const viaSandbox = await change({ collection: 'events', upsert: { id: event.id, name: 'Renamed' } });
		expect(viaSandbox.delivered.map((d) => d.status)).toEqual([200]);
		const unknownMembership = await post(trigger, { feed_items: [feedItem({ resources: { customer_membership: 999999 } })] }, { query: withSecret });
		const empty = await post(trigger, { feed_items: [] }, { query: withSecret });
		for (const answer of [unknownMembership, empty]) expect(answer).toEqual({ status: 200, body: expect.objectContaining({ started: false, reason: expect.any(String) }) });
		expect(trigger.deliveries.map((d) => [d.status, d.started])).toEqual([
			[200, false],
			[200, false],
			[200, false],
		]);
		expect(trigger.executions).toEqual([]);
	});

	it('a missing or wrong secret gets 401 and starts nothing; the secret also works from a header when one is named', async () => {
		const body = { feed_items: [feedItem({ resources: { customer: customers[0].id } })] };
		expect((await post(trigger, body)).status).toBe(401);
		expect((await post(trigger, body, { query: '?secret=wrong' })).status).toBe(401);
		expect((await post(trigger, body, { query: `?secret=${encodeURIComponent(SECRET)}x` })).status).toBe(401);
		expect((await post(trigger, body, { headers: { 'X-Webhook-Secret': SECRET } })).status).toBe(401);
		expect(trigger.executions).toEqual([]);
		// Nothing refused was remembered: the genuine delivery with the same id still starts the workflow.
		expect((await post(trigger, body, { id: 'same-id', query: withSecret })).status).toBe(200);
		expect(trigger.executions).toHaveLength(1);
		expect(JSON.stringify(trigger.deliveries)).not.toContain(SECRET);
		expect(JSON.stringify(outputs(trigger))).not.toContain(SECRET);

		const viaHeader = endpoint({ secret: SECRET, options: { headerName: 'X-Webhook-Secret' } });
		await viaHeader.start();
		try {
			expect((await post(viaHeader, body, { headers: { 'X-Webhook-Secret': SECRET } })).status).toBe(200);
			expect((await post(viaHeader, body, { headers: { 'X-Webhook-Secret': 'nope' } })).status).toBe(401);
			expect(viaHeader.executions).toHaveLength(1);
		} finally {
			await viaHeader.stop();
		}
	});

	it('a body that is not TeamUp’s is refused (400, or n8n’s own 422 for JSON that does not parse) and starts nothing', async () => {
		const answers = [
			await post(trigger, { hello: 'world' }, { query: withSecret }),
			await post(trigger, { feed_items: 'nope' }, { query: withSecret }),
			await post(trigger, { feed_items: [1, 2] }, { query: withSecret }),
			await post(trigger, '{"feed_items": [', { query: withSecret, contentType: 'text/plain' }),
			await post(trigger, '{"feed_items": [', { query: withSecret }),
		];
		expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 422]);
		expect(answers[0].body.error).toMatch(/feed_items/);
		expect(trigger.executions).toEqual([]);
	});

	it('a lookup TeamUp fails for now is answered 503 (TeamUp retries), and the retry with the same id is not taken for a repeat', async () => {
		const cm = memberships[1];
		await sandbox.fault({ service: 'teamup', method: 'GET', path: `/customer_memberships/${cm.id}`, status: 503, times: 2 });
		const body = { feed_items: [feedItem({ resources: { customer_membership: cm.id } })] };
		expect((await post(trigger, body, { id: 'retried', query: withSecret })).status).toBe(503);
		expect(trigger.executions).toEqual([]);
		expect((await post(trigger, body, { id: 'retried', query: withSecret })).status).toBe(200);
		expect(outputs(trigger).map((item) => item.sourceId)).toEqual([String(cm.customer)]);
	});

	it('without TEAMUP-WEBHOOK-ID, a repeat of the same feed items is still recognised by their ids', async () => {
		const body = { feed_items: [feedItem({ id: 4242, resources: { customer: customers[2].id } })] };
		await post(trigger, body, { id: null, query: withSecret });
		await post(trigger, body, { id: null, query: withSecret });
		expect(trigger.executions).toHaveLength(1);
		expect(outputs(trigger)[0].deliveryId).toBe('feed_items:4242');
	});
});

describe('the real-time flow: TeamUp Trigger → Access Profiles for these people', () => {
	it('a membership cancelled in TeamUp reaches the person’s re-read profile within the delivery’s execution; a repeat re-reads nothing', async () => {
		await sandbox.load(demo());
		const ana = customers.find((c) => c.email === 'ana.ruiz@example.com')!;
		const membership = memberships.find((cm) => cm.customer === ana.id)!;
		workflowCount += 1;
		const trigger = new TriggerEndpoint(
			{
				id: `teamup-flow-${workflowCount}`,
				name: 'TeamUp real-time',
				nodes: [
					{
						id: 'trigger',
						name: 'TeamUp Trigger',
						type: 'n8n-nodes-gym-access.teamUpTrigger',
						typeVersion: 1,
						position: [0, 0],
						webhookId: `flow-${workflowCount}`,
						parameters: {},
						credentials: { teamUpApi: { id: 'TeamUpAccount001', name: 'TeamUp account' } },
					},
					{
						id: 'profiles',
						name: 'Profiles',
						type: 'n8n-nodes-gym-access.teamUp',
						typeVersion: 1,
						position: [200, 0],
						parameters: { resource: 'accessProfile', operation: 'getAll', options: { referenceTime: DEMO_NOW, people: '={{ $json.sourceId }}' } },
						credentials: { teamUpApi: { id: 'TeamUpAccount001', name: 'TeamUp account' } },
					},
				],
				connections: { 'TeamUp Trigger': { main: [[{ node: 'Profiles', type: 'main', index: 0 }]] } },
			},
			sandboxCredentials(sandbox.url, { teamup: { requestsPerMinute: 6000 } }),
		);
		await trigger.start();
		try {
			await change({ collection: 'customer_memberships', upsert: { id: membership.id, status: 'cancelled' } }, true);
			await trigger.settle();
			expect(trigger.executions).toHaveLength(1);
			expect(trigger.deliveries.map((d) => d.started)).toEqual([true, false]);
			const [run] = trigger.executions;
			expect(run.error).toBeUndefined();
			expect(run.output('Profiles')).toEqual([
				expect.objectContaining({ source: 'teamup', sourceId: String(ana.id), email: ana.email, memberships: [expect.objectContaining({ id: String(membership.id), status: 'cancelled' })] }),
			]);
		} finally {
			await trigger.stop();
		}
	});
});
