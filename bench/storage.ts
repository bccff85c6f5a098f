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
 *   tsx bench/storage.ts [--sizes 1,5000] [--sources glofox,teamup] [--ref main] [--node-options '--max-old-space-size=768'] [--env 'MALLOC_ARENA_MAX=2']
 *
 * `--ref` reads the templates from a git revision instead of the working tree (to measure what an
 * older template stores); `--node-options` sets NODE_OPTIONS for the n8n process (e.g. a heap limit),
 * `--env` other environment variables of the n8n process (e.g. the C allocator's). The n8n process
 * runs with bench/memory-probe.cjs preloaded: the memory breakdown per phase of each run.
 */
import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { WorkflowJson } from '../test/harness/engine';
import { N8nInstance } from '../test/harness/n8n-process';
import { ROOT } from '../test/harness/package-types';
import { ExecutionStore, scheduledEvery10Seconds } from '../test/harness/stored-executions';
import { evaluatedAt, loadTemplate, sandboxCredentials, type TemplateName } from '../test/harness/templates';
import { type RequestLogEntry, startSandbox } from '../sandbox';
import { NOW, NOW_MS, type Source } from './config';
import { check, int, mb, seconds, type Table } from './report';
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
	/** Highest resident memory of n8n's child processes (its task runner) sampled during the run, kB: not part of peakRssKb. */
	childrenPeakRssKb: number;
	/** Where the n8n process's memory was, per phase of the run (from bench/memory-probe.cjs). */
	phases: PhaseMemory[];
}

/** The phases of a sync run, told apart by the requests the sandbox saw. */
export type Phase = 'source read' | 'evaluation' | 'sync listing' | 'writes' | 'after the last request';

