/**
 * Real-time access (issue 16): the two real-time templates imported unchanged into a real n8n (the
 * pinned release, this pack installed from its tarball), activated, with the documented rate limits
 * on both sides (the sandbox refuses what Kisi 5/s, TeamUp 250/min and Glofox 10/s refuse; the
 * credentials pace at their defaults). The sandbox's demo gym on the real clock, plus 2 × `changes`
 * people who have nothing yet (no membership, no booking, no Kisi user).
 *
 * For each source, one change after the other (`POST /__sandbox/change`: the source applies it and
 * delivers its webhook as it does; n8n answers on receipt and runs the template):
 * - membership bought → the person's share in place with the membership's validity,
 * - that membership cancelled → the share ended (its `valid_until` reached: the door closed),
 * - a class booked (another person) → a share with the session's window,
 * each timed from the change call to the moment the sandbox's Kisi holds the expected share (polled
 * in-process every 2 ms), with the requests each change cost against the minimum.
 */
import type { IDataObject } from 'n8n-workflow';

import { buildDemoScenario, type RequestLogEntry, type RunningSandbox, startSandbox } from '../sandbox';
import { N8nInstance } from '../test/harness/n8n-process';
import { type Change, type Gym, realtimeGyms, type Source, type Validity } from '../test/harness/realtime';
import { loadTemplate, sandboxCredentials } from '../test/harness/templates';
import { type LatencyStats, stats } from './n8n';
import { check, fixed, int, ms, ratio, seconds, type Table } from './report';

const WEBHOOK_SECRET = 'bench-glofox-webhook-secret';
export const REALTIME_KINDS = ['bought', 'cancelled', 'booked'] as const;
export type RealtimeKind = (typeof REALTIME_KINDS)[number];
/** A change not seen in Kisi by then counts as missed. */
const TIMEOUT_MS = 60_000;

export interface RequestCounts {
	source: number;
	kisiReads: number;
	kisiWrites: number;
	/** 429 answers among them. */
	throttled: number;
}

export interface RealtimeKindResult {
	kind: RealtimeKind;
	latency: LatencyStats;
	missed: number;
	/** Requests per change (mean over the changes seen). */
	requests: RequestCounts;
	/** The least a stateless run can make for one person (see `minimumFor`). */
	minimum: RequestCounts;
	/** What the source and Kisi were asked, per change, most frequent first (path shapes). */
	calls: Record<string, number>;
}

export interface RealtimeResult {
	changes: number;
	startSeconds: number;
	sources: Array<{ source: Source; deliveriesPerChange: number; kinds: RealtimeKindResult[] }>;
}

/**
 * The least one change can cost when each run starts from nothing (as an n8n execution does): the
 * person's own records in the source, their share in Kisi, and one write.
 * - TeamUp: the customer (for the e-mail), their customer memberships, registrations and active
 *   registration blocks: 4 lists, each filterable by customer in TeamUp's reference.
 * - Glofox: the member (with the membership) and their bookings: 2.
 * - Kisi: the person's share in the group (a share search) and the write: 2. The group's id and
 *   the key's own user would have to be cached between runs to skip them.
 */
function minimumFor(source: Source): RequestCounts {
	return { source: source === 'teamup' ? 4 : 2, kisiReads: 1, kisiWrites: 1, throttled: 0 };
}

/** `/customers/123/x` → `/customers/{id}/x`, hex ids too. */
const shape = (entry: RequestLogEntry) => `${entry.service} ${entry.method} ${entry.path.replace(/\/(\d+|[a-f0-9]{24})(?=\/|$)/g, '/{id}')}`;

/** The demo gym on the real clock with the documented rate limits, plus people who have nothing yet. */
function benchGym(now: Date, people: number): { scenario: ReturnType<typeof buildDemoScenario>; emails: string[] } {
	const scenario = buildDemoScenario(now);
	const teamup = scenario.teamup as unknown as { customers: IDataObject[] };
	const glofox = scenario.glofox as unknown as { members: IDataObject[] };
	const emails: string[] = [];
	const created = Math.floor(now.getTime() / 1000) - 86_400;
	for (let i = 0; i < people; i++) {
		const email = `bench.person${i}@example.com`;
		emails.push(email);
		teamup.customers.push({ id: 900_000 + i, first_name: 'Bench', last_name: `Person ${i}`, email, created_at: new Date(created * 1000).toISOString() });
		glofox.members.push({ _id: `e0e0${i.toString(16).padStart(20, '0')}`, first_name: 'Bench', last_name: `Person ${i}`, email, active: true, membership: null, created, modified: created });
	}
	return { scenario: { ...scenario, rateLimits: true }, emails };
}

/** The person's shares in the group, as the sandbox's Kisi holds them now. */
function sharesOf(sb: RunningSandbox, groupId: number, email: string): Array<{ valid_from: string | null; valid_until: string | null }> {
	const user = sb.state.kisi.findUserByEmail(email);
	if (!user) return [];
	return [...sb.state.kisi.access.values()].filter((access) => access.user_id === user.id && access.group_id === groupId);
}

