/**
 * The pack on n8n's queue mode (test/harness/n8n-queue.ts: the pinned n8n as main, workers and a
 * webhook processor on Debian's PostgreSQL and Redis, the pack installed in every process, the four
 * templates imported, the two check-in templates activated) against the in-process sandbox:
 * - check-ins with one worker, then with a second one added: unlock → check-in latency, one
 *   unlock at a time (as bench/n8n.ts), and unlocks in waves of several at once (check-ins per second);
 * - the 5,000-member first syncs, Glofox → Kisi and TeamUp → Kisi started together on the two
 *   workers, each credential set as README "Queue mode" says for two workers (the documented rate
 *   ÷ 2) and the sandbox enforcing the documented limits. At the real limits by default (k = 1,
 *   about half an hour). k > 1 (--scale) divides the sandbox's windows by k and multiplies the
 *   credentials' rates by k, but n8n's pacers still count in windows of a second, so they may send
 *   a second's k-fold budget into one of the sandbox's shorter windows: with k > 1 the 429s and the
 *   time measure that mismatch, not the pack (the run of 2026-12-06 at k = 10 showed it).
 */
import type { RequestLogEntry, RunningSandbox } from '../sandbox';
import { startSandbox } from '../sandbox';
import { N8nQueueCluster } from '../test/harness/n8n-queue';
import { evaluatedAt, loadTemplate, sandboxCredentials, type TemplateName } from '../test/harness/templates';
import { NOW, NOW_MS, refusedByLimit, type Source, TEMPLATES } from './config';
import { checkInPeople, FRONT_DOOR, isGlofoxCheckIn, isTeamUpCheckIn, measureLatency, type N8nResult, UNPACED } from './n8n';
import { benchScenario, type ScenarioCache } from './scenario';

const CHECK_IN_TEMPLATES: TemplateName[] = ['kisi-unlock-glofox-checkin', 'kisi-unlock-teamup-checkin'];
const ALL_TEMPLATES: TemplateName[] = [TEMPLATES.glofox, TEMPLATES.teamup, ...CHECK_IN_TEMPLATES];
/** README "Queue mode", two workers: each API's documented rate ÷ 2, rounded down to a whole number. */
export const TWO_WORKER_RATES = { kisi: 2, glofox: 5, teamupPerMinute: 125 };
const KISI_LIMIT = { requests: 5, windowMs: 1000 };

export interface BurstResult {
	unlocks: number;
	/** Unlocks sent at once per wave (doors). */
	wave: number;
	/** From the first unlock call to the last check-in recorded, s. */
	seconds: number;
	/** Glofox + TeamUp check-ins recorded. */
	checkIns: number;
	/** Deliveries n8n did not answer with 200. */
	refused: number;
	missed: number;
	/**
	 * What n8n's executions of the check-in templates say about the waves' unlocks, per outcome: the
	 * Check In's output `status` (checked_in, duplicate, …) or `error: <message>` for a failed run.
	 * Tells a false `duplicate` from a failed execution when a check-in is missed.
	 */
	outcomes: Record<string, number>;
}

export interface QueueSyncRun {
	source: Source;
	worker: number;
	status: string;
	/** n8n's start → stop of the execution, s (compressed). */
	seconds: number;
}

export interface QueueResult {
	startSeconds: number;
	checkIns: Array<{ workers: number; latency: N8nResult['latency']; burst: BurstResult }>;
	sync?: {
		members: number;
		scale: number;
		runs: QueueSyncRun[];
		/** First request → last request at Kisi, s (compressed). */
		kisiSeconds: number;
		kisiRequests: number;
		throttled: number;
		/** The most Kisi requests within one (compressed) window of the limit. */
		busiestWindow: number;
		/** Requests the real limit would have refused, the times stretched back by k. */
		refused: number;
		/** Kisi requests ÷ the documented 5 requests/s ÷ k: the least time the two runs can take together, s. */
		floorSeconds: number;
	};
}

