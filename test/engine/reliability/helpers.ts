/**
 * Shared by the reliability suite (issue 10): the demo gym with a half-synced Kisi group, the
 * shipped sync templates run through n8n's engine, and the invariants every run must keep:
 * no share for a denied person that was not there before, no allowed person losing the share
 * they had, at most one share per email, staff shares untouched; and after a clean run, exactly
 * the allowed people of `demoExpectations`.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ScenarioInput } from '../../../sandbox';
import { buildDemoScenario, DEMO_KISI, DEMO_NOW, demoExpectations } from '../../../sandbox/scenarios/demo';
import { type RunResult, runWorkflow, type WorkflowJson } from '../../harness/engine';
import type { StoredCredential } from '../../harness/credentials';
import type { SandboxClient } from '../../harness/sandbox';
import { evaluatedAt, loadTemplate, sandboxCredentials } from '../../harness/templates';

export const NOW = new Date(DEMO_NOW);
export const OWNER = DEMO_KISI.users.owner;

export type Source = 'glofox' | 'teamup';

export const SYNC = {
	glofox: {
		template: 'glofox-kisi-access-sync' as const,
		group: DEMO_KISI.glofoxGroupId,
		staffShare: DEMO_KISI.shares.staffGlofoxGroup,
		danShare: DEMO_KISI.shares.danGlofoxGroup,
		sourceNode: 'Glofox: access profiles',
		syncNode: 'Kisi: sync the Glofox Members group',
	},
	teamup: {
		template: 'teamup-kisi-access-sync' as const,
		group: DEMO_KISI.teamupGroupId,
		staffShare: DEMO_KISI.shares.staffTeamupGroup,
		danShare: DEMO_KISI.shares.danTeamupGroup,
		sourceNode: 'TeamUp: access profiles',
		syncNode: 'Kisi: sync the TeamUp Members group',
	},
} as const;
export const EVALUATOR = 'Decide who may enter';

export interface Validity {
	from: number | null;
	until: number | null;
}

const ms = (value: unknown): number | null => (value === null || value === undefined || value === '' ? null : Date.parse(String(value)));

/** The allowed people of a source at DEMO_NOW (demoExpectations), with their exact validity. */
export function allowed(source: Source): Map<string, Validity> {
	const map = new Map<string, Validity>();
	for (const row of demoExpectations(NOW)) {
		const outcome = row[source];
		if (row.email && outcome?.access === 'allow') map.set(row.email, { from: ms(outcome.validFrom), until: ms(outcome.validUntil) });
	}
	return map;
}

/**
 * The demo gym without the sandbox's rate limits: the suite injects its 429s explicitly, and
 * pacing below the real limits is tested in test/engine/kisi/resilience.test.ts and the source
 * error tests. Runs stay around a second instead of five.
 */
type Demo = ScenarioInput & { kisi: { shares: IDataObject[] } };

function fastDemo(): Demo {
	return { ...buildDemoScenario(NOW), rateLimits: false } as unknown as Demo;
}

/** The templates' credentials for the sandbox, paced for a sandbox without rate limits. */
export function credentials(url: string): StoredCredential[] {
	return sandboxCredentials(url, { kisi: { requestsPerSecond: 100 }, glofox: { requestsPerSecond: 100 }, teamup: { requestsPerMinute: 6000 } });
}

const iso = (value: number | null) => (value === null ? null : new Date(value).toISOString());

/**
 * The demo gym, with the template's group half synced by an earlier run of this key: every other
 * allowed person already has a share (one in two of those with an outdated validity, so a sync
 * updates it), plus stale shares of two denied people (Dan from the demo, and Eva) to remove. A
 * sync from here creates, updates and deletes, and "never revoke an allowed person" is tested on
 * shares that exist.
 */
export function seededScenario(source: Source): ScenarioInput {
	const demo = fastDemo();
	const group = SYNC[source].group;
	let id = 9300;
	let index = 0;
	for (const [email, want] of allowed(source)) {
		const i = index++;
		if (i % 2 === 1) continue;
		const stale = i % 4 === 0;
		const until = stale ? (want.until === null ? Date.parse('2030-01-01T00:00:00Z') : want.until + 86_400_000) : want.until;
		demo.kisi.shares.push({
			id: id++,
			email,
			group_id: group,
			role_id: 'basic',
			created_by_id: OWNER,
			valid_from: iso(want.from),
			valid_until: iso(until),
			created_at: '2026-02-01T00:00:00Z',
		});
	}
	demo.kisi.shares.push({
		id: id++,
		email: 'eva.novak@example.com',
		group_id: group,
		role_id: 'basic',
		created_by_id: OWNER,
		valid_from: '2025-05-01T00:00:00Z',
		valid_until: null,
		created_at: '2025-05-01T00:00:00Z',
	});
	return demo;
}

/** The demo gym with the template's group already in sync: one correct share per allowed person, staff share, nothing else. */
export function convergedScenario(source: Source): ScenarioInput {
	const demo = fastDemo();
	const group = SYNC[source].group;
	const dan = demo.kisi.shares.findIndex((share) => share.id === SYNC[source].danShare);
	demo.kisi.shares.splice(dan, 1);
	let id = 9400;
	for (const [email, want] of allowed(source)) {
		demo.kisi.shares.push({
			id: id++,
			email,
			group_id: group,
			role_id: 'basic',
			created_by_id: OWNER,
			valid_from: iso(want.from),
			valid_until: iso(want.until),
			created_at: '2026-02-01T00:00:00Z',
		});
	}
	return demo;
}

