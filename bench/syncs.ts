/**
 * Full syncs (Glofox → Kisi, TeamUp → Kisi) of a generated gym: request economy (rate limits
 * off) and sync time under the documented rate limits (exactly time-compressed by k: timewarp.ts). The sandbox runs
 * in this process; each sync runs in its own process (sync-client.ts), as n8n would, so the two
 * sides use the two cores and the client's clock can be compressed on its own.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import type { RequestLogEntry, RunningSandbox, ScenarioInput } from '../sandbox';
import {
	GROUPS,
	KEY_USER_ID,
	NOW,
	NOW_MS,
	RATE_PER_SECOND,
	type RunKind,
	type Service,
	type Source,
	WINDOW,
} from './config';
import { glofoxMinimum, type KisiMinimum, kisiMinimum, type Minimum, teamupMinimum } from './minimum';
import type { SyncClientInput, SyncClientResult } from './sync-client';

const ROOT = join(__dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** Credential pacing far above anything the sandbox needs: the economy runs measure requests, not time. */
const UNPACED = { kisi: 1_000_000, glofox: 1_000_000, teamup: 60_000_000 };
/** The documented rates, as the credentials' defaults (the client's clock is compressed instead). */
const DOCUMENTED = { kisi: 5, glofox: 10, teamup: 250 };

export interface ServiceRequests {
	total: number;
	reads: number;
	writes: number;
	/** 429 answers received. */
	throttled: number;
	/** Other answers outside 2xx (and 422s the sync handles). */
	failed: number;
	/** Requests per route (ids replaced by `:id`). */
	routes: Record<string, number>;
}

export interface SyncMeasurement {
	members: number;
	source: Source;
	run: RunKind;
	mode: 'economy' | 'rateLimited';
	timeScale: number;
	/** A repeat of a smaller run at a higher k, to show what compression alone adds. */
	calibration?: boolean;
	/** Simulated API latency, real ms (0: loopback). */
	apiLatencyMs: number;
	client: SyncClientResult;
	requests: Record<'source' | 'kisi', ServiceRequests>;
	sharesBefore: number;
	sharesAfter: number;
	keySharesAfter: number;
	minimum: { source: Minimum; kisi: KisiMinimum };
	/** Rate-limited runs: seconds (real time) the documented limits impose. */
	floor?: { rateSeconds: number; windowSeconds: number; perService: Record<string, number> };
}

function routeOf(entry: RequestLogEntry): string {
	const path = entry.path.replace(/\/[0-9a-f]{24}(?=\/|$)/g, '/:id').replace(/\/\d+(?=\/|$)/g, '/:id');
	return `${entry.method} ${path}`;
}

export function summarise(entries: RequestLogEntry[]): ServiceRequests {
	const out: ServiceRequests = { total: 0, reads: 0, writes: 0, throttled: 0, failed: 0, routes: {} };
	for (const entry of entries) {
		out.total++;
		if (entry.method === 'GET') out.reads++;
		else out.writes++;
		if (entry.status === 429) out.throttled++;
		else if (entry.status < 200 || entry.status >= 300) out.failed++;
		const route = routeOf(entry);
		out.routes[route] = (out.routes[route] ?? 0) + 1;
	}
	return out;
}

