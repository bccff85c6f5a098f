/**
 * What a real n8n keeps of the shipped Glofox → Kisi template's scheduled runs (issue 18): for a
 * 2,000-member gym, a run with nothing to change keeps (almost) nothing, a run with changes keeps
 * the change list an operator reads in the Executions list, a failed run keeps everything, and a
 * run stopped from n8n while the sync writes saves what was and was not made (its custom data).
 * Sizes, not timings: the bytes are read from n8n's own database. The schedule fires every 10 s
 * instead of every 15 min; everything else is the template as shipped (evaluation pinned).
 */
import type { IDataObject } from 'n8n-workflow';

import { generateScenario, startSandbox, type RunningSandbox } from '../../sandbox';
import { DEMO_NOW } from '../../sandbox/scenarios/demo';
import { N8nInstance } from '../harness/n8n-process';
import { ExecutionStore, scheduledEvery10Seconds } from '../harness/stored-executions';
import { evaluatedAt, loadTemplate, sandboxCredentials } from '../harness/templates';

jest.setTimeout(600_000);

const MEMBERS = 2_000;
const SEED = 7;
const GROUP = 503;
/** The target for a successful run with nothing to change, at 5,000 members. */
const NO_CHANGE_BUDGET = 0.5e6;
const template = loadTemplate('glofox-kisi-access-sync');
const unpaced = { kisi: { requestsPerSecond: 1e6 }, glofox: { requestsPerSecond: 1e6 }, teamup: { requestsPerMinute: 6e7 } };

/** The generated gym, with the group the template syncs (by name). */
function gym() {
	const scenario = generateScenario({ members: MEMBERS, seed: SEED, now: DEMO_NOW, rateLimits: false });
	(scenario.kisi as unknown as { groups: IDataObject[] }).groups.push({ id: GROUP, name: 'Glofox Members', place_id: null, description: 'Managed by the sync template' });
	return scenario;
}

let sandbox: RunningSandbox;
let n8n: N8nInstance;
let store: ExecutionStore;

beforeAll(async () => {
	sandbox = await startSandbox({ scenario: gym(), port: 0 });
	sandbox.state.clock.set(Date.parse(DEMO_NOW));
	n8n = new N8nInstance({ credentials: sandboxCredentials(sandbox.url, unpaced), workflows: [scheduledEvery10Seconds({ ...evaluatedAt(template, DEMO_NOW), id: template.id })] });
	await n8n.start();
	store = new ExecutionStore(n8n);
});

afterAll(async () => {
	store?.close();
	await n8n?.stop();
	await sandbox?.close();
});

const groupShares = () =>
	[...sandbox.state.kisi.access.values()].filter((share) => share.group_id === GROUP).map((share) => ({ id: share.id, email: sandbox.state.kisi.users.get(share.user_id)!.email }));

it('a run with changes keeps only its change list, which shows every change with its reason', async () => {
	const before = new Set(groupShares().map((share) => share.id));
	const run = await store.runScheduled(template.id);
	const after = groupShares();

	// The scheduled execution itself is not kept; one small execution holds what changed.
	expect(run.executions.find((execution) => execution.id === run.id)?.deletedAt).not.toBeNull();
	expect(run.kept).toHaveLength(1);
	const [kept] = run.kept;
	expect(kept).toMatchObject({ mode: 'integrated', status: 'success' });
	const execution = await n8n.execution(String(kept.id));
	expect(Object.keys(execution.runData)).toEqual(['What changed']);
	const changes = execution.runData['What changed'][0].data!.main![0].map((item) => item.json);
	const created = after.filter((share) => !before.has(share.id));
	const removed = [...before].filter((id) => !after.some((share) => share.id === id));
	expect(created.length + removed.length).toBeGreaterThan(100);
	expect(changes.filter((change) => change.action === 'create').map((change) => change.email).sort()).toEqual(created.map((share) => share.email).sort());
	expect(changes.filter((change) => change.action === 'delete').map((change) => change.shareId).sort()).toEqual(removed.sort());
	for (const change of changes) expect(change).toMatchObject({ action: expect.any(String), email: expect.any(String), reason: expect.any(String) });
	// Little more than the change list itself (its JSON, plus the one-node workflow and n8n's framing).
	expect(kept.bytes!).toBeLessThan(2 * JSON.stringify(changes).length + 20_000);
});

