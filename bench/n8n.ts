/**
 * A real n8n (the pinned release, this pack installed from its tarball, the four templates
 * imported, the two check-in templates activated) against the sandbox:
 * - latency: unlocks at the door → the Kisi webhook → n8n → the check-in recorded by Glofox and by
 *   TeamUp, timed from the unlock call to the moment the sandbox recorded the check-in;
 * - memory: the Glofox → Kisi sync template run on the 50,000-member gym, sampling the n8n
 *   process's resident memory (/proc/<pid>/status VmRSS) and reading its peak (VmHWM).
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

import type { RequestLogEntry, RunningSandbox } from '../sandbox';
import { startSandbox } from '../sandbox';
import { N8nInstance } from '../test/harness/n8n-process';
import { evaluatedAt, loadTemplate, sandboxCredentials, type TemplateName } from '../test/harness/templates';
import { NOW, NOW_MS } from './config';
import { benchScenario, type ScenarioCache } from './scenario';

const TEMPLATE_NAMES: TemplateName[] = ['glofox-kisi-access-sync', 'teamup-kisi-access-sync', 'kisi-unlock-glofox-checkin', 'kisi-unlock-teamup-checkin'];
const CHECK_IN_TEMPLATES: TemplateName[] = ['kisi-unlock-glofox-checkin', 'kisi-unlock-teamup-checkin'];
/** The pipeline alone: no pacing in n8n, no limits in the sandbox (see bench/README.md). */
const UNPACED = { kisi: { requestsPerSecond: 1e6 }, glofox: { requestsPerSecond: 1e6 }, teamup: { requestsPerMinute: 6e7 } };
const FRONT_DOOR = 1001;

export interface LatencyStats {
	count: number;
	p50: number;
	p95: number;
	max: number;
	mean: number;
}

export interface N8nResult {
	startSeconds: number;
	latency: {
		unlocks: number;
		members: number;
		glofox: LatencyStats;
		teamup: LatencyStats;
		/** Unlock → both check-ins recorded. */
		both: LatencyStats;
		/** The unlock call itself: Kisi records the event and delivers it to both webhooks (n8n answers on receipt). */
		delivery: LatencyStats;
		/** API requests per check-in (for the rate budget). */
		requestsPerCheckIn: { glofox: number; teamup: number; kisi: number };
		missed: number;
	};
	memory?: {
		members: number;
		executionSeconds: number;
		status: string;
		/** Resident memory before the run (idle, after the latency run), kB. */
		idleRssKb: number;
		/** Highest resident memory sampled during the run, kB. */
		sampledPeakRssKb: number;
		/** The process's VmHWM after the run (its lifetime peak), kB. */
		vmHwmKb: number;
	};
}

function procStatus(pid: number): { rss: number; hwm: number } {
	const text = readFileSync(`/proc/${pid}/status`, 'utf8');
	const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)\\s+kB`).exec(text)?.[1] ?? 0);
	return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

export function stats(values: number[]): LatencyStats {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
	return { count: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? Number.NaN, mean: sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length) };
}

const isGlofoxCheckIn = (entry: RequestLogEntry) => entry.service === 'glofox' && entry.method === 'POST' && entry.path === '/2.0/access';
/** A check-in TeamUp recorded: `POST /checkins` (documented) or, where TeamUp offers it, a confirmed attendance; a refused try (404 where TeamUp has no confirm_attendance) is not one. */
const isTeamUpCheckIn = (entry: RequestLogEntry) =>
	entry.service === 'teamup' &&
	entry.method === 'POST' &&
	entry.status >= 200 &&
	entry.status < 300 &&
	(entry.path === '/checkins' || /^\/events\/\d+\/confirm_attendance$/.test(entry.path));

async function measureLatency(sb: RunningSandbox, unlocks: number, log: (line: string) => void): Promise<N8nResult['latency']> {
	const kisiEmails = new Set([...sb.state.kisi.users.values()].map((user) => String(user.email ?? '').toLowerCase()));
	const glofoxMembers = [...sb.state.glofox.members.values()] as Array<{ email?: string | null }>;
	// Distinct people (the check-in templates' cooldown ignores a second entry within the hour),
	// spread over the gym: members, pack holders, drop-ins, lapsed members…
	const people = glofoxMembers.map((m) => String(m.email ?? '').toLowerCase()).filter((email) => email && kisiEmails.has(email));
	const step = Math.max(1, Math.floor(people.length / unlocks));
	const chosen = people.filter((_, i) => i % step === 0).slice(0, unlocks);
	const glofox: number[] = [];
	const teamup: number[] = [];
	const both: number[] = [];
	const delivery: number[] = [];
	let missed = 0;
	sb.state.requests = [];
	log(`latency: ${chosen.length} unlocks through n8n…`);
	for (const email of chosen) {
		const from = sb.state.requests.length;
		const started = performance.now();
		const response = await fetch(`${sb.url}/__sandbox/kisi/unlock`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email, lock_id: FRONT_DOOR }),
		});
		if (!response.ok) throw new Error(`unlock for ${email} → ${response.status} ${await response.text()}`);
		const deliveredAt = performance.now();
		const answer = (await response.json()) as { deliveries?: Array<{ status?: number | null }> };
		if ((answer.deliveries ?? []).length !== CHECK_IN_TEMPLATES.length || answer.deliveries!.some((d) => d.status !== 200)) {
			throw new Error(`unlock for ${email}: deliveries ${JSON.stringify(answer.deliveries)}`);
		}
		let glofoxAt = 0;
		let teamupAt = 0;
		for (const deadline = started + 30_000; performance.now() < deadline && (!glofoxAt || !teamupAt); ) {
			const entries = sb.state.requests;
			for (let i = from; i < entries.length; i++) {
				if (!glofoxAt && isGlofoxCheckIn(entries[i])) glofoxAt = performance.now();
				if (!teamupAt && isTeamUpCheckIn(entries[i])) teamupAt = performance.now();
			}
			if (!glofoxAt || !teamupAt) await new Promise((resolve) => setTimeout(resolve, 1));
		}
		if (!glofoxAt || !teamupAt) {
			missed++;
			continue;
		}
		glofox.push(glofoxAt - started);
		teamup.push(teamupAt - started);
		both.push(Math.max(glofoxAt, teamupAt) - started);
		delivery.push(deliveredAt - started);
		// Let the executions finish (their last answers) before the next person comes in.
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	const count = (service: string) => sb.state.requests.filter((entry) => entry.service === service).length / Math.max(1, both.length);
	return {
		unlocks: chosen.length,
		members: glofoxMembers.length,
		glofox: stats(glofox),
		teamup: stats(teamup),
		both: stats(both),
		delivery: stats(delivery),
		requestsPerCheckIn: { glofox: count('glofox'), teamup: count('teamup'), kisi: count('kisi') },
		missed,
	};
}

async function runAndWait(n8n: N8nInstance, workflowId: string, onTick: () => void, timeoutMs: number): Promise<{ status: string; seconds: number }> {
	const started = performance.now();
	const before = new Set((await n8n.executions(workflowId)).map((execution) => execution.id));
	const answer = await n8n.rest<{ executionId?: string }>('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: 'Run now' } });
	if (!answer?.executionId) throw new Error(`n8n did not start ${workflowId}: ${JSON.stringify(answer)}`);
	for (;;) {
		onTick();
		// The executions list (no run data): fetching a 50,000-item execution would itself cost memory.
		const done = (await n8n.executions(workflowId)).find((execution) => !before.has(execution.id) && (execution.stoppedAt || execution.finished));
		if (done) return { status: done.status, seconds: (performance.now() - started) / 1000 };
		if (performance.now() - started > timeoutMs) throw new Error(`the ${workflowId} run did not finish in ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