export async function runSyncClient(input: SyncClientInput, timeScale: number): Promise<SyncClientResult> {
	return await new Promise((resolve, reject) => {
		const child = spawn(TSX, [join(__dirname, 'sync-client.ts'), JSON.stringify(input)], {
			cwd: ROOT,
			env: { ...process.env, BENCH_TIME_SCALE: String(timeScale) },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.once('error', reject);
		child.once('exit', (code) => {
			const line = stdout.split('\n').find((candidate) => candidate.startsWith('BENCH_RESULT '));
			if (code !== 0 || !line) {
				reject(new Error(`sync client (${input.source}) exited with ${code}: ${stderr.slice(-2000)}`));
				return;
			}
			resolve(JSON.parse(line.slice('BENCH_RESULT '.length)) as SyncClientResult);
		});
	});
}

function groupShareCounts(sb: RunningSandbox, groupId: number): { all: number; key: number } {
	let all = 0;
	let key = 0;
	for (const share of sb.state.kisi.access.values()) {
		if (share.group_id !== groupId) continue;
		all++;
		if (share.created_by_id === KEY_USER_ID) key++;
	}
	return { all, key };
}

/** Σ requests ÷ rate, and the window-exact floor (bursts the windows allow), in seconds. */
export function timeFloor(counts: Partial<Record<Service, number>>): SyncMeasurement['floor'] {
	let rateSeconds = 0;
	let windowSeconds = 0;
	const perService: Record<string, number> = {};
	for (const [service, n] of Object.entries(counts) as Array<[Service, number]>) {
		if (!n) continue;
		const byRate = n / RATE_PER_SECOND[service];
		const w = WINDOW[service];
		const byWindow =
			w.kind === 'sliding'
				? (Math.floor((n - 1) / w.limit) * w.windowMs) / 1000
				: Math.max(0, n - w.limit) / RATE_PER_SECOND[service];
		perService[service] = byRate;
		rateSeconds += byRate;
		windowSeconds += byWindow;
	}
	return { rateSeconds, windowSeconds, perService };
}

export interface SyncPlan {
	members: number;
	source: Source;
	mode: 'economy' | 'rateLimited';
	/** Time scale per run (rate-limited only; 1 for economy). */
	scale: Record<RunKind, number>;
	/** Default both. */
	runs?: RunKind[];
	calibration?: boolean;
	/** Simulated API latency (real ms) on every request of the three services (real at any k: only waits are compressed). */
	apiLatencyMs?: number;
}

/**
 * Loads a fresh copy of the scenario, then runs the template twice at the same pinned instant:
 * the first run (the group is empty), then the steady state (nothing changed since).
 */
export async function measureSyncPair(sb: RunningSandbox, scenario: ScenarioInput, plan: SyncPlan, log: (line: string) => void): Promise<SyncMeasurement[]> {
	const limited = plan.mode === 'rateLimited';
	scenario.rateLimits = limited;
	scenario.rateLimitScale = limited ? plan.scale.first : undefined;
	sb.state.load(scenario);
	const sourceMinimum = plan.source === 'glofox' ? glofoxMinimum(scenario) : teamupMinimum(scenario);
	const group = GROUPS[plan.source].id;
	const results: SyncMeasurement[] = [];
	let firstAllowEmails = 0;
	for (const run of plan.runs ?? (['first', 'steady'] as RunKind[])) {
		const timeScale = limited ? plan.scale[run] : 1;
		// A new run: the sandbox clock at the benchmark instant, empty rate-limit windows (the
		// template runs every 15 minutes, far apart from any window), an empty request log.
		sb.state.clock.set(NOW_MS);
		if (limited) sb.state.setRateLimits(true, timeScale);
		sb.state.faults.clear();
		if (plan.apiLatencyMs) {
			for (const service of ['kisi', 'teamup', 'glofox'] as const) sb.state.faults.add({ service, delayMs: plan.apiLatencyMs });
		}
		sb.state.requests = [];
		const before = groupShareCounts(sb, group);
		log(`${plan.mode === 'economy' ? 'economy' : `rate-limited k=${timeScale}`}: ${plan.source} → Kisi, ${plan.members.toLocaleString('en')} members, ${run} run…`);
		const client = await runSyncClient({ source: plan.source, url: sb.url, at: NOW, rates: limited ? DOCUMENTED : UNPACED }, timeScale);
		if (client.status !== 'success') throw new Error(`${plan.source} sync (${plan.members} members, ${run}) failed: ${client.error}`);
		const entries = sb.state.requests;
		const sourceEntries = entries.filter((entry) => entry.service === plan.source);
		const kisiEntries = entries.filter((entry) => entry.service === 'kisi');
		const after = groupShareCounts(sb, group);
		if (run === 'first') firstAllowEmails = client.decisions.allowEmails;
		// The group starts empty, so the first run has one change per allowed person; the steady
		// state has none (same instant, same data).
		const changes = run === 'first' ? client.decisions.allowEmails : 0;
		const measurement: SyncMeasurement = {
			members: plan.members,
			source: plan.source,
			run,
			mode: plan.mode,
			timeScale,
			calibration: plan.calibration,
			apiLatencyMs: plan.apiLatencyMs ?? 0,
			client,
			requests: { source: summarise(sourceEntries), kisi: summarise(kisiEntries) },
			sharesBefore: before.all,
			sharesAfter: after.all,
			keySharesAfter: after.key,
			minimum: { source: sourceMinimum, kisi: kisiMinimum(before.all, changes) },
		};
		if (limited) {
			const accepted = (list: RequestLogEntry[]) => list.filter((entry) => entry.status !== 429).length;
			measurement.floor = timeFloor({ [plan.source]: accepted(sourceEntries), kisi: accepted(kisiEntries) });
		}
		if (after.key !== firstAllowEmails) {
			throw new Error(`${plan.source} sync (${plan.members}, ${run}): the group holds ${after.key} shares made by the key, expected ${firstAllowEmails}`);
		}
		results.push(measurement);
	}
	sb.state.faults.clear();
	return results;
}
