/**
 * Compute: the Access Rule Evaluator's throughput on 50,000 real profiles (the Glofox node's
 * output for the generated gym), as pure code and through n8n's engine; the pure plan diff of a
 * sync over 50,000 shares; the query cover for a group past Kisi's offset cap.
 */
import type { IDataObject } from 'n8n-workflow';

import { evaluateAccess, type EvaluatorParameters } from '../nodes/AccessRuleEvaluator/engine';
import { chooseQueries } from '../nodes/Kisi/sync/partition';
import { type KisiShare, planGroupSync, type SyncDecision } from '../nodes/Kisi/sync/plan';
import { startSandbox } from '../sandbox';
import { runWorkflow, type WorkflowJson } from '../test/harness/engine';
import { evaluatedAt, loadTemplate, sandboxCredentials } from '../test/harness/templates';
import { EVALUATOR_NODE, NOW, SOURCE_NODE, TEMPLATES } from './config';
import { KISI_REACHABLE, PAGE } from './minimum';
import type { ScenarioCache } from './scenario';

const UNPACED = { kisi: { requestsPerSecond: 1e6 }, glofox: { requestsPerSecond: 1e6 }, teamup: { requestsPerMinute: 6e7 } };

export interface Timing {
	/** Median of the repetitions, ms. */
	ms: number;
	runs: number[];
}

export interface ComputeResult {
	profiles: number;
	profileSource: string;
	fetchSeconds: number;
	evaluatorPure: Timing & { perSecond: number };
	evaluatorNode: Timing & { perSecond: number; engineMs: number };
	decisions: { allow: number; deny: number };
	plan: Timing & { decisions: number; shares: number; creates: number; updates: number; deletes: number; unchanged: number };
	queryCover: Timing & { population: number; queries: number; estimatedPages: number };
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function time<T>(repeat: number, work: () => T): { timing: Timing; last: T } {
	const runs: number[] = [];
	let last!: T;
	for (let i = 0; i < repeat; i++) {
		const started = performance.now();
		last = work();
		runs.push(performance.now() - started);
	}
	return { timing: { ms: median(runs), runs }, last };
}

/** The template with only some nodes (and the connections between them). */
function subset(template: WorkflowJson, names: string[]): WorkflowJson {
	const keep = new Set(names);
	const connections: WorkflowJson['connections'] = {};
	for (const [from, outputs] of Object.entries(template.connections)) {
		if (!keep.has(from)) continue;
		connections[from] = { main: (outputs.main ?? []).map((list) => (list ?? []).filter((c) => keep.has(c.node))) };
	}
	return { ...template, nodes: template.nodes.filter((node) => keep.has(node.name)), connections };
}

export async function measureCompute(cache: ScenarioCache, members: number, log: (line: string) => void): Promise<ComputeResult> {
	const template = evaluatedAt(loadTemplate(TEMPLATES.glofox), NOW);

	// 1. Real profiles: the Glofox node's output for the generated gym.
	log(`compute: fetching ${members.toLocaleString('en')} Glofox access profiles…`);
	const sb = await startSandbox({ scenario: { ...cache.get(members), rateLimits: false }, port: 0 });
	let profiles: IDataObject[];
	const fetchStarted = performance.now();
	try {
		const source = await runWorkflow(subset(template, ['Run now', SOURCE_NODE.glofox]), { credentials: sandboxCredentials(sb.url, UNPACED), startNode: 'Run now' });
		if (source.error) throw source.error;
		profiles = source.output(SOURCE_NODE.glofox);
	} finally {
		await sb.close();
	}
	const fetchSeconds = (performance.now() - fetchStarted) / 1000;

	// 2. The evaluator, pure: the template's parameters, evaluation time pinned.
	const evaluator = template.nodes.find((node) => node.name === EVALUATOR_NODE)!;
	const parameters = evaluator.parameters as unknown as EvaluatorParameters;
	log(`compute: evaluator on ${profiles.length.toLocaleString('en')} profiles…`);
	const pure = time(5, () => evaluateAccess(profiles, parameters));
	const decisions = pure.last;

	// 3. The evaluator node through n8n's engine (the profiles as its input items).
	const nodeRuns: number[] = [];
	const engineRuns: number[] = [];
	const evaluatorOnly: WorkflowJson = {
		...template,
		nodes: [
			{ id: 'input', name: 'Profiles', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} },
			{ ...evaluator, position: [200, 0] },
		],
		connections: { Profiles: { main: [[{ node: EVALUATOR_NODE, type: 'main', index: 0 }]] } },
	} as WorkflowJson;
	for (let i = 0; i < 3; i++) {
		const started = performance.now();
		const result = await runWorkflow(evaluatorOnly, { credentials: [], startNode: 'Profiles', triggerItems: profiles, mode: 'manual' });
		engineRuns.push(performance.now() - started);
		if (result.error) throw result.error;
		nodeRuns.push(result.runData[EVALUATOR_NODE]?.[0]?.executionTime ?? Number.NaN);
	}

