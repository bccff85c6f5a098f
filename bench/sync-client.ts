/**
 * One sync run in its own process (the "n8n" side of a benchmark run): the shipped template,
 * pinned to the benchmark instant, run through n8n-core's WorkflowExecute against a sandbox in
 * the parent process. Optional exact time compression (timewarp.ts, imported first).
 *
 *   tsx bench/sync-client.ts '{"source":"glofox","url":"http://127.0.0.1:4010","at":"…","rates":{…}}'
 *
 * Prints one line `BENCH_RESULT {json}` on stdout.
 */
import { recordRequests, TIME_SCALE, virtualNow, virtualRequests } from './timewarp';

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'gym-access-bench-'));

export interface SyncClientInput {
	source: 'glofox' | 'teamup';
	url: string;
	at: string;
	/** Credential pacing: Kisi/Glofox requests per second, TeamUp per minute. */
	rates: { kisi: number; glofox: number; teamup: number };
}

export interface NodeTiming {
	name: string;
	ms: number;
	items: number;
	hints: string[];
}

export interface SyncClientResult {
	status: string;
	error?: string;
	/** Real wall time of the workflow run (module loading excluded). */
	wallMs: number;
	/**
	 * The run's duration on the virtual clock (timewarp.ts): what it takes in real time, its waits
	 * in full and its own work once. Equals wallMs (± clock noise) when timeScale is 1.
	 */
	virtualMs: number;
	timeScale: number;
	/** Requests each documented limit would have refused, judged on their virtual send times. */
	refusedByDocumentedLimits: Record<string, number>;
	nodes: NodeTiming[];
	profiles: number;
	decisions: { allow: number; deny: number; allowEmails: number };
	/** Sync node output ('changes'): count per action. */
	actions: Record<string, number>;
	/** CPU time of this process during the run (user + system, all threads), ms. */
	cpuMs: number;
	/**
	 * The event loop during the run (real ms): `busy` running JavaScript (building profiles,
	 * evaluating, planning, encoding requests), `idle` waiting (for the pacer's timers and for
	 * the sandbox's answers).
	 */
	loop: { busyMs: number; idleMs: number };
	/** Peak resident memory of this process (VmHWM), kB. */
	peakRssKb: number;
}

function vmHwmKb(): number {
	const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
	return match ? Number(match[1]) : 0;
}

async function main(): Promise<void> {
	const input = JSON.parse(process.argv[2] ?? '{}') as SyncClientInput;
	const { runWorkflow } = await import('../test/harness/engine');
	const { evaluatedAt, loadTemplate, sandboxCredentials } = await import('../test/harness/templates');
	const { EVALUATOR_NODE, SOURCE_NODE, SYNC_NODE, TEMPLATES, refusedByLimit } = await import('./config');

	const { startSandbox } = await import('../sandbox');
	const { buildDemoScenario } = await import('../sandbox/scenarios/demo');

	const template = evaluatedAt(loadTemplate(TEMPLATES[input.source]), input.at);
	const credentialsFor = (url: string, rates: SyncClientInput['rates']) =>
		sandboxCredentials(url, {
			kisi: { requestsPerSecond: rates.kisi },
			glofox: { requestsPerSecond: rates.glofox },
			teamup: { requestsPerMinute: rates.teamup },
		});

	// n8n is a long-running process: the template has run before. Warm this one up on the demo
	// gym in a sandbox of its own (its own base URL, so its own pacers), unpaced.
	const warmUp = await startSandbox({ scenario: { ...(buildDemoScenario(new Date(input.at)) as object), rateLimits: false }, port: 0 });
	try {
		const warm = await runWorkflow(template, { credentials: credentialsFor(warmUp.url, { kisi: 1e6, glofox: 1e6, teamup: 6e7 }), startNode: 'Run now' });
		if (warm.status !== 'success') throw new Error(`warm-up run failed: ${warm.error?.message}`);
	} finally {
		await warmUp.close();
	}

	const credentials = credentialsFor(input.url, input.rates);
	const cpuBefore = process.cpuUsage();
	const eluBefore = performance.eventLoopUtilization();
	const started = performance.now();
	const virtualStart = virtualNow();
	recordRequests(true);
	const result = await runWorkflow(template, { credentials, startNode: 'Run now' });
	recordRequests(false);
	const virtualMs = virtualNow() - virtualStart;
	const wallMs = performance.now() - started;
	const elu = performance.eventLoopUtilization(eluBefore);
	const cpu = process.cpuUsage(cpuBefore);

	const nodes: NodeTiming[] = Object.entries(result.runData).map(([name, runs]) => ({
		name,
		// n8n times nodes with Date.now: the virtual clock, i.e. real-time equivalent.
		ms: runs[0]?.executionTime ?? 0,
		items: runs[0]?.data?.main?.[0]?.length ?? 0,
		hints: (runs[0]?.hints ?? []).map((hint) => String(hint.message)),
	}));
	const decisions = result.output(EVALUATOR_NODE);
	const allowEmails = new Set(
		decisions.filter((d) => d.access === 'allow' && typeof d.email === 'string').map((d) => String(d.email).trim().toLowerCase()),
	);
	const actions: Record<string, number> = {};
	for (const item of result.output(SYNC_NODE[input.source])) {
		const action = String(item.action);
		actions[action] = (actions[action] ?? 0) + 1;
	}
	const refusedByDocumentedLimits: Record<string, number> = {};
	for (const service of ['kisi', 'teamup', 'glofox'] as const) {
		const times = virtualRequests.filter((request) => request.path.startsWith(`/${service}/`)).map((request) => request.at);
		refusedByDocumentedLimits[service] = refusedByLimit(service, times);
	}
	const out: SyncClientResult = {
		status: result.status,
		error: result.error ? `${result.error.message}${result.error.description ? ` — ${result.error.description}` : ''}` : undefined,
		wallMs,
		virtualMs,
		timeScale: TIME_SCALE,
		refusedByDocumentedLimits,
		nodes,
		profiles: result.items(SOURCE_NODE[input.source]).length,
		decisions: {
			allow: decisions.filter((d) => d.access === 'allow').length,
			deny: decisions.filter((d) => d.access === 'deny').length,
			allowEmails: allowEmails.size,
		},
		actions,
		cpuMs: (cpu.user + cpu.system) / 1000,
		loop: { busyMs: elu.active, idleMs: elu.idle },
		peakRssKb: vmHwmKb(),
	};
	process.stdout.write(`BENCH_RESULT ${JSON.stringify(out)}\n`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	},
);
