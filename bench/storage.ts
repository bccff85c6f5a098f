/**
 * What a real n8n keeps of the sync templates' scheduled runs, and the memory it needs for them:
 * the pinned n8n, this pack installed from its tarball, the Glofox → Kisi and TeamUp → Kisi
 * templates imported as shipped except for two things: the evaluation instant is pinned to the
 * benchmark's, and the schedule fires every 10 s instead of every 15 min (the workflow is published
 * until a run starts, then unpublished, so that exactly one scheduled run happens at a time). Each
 * run is a real production ('trigger' mode) execution; its bytes are read from n8n's own database
 * (`execution_data`: the run data plus the workflow snapshot, per execution, sub-executions
 * included). A fresh n8n per gym size, so that its peak memory (VmHWM) belongs to that size.
 *
 *   tsx bench/storage.ts [--sizes 1,5000] [--sources glofox,teamup] [--ref main] [--node-options '--max-old-space-size=768']
 *
 * `--ref` reads the templates from a git revision instead of the working tree (to measure what an
 * older template stores); `--node-options` sets NODE_OPTIONS for the n8n process (e.g. a heap limit).
 */
import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

import type { WorkflowJson } from '../test/harness/engine';
import { N8nInstance } from '../test/harness/n8n-process';
import { ROOT } from '../test/harness/package-types';
import { ExecutionStore, scheduledEvery10Seconds } from '../test/harness/stored-executions';
import { evaluatedAt, loadTemplate, sandboxCredentials, type TemplateName } from '../test/harness/templates';
import { startSandbox } from '../sandbox';
import { NOW, NOW_MS, type Source } from './config';
import { check, int, mb, type Table } from './report';
import { benchScenario, type ScenarioCache } from './scenario';

const TEMPLATE: Record<Source, TemplateName> = { glofox: 'glofox-kisi-access-sync', teamup: 'teamup-kisi-access-sync' };
/** The pipeline alone: no pacing in n8n, no limits in the sandbox (as the memory run of bench/n8n.ts). */
const UNPACED = { kisi: { requestsPerSecond: 1e6 }, glofox: { requestsPerSecond: 1e6 }, teamup: { requestsPerMinute: 6e7 } };

export interface StoredRun {
	members: number;
	source: Source;
	run: 'first' | 'steady';
	/** The scheduled execution's final status, 'not kept' when n8n deleted it (a successful run of a template that keeps only its changes). */
	status: string;
	/** Executions of the run n8n keeps (not deleted): the run itself and/or its sub-executions. */
	kept: number;
	/** Bytes of execution data n8n keeps for the run (`execution_data.data` + `workflowData`). */
	keptBytes: number;
	/** Bytes in the database right after the run, including rows n8n marked deleted (removed at its next prune). */
	bytesBeforePrune: number;
	/** From the run's start to its end, s. */
	seconds: number;
	/** Highest resident memory sampled during the run, kB. */
	peakRssKb: number;
}

export interface StorageResult {
	members: number;
	startSeconds: number;
	idleRssKb: number;
	/** The n8n process's lifetime peak (VmHWM) after all runs of this size, kB. */
	hwmKb: number;
	runs: StoredRun[];
}

function procStatus(pid: number): { rss: number; hwm: number } {
	const text = readFileSync(`/proc/${pid}/status`, 'utf8');
	const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)\\s+kB`).exec(text)?.[1] ?? 0);
	return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** A template from the working tree, or from a git revision. */
function templateAt(name: TemplateName, ref?: string): WorkflowJson & { id: string } {
	if (!ref) return loadTemplate(name);
	return JSON.parse(execFileSync('git', ['show', `${ref}:workflows/${name}.json`], { cwd: ROOT, encoding: 'utf8' })) as WorkflowJson & { id: string };
}

export async function measureStorage(
	cache: ScenarioCache,
	members: number,
	sources: Source[],
	log: (line: string) => void,
	options: { ref?: string; runs?: Array<'first' | 'steady'>; env?: Record<string, string> } = {},
): Promise<StorageResult> {
	const sb = await startSandbox({ scenario: members < 10 ? benchScenario(members) : cache.get(members), port: 0 });
	sb.state.clock.set(NOW_MS);
	const templates = sources.map((source) => {
		const template = templateAt(TEMPLATE[source], options.ref);
		return scheduledEvery10Seconds({ ...evaluatedAt(template, NOW), id: template.id });
	});
	const n8n = new N8nInstance({ credentials: sandboxCredentials(sb.url, UNPACED), workflows: templates, env: options.env });
	let store: ExecutionStore | undefined;
	try {
		const startedAt = performance.now();
		await n8n.start();
		const startSeconds = (performance.now() - startedAt) / 1000;
		const pid = (n8n['process'] as ChildProcess | undefined)?.pid;
		if (!pid) throw new Error('no n8n process id');
		store = new ExecutionStore(n8n);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const idle = procStatus(pid);
		const runs: StoredRun[] = [];
		for (const [index, source] of sources.entries()) {
			for (const run of options.runs ?? (['first', 'steady'] as const)) {
				log(`storage: ${members.toLocaleString('en')} members, ${source}, ${run} run (scheduled)…`);
				let peak = procStatus(pid).rss;
				const done = await store.runScheduled(templates[index].id, { onTick: () => (peak = Math.max(peak, procStatus(pid).rss)) });
				const self = done.executions.find((execution) => execution.id === done.id);
				runs.push({
					members,
					source,
					run,
					status: !self || self.deletedAt !== null ? 'not kept' : self.status,
					kept: done.kept.length,
					keptBytes: done.keptBytes,
					bytesBeforePrune: done.executions.reduce((sum, execution) => sum + (execution.bytes ?? 0), 0),
					seconds: done.seconds,
					peakRssKb: peak,
				});
				log(`  → ${runs.at(-1)!.status}, ${done.kept.length} kept, ${(done.keptBytes / 1e6).toFixed(3)} MB kept, peak RSS ${(peak / 1024).toFixed(0)} MB, ${done.seconds.toFixed(0)} s`);
			}
		}
		return { members, startSeconds, idleRssKb: idle.rss, hwmKb: procStatus(pid).hwm, runs };
	} finally {
		store?.close();
		await n8n.stop();
		await sb.close();
	}
}

const SYNC_LABEL: Record<Source, string> = { glofox: 'Glofox → Kisi', teamup: 'TeamUp → Kisi' };
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e5 ? 3 : 2)} MB`;
/** The targets for a successful run with nothing to change: ≤ 0.5 MB up to 5,000 members, ≤ 1 MB at 50,000. */
const steadyTarget = (members: number) => (members <= 5_000 ? 0.5e6 : 1e6);