	// 4. The plan diff over 50,000 shares: 50,000 allowing decisions against the group's 50,000
	//    shares, 1% with a changed window, 1% missing (creates), 1% extra (deletes).
	const N = 50_000;
	const from = '2026-03-02T13:00:00.000Z';
	const until = '2026-03-02T16:00:00.000Z';
	const planDecisions: SyncDecision[] = [];
	const shares: KisiShare[] = [];
	for (let i = 0; i < N; i++) {
		const email = `member.${i}@gym${i % 5}.test`;
		const membership = i % 4 !== 0;
		planDecisions.push({ email, access: 'allow', validFrom: membership ? '2025-09-01T00:00:00.000Z' : from, validUntil: membership ? null : until });
		if (i % 100 === 1) continue; // missing: create
		const changed = i % 100 === 2;
		shares.push({
			id: 1_000_000 + i,
			email,
			group_id: 503,
			valid_from: membership ? '2025-09-01T00:00:00.000Z' : changed ? '2026-03-02T12:00:00.000Z' : from,
			valid_until: membership ? (changed ? '2026-04-01T00:00:00.000Z' : null) : until,
			created_by_id: 100,
		});
	}
	for (let i = 0; shares.length < N; i++) shares.push({ id: 2_000_000 + i, email: `left.${i}@gym.test`, group_id: 503, created_by_id: 100 });
	log('compute: plan diff of 50,000 decisions against 50,000 shares…');
	const plan = time(5, () => planGroupSync({ decisions: planDecisions, shares, groupId: 503, ownership: 'createdByThisKey', ownUserId: 100, now: NOW }));

	// 5. The query cover Kisi's offset cap forces for a group of the generated gym's size.
	const population = [...new Set(profiles.map((p) => (typeof p.email === 'string' ? p.email.trim().toLowerCase() : '')).filter(Boolean))].sort();
	log(`compute: query cover for a ${population.length.toLocaleString('en')}-email group past the offset cap…`);
	const cover = time(3, () => chooseQueries(population.slice(PAGE.kisiShares), population, KISI_REACHABLE, PAGE.kisiShares));

	const allow = decisions.filter((d) => d.decision.access === 'allow').length;
	return {
		profiles: profiles.length,
		profileSource: `Glofox → Access Profile → Get Many, ${members.toLocaleString('en')}-member generated gym`,
		fetchSeconds,
		evaluatorPure: { ...pure.timing, perSecond: profiles.length / (pure.timing.ms / 1000) },
		evaluatorNode: { ms: median(nodeRuns), runs: nodeRuns, perSecond: profiles.length / (median(nodeRuns) / 1000), engineMs: median(engineRuns) },
		decisions: { allow, deny: decisions.length - allow },
		plan: {
			...plan.timing,
			decisions: planDecisions.length,
			shares: shares.length,
			creates: plan.last.creates.length,
			updates: plan.last.updates.length,
			deletes: plan.last.deletes.length,
			unchanged: plan.last.unchanged.length,
		},
		queryCover: {
			...cover.timing,
			population: population.length,
			queries: cover.last.length,
			estimatedPages: cover.last.reduce((sum, q) => sum + Math.ceil(q.estimate / PAGE.kisiShares), 0),
		},
	};
}