async function waitForCheckIns(sb: RunningSandbox, from: number, wanted: number, timeoutMs: number): Promise<number> {
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		const recorded = sb.state.requests.slice(from).filter((entry) => isGlofoxCheckIn(entry) || isTeamUpCheckIn(entry));
		if (recorded.length >= wanted || performance.now() > deadline) return recorded.length;
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/**
 * `people` unlock in waves of `wave` at the same moment (that many doors), the next wave once every
 * check-in of the previous one is recorded (or after a minute): check-ins per second under a steady
 * load that the workers' concurrency can take, rather than one instant flood of every door at once.
 */
async function measureWaves(sb: RunningSandbox, cluster: N8nQueueCluster, people: string[], wave: number, log: (line: string) => void): Promise<BurstResult> {
	log(`throughput: ${people.length} unlocks in waves of ${wave}…`);
	const from = sb.state.requests.length;
	const started = Date.now();
	// n8n's execution ids grow: the waves' executions are those above the newest one now.
	const before = String(Math.max(0, ...(await Promise.all(CHECK_IN_IDS.map(async (id) => await cluster.main.executions(id, 1)))).flat().map((execution) => Number(execution.id))));
	let refused = 0;
	let wanted = 0;
	let checkIns = 0;
	for (let at = 0; at < people.length; at += wave) {
		const answers = await Promise.all(
			people.slice(at, at + wave).map(async (email) => {
				const response = await fetch(`${sb.url}/__sandbox/kisi/unlock`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ email, lock_id: FRONT_DOOR }),
				});
				if (!response.ok) throw new Error(`unlock for ${email} → ${response.status} ${await response.text()}`);
				return (await response.json()) as { deliveries?: Array<{ status?: number | null }> };
			}),
		);
		refused += answers.reduce((sum, answer) => sum + (answer.deliveries ?? []).filter((delivery) => delivery.status !== 200).length, 0);
		wanted += answers.length * CHECK_IN_TEMPLATES.length;
		checkIns = await waitForCheckIns(sb, from, wanted, 60_000);
	}
	const recorded = sb.state.requests.slice(from).filter((entry) => isGlofoxCheckIn(entry) || isTeamUpCheckIn(entry));
	const last = Math.max(...recorded.map((entry) => Date.parse(entry.at)));
	const seconds = recorded.length ? (last - started) / 1000 : Number.NaN;
	const outcomes = await checkInOutcomes(cluster, before);
	return { unlocks: people.length, wave, seconds, checkIns, refused, missed: wanted - checkIns, outcomes };
}

const CHECK_IN_IDS = CHECK_IN_TEMPLATES.map((name) => loadTemplate(name).id);

/** The outcomes of the check-in templates' executions after execution `before` (see BurstResult.outcomes). */
async function checkInOutcomes(cluster: N8nQueueCluster, before: string): Promise<Record<string, number>> {
	const outcomes: Record<string, number> = {};
	const count = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);
	for (const id of CHECK_IN_IDS) {
		for (const summary of await cluster.main.executionsAfter(id, before)) {
			const execution = await cluster.main.execution(summary.id);
			const runs = Object.entries(execution.runData).filter(([node]) => node.startsWith('Check in to'));
			const run = runs[0]?.[1]?.[0] as { error?: { message?: string }; data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } } | undefined;
			if (run?.error) count(`error: ${run.error.message ?? 'unknown'}`);
			else if (!run) count(`no check-in step (${summary.status})`);
			else for (const item of run.data?.main?.[0] ?? []) count(String(item.json.status ?? 'no status'));
		}
	}
	return outcomes;
}

/** The most of `times` (ms) within any window of `windowMs` ((t − window, t]). */
function busiest(times: number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let last = 0, first = 0; last < sorted.length; last++) {
		while (sorted[first] <= sorted[last] - windowMs) first++;
		most = Math.max(most, last - first + 1);
	}
	return most;
}