export function storageTable(results: StorageResult[]): Table {
	const rows = results.flatMap((result) =>
		result.runs.map((run) => [
			int(run.members),
			SYNC_LABEL[run.source],
			run.run,
			run.status,
			int(run.kept),
			megabytes(run.keptBytes),
			megabytes(run.bytesBeforePrune),
			run.run === 'steady' ? `≤ ${megabytes(steadyTarget(run.members))}` : 'the change list',
			run.run === 'steady' ? check(run.keptBytes <= steadyTarget(run.members)) : '',
		]),
	);
	return {
		title: 'What a real n8n keeps of each scheduled sync run (execution data in its database)',
		head: ['Members', 'Sync', 'Run', 'Scheduled execution', 'Executions kept', 'Kept', 'In the database before n8n prunes', 'Target', ''],
		rows,
		notes: [
			'  Each run is a production (scheduled) execution of the shipped template in the pinned n8n (its schedule made to fire once, the evaluation instant pinned); bytes = execution_data.data + workflowData of every execution the run made, read from n8n\'s SQLite file after the run.',
			'  Kept: what stays (n8n keeps successful runs 14 days by default). The template does not keep a successful run; its "Keep what changed" sub-execution keeps the change list (creates, updates, removals, skips with reasons). First run = the gym\'s first sync (a share for everyone allowed: the largest change list); steady = nothing to change.',
			'  Before n8n prunes: the not-kept run\'s row, marked deleted, stays until n8n\'s next hard-delete pass (its data is the workflow and the start, not the run data).',
		],
	};
}

export function storageMemoryTable(results: StorageResult[]): Table {
	const base = results.find((result) => result.members === 1);
	const rows = results.map((result) => {
		const times = base ? result.hwmKb / base.hwmKb : null;
		const target = result.members >= 50_000 ? '≤ 1,536 MB' : result.members === 5_000 ? '≤ 1.3 × 1 member' : '—';
		const ok = result.members >= 50_000 ? check(result.hwmKb <= 1536 * 1024) : result.members === 5_000 && times !== null ? check(times <= 1.3) : '';
		return [int(result.members), mb(result.idleRssKb), mb(Math.max(...result.runs.map((run) => run.peakRssKb))), mb(result.hwmKb), times === null ? '—' : `${times.toFixed(2)}×`, target, ok];
	});
	return {
		title: 'Peak memory of a real n8n running the sync templates (a fresh n8n per gym size; first and steady runs of each sync)',
		head: ['Members', 'n8n idle (RSS)', 'Peak sampled (RSS)', 'Process peak (VmHWM)', '× the 1-member gym', 'Target', ''],
		rows,
		notes: ['  Rate limits off (memory, not time). VmHWM is the n8n process\'s lifetime peak resident memory, idle included.'],
	};
}

if (require.main === module) {
	const argv = process.argv.slice(2);
	const arg = (name: string) => {
		const at = argv.indexOf(name);
		return at >= 0 ? argv[at + 1] : undefined;
	};
	const sizes = (arg('--sizes') ?? '1,5000').split(',').map(Number);
	const sources = (arg('--sources') ?? 'glofox,teamup').split(',') as Source[];
	const ref = arg('--ref');
	const nodeOptions = arg('--node-options');
	const started = Date.now();
	const log = (line: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}\n`);
	void (async () => {
		const { ScenarioCache } = await import('./scenario');
		const cache = new ScenarioCache();
		const results: StorageResult[] = [];
		for (const members of sizes) results.push(await measureStorage(cache, members, sources, log, { ref, env: nodeOptions ? { NODE_OPTIONS: nodeOptions } : undefined }));
		const { formatText } = await import('./report');
		process.stderr.write(`\n${formatText(storageTable(results))}\n\n${formatText(storageMemoryTable(results))}\n`);
		process.stdout.write(`${JSON.stringify(results, null, '\t')}\n`);
	})().catch((error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	});
}
