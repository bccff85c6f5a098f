/**
 * Access accuracy for bookings. A day of the shipped sync template, run every 15 minutes (at a
 * phase unrelated to class times) against the generated gym, through n8n's engine; after each run
 * the Kisi shares are recorded. For every booking of a pay-as-you-go member (whose only way in is
 * the booking), the intended window is [class start − 60 min, class end + 60 min) (the template's
 * settings; overlapping windows of one person merged). When would Kisi let them in? The share in
 * force at an instant is the one the last run before it left: the member gets in at the first
 * instant ≥ the window start that this share covers. Compared with a polling integration that
 * grants access when a poll sees the booking's window open (and revokes it when a poll sees it
 * closed), every 15 minutes.
 */
import type { RunningSandbox, ScenarioInput } from '../sandbox';
import { startSandbox } from '../sandbox';
import { runWorkflow } from '../test/harness/engine';
import { evaluatedAt, loadTemplate, sandboxCredentials } from '../test/harness/templates';
import { GROUPS, NOW_MS, type Source, SYNC_NODE, TEMPLATES } from './config';

const MINUTE = 60_000;
const INTERVAL = 15 * MINUTE;
const UNPACED = { kisi: { requestsPerSecond: 1e6 }, glofox: { requestsPerSecond: 1e6 }, teamup: { requestsPerMinute: 6e7 } };

type Rec = Record<string, unknown>;

export interface AccuracyResult {
	source: Source;
	members: number;
	runs: number;
	/** Offset of the runs (and polls) from the hour, ms. */
	phaseMs: number;
	windows: number;
	bookings: number;
	people: number;
	/** Kisi share validity vs the intended window, seconds. */
	pack: { openMean: number; openMax: number; closeMean: number; closeMax: number; neverOpened: number; exact: number };
	/** The polling integration at the same phase. */
	polling: { openMean: number; openMax: number; closeMean: number; closeMax: number };
	/** The polling integration over every phase (uniform): the expected and the worst delay. */
	pollingAnyPhase: { openMean: number; openMax: number };
}

interface Window {
	email: string;
	from: number;
	until: number;
}

/** Registration-only people and their merged booking windows. */
function intendedWindows(scenario: ScenarioInput, source: Source): { windows: Window[]; bookings: number } {
	const byEmail = new Map<string, Array<[number, number]>>();
	let bookings = 0;
	if (source === 'glofox') {
		const g = scenario.glofox as unknown as { members: Rec[]; bookings: Rec[]; events: Rec[] };
		const events = new Map(g.events.map((e) => [e._id, e]));
		const payg = new Map(
			g.members
				.filter((m) => typeof m.email === 'string' && m.active !== false && (m.membership as Rec | null)?.type === 'payg')
				.map((m) => [m._id, String(m.email).toLowerCase()]),
		);
		for (const b of g.bookings) {
			const email = payg.get(b.user_id);
			if (!email || b.status !== 'BOOKED') continue;
			const e = events.get(b.event_id)!;
			const start = Number(e.time_start) * 1000;
			const end = start + Number(e.duration) * MINUTE;
			bookings++;
			byEmail.set(email, [...(byEmail.get(email) ?? []), [start - 60 * MINUTE, end + 60 * MINUTE]]);
		}
	} else {
		const t = scenario.teamup as unknown as { customers: Rec[]; customer_memberships: Rec[]; attendances: Rec[]; events: Rec[] };
		const members = new Set(t.customer_memberships.map((cm) => cm.customer));
		const events = new Map(t.events.map((e) => [e.id, e]));
		const dropIns = new Map(t.customers.filter((c) => typeof c.email === 'string' && !members.has(c.id)).map((c) => [c.id, String(c.email).toLowerCase()]));
		for (const a of t.attendances) {
			const email = dropIns.get(a.customer);
			if (!email || a.status !== 'registered') continue;
			const e = events.get(a.event)!;
			bookings++;
			byEmail.set(email, [...(byEmail.get(email) ?? []), [Date.parse(String(e.starts_at)) - 60 * MINUTE, Date.parse(String(e.ends_at)) + 60 * MINUTE]]);
		}
	}
	const windows: Window[] = [];
	for (const [email, list] of byEmail) {
		list.sort((a, b) => a[0] - b[0]);
		let current: [number, number] | null = null;
		for (const [from, until] of list) {
			if (current && from <= current[1]) current[1] = Math.max(current[1], until);
			else {
				if (current) windows.push({ email, from: current[0], until: current[1] });
				current = [from, until];
			}
		}
		if (current) windows.push({ email, from: current[0], until: current[1] });
	}
	return { windows, bookings };
}

