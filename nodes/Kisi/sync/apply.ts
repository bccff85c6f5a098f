/**
 * Applies a plan through a {@link ShareWriter} (Kisi's share endpoints: transport/shareWriter.ts):
 * creates, then updates, then deletes, so a person moving between windows never has a gap. Users
 * are never deleted, only shares. Pure module: no n8n imports and no I/O of its own.
 */
import { InstantReader, sameInstant } from './instant';
import { changedAfterDecisionsText, lastChanged } from './rules';
import type { CreateEntry, CreateRequest, EndRequest, GroupSyncPlan, KisiShare, PlanEntry, UpdateEntry } from './types';

/** Kisi's share endpoints, as the apply step needs them. Failures throw. */
export interface ShareWriter {
	/** `POST /shares`; 'taken' when Kisi answers that the email already has a share in the group. */
	create(request: CreateRequest): Promise<{ id: number | string } | 'taken'>;
	/** The group's share for this email, or null. */
	find(email: string): Promise<KisiShare | null>;
	/** `GET /shares/{id}`; null when the share no longer exists. */
	get(shareId: number | string): Promise<KisiShare | null>;
	/** `PATCH /shares/{id}`; false when the share no longer exists. */
	update(shareId: number | string, validity: UpdateEntry['request']): Promise<boolean>;
	/** `DELETE /shares/{id}`; false when the share no longer exists. */
	remove(shareId: number | string): Promise<boolean>;
	/**
	 * `PATCH /shares/{id}` ending the share: 'ended', 'gone' when the share no longer exists, or
	 * 'refused' when Kisi rejects the dates (422: its reference does not say whether a `valid_until`
	 * in the past is accepted; the sandbox accepts it).
	 */
	end(shareId: number | string, request: EndRequest): Promise<'ended' | 'gone' | 'refused'>;
}

export interface ApplyOptions {
	/** Passed to Kisi for shares made again after a 404, as for the plan's creates. */
	notify: boolean;
	/** The text recorded for a change that failed. */
	describeError: (error: unknown) => string;
	/** Stops the run between two changes once aborted (n8n's "Stop" of the execution): the rest is reported as not applied. */
	signal?: AbortSignal;
	/** Told before each change (with `current`) and after it: how far the run is. */
	onProgress?: (progress: ApplyProgress) => void;
	/** The clock for the time estimates (epoch ms). */
	now?: () => number;
}

/** How far an apply is: counts of the changes done so far and an estimate of the time left. */
export interface ApplyProgress {
	/** Changes in the plan (creates + updates + deletes). */
	total: number;
	/** Changes handled so far (applied, left as they were, failed or not attempted). */
	done: number;
	created: number;
	updated: number;
	deleted: number;
	/** Planned changes not made because Kisi's share had changed meanwhile (reported as skipped). */
	left: number;
	failed: number;
	elapsedMs: number;
	/** Estimated from the pace so far; null before the first change is done. */
	remainingMs: number | null;
	/** The change being written now, if any: when a run stops, Kisi may or may not have recorded it. */
	current: { action: string; email: string } | null;
}

export interface AppliedEntry extends PlanEntry {
	/** Set when Kisi refused this change or it was not attempted. */
	error?: string;
}

export interface ApplyResult {
	entries: AppliedEntry[];
	failed: AppliedEntry[];
	notAttempted: AppliedEntry[];
	/** Set when the run was stopped (`signal`) before every change was attempted. */
	stopped?: boolean;
}

/** The error text of a change not attempted because the run was stopped. */
export const STOPPED_BEFORE = 'not applied: the run was stopped before this change';
/** The error text of the change whose request was under way when the run was stopped. */
export const STOPPED_DURING = 'the run was stopped while this change was being written: Kisi may or may not have recorded it (the next run reads the group and decides again)';

/** After this many failures in a row the service is likely down: stop instead of hammering it. */
const MAX_CONSECUTIVE_FAILURES = 3;

/**
 * The first changes of a run follow its reading of the group within seconds (25 writes at Kisi's
 * 5 requests/s); past them (a first sync of a big gym writes for hours) an update or a delete of a
 * dated plan re-reads its share first, so that a share another run changed meanwhile is left as it is.
 */
export const FRESH_VIEW_WRITES = 25;