export interface Share {
	id: number;
	email: string;
	group_id: number;
	created_by_id: number | null;
	valid_from: string | null;
	valid_until: string | null;
	[key: string]: unknown;
}

export async function groupShares(sandbox: SandboxClient, source: Source): Promise<Share[]> {
	const state = await sandbox.state();
	return (state.kisi.shares as Share[]).filter((share) => share.group_id === SYNC[source].group);
}

/** The sync template of `source`, evaluated at DEMO_NOW, started from "Run now". */
export function syncTemplate(source: Source): WorkflowJson {
	return evaluatedAt(loadTemplate(SYNC[source].template), NOW);
}

export async function runSync(sandbox: SandboxClient, source: Source, workflow: WorkflowJson = syncTemplate(source)): Promise<RunResult> {
	// The run's decisions are evaluated at NOW: the sandbox's clock stands still there, so a busy
	// machine cannot make the shares it writes look newer than the decisions (which the sync leaves alone).
	await sandbox.control('POST', '/clock', { now: NOW.toISOString(), frozen: true });
	return await runWorkflow(workflow, { credentials: credentials(sandbox.url), startNode: 'Run now' });
}

const norm = (email: unknown) => String(email ?? '').trim().toLowerCase();

/**
 * The safety invariants between the group before and after a run. Returns the violations (empty =
 * safe), so a failure lists every one of them.
 */
export function safetyViolations(source: Source, before: Share[], after: Share[]): string[] {
	const want = allowed(source);
	const problems: string[] = [];
	const beforeIds = new Set(before.map((share) => share.id));
	const counts = new Map<string, number>();
	for (const share of after) counts.set(norm(share.email), (counts.get(norm(share.email)) ?? 0) + 1);
	for (const [email, count] of counts) if (count > 1) problems.push(`${count} shares for ${email}`);
	for (const share of after) {
		const email = norm(share.email);
		if (!want.has(email) && !beforeIds.has(share.id)) problems.push(`new share ${share.id} for ${email}, who is not allowed`);
	}
	for (const share of before) {
		const email = norm(share.email);
		if (want.has(email) && !after.some((other) => norm(other.email) === email)) problems.push(`${email} (allowed) lost share ${share.id}`);
	}
	for (const share of after) {
		const target = want.get(norm(share.email));
		if (!target || share.created_by_id !== OWNER) continue;
		const previous = before.find((other) => other.id === share.id);
		const now = { from: ms(share.valid_from), until: ms(share.valid_until) };
		const same = (a: Validity, b: Validity) => a.from === b.from && a.until === b.until;
		if (!same(now, target) && !(previous && same(now, { from: ms(previous.valid_from), until: ms(previous.valid_until) }))) {
			problems.push(`share ${share.id} of ${share.email} has validity ${share.valid_from} → ${share.valid_until}, neither the target nor its previous one`);
		}
	}
	const staff = before.find((share) => share.id === SYNC[source].staffShare);
	if (staff && JSON.stringify(after.find((share) => share.id === staff.id)) !== JSON.stringify(staff)) problems.push('the staff share was changed or removed');
	return problems;
}

/** What a converged group differs in from the expected one (empty = converged). */
export function convergenceProblems(source: Source, after: Share[]): string[] {
	const want = allowed(source);
	const problems: string[] = [];
	const managed = after.filter((share) => share.created_by_id === OWNER);
	for (const [email, validity] of want) {
		const shares = managed.filter((share) => norm(share.email) === email);
		if (shares.length !== 1) {
			problems.push(`${email}: ${shares.length} shares`);
			continue;
		}
		const [share] = shares;
		if (ms(share.valid_from) !== validity.from || ms(share.valid_until) !== validity.until) {
			problems.push(`${email}: ${share.valid_from} → ${share.valid_until}, expected ${iso(validity.from)} → ${iso(validity.until)}`);
		}
	}
	for (const share of managed) if (!want.has(norm(share.email))) problems.push(`left over: share ${share.id} of ${share.email}`);
	const others = after.filter((share) => share.created_by_id !== OWNER).map((share) => share.id);
	if (JSON.stringify(others) !== JSON.stringify([SYNC[source].staffShare])) problems.push(`other shares: ${others.join(', ')}`);
	return problems;
}

/** One line per case for the closing table (`RELIABILITY_REPORT=1 jest test/engine/reliability`). */
export interface Outcome {
	category: string;
	case: string;
	outcome: string;
}

export function outcomeOf(result: RunResult): string {
	if (!result.error) return 'converged';
	return `failed loudly: ${result.error.message.slice(0, 220)}`;
}

/** Prints the cases and their observed outcomes as table rows, when RELIABILITY_REPORT is set. */
export function printOutcomes(title: string, outcomes: Outcome[]): void {
	if (outcomes.length === 0 || !process.env.RELIABILITY_REPORT) return;
	console.log(`${title}\n${outcomes.map((o) => `| ${o.category} | ${o.case} | ${o.outcome.replace(/\|/g, '\\|')} |`).join('\n')}`);
}

/** Writes to Kisi (anything but GET) in the request log. */
export async function kisiWrites(sandbox: SandboxClient): Promise<string[]> {
	return (await sandbox.requests({ service: 'kisi' })).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path} ${r.status}`);
}