interface Validity {
	from: number;
	until: number;
}

function shareSnapshot(sb: RunningSandbox, groupId: number, emails: ReadonlySet<string>): Map<string, Validity> {
	const out = new Map<string, Validity>();
	for (const share of sb.state.kisi.access.values()) {
		if (share.group_id !== groupId) continue;
		const email = String(sb.state.kisi.users.get(share.user_id)?.email ?? '').toLowerCase();
		if (!emails.has(email)) continue;
		out.set(email, {
			from: share.valid_from ? Date.parse(share.valid_from) : Number.NEGATIVE_INFINITY,
			until: share.valid_until ? Date.parse(share.valid_until) : Number.POSITIVE_INFINITY,
		});
	}
	return out;
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);

export async function measureAccuracy(scenario: ScenarioInput, members: number, source: Source, log: (line: string) => void): Promise<AccuracyResult> {
	const phaseMs = 7 * MINUTE + 23_000;
	const runs = 96;
	const ticks = Array.from({ length: runs }, (_, i) => NOW_MS + phaseMs + i * INTERVAL);
	const simEnd = ticks[ticks.length - 1] + INTERVAL;
	const { windows: all, bookings } = intendedWindows(scenario, source);
	// Windows that open after the first run and close before the end of the simulated day.
	const windows = all.filter((w) => w.from > ticks[0] && w.until <= simEnd);
	const emails = new Set(windows.map((w) => w.email));

	const sb = await startSandbox({ scenario: { ...scenario, rateLimits: false }, port: 0 });
	const history: Array<{ at: number; shares: Map<string, Validity> }> = [];
	try {
		const template = loadTemplate(TEMPLATES[source]);
		const credentials = sandboxCredentials(sb.url, UNPACED);
		log(`accuracy: ${source} → Kisi every 15 minutes for 24 hours (${runs} runs, ${members.toLocaleString('en')} members)…`);
		for (const at of ticks) {
			sb.state.clock.set(at);
			const result = await runWorkflow(evaluatedAt(template, new Date(at)), { credentials, startNode: 'Run now' });
			if (result.error) throw new Error(`accuracy run at ${new Date(at).toISOString()}: ${result.error.message}`);
			void result.output(SYNC_NODE[source]);
			history.push({ at, shares: shareSnapshot(sb, GROUPS[source].id, emails) });
		}
	} finally {
		await sb.close();
	}

	const opened: number[] = [];
	const closed: number[] = [];
	let neverOpened = 0;
	for (const w of windows) {
		// Instants when the member may enter, as a list of [from, until) pieces over the runs.
		let grantedAt: number | null = null;
		let revokedAt: number | null = null;
		for (let i = 0; i < history.length; i++) {
			const start = history[i].at;
			const end = i + 1 < history.length ? history[i + 1].at : simEnd;
			const share = history[i].shares.get(w.email);
			if (!share) continue;
			const pieceFrom = Math.max(start, share.from);
			const pieceUntil = Math.min(end, share.until);
			if (pieceFrom >= pieceUntil) continue;
			if (grantedAt === null && pieceUntil > w.from) grantedAt = Math.max(pieceFrom, w.from);
			if (pieceFrom <= w.until && pieceUntil > w.until) revokedAt = pieceUntil;
		}
		if (grantedAt === null || grantedAt >= w.until) {
			neverOpened++;
			continue;
		}
		opened.push((grantedAt - w.from) / 1000);
		closed.push(((revokedAt ?? w.until) - w.until) / 1000);
	}
	const pollDelay = (instant: number) => {
		const offset = (((instant - NOW_MS - phaseMs) % INTERVAL) + INTERVAL) % INTERVAL;
		return offset === 0 ? 0 : (INTERVAL - offset) / 1000;
	};
	const pollOpen = windows.map((w) => pollDelay(w.from));
	const pollClose = windows.map((w) => pollDelay(w.until));
	return {
		source,
		members,
		runs,
		phaseMs,
		windows: windows.length,
		bookings,
		people: emails.size,
		pack: {
			openMean: mean(opened),
			openMax: Math.max(0, ...opened),
			closeMean: mean(closed),
			closeMax: Math.max(0, ...closed),
			neverOpened,
			exact: opened.filter((d) => d === 0).length,
		},
		polling: { openMean: mean(pollOpen), openMax: Math.max(0, ...pollOpen), closeMean: mean(pollClose), closeMax: Math.max(0, ...pollClose) },
		// Uniform over the phase: the delay is uniform on [0, 15 min).
		pollingAnyPhase: { openMean: INTERVAL / 2000, openMax: INTERVAL / 1000 },
	};
}
