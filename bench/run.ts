/**
 * `npm run bench`: request economy, sync time under the rate limits, compute, access accuracy and
 * unlock → check-in latency, for 1,000 / 5,000 / 50,000 generated members (fixed seed, pinned
 * instant). Prints one table per section, writes bench/results/latest.json (+ a timestamped copy)
 * and, for a full default run, the tables into bench/README.md.
 *
 *   tsx bench/run.ts [--sizes 1000,5000] [--quick] [--only economy,rate,apilatency,compute,accuracy,latency,realtime,queue,storage]
 *                    [--scale k] [--api-latency ms] [--api-latencies 0,50,150] [--sources glofox,teamup]
 *                    [--unlocks n] [--changes n] [--wave n] [--wave-unlocks n] [--no-readme]
 *
 * `apilatency`: sync time / floor with 0, 50 and 150 ms of simulated API latency on every request
 * (the sandbox delays each answer; the round trips are real at any k), for the sizes up to 5,000
 * unless --sizes names others: at 50,000 members the 150 ms alone add about 1 h 45 min of wall time.
 *
 * `realtime`: the real-time templates in a real n8n, rate limits on: membership bought / cancelled /
 * class booked → the Kisi share, `--changes` (default 100) of each per source (bench/realtime.ts).
 * `queue`: n8n in queue mode (bench/queue.ts; needs Debian's postgresql and redis-server,
 * scripts/ensure-queue-services.sh): unlock → check-in with one worker and with two (up to 50
 * unlocks one at a time, then 100 in waves of 10 at once: --wave-unlocks and --wave change those two), and both first syncs of the 5,000-member gym at once on
 * the two workers at the real limits (about half an hour; of the biggest size up to 5,000 when --sizes names others).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'gym-access-bench-'));

import { startSandbox } from '../sandbox';
import { DEFAULT_SIZES, NOW, NOW_MS, SEED, type Source, timeScaleFor } from './config';
import { check, duration, fixed, formatMarkdown, formatText, int, mb, ms, ratio, seconds, type Table } from './report';
import { ScenarioCache } from './scenario';
import { type AccuracyResult, measureAccuracy } from './accuracy';
import { type ComputeResult, measureCompute } from './compute';
import { measureN8n, type N8nResult } from './n8n';
import { measureQueue, type QueueResult, TWO_WORKER_RATES } from './queue';
import { measureSyncPair, type SyncMeasurement } from './syncs';
import { measureRealtime, type RealtimeResult, realtimeHeadline, realtimeTable } from './realtime';
import { measureStorage, type StorageResult, storageBreakdownTable, storageMemoryTable, storageTable } from './storage';

const RESULTS = join(__dirname, 'results');
const SECTIONS = ['economy', 'rate', 'apilatency', 'compute', 'accuracy', 'latency', 'realtime', 'queue', 'storage'] as const;
/** The apilatency section's default sizes: up to this many members. */
const API_LATENCY_MAX_MEMBERS = 5_000;
type Section = (typeof SECTIONS)[number];

interface Options {
	sizes: number[];
	sections: Set<Section>;
	scale?: number;
	apiLatencyMs: number;
	/** The apilatency section's latencies, ms. */
	apiLatencies: number[];
	/** Whether --sizes was given (the apilatency section then runs every size). */
	explicitSizes: boolean;
	/** The syncs the economy, rate and apilatency sections run. */
	sources: Source[];
	unlocks: number;
	/** Unlocks at the same moment per wave in the queue section (default 10). */
	wave: number;
	/** Unlocks in waves per worker count in the queue section (default: --unlocks, at most 100). */
	waveUnlocks?: number;
	/** The realtime section's changes of each kind per source. */
	changes: number;
	quick: boolean;
	readme: boolean;
}

