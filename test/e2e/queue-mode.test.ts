/**
 * The pack on n8n's distributed engine: main + Redis + two workers + a webhook processor behind a
 * load balancer, all on PostgreSQL (Debian's servers, started by the test), the packed pack
 * installed in every process. The shipped templates run unchanged against the sandbox.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import { buildDemoScenario, DEMO_KISI } from '../../sandbox/scenarios/demo';
import { N8nQueueCluster } from '../harness/n8n-queue';
import { SandboxClient } from '../harness/sandbox';
import { loadTemplate, sandboxCredentials, type TemplateName } from '../harness/templates';

jest.setTimeout(600_000);

const TEMPLATES: TemplateName[] = ['kisi-unlock-glofox-checkin'];
const ids = Object.fromEntries(TEMPLATES.map((name) => [name, loadTemplate(name).id])) as Record<TemplateName, string>;

const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
let sandboxServer: RunningSandbox;
let sandbox: SandboxClient;
let cluster: N8nQueueCluster;

/** The demo gym, with Kisi users for a few more Glofox members (an unlock needs a Kisi user). */
function scenario() {
	const demo = buildDemoScenario(now);
	const kisi = demo.kisi as { users: IDataObject[] };
	const more = ['ben.okafor@example.com', 'carla.mendes@example.com', 'eva.novak@example.com', 'felix.braun@example.com'];
	kisi.users.push(...more.map((email, i) => ({ id: 700 + i, email, name: email.split('@')[0], created_at: now.toISOString() })));
	return demo;
}

beforeAll(async () => {
	sandboxServer = await startSandbox({ scenario: scenario(), port: 0 });
	sandbox = new SandboxClient(sandboxServer.url);
	cluster = new N8nQueueCluster({
		credentials: sandboxCredentials(sandbox.url),
		workflows: TEMPLATES.map((name) => loadTemplate(name)),
		publish: TEMPLATES.map((name) => ids[name]),
		workers: 2,
		webhookProcessors: 2,
	});
	try {
		await cluster.start();
	} catch (error) {
		throw new Error(`${(error as Error).message}\n${cluster.logs()}`);
	}
});

afterAll(async () => {
	await cluster?.stop();
	await sandboxServer?.close();
});

async function glofoxAccesses(email: string): Promise<IDataObject[]> {
	const state = await sandbox.state();
	const member = (state.glofox.members as IDataObject[]).find((candidate) => candidate.email === email);
	return ((state.glofox.accesses ?? []) as IDataObject[]).filter((access) => access.user_id === member?._id);
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value) || Date.now() > deadline) return value;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

const CHECK_IN = 'kisi-unlock-glofox-checkin';

describe('unlock → Glofox check-in in queue mode', () => {
	it('checks in every person who unlocks, not only the first', async () => {
		const people = ['lena.fischer@example.com', 'ana.ruiz@example.com', 'priya.shah@example.com'];
		for (const email of people) {
			const unlock = await sandbox.kisiUnlock({ email, lock_id: DEMO_KISI.lockIds.frontDoor });
			expect({ email, statuses: (unlock.deliveries as IDataObject[]).map((d) => d.status) }).toEqual({ email, statuses: [200] });
			const accesses = await eventually(async () => await glofoxAccesses(email), (list) => list.length > 0);
			expect({ email, checkIns: accesses.length }).toEqual({ email, checkIns: 1 });
		}
	});

	it('the same Kisi event delivered twice at the same moment, to both webhook processors, checks the person in once', async () => {
		const email = 'dan.whitfield@example.com';
		const unlock = await sandbox.kisiUnlock({ email, lock_id: DEMO_KISI.lockIds.frontDoor }, true);
		expect((unlock.deliveries as IDataObject[]).map((d) => d.status)).toEqual([200, 200]);
		// Both deliveries start an execution (one per webhook processor); both finish.
		const executions = await cluster.main.waitForExecutions(ids[CHECK_IN], 5, 60_000);
		expect(executions.every((execution) => execution.status === 'success')).toBe(true);
		expect((await glofoxAccesses(email)).length).toBe(1);
	});

	it('two unlocks by one person at the same moment, handled by the two workers, record one check-in', async () => {
		const email = 'ben.okafor@example.com';
		const before = (await cluster.main.executions(ids[CHECK_IN])).length;
		const unlocks = await Promise.all([DEMO_KISI.lockIds.frontDoor, DEMO_KISI.lockIds.frontDoor].map(async (lock) => await sandbox.kisiUnlock({ email, lock_id: lock })));
		expect(unlocks.flatMap((u) => (u.deliveries as IDataObject[]).map((d) => d.status))).toEqual([200, 200]);
		await cluster.main.waitForExecutions(ids[CHECK_IN], before + 2, 60_000);
		expect((await glofoxAccesses(email)).length).toBe(1);
		// Which worker ran what: both workers took part in this suite's executions.
		const ran = cluster.workers.map((worker) => worker.log.filter((line) => /Worker started execution|started execution/i.test(line)).length);
		expect(ran.every((count) => count > 0)).toBe(true);
	});

	it('the cooldown holds across restarts of every worker', async () => {
		const email = 'carla.mendes@example.com';
		await sandbox.kisiUnlock({ email, lock_id: DEMO_KISI.lockIds.frontDoor });
		expect((await eventually(async () => await glofoxAccesses(email), (list) => list.length > 0)).length).toBe(1);
		for (const worker of cluster.workers) {
			await worker.kill();
			await worker.launch();
		}
		const before = (await cluster.main.executions(ids[CHECK_IN])).length;
		await sandbox.kisiUnlock({ email, lock_id: DEMO_KISI.lockIds.frontDoor });
		await cluster.main.waitForExecutions(ids[CHECK_IN], before + 1, 60_000);
		expect((await glofoxAccesses(email)).length).toBe(1);
	});

	it("no workflow static data is written by the trigger or the Check In: what they remember is in n8n's database", async () => {
		const rows = cluster.postgres.sql(`SELECT "staticData" FROM workflow_entity WHERE id = '${ids[CHECK_IN]}'`);
		expect(rows === '' || rows === '{}' || rows === 'null').toBe(true);
		expect(Number(cluster.postgres.sql(`SELECT count(*) FROM processed_data WHERE "workflowId" = '${ids[CHECK_IN]}'`))).toBe(1);
	});
});