/** What applying one change knows besides the change. */
interface Context {
	writer: ShareWriter;
	notify: boolean;
	/** When the decisions were made (epoch ms), null for undated decisions. */
	decidedAt: number | null;
	/** Whether this change re-reads its share before writing. */
	recheck: boolean;
	times: InstantReader;
}

/**
 * Applies a plan. A create that Kisi answers "already taken" means another run created the share
 * meanwhile: the share is re-read and used, so overlapping runs never leave duplicates. With
 * undated decisions its validity is aligned and an update of a share removed meanwhile shares
 * again. With dated decisions (`plan.decidedAt`) the other run's share is newer than the
 * decisions: it is left as it is (reported as skipped) unless it already matches, a share removed
 * meanwhile is not shared again, and past {@link FRESH_VIEW_WRITES} changes each update and delete
 * re-reads its share and leaves it if it changed after the decisions. Each change that fails is
 * recorded and the others go on; after repeated failures in a row the rest is left for the next
 * run and reported as not attempted.
 */
export async function applyPlan(plan: GroupSyncPlan, writer: ShareWriter, { notify, describeError, signal, onProgress, now = Date.now }: ApplyOptions): Promise<ApplyResult> {
	const result: ApplyResult = { entries: [], failed: [], notAttempted: [] };
	const decidedAt = plan.decidedAt === null ? null : Date.parse(plan.decidedAt);
	const times = new InstantReader();
	const context = (): Context => ({ writer, notify, decidedAt, times, recheck: decidedAt !== null && result.entries.length >= FRESH_VIEW_WRITES });
	const started = now();
	const total = plan.creates.length + plan.updates.length + plan.deletes.length;
	const counts = { create: 0, update: 0, delete: 0, skipped: 0, unchanged: 0 };
	const report = (current: PlanEntry | null) => {
		if (!onProgress) return;
		const done = result.entries.length;
		const elapsedMs = now() - started;
		onProgress({
			total,
			done,
			created: counts.create,
			updated: counts.update,
			deleted: counts.delete,
			left: counts.skipped,
			failed: result.failed.length + result.notAttempted.length,
			elapsedMs,
			remainingMs: done === 0 ? null : Math.round((elapsedMs / done) * (total - done)),
			current: current && { action: current.action, email: current.email },
		});
	};
	let consecutiveFailures = 0;
	const notAttempted = (entry: PlanEntry, error: string) => {
		const skipped = { ...entry, error };
		result.notAttempted.push(skipped);
		result.entries.push(skipped);
	};
	const attempt = async (entry: PlanEntry, write: () => Promise<AppliedEntry>) => {
		if (signal?.aborted) {
			result.stopped = true;
			notAttempted(entry, STOPPED_BEFORE);
			return;
		}
		if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
			notAttempted(entry, 'not attempted: Kisi failed several times in a row');
			report(null);
			return;
		}
		report(entry);
		try {
			const applied = await write();
			result.entries.push(applied);
			if (applied.action in counts) counts[applied.action as keyof typeof counts]++;
			consecutiveFailures = 0;
		} catch (error) {
			consecutiveFailures++;
			if (signal?.aborted) result.stopped = true;
			const failure = { ...entry, error: signal?.aborted ? STOPPED_DURING : describeError(error) };
			result.failed.push(failure);
			result.entries.push(failure);
		}
		report(null);
	};
	for (const entry of plan.creates) await attempt(entry, async () => await create(context(), entry));
	for (const entry of plan.updates) await attempt(entry, async () => await update(context(), entry));
	for (const entry of plan.deletes) await attempt(entry, async () => await remove(context(), entry));
	return result;
}

async function create(ctx: Context, entry: CreateEntry): Promise<AppliedEntry> {
	const created = await ctx.writer.create(entry.request);
	return created === 'taken' ? await adoptConcurrentShare(ctx, entry) : { ...entry, shareId: created.id };
}

/**
 * Another run created the share between our listing and our create: use it, never a second one.
 * The same validity: unchanged. Else, with undated decisions, align its validity; with dated ones
 * the share is newer than the decisions (it was not in our listing, which was read after them):
 * leave it.
 */