function parseArgs(argv: string[]): Options {
	const options: Options = {
		sizes: DEFAULT_SIZES,
		sections: new Set(SECTIONS),
		apiLatencyMs: 0,
		apiLatencies: [0, 50, 150],
		explicitSizes: false,
		sources: ['glofox', 'teamup'],
		unlocks: 200,
		wave: 10,
		changes: 100,
		quick: false,
		readme: true,
	};
	let custom = false;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = () => {
			const next = argv[++i];
			if (next === undefined) throw new Error(`${arg} needs a value`);
			return next;
		};
		if (arg === '--sizes') {
			options.sizes = value().split(',').map((s) => Number(s.replace(/[_k]/g, (c) => (c === 'k' ? '000' : ''))));
			options.explicitSizes = true;
			custom = true;
		} else if (arg === '--only') {
			options.sections = new Set(value().split(',') as Section[]);
			for (const section of options.sections) if (!SECTIONS.includes(section)) throw new Error(`Unknown section ${section} (${SECTIONS.join(', ')})`);
			custom = true;
		} else if (arg === '--scale') {
			options.scale = Number(value());
			custom = true;
		} else if (arg === '--api-latency') {
			options.apiLatencyMs = Number(value());
			if (!(options.apiLatencyMs >= 0)) throw new Error('--api-latency takes a number of milliseconds');
			custom = true;
		} else if (arg === '--api-latencies') {
			options.apiLatencies = value().split(',').map(Number);
			if (options.apiLatencies.some((ms) => !(ms >= 0))) throw new Error('--api-latencies takes milliseconds, e.g. 0,50,150');
			custom = true;
		} else if (arg === '--sources') {
			options.sources = value().split(',') as Source[];
			if (options.sources.some((source) => source !== 'glofox' && source !== 'teamup')) throw new Error('--sources takes glofox, teamup or both');
			custom = true;
		} else if (arg === '--unlocks') {
			options.unlocks = Number(value());
			custom = true;
		} else if (arg === '--wave' || arg === '--wave-unlocks') {
			const n = Number(value());
			if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} takes a whole number ≥ 1`);
			if (arg === '--wave') options.wave = n;
			else options.waveUnlocks = n;
			custom = true;
		} else if (arg === '--changes') {
			options.changes = Number(value());
			if (!Number.isInteger(options.changes) || options.changes < 1) throw new Error('--changes takes a whole number ≥ 1');
			custom = true;
		} else if (arg === '--quick') {
			options.quick = true;
			options.sizes = [1_000];
			options.unlocks = 50;
			custom = true;
		} else if (arg === '--no-readme') options.readme = false;
		else if (arg === '--help' || arg === '-h') {
			process.stdout.write(`${readFileSync(__filename, 'utf8').split('*/')[0]}*/\n`);
			process.exit(0);
		} else throw new Error(`Unknown option ${arg}`);
	}
	if (options.sizes.some((n) => !Number.isInteger(n) || n < 10)) throw new Error('--sizes takes whole numbers ≥ 10, e.g. 1000,5000');
	// Only a full default run speaks for the README.
	if (custom) options.readme = false;
	return options;
}

const started = Date.now();
const log = (line: string) => process.stderr.write(`[${duration((Date.now() - started) / 1000).padStart(10)}] ${line}\n`);
const SOURCE_LABEL: Record<Source, string> = { glofox: 'Glofox → Kisi', teamup: 'TeamUp → Kisi' };

function economyTable(runs: SyncMeasurement[]): Table {
	const rows = runs.map((m) => {
		const min = m.minimum;
		const srcMin = min.source.listPages + min.source.forced;
		const kisiReadsMin = min.kisi.listPages + min.kisi.forced;
		const kisiReadsMinApi = min.kisi.apiListPages + min.kisi.forced;
		const kisiReads = m.requests.kisi.reads;
		const writes = m.requests.kisi.writes;
		const made = m.requests.source.total + m.requests.kisi.total;
		const minimum = srcMin + kisiReadsMin + min.kisi.writes;
		const minimumApi = srcMin + kisiReadsMinApi + min.kisi.writes;
		const forced = min.source.forced + min.kisi.forced;
		const r = made / minimum;
		const target = m.run === 'steady' ? check(r <= 1.05 && writes === 0) : '—';
		return [
			int(m.members),
			SOURCE_LABEL[m.source],
			m.run,
			`${int(m.requests.source.total)} / ${int(srcMin)}`,
			`${int(kisiReads)} / ${int(kisiReadsMin)}${kisiReadsMinApi !== kisiReadsMin ? ` (API ${int(kisiReadsMinApi)})` : ''}`,
			`${int(writes)} / ${int(min.kisi.writes)}`,
			int(made),
			int(minimum),
			int(forced),
			ratio(r),
			minimumApi !== minimum ? ratio(made / minimumApi) : '=',
			target,
		];
	});
	return {
		title: 'Request economy: requests made by a full sync / the minimum possible',
		head: ['Members', 'Sync', 'Run', 'Source reads', 'Kisi reads', 'Kisi writes', 'Made', 'Minimum', 'Forced', 'Made/min', 'Made/API min', 'Steady ≤1.05×, 0 writes'],
		rows,
		notes: [
			'  Minimum = source list pages at the maximum page size + Kisi group lookup + share pages (250) + one write per change + the reads the APIs force (Forced: Glofox branch and one credit list per live credit pack, TeamUp one usage read per active pack, Kisi own user).',
			'  API min: the same with Kisi\'s offset cap (a group over 20,250 shares needs one probe page before it can be listed in filters of ≤ 20,250).',
		],
	};
}

function rateTable(runs: SyncMeasurement[]): Table {
	const ratioOf = (m: SyncMeasurement) => m.client.virtualMs / 1000 / m.floor!.rateSeconds;
	const rows = runs.map((m) => {
		const floor = m.floor!;
		const r = ratioOf(m);
		const throttled = m.requests.source.throttled + m.requests.kisi.throttled;
		const overLimits = Object.values(m.client.refusedByDocumentedLimits).reduce((sum, n) => sum + n, 0);
		return [
			int(m.members),
			SOURCE_LABEL[m.source],
			`${m.run}${m.calibration ? ' (calibration)' : ''}`,
			`${m.timeScale}`,
			int(m.requests.source.total + m.requests.kisi.total),
			seconds(m.client.wallMs / 1000),
			duration(m.client.virtualMs / 1000),
			duration(floor.rateSeconds),
			ratio(r),
			duration(floor.windowSeconds),
			int(throttled),
			int(overLimits),
			check(r <= 1.15 && throttled === 0 && overLimits === 0),
		];
	});
	const notes: string[] = [];
	const calibration = runs.find((m) => m.calibration);
	const base = calibration && runs.find((m) => !m.calibration && m.members === calibration.members && m.source === calibration.source && m.run === calibration.run);
	if (calibration && base) {
		notes.push(
			`  Calibration: the same ${int(calibration.members)}-member run measures ${ratio(ratioOf(base))} at k = ${base.timeScale} and ${ratio(ratioOf(calibration))} at k = ${calibration.timeScale}: what the compression itself changes.`,
		);
	}
	return {
		title: `Sync time under the documented rate limits (Kisi 5/s, Glofox 10/s, TeamUp 250/min), measured time-compressed by k${runs[0]?.apiLatencyMs ? `, with ${runs[0].apiLatencyMs} ms of simulated API latency per request` : ''}`,
		head: ['Members', 'Sync', 'Run', 'k', 'Requests', 'Wall at k', 'Real time', 'Floor n÷rate', 'Real/floor', 'Window floor', '429s', 'Over the limits', '≤1.15×, no 429'],
		rows,
		notes: [
			'  At k the client\'s waits (pacing, retries) take 1/k of their time and its clock then jumps to their end; its own work and every round trip run at real speed. Real time = the run on that clock: exactly what it takes without compression. The sandbox divides its windows by k.',
			'  Over the limits: requests the documented limits would have refused, judged on the real-time send times (the compressed sandbox could not tell).',
			'  Floor = Σ over services of requests ÷ documented rate (source phase, then Kisi phase). Window floor: the least time the windows allow (a burst of 5 / 250 / 10 goes through at once).',
			...notes,
		],
	};
}

/** Sync time / floor per API latency, one row per run, one column per latency. */
function apiLatencyTable(runs: SyncMeasurement[], latencies: number[]): Table {
	const ratioOf = (m: SyncMeasurement) => m.client.virtualMs / 1000 / m.floor!.rateSeconds;
	const refusals = (m: SyncMeasurement) => m.requests.source.throttled + m.requests.kisi.throttled + Object.values(m.client.refusedByDocumentedLimits).reduce((sum, n) => sum + n, 0);
	const target = latencies.includes(150) ? 150 : Math.max(...latencies);
	const keys = [...new Map(runs.map((m) => [`${m.members}|${m.source}|${m.run}`, m])).values()];
	const rows = keys.map((key) => {
		const at = (latency: number) => runs.find((m) => m.members === key.members && m.source === key.source && m.run === key.run && m.apiLatencyMs === latency);
		const measured = latencies.map(at);
		const worst = at(target);
		const clean = measured.every((m) => m === undefined || refusals(m) === 0);
		return [
			int(key.members),
			SOURCE_LABEL[key.source],
			key.run,
			int(key.requests.source.total + key.requests.kisi.total),
			...measured.map((m) => (m ? ratio(ratioOf(m)) : '—')),
			worst ? duration(worst.client.virtualMs / 1000) : '—',
			duration(key.floor!.rateSeconds),
			measured.map((m) => (m ? `${int(m.requests.source.throttled + m.requests.kisi.throttled)} / ${int(Object.values(m.client.refusedByDocumentedLimits).reduce((sum, n) => sum + n, 0))}` : '—')).join(', '),
			check(worst !== undefined && ratioOf(worst) <= 1.05 && clean),
		];
	});
	return {
		title: `Sync time / rate-limit floor with ${latencies.join(', ')} ms of API latency on every request`,
		head: ['Members', 'Sync', 'Run', 'Requests', ...latencies.map((latency) => `Real/floor, ${latency} ms`), `Real time, ${target} ms`, 'Floor n÷rate', '429s / over the limits', `≤1.05× at ${target} ms, no 429`],
		rows,
		notes: [
			'  The sandbox holds every answer of the three services for the latency before serving it (it counts the request for its rate limit then: as late as a server can), time-compressed by k as in the table above (the round trips are real at any k).',
			'  429s / over the limits: per latency, 429 answers, and requests the documented limits would have refused judged on the real-time send times.',
		],
	};
}

function computeTable(c: ComputeResult, _n8n: N8nResult | null): Table {
	return {
		title: `Compute (${int(c.profiles)} profiles: ${c.profileSource})`,
		head: ['What', 'Size', 'Time (median)', 'Throughput'],
		rows: [
			['Access Rule Evaluator, pure engine', `${int(c.profiles)} profiles`, `${int(c.evaluatorPure.ms)} ms`, `${int(c.evaluatorPure.perSecond)} profiles/s`],
			['Access Rule Evaluator node, in n8n\'s engine', `${int(c.profiles)} profiles`, `${int(c.evaluatorNode.ms)} ms`, `${int(c.evaluatorNode.perSecond)} profiles/s`],
			['Sync plan diff (pure)', `${int(c.plan.decisions)} decisions × ${int(c.plan.shares)} shares`, `${int(c.plan.ms)} ms`, `${int(c.plan.shares / (c.plan.ms / 1000))} shares/s`],
			['Query cover past Kisi\'s offset cap', `${int(c.queryCover.population)} emails → ${c.queryCover.queries} filters`, `${int(c.queryCover.ms)} ms`, `~${int(c.queryCover.estimatedPages)} pages`],
		],
		notes: [
			`  Decisions: ${int(c.decisions.allow)} allow, ${int(c.decisions.deny)} deny. Plan: ${int(c.plan.creates)} creates, ${int(c.plan.updates)} updates, ${int(c.plan.deletes)} deletes, ${int(c.plan.unchanged)} unchanged.`,
		],
	};
}

function accuracyTable(results: AccuracyResult[]): Table {
	const mmss = (s: number) => (s === 0 ? '0 s' : s < 60 ? `${s.toFixed(0)} s` : `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, '0')} s`);
	return {
		title: 'Access accuracy for bookings: when Kisi lets a pay-as-you-go member in, vs the intended window (class start − 60 min … end + 60 min)',
		head: ['Sync', 'Windows', 'Opens late (mean / max)', 'Exact', 'Stays open after (mean / max)', 'Polling 15 min, same phase', 'Polling 15 min, any phase', 'Target 0 s'],
		rows: results.map((r) => [
			SOURCE_LABEL[r.source],
			`${int(r.windows)} (${int(r.people)} people)`,
			`${mmss(r.pack.openMean)} / ${mmss(r.pack.openMax)}`,
			`${int(r.pack.exact)}/${int(r.windows - r.pack.neverOpened)}${r.pack.neverOpened ? `, ${r.pack.neverOpened} never` : ''}`,
			`${mmss(r.pack.closeMean)} / ${mmss(r.pack.closeMax)}`,
			`${mmss(r.polling.openMean)} / ${mmss(r.polling.openMax)} late`,
			`${mmss(r.pollingAnyPhase.openMean)} / ${mmss(r.pollingAnyPhase.openMax)} late`,
			check(r.pack.openMax === 0 && r.pack.neverOpened === 0),
		]),
		notes: [
			`  ${results[0]?.runs ?? 0} runs of the template, every 15 minutes from ${new Date(NOW_MS + (results[0]?.phaseMs ?? 0)).toISOString().slice(11, 19)} UTC for 24 hours, on the ${int(results[0]?.members ?? 0)}-member gym; the shares in force between runs decide.`,
			'  A polling integration grants access at its first poll after the window opens and revokes it at its first poll after it closes.',
		],
	};
}

function memoryTable(n: N8nResult): Table {
	const m = n.memory!;
	return {
		title: `Peak memory of a real n8n process running the Glofox → Kisi template on ${int(m.members)} members (first run)`,
		head: ['n8n idle (RSS)', 'Peak during the run (RSS)', 'Process peak (VmHWM)', 'Run time', 'Status'],
		rows: [[mb(m.idleRssKb), mb(m.sampledPeakRssKb), mb(m.vmHwmKb), seconds(m.executionSeconds), m.status]],
		notes: [`  n8n started in ${seconds(n.startSeconds)} (pack install from its tarball, 4 templates imported, 2 activated). Rate limits off for this run: it measures memory, not time.`],
	};
}

function latencyTable(n: N8nResult): Table {
	const l = n.latency;
	const row = (label: string, s: N8nResult['latency']['glofox']) => [label, int(s.count), ms(s.p50), ms(s.p95), ms(s.max), check(s.count === l.unlocks)];
	return {
		title: `Unlock → check-in latency through a real n8n with the activated templates (${int(l.unlocks)} unlocks, distinct members of a ${int(l.members)}-member gym)`,
		head: ['Check-in', 'Recorded', 'p50', 'p95', 'Max', 'All recorded'],
		rows: [
			row('Webhook delivered (n8n acknowledged)', l.delivery),
			row('Glofox check-in recorded (POST /2.0/access)', l.glofox),
			row('TeamUp check-in recorded (POST /checkins, or attendance confirmed)', l.teamup),
			row('Both recorded', l.both),
		],
		notes: [
			`  Per unlock: ${fixed(l.requestsPerCheckIn.glofox, 1)} Glofox and ${fixed(l.requestsPerCheckIn.teamup, 1)} TeamUp requests, so the documented limits allow ${fixed(Math.min(10 / l.requestsPerCheckIn.glofox, 250 / 60 / l.requestsPerCheckIn.teamup), 1)} unlocks/s without queueing (rate limits off here: this is the pipeline's own latency).`,
		],
	};
}

