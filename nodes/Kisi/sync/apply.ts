/**
 * Applies a plan through a {@link ShareWriter} (Kisi's share endpoints: transport/shareWriter.ts):
 * creates, then updates, then deletes, so a person moving between windows never has a gap. Users
 * are never deleted, only shares. Pure module: no n8n imports and no I/O of its own.
 */
import { InstantReader, sameInstant } from './instant';
import type { CreateEntry, CreateRequest, GroupSyncPlan, KisiShare, PlanEntry, UpdateEntry } from './types';

/** Kisi's share endpoints, as the apply step needs them. Failures throw. */
export interface ShareWriter {
	/** `POST /shares`; 'taken' when Kisi answers that the email already has a share in the group. */
	create(request: CreateRequest): Promise<{ id: number | string } | 'taken'>;
	/** The group's share for this email, or null. */
	find(email: string): Promise<KisiShare | null>;
	/** `PATCH /shares/{id}`; false when the share no longer exists. */
	update(shareId: number | string, validity: UpdateEntry['request']): Promise<boolean>;
	/** `DELETE /shares/{id}`; false when the share no longer exists. */
	remove(shareId: number | string): Promise<boolean>;
}

export interface ApplyOptions {
	/** Passed to Kisi for shares made again after a 404, as for the plan's creates. */
	notify: boolean;
	/** The text recorded for a change that failed. */
	describeError: (error: unknown) => string;
}

export interface AppliedEntry extends PlanEntry {
	/** Set when Kisi refused this change or it was not attempted. */
	error?: string;
}

export interface ApplyResult {
	entries: AppliedEntry[];
	failed: AppliedEntry[];
	notAttempted: AppliedEntry[];
}

/** After this many failures in a row the service is likely down: stop instead of hammering it. */
const MAX_CONSECUTIVE_FAILURES = 3;

/**
 * Applies a plan. A create that Kisi answers "already taken" means another run created the share
 * meanwhile: the share is re-read and its validity aligned, so overlapping runs never leave
 * duplicates; an update of a share removed meanwhile shares again. Each change that fails is
 * recorded and the others go on; after repeated failures in a row the rest is left for the next
 * run and reported as not attempted.
 */
export async function applyPlan(plan: GroupSyncPlan, writer: ShareWriter, { notify, describeError }: ApplyOptions): Promise<ApplyResult> {
	const result: ApplyResult = { entries: [], failed: [], notAttempted: [] };
	let consecutiveFailures = 0;
	const attempt = async (entry: PlanEntry, write: () => Promise<AppliedEntry>) => {
		if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
			const skipped = { ...entry, error: 'not attempted: Kisi failed several times in a row' };
			result.notAttempted.push(skipped);
			result.entries.push(skipped);
			return;
		}
		try {
			result.entries.push(await write());
			consecutiveFailures = 0;
		} catch (error) {
			consecutiveFailures++;
			const failure = { ...entry, error: describeError(error) };
			result.failed.push(failure);
			result.entries.push(failure);
		}
	};
	for (const entry of plan.creates) await attempt(entry, async () => await create(writer, entry));
	for (const entry of plan.updates) await attempt(entry, async () => await update(writer, entry, notify));
	for (const entry of plan.deletes) await attempt(entry, async () => await remove(writer, entry));
	return result;
}

async function create(writer: ShareWriter, entry: CreateEntry): Promise<AppliedEntry> {
	const created = await writer.create(entry.request);
	return created === 'taken' ? await adoptConcurrentShare(writer, entry) : { ...entry, shareId: created.id };
}

/** Another run created the share between our listing and our create: use it. */
async function adoptConcurrentShare(writer: ShareWriter, entry: CreateEntry): Promise<AppliedEntry> {
	const existing = await writer.find(entry.email);
	if (!existing) throw new Error(`Kisi says ${entry.email} already has a share in the group, but it cannot be found`);
	const previous = { validFrom: existing.valid_from ?? null, validUntil: existing.valid_until ?? null };
	const times = new InstantReader();
	if (sameInstant(times.read(previous.validFrom), times.read(entry.validFrom)) && sameInstant(times.read(previous.validUntil), times.read(entry.validUntil))) {
		return { ...entry, action: 'unchanged', shareId: existing.id, previous, reason: `${entry.reason} (already created by an overlapping run)` };
	}
	if (!(await writer.update(existing.id, { valid_from: entry.validFrom, valid_until: entry.validUntil }))) {
		throw new Error(`Kisi says ${entry.email} already has a share in the group, but share ${String(existing.id)} was removed before its validity could be aligned`);
	}
	return { ...entry, action: 'update', shareId: existing.id, previous, reason: `${entry.reason} (created by an overlapping run; validity aligned)` };
}

async function update(writer: ShareWriter, entry: UpdateEntry, notify: boolean): Promise<AppliedEntry> {
	if (await writer.update(entry.shareId, entry.request)) return entry;
	// Deleted meanwhile (by an overlapping run or by hand): the person is allowed, so share again.
	const recreated = await create(writer, {
		...entry,
		action: 'create',
		shareId: null,
		request: { email: entry.email, group_id: entry.groupId, role_id: 'basic', valid_from: entry.validFrom, valid_until: entry.validUntil, notify },
	});
	return { ...recreated, reason: `${entry.reason} (the share had been removed; shared again)` };
}

async function remove(writer: ShareWriter, entry: PlanEntry): Promise<AppliedEntry> {
	if (entry.shareId === null) return entry;
	return (await writer.remove(entry.shareId)) ? entry : { ...entry, reason: `${entry.reason} (already removed)` };
}