export async function measureN8n(
	cache: ScenarioCache,
	options: { unlocks: number; latencyMembers: number; memoryMembers?: number },
	log: (line: string) => void,
): Promise<N8nResult> {
	// The latency gym on the real clock (n8n runs on it), every member with a Kisi user.
	const now = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
	const sb = await startSandbox({ scenario: benchScenario(options.latencyMembers, { existingShares: 1, now, rateLimits: false }), port: 0 });
	// The Glofox sync is imported pinned to the benchmark instant (its Reference Time and
	// Evaluation Time options), so that the memory run works on the same gym as the other runs.
	const templates = TEMPLATE_NAMES.map((name) => {
		const template = loadTemplate(name);
		return name === 'glofox-kisi-access-sync' ? { ...evaluatedAt(template, NOW), id: template.id } : template;
	});
	const n8n = new N8nInstance({
		credentials: sandboxCredentials(sb.url, UNPACED),
		workflows: templates,
		publish: CHECK_IN_TEMPLATES.map((name) => loadTemplate(name).id),
	});
	try {
		log('n8n: installing the pack, importing the templates, starting…');
		const startedAt = performance.now();
		await n8n.start();
		const startSeconds = (performance.now() - startedAt) / 1000;
		// Activation registers each trigger's signed Kisi webhook.
		const webhooks = () => [...sb.state.kisi.integrations.values()].filter((integration) => (integration as { type?: string }).type === 'event_webhook').length;
		for (const deadline = Date.now() + 60_000; webhooks() < CHECK_IN_TEMPLATES.length; ) {
			if (Date.now() > deadline) throw new Error(`expected ${CHECK_IN_TEMPLATES.length} Kisi webhooks registered by n8n, found ${webhooks()}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}

		const latency = await measureLatency(sb, options.unlocks, log);
		const result: N8nResult = { startSeconds, latency };

		if (options.memoryMembers) {
			const pid = (n8n['process'] as ChildProcess | undefined)?.pid;
			if (!pid) throw new Error('no n8n process id');
			log(`memory: the Glofox → Kisi template in n8n on ${options.memoryMembers.toLocaleString('en')} members…`);
			sb.state.load({ ...cache.get(options.memoryMembers), rateLimits: false });
			sb.state.clock.set(NOW_MS);
			await new Promise((resolve) => setTimeout(resolve, 2000));
			const idle = procStatus(pid);
			let sampled = idle.rss;
			const run = await runAndWait(
				n8n,
				loadTemplate('glofox-kisi-access-sync').id,
				() => {
					sampled = Math.max(sampled, procStatus(pid).rss);
				},
				30 * 60_000,
			);
			const after = procStatus(pid);
			result.memory = {
				members: options.memoryMembers,
				executionSeconds: run.seconds,
				status: run.status,
				idleRssKb: idle.rss,
				sampledPeakRssKb: Math.max(sampled, after.rss),
				vmHwmKb: after.hwm,
			};
		}
		return result;
	} finally {
		await n8n.stop();
		await sb.close();
	}
}