function queueCheckInTable(q: QueueResult): Table {
	return {
		title: `Unlock → check-in in queue mode: one worker, then two (n8n main + worker(s) + 1 webhook processor on PostgreSQL and Redis; ${int(q.checkIns[0].latency.members)}-member gym, distinct members)`,
		head: ['Workers', 'One at a time: unlocks', 'Both check-ins p50', 'p95', 'Max', 'In waves: unlocks', 'Until the last check-in', 'Check-ins/s (Glofox + TeamUp)', 'All recorded'],
		rows: q.checkIns.map(({ workers, latency: l, burst: b }) => [
			workers,
			int(l.unlocks),
			ms(l.both.p50),
			ms(l.both.p95),
			ms(l.both.max),
			int(b.unlocks),
			seconds(b.seconds),
			fixed(b.checkIns / b.seconds, 1),
			check(l.missed === 0 && l.both.count === l.unlocks && b.missed === 0 && b.refused === 0),
		]),
		notes: [
			`  In waves: ${int(q.checkIns[0].burst.wave)} unlocks at the same moment, the next wave once every check-in of the previous one is recorded. Each worker runs up to 10 executions at once (n8n's default --concurrency); rate limits off (the pipeline's own speed); the cluster started in ${seconds(q.startSeconds)}.`,
			...q.checkIns.filter(({ burst: b }) => b.missed > 0 || b.refused > 0).map(({ workers, burst: b }) => `  ${workers} worker(s): ${int(b.refused)} deliveries not answered 200 within the sandbox's wait (n8n ran them later; Kisi would deliver them again), ${int(b.missed)} check-ins not recorded (each makes its wave wait a minute); the Check Ins' outcomes: ${Object.entries(b.outcomes).map(([outcome, n]) => `${outcome} ×${n}`).join(', ')}.`),
			'  Every process of the cluster, the sandbox and this benchmark share the machine\'s cores: a second worker adds no core here, only a second queue consumer.',
		],
	};
}