const sameInstant = (a: string | null, b: string) => a !== null && Date.parse(a) === Date.parse(b);

async function measureSource(
	sb: RunningSandbox,
	gym: Gym,
	scenario: ReturnType<typeof buildDemoScenario>,
	emails: string[],
	changes: number,
	classWindow: Validity,
	log: (line: string) => void,
): Promise<RealtimeResult['sources'][number]> {
	const samples: Record<RealtimeKind, number[]> = { bought: [], cancelled: [], booked: [] };
	const missed: Record<RealtimeKind, number> = { bought: 0, cancelled: 0, booked: 0 };
	const entries: Record<RealtimeKind, RequestLogEntry[]> = { bought: [], cancelled: [], booked: [] };
	let deliveries = 0;
	const lastDay = 30;
	const window = gym.membershipWindow(lastDay);

	const timed = async (kind: RealtimeKind, email: string, change: Change, done: (shares: ReturnType<typeof sharesOf>) => boolean) => {
		const from = sb.state.requests.length;
		const started = performance.now();
		const response = await fetch(`${sb.url}/__sandbox/change`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ service: gym.source, ...change }) });
		const answer = (await response.json()) as { delivered?: Array<{ status: number | null }>; error?: string };
		if (!response.ok) throw new Error(`${gym.source} change for ${email} → ${response.status} ${answer.error ?? ''}`);
		if (!answer.delivered?.length || answer.delivered.some((delivery) => delivery.status !== 200)) throw new Error(`${gym.source} change for ${email}: deliveries ${JSON.stringify(answer.delivered)}`);
		deliveries += answer.delivered.length;
		let seenAt = 0;
		while (!seenAt && performance.now() - started < TIMEOUT_MS) {
			if (done(sharesOf(sb, gym.groupId, email))) seenAt = performance.now();
			else await new Promise((resolve) => setTimeout(resolve, 2));
		}
		if (!seenAt) {
			missed[kind]++;
			return;
		}
		samples[kind].push(seenAt - started);
		// The execution's last answers (the write was its last request), then the next person comes in.
		await new Promise((resolve) => setTimeout(resolve, 100));
		entries[kind].push(...sb.state.requests.slice(from));
	};

	log(`realtime ${gym.source}: ${changes} memberships bought and cancelled, ${changes} classes booked, through n8n…`);
	for (let i = 0; i < changes; i++) {
		const email = emails[i];
		await timed('bought', email, gym.buy(scenario, email, lastDay, i), (shares) => shares.length === 1 && sameInstant(shares[0].valid_from, window.valid_from) && sameInstant(shares[0].valid_until, window.valid_until));
		await timed('cancelled', email, gym.cancel(scenario, email, i), (shares) => shares.length === 1 && Date.parse(String(shares[0].valid_until)) <= Date.now());
		const booker = emails[changes + i];
		await timed('booked', booker, gym.book(scenario, booker, 'spin', i), (shares) => shares.length === 1 && sameInstant(shares[0].valid_from, classWindow.valid_from) && sameInstant(shares[0].valid_until, classWindow.valid_until));
		if ((i + 1) % 25 === 0) log(`realtime ${gym.source}: ${i + 1} of ${changes} rounds`);
	}

	const kinds = REALTIME_KINDS.map((kind): RealtimeKindResult => {
		const seen = Math.max(1, samples[kind].length);
		const list = entries[kind];
		const calls: Record<string, number> = {};
		for (const entry of list) calls[shape(entry)] = (calls[shape(entry)] ?? 0) + 1 / seen;
		const per = (filter: (entry: RequestLogEntry) => boolean) => list.filter(filter).length / seen;
		return {
			kind,
			latency: stats(samples[kind]),
			missed: missed[kind],
			requests: {
				source: per((entry) => entry.service === gym.source),
				kisiReads: per((entry) => entry.service === 'kisi' && entry.method === 'GET'),
				kisiWrites: per((entry) => entry.service === 'kisi' && entry.method !== 'GET'),
				throttled: per((entry) => entry.status === 429),
			},
			minimum: minimumFor(gym.source),
			calls: Object.fromEntries(Object.entries(calls).sort((a, b) => b[1] - a[1])),
		};
	});
	return { source: gym.source, deliveriesPerChange: deliveries / (3 * changes), kinds };
}