/** The n8n process's memory at the highest resident sample of a phase (MB), and the phase's length. */
export interface PhaseMemory {
	phase: Phase;
	seconds: number;
	samples: number;
	rss: number;
	/** V8's heap (all spaces, committed). */
	heapTotal: number;
	heapUsed: number;
	/** Memory V8 knows about outside its heap (Buffers, array buffers). */
	external: number;
	arrayBuffers: number;
	/** The rest of the resident memory: code, the allocator's arenas (malloc), native libraries, SQLite. */
	native: number;
	/** The highest heapUsed of the phase (may be another sample than the RSS peak). */
	maxHeapUsed: number;
	/** Worker threads that sampled in the phase, and the sum of their latest committed heaps. */
	workers: number;
	workerHeapTotal: number;
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

/** The resident memory of a process's children (n8n 2.x starts its JavaScript task runner as one), kB. */
function childrenRssKb(pid: number): number {
	let children: string[] = [];
	try {
		children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
	} catch {
		return 0;
	}
	return children.reduce((sum, child) => {
		try {
			return sum + procStatus(Number(child)).rss + childrenRssKb(Number(child));
		} catch {
			return sum;
		}
	}, 0);
}

const PROBE = join(__dirname, 'memory-probe.cjs');

interface ProbeSample {
	t: number;
	/** 0: the main thread; otherwise a worker thread (its own heap; the process's RSS). */
	thread: number;
	rssKb: number;
	heapTotal: number;
	heapUsed: number;
	external: number;
	arrayBuffers: number;
}

function probeSamples(dir: string, pid: number): ProbeSample[] {
	if (!readdirSync(dir).includes(`${pid}.jsonl`)) return [];
	return readFileSync(join(dir, `${pid}.jsonl`), 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as ProbeSample)
		.filter((sample) => typeof sample.t === 'number');
}

/** Phase boundaries of one run from the sandbox's request log (real times, ms). */
function phaseBounds(requests: RequestLogEntry[], from: number, to: number): Array<{ phase: Phase; from: number; to: number }> {
	const at = (entry: RequestLogEntry) => Date.parse(entry.at);
	const source = requests.filter((entry) => entry.service !== 'kisi');
	const kisi = requests.filter((entry) => entry.service === 'kisi');
	const writes = kisi.filter((entry) => entry.method !== 'GET');
	const sourceEnd = source.length ? Math.max(...source.map(at)) : from;
	const kisiStart = kisi.length ? Math.min(...kisi.filter((entry) => at(entry) >= sourceEnd).map(at)) : sourceEnd;
	const writeStart = writes.length ? Math.min(...writes.map(at)) : null;
	const kisiEnd = kisi.length ? Math.max(...kisi.map(at)) : kisiStart;
	const sourceStart = source.length ? Math.min(...source.map(at)) : from;
	const bounds: Array<{ phase: Phase; from: number; to: number }> = [
		{ phase: 'source read', from: sourceStart, to: sourceEnd },
		{ phase: 'evaluation', from: sourceEnd, to: kisiStart },
		{ phase: 'sync listing', from: kisiStart, to: writeStart ?? kisiEnd },
	];
	if (writeStart !== null) bounds.push({ phase: 'writes', from: writeStart, to: kisiEnd });
	bounds.push({ phase: 'after the last request', from: kisiEnd, to });
	return bounds;
}

const MB = 1024 * 1024;

function phaseMemory(samples: ProbeSample[], bounds: Array<{ phase: Phase; from: number; to: number }>): PhaseMemory[] {
	return bounds.map(({ phase, from, to }) => {
		const inPhase = samples.filter((sample) => sample.t >= from && sample.t <= to);
		const inside = inPhase.filter((sample) => sample.thread === 0);
		const workerHeaps = new Map<number, number>();
		for (const sample of inPhase) if (sample.thread !== 0) workerHeaps.set(sample.thread, sample.heapTotal);
		const peak = inside.reduce<ProbeSample | undefined>((best, sample) => (!best || sample.rssKb > best.rssKb ? sample : best), undefined);
		const rss = peak ? (peak.rssKb * 1024) / MB : 0;
		const heapTotal = peak ? peak.heapTotal / MB : 0;
		const external = peak ? peak.external / MB : 0;
		return {
			phase,
			seconds: Math.max(0, to - from) / 1000,
			samples: inside.length,
			rss,
			heapTotal,
			heapUsed: peak ? peak.heapUsed / MB : 0,
			external,
			arrayBuffers: peak ? peak.arrayBuffers / MB : 0,
			// external includes arrayBuffers; both live outside heapTotal.
			native: rss - heapTotal - external,
			maxHeapUsed: Math.max(0, ...inside.map((sample) => sample.heapUsed / MB)),
			workers: workerHeaps.size,
			workerHeapTotal: [...workerHeaps.values()].reduce((sum, heap) => sum + heap, 0) / MB,
		};
	});
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
	const probeDir = mkdtempSync(join(tmpdir(), 'gym-memory-probe-'));
	const env = {
		...options.env,
		GYM_MEMORY_PROBE_DIR: probeDir,
		NODE_OPTIONS: [options.env?.NODE_OPTIONS, `--require "${PROBE}"`].filter(Boolean).join(' '),
	};
	const n8n = new N8nInstance({ credentials: sandboxCredentials(sb.url, UNPACED), workflows: templates, env });
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
				let childrenPeak = childrenRssKb(pid);
				const firstRequest = sb.state.requests.length;
				const from = Date.now();
				const done = await store.runScheduled(templates[index].id, {
					onTick: () => {
						peak = Math.max(peak, procStatus(pid).rss);
						childrenPeak = Math.max(childrenPeak, childrenRssKb(pid));
					},
				});
				const phases = phaseMemory(probeSamples(probeDir, pid), phaseBounds(sb.state.requests.slice(firstRequest), from, Date.now()));
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
					childrenPeakRssKb: childrenPeak,
					phases,
				});
				log(`  → ${runs.at(-1)!.status}, ${done.kept.length} kept, ${(done.keptBytes / 1e6).toFixed(3)} MB kept, peak RSS ${(peak / 1024).toFixed(0)} MB, ${done.seconds.toFixed(0)} s`);
			}
		}
		return { members, startSeconds, idleRssKb: idle.rss, hwmKb: procStatus(pid).hwm, runs };
	} finally {
		store?.close();
		await n8n.stop();
		await sb.close();
		// GYM_MEMORY_PROBE_KEEP=1 keeps the raw samples (one JSON-lines file per process) for a closer look.
		if (process.env.GYM_MEMORY_PROBE_KEEP) log(`memory samples kept in ${probeDir}`);
		else rmSync(probeDir, { recursive: true, force: true });
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

const MB_CELL = (value: number) => `${value.toFixed(0)} MB`;

export function storageBreakdownTable(results: StorageResult[]): Table {
	const rows = results.flatMap((result) =>
		result.runs.flatMap((run) =>
			run.phases.map((phase) => [
				int(run.members),
				SYNC_LABEL[run.source],
				run.run,
				phase.phase,
				seconds(phase.seconds),
				phase.samples ? MB_CELL(phase.rss) : '—',
				phase.samples ? MB_CELL(phase.heapUsed) : '—',
				phase.samples ? MB_CELL(phase.heapTotal) : '—',
				phase.samples ? `${MB_CELL(phase.external)} (${MB_CELL(phase.arrayBuffers)})` : '—',
				phase.samples ? MB_CELL(phase.native) : '—',
				phase.samples ? MB_CELL(phase.maxHeapUsed) : '—',
				phase.workers ? `${phase.workers}: ${MB_CELL(phase.workerHeapTotal)}` : '—',
			]),
		),
	);
	return {
		title: 'Where the n8n process\'s memory is, per phase of each run (at the phase\'s highest resident sample)',
		head: ['Members', 'Sync', 'Run', 'Phase', 'Length', 'RSS', 'Heap used', 'Heap committed', 'External (array buffers)', 'Native rest', 'Heap used, phase max', 'Worker threads: heaps'],
		rows,
		notes: [
			'  Sampled inside n8n every 250 ms by bench/memory-probe.cjs (process.memoryUsage(), /proc/self/status). Phases from the sandbox\'s request log: source read = first to last Glofox/TeamUp request; evaluation = until the first Kisi request; sync listing = until the first Kisi write; writes = until the last Kisi request; after = the "Keep what changed" sub-workflow and saving the execution.',
			'  Main thread only; worker threads of the n8n process have heaps of their own (last column), counted in its RSS and so in the native rest. Native rest = RSS − the main heap committed − external: worker heaps, code, native libraries, SQLite, the C allocator\'s arenas (freed memory malloc keeps) and, just after a major garbage collection, heap pages V8 has released but not yet returned. n8n\'s task runner is a separate process (it does not inherit NODE_OPTIONS: no samples), not in these numbers.',
		],
	};
}

export function storageMemoryTable(results: StorageResult[]): Table {
	const base = results.find((result) => result.members === 1);
	const rows = results.map((result) => {
		const times = base ? result.hwmKb / base.hwmKb : null;
		const target = result.members >= 50_000 ? '≤ 1,536 MB' : result.members === 5_000 ? '≤ 1.3 × 1 member' : '—';
		const ok = result.members >= 50_000 ? check(result.hwmKb <= 1536 * 1024) : result.members === 5_000 && times !== null ? check(times <= 1.3) : '';
		return [
			int(result.members),
			mb(result.idleRssKb),
			mb(Math.max(...result.runs.map((run) => run.peakRssKb))),
			mb(result.hwmKb),
			times === null ? '—' : `${times.toFixed(2)}×`,
			mb(Math.max(...result.runs.map((run) => run.childrenPeakRssKb))),
			target,
			ok,
		];
	});
	return {
		title: 'Peak memory of a real n8n running the sync templates (a fresh n8n per gym size; first and steady runs of each sync)',
		head: ['Members', 'n8n idle (RSS)', 'Peak sampled (RSS)', 'Process peak (VmHWM)', '× the 1-member gym', 'Task runner peak (not included)', 'Target', ''],
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
		// --env 'MALLOC_ARENA_MAX=2 OTHER=…': settings an operator could give the n8n process.
		const env = Object.fromEntries((arg('--env') ?? '').split(/\s+/).filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
		if (nodeOptions) env.NODE_OPTIONS = nodeOptions;
		for (const members of sizes) results.push(await measureStorage(cache, members, sources, log, { ref, env }));
		const { formatText } = await import('./report');
		process.stderr.write(`\n${formatText(storageTable(results))}\n\n${formatText(storageMemoryTable(results))}\n\n${formatText(storageBreakdownTable(results))}\n`);
		process.stdout.write(`${JSON.stringify(results, null, '\t')}\n`);
	})().catch((error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	});
}