function queueSyncTable(q: QueueResult): Table {
	const s = q.sync!;
	const k = s.scale;
	const ratioToFloor = Math.max(...s.runs.map((run) => run.seconds)) / s.floorSeconds;
	return {
		title: `Both ${int(s.members)}-member first syncs at once in queue mode, one on each worker, each credential at the documented rate ÷ 2 (Kisi ${TWO_WORKER_RATES.kisi}/s, Glofox ${TWO_WORKER_RATES.glofox}/s, TeamUp ${TWO_WORKER_RATES.teamupPerMinute}/min)${k === 1 ? ', at the real limits' : `, k = ${k} (not faithful: see bench/README.md)`}`,
		head: k === 1 ? ['Run', 'Worker', 'Status', 'Time'] : ['Run', 'Worker', 'Status', `Time (k = ${k})`],
		rows: s.runs.map((run) => [SOURCE_LABEL[run.source], run.worker + 1, run.status, duration(run.seconds)]),
		notes: [
			`  Kisi: ${int(s.kisiRequests)} requests from both workers in ${duration(s.kisiSeconds)} (${fixed(s.kisiRequests / s.kisiSeconds / k, 2)}/s; documented: 5/s per Kisi user), busiest ${k === 1 ? 'second' : `${fixed(1000 / k, 0)} ms window`} ${int(s.busiestWindow)} requests, ${int(s.throttled)} × 429, ${int(s.refused)} over the documented limit.`,
			`  Floor for both together: ${int(s.kisiRequests)} Kisi requests at 5/s = ${duration(s.floorSeconds * k)}; slower run ÷ floor ${ratio(ratioToFloor)}.${k === 1 ? '' : ` k = ${k}: the sandbox's windows ÷ ${k}, the credentials' rates × ${k}; n8n's pacers still count per second, so the 429s and times measure that mismatch.`}`,
		],
	};
}