export async function measureRealtime(options: { changes: number }, log: (line: string) => void): Promise<RealtimeResult> {
	// The demo gym on the real clock (n8n runs on it).
	const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
	const { GYMS, classWindow } = realtimeGyms(now);
	const { scenario, emails } = benchGym(now, 2 * options.changes);
	const sb = await startSandbox({ scenario, port: 0 });
	const templates = GYMS.map((gym) => loadTemplate(gym.template));
	const n8n = new N8nInstance({
		// The credentials' default pacing: the documented limits.
		credentials: sandboxCredentials(sb.url, { glofox: { webhookSecret: WEBHOOK_SECRET } }),
		workflows: templates,
		publish: templates.map((template) => template.id),
	});
	try {
		log('realtime: n8n with the two real-time templates active, installing and starting…');
		const startedAt = performance.now();
		await n8n.start();
		const startSeconds = (performance.now() - startedAt) / 1000;
		// TeamUp: the trigger registers its destination on activation. Glofox: what its support sets up.
		for (const deadline = Date.now() + 60_000; sb.state.teamup.destinations.size === 0; ) {
			if (Date.now() > deadline) throw new Error('the TeamUp Trigger registered no webhook destination');
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		const glofoxTemplate = templates[GYMS.findIndex((gym) => gym.source === 'glofox')];
		const webhookId = String(glofoxTemplate.nodes.find((node) => node.webhookId)!.webhookId);
		sb.state.glofox.webhookTargets.push({ url: `${n8n.url}/webhook/${webhookId}/webhook`, secret: WEBHOOK_SECRET });

		const sources: RealtimeResult['sources'] = [];
		for (const gym of GYMS) sources.push(await measureSource(sb, gym, scenario, emails, options.changes, classWindow('spin'), log));
		return { changes: options.changes, startSeconds, sources };
	} finally {
		await n8n.stop();
		await sb.close();
	}
}

const SOURCE_LABEL: Record<Source, string> = { teamup: 'TeamUp → Kisi', glofox: 'Glofox → Kisi' };
const KIND_LABEL: Record<RealtimeKind, string> = {
	bought: 'Membership bought → share in place',
	cancelled: 'Membership cancelled → share ended (door closed)',
	booked: 'Class booked → share with its window',
};
/** The target: p95 under 5 s. */
const TARGET_MS = 5_000;

export function realtimeTable(result: RealtimeResult): Table {
	const rows = result.sources.flatMap((source) =>
		source.kinds.map((k) => {
			const made = k.requests.source + k.requests.kisiReads + k.requests.kisiWrites;
			const minimum = k.minimum.source + k.minimum.kisiReads + k.minimum.kisiWrites;
			return [
				SOURCE_LABEL[source.source],
				KIND_LABEL[k.kind],
				`${int(k.latency.count)}${k.missed ? ` (${k.missed} missed)` : ''}`,
				ms(k.latency.p50),
				ms(k.latency.p95),
				ms(k.latency.max),
				`${fixed(k.requests.source, 1)} / ${k.minimum.source}`,
				`${fixed(k.requests.kisiReads, 1)} / ${k.minimum.kisiReads}`,
				`${fixed(k.requests.kisiWrites, 1)} / ${k.minimum.kisiWrites}`,
				`${fixed(made, 1)} / ${minimum} = ${ratio(made / minimum)}`,
				fixed(k.requests.throttled, 2),
				check(k.latency.p95 < TARGET_MS && k.missed === 0),
			];
		}),
	);
	const deliveries = result.sources.map((s) => `${SOURCE_LABEL[s.source].split(' ')[0]} ${fixed(s.deliveriesPerChange, 1)}`).join(', ');
	return {
		title: `Real-time access through a real n8n with the real-time templates active and the documented rate limits on (${int(result.changes)} changes of each kind per source, one after the other)`,
		head: ['Flow', 'Change', 'Seen in Kisi', 'p50', 'p95', 'Max', 'Source requests / min', 'Kisi reads / min', 'Kisi writes / min', 'All / min', '429s per change', 'p95 < 5 s'],
		rows,
		notes: [
			'  Timed from the change call to the sandbox (the source applies it and delivers its webhook; n8n answers on receipt) to the moment Kisi holds the expected share, polled in-process every 2 ms.',
			`  Webhook deliveries per change: ${deliveries}; each starts one execution, which re-reads the person (the payload only names them).`,
			'  Minimum per change for a run that starts from nothing: the person\'s own records (TeamUp: customer, customer memberships, registrations, registration blocks; Glofox: the member, their bookings), their share in Kisi and one write. The rest are business-wide reads every run repeats (TeamUp venues for the time zone, plans, sessions in the window, failed invoices; Glofox branch; Kisi group by name, the group, the key\'s own user).',
			`  n8n started in ${seconds(result.startSeconds)} (pack installed from its tarball, 2 templates imported and activated).`,
		],
	};
}

/** The headline rows: p95 per source against the 5 s target. */
export function realtimeHeadline(result: RealtimeResult): string[][] {
	return result.sources.map((source) => {
		const worst = Math.max(...source.kinds.map((k) => k.latency.p95));
		const missed = source.kinds.reduce((sum, k) => sum + k.missed, 0);
		const p50s = source.kinds.map((k) => ms(k.latency.p50)).join(' / ');
		return [
			`${SOURCE_LABEL[source.source]} in real time: membership bought / cancelled / class booked → Kisi (${int(result.changes)} each): p50 ${p50s}; worst p95`,
			`${ms(worst)}${missed ? `, ${missed} missed` : ''}`,
			'p95 < 5 s',
			check(worst < TARGET_MS && missed === 0),
		];
	});
}
