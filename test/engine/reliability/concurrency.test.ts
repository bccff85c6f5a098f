/**
 * Overlapping sync executions (issue 10, "Concurrency"): the shipped template run several times at
 * once on the same group, from a half-synced group (creates, updates and deletes pending), as
 * happens when a run outlasts the 15-minute schedule or n8n catches up after a restart. By default
 * the later runs in the same n8n skip; with "Run Anyway" (and always across n8n processes, as in
 * queue mode) they all write and still end with exactly one share per allowed email. The same
 * overlap with decisions fed in directly is in test/engine/sync/sync-behaviour.test.ts.
 */
import type { WorkflowJson } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import {
	convergenceProblems,
	groupShares,
	kisiWrites,
	type Outcome,
	outcomeOf,
	printOutcomes,
	runSync,
	safetyViolations,
	seededScenario,
	type Source,
	SYNC,
	syncTemplate,
} from './helpers';
import type { Fault } from './matrix';

jest.setTimeout(120_000);

const sandbox = withSandbox(() => seededScenario('glofox'));
const outcomes: Outcome[] = [];
afterAll(() => printOutcomes('Concurrency', outcomes));

/** The shipped template with the sync's "If a Sync of This Group Is Still Running" set. */
function templateWith(source: Source, ifRunning: 'skip' | 'run'): WorkflowJson {
	const template = syncTemplate(source);
	const sync = template.nodes.find((node) => node.name === SYNC[source].syncNode)!;
	sync.parameters = { ...sync.parameters, ifRunning };
	return template;
}

async function overlapping(source: Source, runs: number, ifRunning: 'skip' | 'run' = 'run') {
	const before = await groupShares(sandbox, source);
	const results = await Promise.all(Array.from({ length: runs }, async () => await runSync(sandbox, source, templateWith(source, ifRunning))));
	const after = await groupShares(sandbox, source);
	return { before, after, results };
}

describe('overlapping sync executions on the same group', () => {
	beforeEach(async () => {
		await sandbox.load(seededScenario('glofox'));
		await sandbox.clearRequests();
	});

	it('two executions that read the group at the same moment: one share per allowed email, both succeed', async () => {
		// Both plans are made from the same view of the group: the shares listing answers after 300 ms.
		await sandbox.fault({ service: 'kisi', method: 'GET', path: '/shares', delayMs: 300, times: 2 });
		const { before, after, results } = await overlapping('glofox', 2);
		for (const result of results) expect(result.error).toBeUndefined();
		expect(safetyViolations('glofox', before, after)).toEqual([]);
		expect(convergenceProblems('glofox', after)).toEqual([]);
		// The loser of each race got Kisi's "already taken" (422) or "not found" (404) and resolved it.
		const conflicts = (await sandbox.requests({ service: 'kisi' })).filter((r) => r.method !== 'GET' && (r.status === 422 || r.status === 404));
		expect(conflicts.length).toBeGreaterThan(0);
		const reasons = results.flatMap((result) => result.output('Kisi: sync the Glofox Members group').map((item) => String(item.reason)));
		expect(reasons.some((reason) => /overlapping run|already removed/.test(reason))).toBe(true);
		outcomes.push({ category: 'Concurrency', case: 'two overlapping executions (same view of the group)', outcome: `${results.map(outcomeOf).join(' / ')}; ${conflicts.length} conflicts (422/404) resolved; one share per allowed email` });

		// And the group is stable: a next run writes nothing.
		await sandbox.clearRequests();
		expect((await runSync(sandbox, 'glofox')).error).toBeUndefined();
		expect(await kisiWrites(sandbox)).toEqual([]);
	});

	it('by default, a run that starts while another is still writing skips: one skipped item, nothing written twice', async () => {
		const { before, after, results } = await overlapping('glofox', 3, 'skip');
		for (const result of results) expect(result.error).toBeUndefined();
		expect(safetyViolations('glofox', before, after)).toEqual([]);
		expect(convergenceProblems('glofox', after)).toEqual([]);
		const outputs = results.map((result) => result.output(SYNC.glofox.syncNode));
		const skipped = outputs.filter((items) => items.length === 1 && items[0].action === 'skipped' && /is still running in this n8n; this run changed nothing/.test(String(items[0].reason)));
		expect(skipped).toHaveLength(2);
		// No race: nothing was created twice, so Kisi never answered "already taken".
		expect((await sandbox.requests({ service: 'kisi' })).filter((r) => r.status === 422)).toEqual([]);
		outcomes.push({ category: 'Concurrency', case: 'three overlapping executions, default setting', outcome: 'the first syncs the group, the other two skip ("still running"); no conflict, one share per allowed email' });
	});

	it('five executions at once (a backlog after a restart): still one share per allowed email', async () => {
		const { before, after, results } = await overlapping('glofox', 5);
		expect(safetyViolations('glofox', before, after)).toEqual([]);
		expect(convergenceProblems('glofox', after)).toEqual([]);
		for (const result of results) expect(result.error).toBeUndefined();
		outcomes.push({ category: 'Concurrency', case: 'five overlapping executions', outcome: `${results.map(outcomeOf).join(' / ')}; one share per allowed email` });
	});

	it('overlapping executions while Kisi fails 20% of the requests: never a duplicate, and a clean run converges', async () => {
		const fault: Fault = { service: 'kisi', status: 500, rate: 0.2, seed: 9 };
		await sandbox.fault(fault);
		const { before, after, results } = await overlapping('glofox', 2);
		expect(safetyViolations('glofox', before, after)).toEqual([]);
		for (const result of results) if (result.error) expect(result.error.message).toMatch(/^The group is only partly synced: .*Kisi answered 500/);
		await sandbox.clearFaults();
		expect((await runSync(sandbox, 'glofox')).error).toBeUndefined();
		const final = await groupShares(sandbox, 'glofox');
		expect(convergenceProblems('glofox', final)).toEqual([]);
		expect(safetyViolations('glofox', after, final)).toEqual([]);
		outcomes.push({ category: 'Concurrency', case: 'two overlapping executions + Kisi 5xx on 20%', outcome: `${results.map(outcomeOf).join(' / ')}; no duplicate; clean run converged` });
	});

	it('the Glofox and the TeamUp sync at the same time (two groups, the same people): each group gets exactly its own people', async () => {
		await sandbox.load(seededScenario('glofox'));
		const state = await sandbox.state();
		// Add the TeamUp group's half-synced shares too.
		const teamup = seededScenario('teamup') as unknown as { kisi: { shares: Array<{ id: number; group_id: number }> } };
		const extra = teamup.kisi.shares.filter((share) => share.group_id === 504 && share.id >= 9300).map((share) => ({ ...share, id: share.id + 100 }));
		await sandbox.load({ ...state, kisi: { ...state.kisi, shares: [...state.kisi.shares, ...extra] } });
		const before = { glofox: await groupShares(sandbox, 'glofox'), teamup: await groupShares(sandbox, 'teamup') };
		const [glofox, teamupRun] = await Promise.all([runSync(sandbox, 'glofox'), runSync(sandbox, 'teamup')]);
		expect(glofox.error).toBeUndefined();
		expect(teamupRun.error).toBeUndefined();
		for (const source of ['glofox', 'teamup'] as const) {
			const after = await groupShares(sandbox, source);
			expect(safetyViolations(source, before[source], after)).toEqual([]);
			expect(convergenceProblems(source, after)).toEqual([]);
		}
		outcomes.push({ category: 'Concurrency', case: 'Glofox and TeamUp syncs at once (groups 503 and 504)', outcome: 'both converged, each group exactly its people' });
	});
});