async function adoptConcurrentShare(ctx: Context, entry: CreateEntry): Promise<AppliedEntry> {
	const existing = await ctx.writer.find(entry.email);
	if (!existing) throw new Error(`Kisi says ${entry.email} already has a share in the group, but it cannot be found`);
	const previous = validityOf(existing);
	const { times } = ctx;
	if (sameInstant(times.read(previous.validFrom), times.read(entry.validFrom)) && sameInstant(times.read(previous.validUntil), times.read(entry.validUntil))) {
		return { ...entry, action: 'unchanged', shareId: existing.id, previous, reason: `${entry.reason} (already created by an overlapping run)` };
	}
	if (ctx.decidedAt !== null) {
		const at = lastChanged(existing, times);
		const made = at === null ? '' : ` (at ${new Date(at).toISOString()})`;
		return left(entry, existing, `${entry.reason}, but another run created the share${made} after these decisions were made: left as it is, the next run decides`);
	}
	if (!(await ctx.writer.update(existing.id, { valid_from: entry.validFrom, valid_until: entry.validUntil }))) {
		throw new Error(`Kisi says ${entry.email} already has a share in the group, but share ${String(existing.id)} was removed before its validity could be aligned`);
	}
	return { ...entry, action: 'update', shareId: existing.id, previous, reason: `${entry.reason} (created by an overlapping run; validity aligned)` };
}

async function update(ctx: Context, entry: UpdateEntry): Promise<AppliedEntry> {
	if (ctx.recheck) {
		const current = await ctx.writer.get(entry.shareId);
		if (!current) return removedMeanwhile(ctx, entry);
		const newer = changedAfterDecisionsText(ctx.decidedAt, lastChanged(current, ctx.times));
		if (newer !== null) return left(entry, current, `${entry.reason}, but ${newer}`);
	}
	if (await ctx.writer.update(entry.shareId, entry.request)) return entry;
	return await removedMeanwhile(ctx, entry);
}

/**
 * An allowed person's share removed between our listing and our update (by another run or by
 * hand). Undated decisions: share again. Dated: the removal is newer than the decisions, so it stands
 * until the next run decides.
 */
async function removedMeanwhile(ctx: Context, entry: UpdateEntry): Promise<AppliedEntry> {
	if (ctx.decidedAt !== null) {
		return {
			...entry,
			action: 'skipped',
			validFrom: null,
			validUntil: null,
			reason: `${entry.reason}, but the share was removed in Kisi after these decisions were made: not shared again, the next run decides`,
		};
	}
	const recreated = await create(ctx, {
		...entry,
		action: 'create',
		shareId: null,
		request: { email: entry.email, group_id: entry.groupId, role_id: 'basic', valid_from: entry.validFrom, valid_until: entry.validUntil, notify: ctx.notify },
	});
	return { ...recreated, reason: `${entry.reason} (the share had been removed; shared again)` };
}

async function remove(ctx: Context, entry: PlanEntry): Promise<AppliedEntry> {
	if (entry.shareId === null) return entry;
	const gone = { ...entry, validFrom: null, validUntil: null, reason: `${entry.reason} (already removed)` };
	if (ctx.recheck) {
		const current = await ctx.writer.get(entry.shareId);
		if (!current) return gone;
		const newer = changedAfterDecisionsText(ctx.decidedAt, lastChanged(current, ctx.times));
		if (newer !== null) return left(entry, current, `${entry.reason}, but ${newer}`);
	}
	if (entry.end) {
		const { request, cause } = entry.end;
		const ended = await ctx.writer.end(entry.shareId, request);
		if (ended === 'ended') return entry;
		if (ended === 'gone') return gone;
		// Kisi refuses an end in the past: the share is deleted instead (the door closes either way).
		const removed = { ...entry, validFrom: null, validUntil: null, reason: `${cause}: Kisi refused to end the share at ${request.valid_until}, so it was removed` };
		return (await ctx.writer.remove(entry.shareId)) ? removed : gone;
	}
	return (await ctx.writer.remove(entry.shareId)) ? entry : gone;
}

/** A planned change not made: the share stays as Kisi holds it, reported as skipped. */
function left(entry: PlanEntry, share: KisiShare, reason: string): AppliedEntry {
	const current = validityOf(share);
	return { ...entry, action: 'skipped', shareId: share.id, validFrom: current.validFrom, validUntil: current.validUntil, previous: current, reason };
}

function validityOf(share: KisiShare): { validFrom: string | null; validUntil: string | null } {
	return { validFrom: share.valid_from ?? null, validUntil: share.valid_until ?? null };
}