/** The few figures the main README shows, each against its target (a full run only). */
function headlineTable(json: { syncs?: SyncMeasurement[]; apiLatency?: SyncMeasurement[]; accuracy?: AccuracyResult[]; compute?: ComputeResult; n8n?: N8nResult; realtime?: RealtimeResult; queue?: QueueResult; storage?: StorageResult[] }): Table {
	const rows: string[][] = [];
	const syncs = (json.syncs ?? []).filter((m) => !m.calibration);
	const sizes = [...new Set(syncs.map((m) => m.members))];
	for (const members of sizes) {
		const steady = syncs.filter((m) => m.members === members && m.run === 'steady');
		const economy = steady.map((m) => {
			const min = m.minimum;
			const minimum = min.source.listPages + min.source.forced + min.kisi.listPages + min.kisi.forced + min.kisi.writes;
			return { r: (m.requests.source.total + m.requests.kisi.total) / minimum, writes: m.requests.kisi.writes };
		});
		if (economy.length) {
			const worst = Math.max(...economy.map((e) => e.r));
			const writes = economy.reduce((sum, e) => sum + e.writes, 0);
			rows.push([`Steady-state requests / minimum, ${int(members)} members (worst of both syncs)`, `${ratio(worst)}, ${int(writes)} writes`, '≤ 1.05×, 0 writes', check(worst <= 1.05 && writes === 0)]);
		}
		const timed = syncs.filter((m) => m.members === members && m.floor);
		if (timed.length) {
			const worst = Math.max(...timed.map((m) => m.client.virtualMs / 1000 / m.floor!.rateSeconds));
			const throttled = timed.reduce((sum, m) => sum + m.requests.source.throttled + m.requests.kisi.throttled, 0);
			const over = timed.reduce((sum, m) => sum + Object.values(m.client.refusedByDocumentedLimits).reduce((a, b) => a + b, 0), 0);
			const first = timed.filter((m) => m.run === 'first').map((m) => `${SOURCE_LABEL[m.source]} ${duration(m.client.virtualMs / 1000)}`);
			rows.push([`Sync time / rate-limit floor, ${int(members)} members (worst run; first runs: ${first.join(', ')})`, `${ratio(worst)}, ${int(throttled)} × 429, ${int(over)} over the limits`, '≤ 1.15×, no 429', check(worst <= 1.15 && throttled === 0 && over === 0)]);
		}
	}
	const latencyRuns = (json.apiLatency ?? []).filter((m) => m.apiLatencyMs === 150);
	for (const members of [...new Set(latencyRuns.map((m) => m.members))]) {
		const timed = latencyRuns.filter((m) => m.members === members);
		const worst = Math.max(...timed.map((m) => m.client.virtualMs / 1000 / m.floor!.rateSeconds));
		const throttled = timed.reduce((sum, m) => sum + m.requests.source.throttled + m.requests.kisi.throttled, 0);
		const over = timed.reduce((sum, m) => sum + Object.values(m.client.refusedByDocumentedLimits).reduce((a, b) => a + b, 0), 0);
		rows.push([`Sync time / rate-limit floor with 150 ms of API latency, ${int(members)} members (worst run)`, `${ratio(worst)}, ${int(throttled)} × 429, ${int(over)} over the limits`, '≤ 1.05×, no 429', check(worst <= 1.05 && throttled === 0 && over === 0)]);
	}
	if (json.accuracy?.length) {
		const late = Math.max(...json.accuracy.map((a) => a.pack.openMax));
		rows.push(['Access accuracy: latest opening of a booked window (polling every 15 min: up to 15 min)', `${int(late)} s`, '0 s', check(late === 0 && json.accuracy.every((a) => a.pack.neverOpened === 0))]);
	}
	if (json.compute) {
		const c = json.compute;
		rows.push([`Access Rule Evaluator, ${int(c.profiles)} profiles (pure / in n8n's engine)`, `${int(c.evaluatorPure.perSecond)} / ${int(c.evaluatorNode.perSecond)} profiles/s`, '—', '']);
		rows.push([`Sync plan diff, ${int(c.plan.shares)} shares`, `${int(c.plan.ms)} ms`, '—', '']);
	}
	for (const result of json.storage ?? []) {
		if (result.members < 1_000) continue;
		const steady = result.runs.filter((run) => run.run === 'steady');
		const worst = Math.max(...steady.map((run) => run.keptBytes));
		const target = result.members <= 5_000 ? 0.5e6 : 1e6;
		if (steady.length) rows.push([`Stored per successful sync with nothing to change, ${int(result.members)} members (worst of the syncs)`, `${(worst / 1e6).toFixed(3)} MB`, `≤ ${target / 1e6} MB`, check(worst <= target)]);
	}
	const baseline = json.storage?.find((result) => result.members === 1);
	for (const result of json.storage ?? []) {
		if (result.members === 5_000 && baseline) rows.push([`Peak memory of n8n syncing 5,000 members / a 1-member gym`, `${(result.hwmKb / baseline.hwmKb).toFixed(2)}× (${mb(result.hwmKb)})`, '≤ 1.3×', check(result.hwmKb / baseline.hwmKb <= 1.3)]);
		if (result.members === 50_000) rows.push([`Peak memory of n8n syncing 50,000 members (idle included)`, mb(result.hwmKb), '≤ 1,536 MB', check(result.hwmKb <= 1536 * 1024)]);
	}
	if (json.n8n?.memory) rows.push([`Peak memory of n8n running the Glofox sync on ${int(json.n8n.memory.members)} members`, mb(json.n8n.memory.vmHwmKb), '—', '']);
	if (json.n8n && json.n8n.latency.both.count > 0) {
		const l = json.n8n.latency;
		rows.push([`Unlock → check-in in Glofox and TeamUp through a real n8n (${int(l.unlocks)} unlocks): p50 / p95`, `${ms(l.both.p50)} / ${ms(l.both.p95)}`, '—', check(l.both.count === l.unlocks)]);
	}
	if (json.realtime) rows.push(...realtimeHeadline(json.realtime));
	rows.push(...queueHeadlineRows(json.queue));
	return { title: 'Headline figures (details: bench/README.md)', head: ['Measure', 'Result', 'Target', ''], rows };
}