export async function measureQueue(
	cache: ScenarioCache,
	options: { unlocks: number; burst: number; wave: number; latencyMembers: number; syncMembers?: number; scale: number },
	log: (line: string) => void,
): Promise<QueueResult> {
	const now = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
	const sb = await startSandbox({ scenario: benchScenario(options.latencyMembers, { existingShares: 1, now, rateLimits: false }), port: 0 });
	// The syncs are pinned to the benchmark instant, as in the other sections (their gym is the cached one).
	const templates = ALL_TEMPLATES.map((name) => {
		const template = loadTemplate(name);
		return name === TEMPLATES.glofox || name === TEMPLATES.teamup ? { ...evaluatedAt(template, NOW), id: template.id } : template;
	});
	const credentials = sandboxCredentials(sb.url, UNPACED);
	const cluster = new N8nQueueCluster({ credentials, workflows: templates, publish: CHECK_IN_TEMPLATES.map((name) => loadTemplate(name).id), workers: 1, webhookProcessors: 1 });
	try {
		log('queue mode: PostgreSQL, Redis, main, 1 worker, 1 webhook processor, the pack in each…');
		const startedAt = performance.now();
		await cluster.start();
		const startSeconds = (performance.now() - startedAt) / 1000;
		const webhooks = () => [...sb.state.kisi.integrations.values()].filter((integration) => (integration as { type?: string }).type === 'event_webhook').length;
		for (const deadline = Date.now() + 120_000; webhooks() < CHECK_IN_TEMPLATES.length; ) {
			if (Date.now() > deadline) throw new Error(`expected ${CHECK_IN_TEMPLATES.length} Kisi webhooks registered by n8n, found ${webhooks()}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}

		// Distinct people throughout (the check-in templates' cooldown ignores a second entry within the hour):
		// the one-at-a-time runs take every step-th person from offsets 0 and 1 (measureLatency), the waves the others.
		const people = checkInPeople(sb);
		const step = Math.floor(people.length / options.unlocks);
		const others = people.filter((_, i) => i % step >= 2);
		if (step < 3 || others.length < 2 * options.burst) throw new Error(`a gym of ${people.length} people who can check in is too small for these unlocks`);
		const burstPeople = (workers: number) => others.slice((workers - 1) * options.burst, workers * options.burst);
		const checkIns: QueueResult['checkIns'] = [];
		for (const workers of [1, 2]) {
			if (workers === 2) {
				log('queue mode: adding a second worker…');
				await cluster.addWorker();
			}
			const latency = await measureLatency(sb, options.unlocks, log, workers - 1);
			const burst = await measureWaves(sb, cluster, burstPeople(workers), options.wave, log);
			log(`outcomes with ${workers} worker(s): ${JSON.stringify(burst.outcomes)}`);
			checkIns.push({ workers, latency, burst });
		}
		const result: QueueResult = { startSeconds, checkIns };

		if (options.syncMembers) {
			const k = options.scale;
			log(`queue mode: both ${options.syncMembers.toLocaleString('en')}-member first syncs at once on the two workers (k = ${k})…`);
			for (const credential of credentials) {
				const rates =
					credential.type === 'kisiApi'
						? { requestsPerSecond: TWO_WORKER_RATES.kisi * k }
						: credential.type === 'glofoxApi'
							? { requestsPerSecond: TWO_WORKER_RATES.glofox * k }
							: { requestsPerMinute: TWO_WORKER_RATES.teamupPerMinute * k };
				await cluster.main.rest('PATCH', `/credentials/${credential.id}`, { name: credential.name, type: credential.type, data: { ...credential.data, ...rates } });
			}
			sb.state.load({ ...cache.get(options.syncMembers), rateLimits: true, rateLimitScale: k });
			sb.state.clock.set(NOW_MS);
			sb.state.requests = [];
			const sources: Source[] = ['glofox', 'teamup'];
			const ids = sources.map((source) => loadTemplate(TEMPLATES[source]).id);
			const started = await Promise.all(ids.map(async (id) => await cluster.main.startManually(id, 'Run now')));
			// The executions list, without run data (5,000 items each).
			const finished = await Promise.all(
				ids.map(async (id, i) => {
					for (const deadline = Date.now() + 60 * 60_000; ; await new Promise((resolve) => setTimeout(resolve, 1000))) {
						const execution = (await cluster.main.executions(id)).find((candidate) => candidate.id === started[i]);
						if (execution?.stoppedAt) return execution;
						if (Date.now() > deadline) throw new Error(`the ${sources[i]} sync did not finish in an hour`);
					}
				}),
			);
			const kisi = sb.state.requests.filter((entry: RequestLogEntry) => entry.service === 'kisi');
			const times = kisi.map((entry) => Date.parse(entry.at));
			const runs = sources.map((source, i) => ({
				source,
				worker: cluster.workers.findIndex((worker) => worker.log.some((line) => line.includes(`started execution ${started[i]} (`))),
				status: finished[i].status,
				seconds: (Date.parse(String(finished[i].stoppedAt)) - Date.parse(finished[i].startedAt)) / 1000,
			}));
			const start = Math.min(...times);
			result.sync = {
				members: options.syncMembers,
				scale: k,
				runs,
				kisiSeconds: (Math.max(...times) - start) / 1000,
				kisiRequests: kisi.length,
				throttled: kisi.filter((entry) => entry.status === 429).length,
				busiestWindow: busiest(times, KISI_LIMIT.windowMs / k),
				refused: refusedByLimit('kisi', times.map((t) => start + (t - start) * k)),
				floorSeconds: kisi.length / KISI_LIMIT.requests / k,
			};
		}
		return result;
	} finally {
		await cluster.stop();
		await sb.close();
	}
}