it(`a run with nothing to change keeps nothing but n8n's row of it, far under ${NO_CHANGE_BUDGET / 1e6} MB`, async () => {
	const run = await store.runScheduled(template.id);
	expect(groupShares().length).toBeGreaterThan(0);
	expect(run.kept).toEqual([]);
	const all = run.executions.reduce((sum, execution) => sum + (execution.bytes ?? 0), 0);
	expect(all).toBeLessThan(NO_CHANGE_BUDGET);
});

it('a failed run keeps everything: the members read, the decisions and the error', async () => {
	// Kisi refuses the key (401) when the sync looks up its group: the run fails after reading Glofox.
	await fetch(`${sandbox.url}/__sandbox/faults`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ service: 'kisi', method: 'GET', path: '/groups', status: 401 }),
	});
	try {
		const run = await store.runScheduled(template.id);
		const self = run.kept.find((execution) => execution.id === run.id);
		expect(self).toMatchObject({ mode: 'trigger', status: 'error' });
		const execution = await n8n.execution(String(run.id));
		expect(execution.runData['Glofox: access profiles'][0].data!.main![0].length).toBeGreaterThanOrEqual(MEMBERS);
		expect(execution.runData['Decide who may enter'][0].data!.main![0].length).toBeGreaterThanOrEqual(MEMBERS);
		expect(self!.bytes!).toBeGreaterThan(NO_CHANGE_BUDGET);
	} finally {
		await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
	}
});

it('stopped from n8n while the sync writes: the saved execution says how many changes were made, under way and not made', async () => {
	sandbox.state.load(gym()); // the gym again, before its first sync
	sandbox.state.clock.set(Date.parse(DEMO_NOW));
	const fault = { service: 'kisi', method: 'POST', path: '/shares', delayMs: 100 };
	await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
	try {
		const started = await n8n.rest<{ executionId: string }>('POST', `/workflows/${template.id}/run`, { triggerToStartFrom: { name: 'Run now' } });
		for (const deadline = Date.now() + 120_000; groupShares().length < 20; await new Promise((resolve) => setTimeout(resolve, 100))) {
			if (Date.now() > deadline) throw new Error('the sync did not start writing');
		}
		await n8n.rest('POST', `/executions/${started.executionId}/stop`, {});
		let execution = await n8n.execution(started.executionId);
		for (const deadline = Date.now() + 30_000; !execution.stoppedAt && Date.now() < deadline; execution = await n8n.execution(started.executionId)) {
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		expect(execution.status).toBe('canceled');
		await new Promise((resolve) => setTimeout(resolve, 1500)); // the write under way, if any, ends
		const made = groupShares().length;
		const text = store.customData(started.executionId)[`kisiSync_${GROUP}`];
		const said = /^Group \d+: stopped after ([\d,]+) of ([\d,]+) changes \(([\d,]+) created, 0 updated, 0 removed\)(; the change being written when it stopped \(create \S+\) may or may not have been made)?; ([\d,]+) not made\./.exec(text);
		expect({ text, said: said !== null }).toEqual({ text, said: true });
		const [done, total, notMade] = [said![1], said![2], said![5]].map((figure) => figure.replace(/,/g, ''));
		const inFlight = said![4];
		expect(Number(done) + (inFlight ? 1 : 0) + Number(notMade)).toBe(Number(total));
		// Kisi holds the changes said made, perhaps the one under way, and nothing started after the stop.
		expect(made).toBeGreaterThanOrEqual(Number(done));
		expect(made).toBeLessThanOrEqual(Number(done) + (inFlight ? 1 : 0));
		expect(Number(total)).toBeGreaterThan(made);
	} finally {
		await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
	}
});