/** The queue section's headline rows (also shown on their own after a `--only queue` run). */
function queueHeadlineRows(q: QueueResult | undefined): string[][] {
	const rows: string[][] = [];
	if (!q) return rows;
	const at = (workers: number) => q.checkIns.find((c) => c.workers === workers);
	const one = at(1);
	const two = at(2);
	if (one && two) {
		const all = [one, two].every((c) => c.latency.missed === 0 && c.burst.missed === 0 && c.burst.refused === 0);
		rows.push([
			`Queue mode, unlock → check-in (${int(one.latency.unlocks)} unlocks) p50 / p95, one worker → two`,
			`${ms(one.latency.both.p50)} / ${ms(one.latency.both.p95)} → ${ms(two.latency.both.p50)} / ${ms(two.latency.both.p95)}`,
			'—',
			check(all),
		]);
		rows.push([
			`Queue mode, ${int(one.burst.unlocks)} unlocks in waves of ${int(one.burst.wave)}: check-ins/s (Glofox + TeamUp), one worker → two`,
			`${fixed(one.burst.checkIns / one.burst.seconds, 1)} → ${fixed(two.burst.checkIns / two.burst.seconds, 1)}`,
			'—',
			check(all),
		]);
	}
	if (q.sync) {
		const s = q.sync;
		const slower = Math.max(...s.runs.map((run) => run.seconds));
		rows.push([
			`Queue mode, both ${int(s.members)}-member first syncs at once on two workers (Kisi ${TWO_WORKER_RATES.kisi}/s each): time, Kisi rate`,
			`${duration(slower * s.scale)}, ${fixed(s.kisiRequests / s.kisiSeconds / s.scale, 2)}/s, ${int(s.throttled)} × 429, ${int(s.refused)} over the limit`,
			'≤ 5/s, no 429',
			check(s.throttled === 0 && s.refused === 0 && s.runs.every((run) => run.status === 'success')),
		]);
	}
	return rows;
}

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	mkdirSync(RESULTS, { recursive: true });
	const tables: Table[] = [];
	const json: Record<string, unknown> = {
		startedAt: new Date(started).toISOString(),
		seed: SEED,
		instant: NOW,
		options: { ...options, sections: [...options.sections] },
		machine: machine(),
	};
	const print = (table: Table) => {
		tables.push(table);
		process.stdout.write(`\n${formatText(table)}\n`);
	};

	const cache = new ScenarioCache();
	if (options.sections.has('economy') || options.sections.has('rate')) {
		// With the rate section on, each run is paced under the documented limits and its request
		// log gives both tables (the same requests as an unpaced run, plus any 429 retry, which
		// then counts as made). `--only economy` runs unpaced, for a quick look at the counts.
		const mode = options.sections.has('rate') ? 'rateLimited' : 'economy';
		const sb = await startSandbox({ scenario: { now: NOW }, port: 0 });
		const runs: SyncMeasurement[] = [];
		try {
			for (const members of options.sizes) {
				log(`generating the ${int(members)}-member gym (seed ${SEED})…`);
				for (const source of options.sources) {
					const scale =
						mode === 'economy'
							? { first: 1, steady: 1 }
							: { first: options.scale ?? timeScaleFor(members, 'first'), steady: options.scale ?? timeScaleFor(members, 'steady') };
					runs.push(...(await measureSyncPair(sb, cache.get(members), { members, source, mode, scale, apiLatencyMs: options.apiLatencyMs }, log)));
				}
			}
			// Calibration: the smallest gym's first run again at the largest k used, to show how much
			// the compression alone adds to the ratio (the client's own work counted k times).
			const smallest = Math.min(...options.sizes);
			const firstScales = options.sizes.map((members) => options.scale ?? timeScaleFor(members, 'first'));
			const highest = Math.max(...firstScales);
			if (mode === 'rateLimited' && options.sizes.length > 1 && highest > firstScales[options.sizes.indexOf(smallest)]) {
				runs.push(
					...(await measureSyncPair(
						sb,
						cache.get(smallest),
						{ members: smallest, source: 'glofox', mode, scale: { first: highest, steady: highest }, runs: ['first'], calibration: true, apiLatencyMs: options.apiLatencyMs },
						log,
					)),
				);
			}
		} finally {
			await sb.close();
		}
		if (options.sections.has('economy')) print(economyTable(runs.filter((m) => !m.calibration)));
		if (mode === 'rateLimited') print(rateTable(runs));
		json.syncs = runs;
	}

	if (options.sections.has('apilatency')) {
		// The rate section's runs at the same latency are reused (k does not change their real time).
		const sizes = options.explicitSizes ? options.sizes : options.sizes.filter((members) => members <= API_LATENCY_MAX_MEMBERS);
		const reusable = ((json.syncs as SyncMeasurement[] | undefined) ?? []).filter((m) => m.mode === 'rateLimited' && !m.calibration);
		const runs: SyncMeasurement[] = [];
		const sb = await startSandbox({ scenario: { now: NOW }, port: 0 });
		try {
			for (const members of sizes) {
				for (const source of options.sources) {
					for (const apiLatencyMs of options.apiLatencies) {
						const done = reusable.filter((m) => m.members === members && m.source === source && m.apiLatencyMs === apiLatencyMs);
						if (done.length === 2) {
							runs.push(...done);
							continue;
						}
						const scale = { first: options.scale ?? timeScaleFor(members, 'first'), steady: options.scale ?? timeScaleFor(members, 'steady') };
						log(`API latency ${apiLatencyMs} ms:`);
						runs.push(...(await measureSyncPair(sb, cache.get(members), { members, source, mode: 'rateLimited', scale, apiLatencyMs }, log)));
					}
				}
			}
		} finally {
			await sb.close();
		}
		if (runs.length) print(apiLatencyTable(runs, options.apiLatencies));
		json.apiLatency = runs;
	}

	if (options.sections.has('accuracy')) {
		const accuracy: AccuracyResult[] = [];
		const members = Math.min(...options.sizes, 1_000);
		for (const source of ['glofox', 'teamup'] as Source[]) accuracy.push(await measureAccuracy(cache.get(members), members, source, log));
		print(accuracyTable(accuracy));
		json.accuracy = accuracy;
	}

	const biggest = Math.max(...options.sizes);
	if (options.sections.has('compute')) {
		const compute = await measureCompute(cache, biggest, log);
		print(computeTable(compute, null));
		json.compute = compute;
	}

	if (options.sections.has('latency') || options.sections.has('compute')) {
		const n8n = await measureN8n(
			cache,
			{ unlocks: options.sections.has('latency') ? options.unlocks : 1, latencyMembers: 1_000, memoryMembers: options.sections.has('compute') ? biggest : undefined },
			log,
		);
		if (n8n.memory) {
			print(memoryTable(n8n));
		}
		if (options.sections.has('latency')) print(latencyTable(n8n));
		json.n8n = n8n;
	}

	if (options.sections.has('realtime')) {
		const realtime = await measureRealtime({ changes: options.quick ? 20 : options.changes }, log);
		print(realtimeTable(realtime));
		json.realtime = realtime;
	}

	if (options.sections.has('queue')) {
		const syncMembers = Math.max(...options.sizes.filter((members) => members <= 5_000), 0) || undefined;
		const queue = await measureQueue(
			cache,
			{ unlocks: Math.min(options.unlocks, 50), burst: options.waveUnlocks ?? Math.min(options.unlocks, 100), wave: options.wave, latencyMembers: 1_000, syncMembers, scale: options.scale ?? 1 },
			log,
		);
		print(queueCheckInTable(queue));
		if (queue.sync) print(queueSyncTable(queue));
		if (!options.readme) print({ title: 'Queue mode: headline rows', head: ['Measure', 'Result', 'Target', ''], rows: queueHeadlineRows(queue) });
		json.queue = queue;
	}

	if (options.sections.has('storage')) {
		// A real n8n per size (and a 1-member gym for the memory baseline): stored bytes and peak RSS (bench/storage.ts).
		const results: StorageResult[] = [];
		for (const members of [1, ...options.sizes]) results.push(await measureStorage(cache, members, options.sources, log));
		print(storageTable(results));
		print(storageMemoryTable(results));
		print(storageBreakdownTable(results));
		json.storage = results;
	}

	const totalSeconds = (Date.now() - started) / 1000;
	const setupSeconds = Number(process.env.BENCH_SETUP_SECONDS ?? 0);
	json.totalSeconds = totalSeconds;
	json.setupSeconds = setupSeconds;
	json.loadAverageAtEnd = loadavg();
	json.tables = tables.map(formatMarkdown);
	const text = JSON.stringify(json, null, 2);
	writeFileSync(join(RESULTS, 'latest.json'), text);
	writeFileSync(join(RESULTS, `${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`), text);
	const timing = `${duration(totalSeconds)} of benchmarks${setupSeconds ? ` + ${duration(setupSeconds)} of setup (install, build, n8n)` : ''}`;
	process.stdout.write(`\nMachine: ${describeMachine()}\nTotal wall time: ${timing} — results in bench/results/latest.json\n`);
	if (options.readme) {
		const header = `Run ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC on ${describeMachine()}; ${timing}; scenario seed ${SEED}, instant ${NOW}.`;
		updateReadme(README, [header, '', ...tables.map(formatMarkdown).flatMap((table) => [table, ''])].join('\n'));
		updateReadme(MAIN_README, [header, '', formatMarkdown(headlineTable(json as Parameters<typeof headlineTable>[0]))].join('\n'));
		process.stdout.write('The tables are in bench/README.md, the headline figures in README.md.\n');
	}
}

const README = join(__dirname, 'README.md');
const MAIN_README = join(__dirname, '..', 'README.md');
const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

function updateReadme(file: string, markdown: string): void {
	const text = readFileSync(file, 'utf8');
	const from = text.indexOf(START);
	const to = text.indexOf(END);
	if (from < 0 || to < from) throw new Error(`${file} has no ${START} … ${END} section`);
	writeFileSync(file, `${text.slice(0, from + START.length)}\n${markdown.trim()}\n${text.slice(to)}`);
}

function machine(): Record<string, unknown> {
	let model = cpus()[0]?.model ?? 'unknown';
	try {
		model = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? model;
	} catch {
		// not Linux
	}
	return {
		cpus: cpus().length,
		cpuModel: model,
		memoryGiB: Math.round(totalmem() / 2 ** 30),
		node: process.version,
		platform: `${process.platform} ${process.arch}`,
		hostname: hostname(),
		loadAverageAtStart: loadavg(),
	};
}

function describeMachine(): string {
	const m = machine();
	return `${String(m.cpus)} × ${String(m.cpuModel)}, ${String(m.memoryGiB)} GiB RAM, Node ${String(m.node)}, ${String(m.platform)}`;
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
