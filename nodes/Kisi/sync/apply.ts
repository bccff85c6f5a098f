import type { IDataObject } from 'n8n-workflow';

import type { ApiClient } from '../../shared/http';
import { errorMessage } from '../../shared/items';
import { shareEmail } from '../transport/groupShares';
import type { CreateEntry, GroupSyncPlan, PlanEntry, UpdateEntry } from './plan';

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

function sameInstant(a: unknown, b: unknown): boolean {
	if (a === null || a === undefined || a === '') return b === null || b === undefined || b === '';
	if (b === null || b === undefined || b === '') return false;
	return Math.floor(Date.parse(String(a)) / 1000) === Math.floor(Date.parse(String(b)) / 1000);
}

function isDuplicateShare(body: unknown): boolean {
	const errors = (body as { errors?: Record<string, unknown> } | undefined)?.errors;
	const email = errors?.email;
	return Array.isArray(email) && email.some((message) => /taken|exist/i.test(String(message)));
}

/**
 * Applies a plan to Kisi: creates, then updates, then deletes (so a person moving between
 * windows never has a gap). Users are never deleted, only shares. A create that Kisi answers
 * "already taken" means another run created the share meanwhile: the share is re-read and its
 * validity aligned, so overlapping runs never leave duplicates. Each change that fails is
 * recorded and the others go on; after repeated failures in a row the rest is left for the
 * next run and reported as not attempted. `notify` applies to shares made again after a 404, as
 * to the plan's creates.
 */
export async function applyPlan(client: ApiClient, plan: GroupSyncPlan, groupId: number, notify = false): Promise<ApplyResult> {
	const entries: AppliedEntry[] = [];
	const failed: AppliedEntry[] = [];
	const notAttempted: AppliedEntry[] = [];
	let consecutiveFailures = 0;

	const attempt = async (entry: PlanEntry, write: () => Promise<AppliedEntry>) => {
		if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
			const skipped = { ...entry, error: 'not attempted: Kisi failed several times in a row' };
			notAttempted.push(skipped);
			entries.push(skipped);
			return;
		}
		try {
			entries.push(await write());
			consecutiveFailures = 0;
		} catch (error) {
			consecutiveFailures++;
			const failure = { ...entry, error: errorMessage(error) };
			failed.push(failure);
			entries.push(failure);
		}
	};

	const create = async (entry: CreateEntry): Promise<AppliedEntry> => {
		const response = await client.request<IDataObject>({
			method: 'POST',
			path: '/shares',
			body: { share: entry.request as unknown as IDataObject },
			expect: [422],
		});
		if (response.status !== 422) return { ...entry, shareId: response.body.id as number };
		if (!isDuplicateShare(response.body)) {
			throw new Error(`Kisi refused to share the group with ${entry.email}: ${JSON.stringify(response.body)}`);
		}
		return await adoptConcurrentShare(entry);
	};

	/** Another run created the share between our listing and our create: use it. */
	const adoptConcurrentShare = async (entry: CreateEntry): Promise<AppliedEntry> => {
		const { body } = await client.request<IDataObject[]>({
			method: 'GET',
			path: '/shares',
			qs: { group_id: groupId, query: entry.email, limit: 250, offset: 0 },
		});
		const existing = (Array.isArray(body) ? body : []).find((share) => shareEmail(share) === entry.email);
		if (!existing) throw new Error(`Kisi says ${entry.email} already has a share in the group, but it cannot be found`);
		const previous = { validFrom: (existing.valid_from as string) ?? null, validUntil: (existing.valid_until as string) ?? null };
		if (sameInstant(previous.validFrom, entry.validFrom) && sameInstant(previous.validUntil, entry.validUntil)) {
			return { ...entry, action: 'unchanged', shareId: existing.id as number, previous, reason: `${entry.reason} (already created by an overlapping run)` };
		}
		await client.request({
			method: 'PATCH',
			path: `/shares/${String(existing.id)}`,
			body: { share: { valid_from: entry.validFrom, valid_until: entry.validUntil } },
		});
		return { ...entry, action: 'update', shareId: existing.id as number, previous, reason: `${entry.reason} (created by an overlapping run; validity aligned)` };
	};

	const update = async (entry: UpdateEntry): Promise<AppliedEntry> => {
		const response = await client.request({
			method: 'PATCH',
			path: `/shares/${String(entry.shareId)}`,
			body: { share: entry.request as unknown as IDataObject },
			expect: [404],
		});
		if (response.status !== 404) return entry;
		// Deleted meanwhile (by an overlapping run or by hand): the person is allowed, so share again.
		const recreated = await create({
			...entry,
			action: 'create',
			shareId: null,
			request: { email: entry.email, group_id: groupId, role_id: 'basic', valid_from: entry.validFrom, valid_until: entry.validUntil, notify },
		});
		return { ...recreated, reason: `${entry.reason} (the share had been removed; shared again)` };
	};

	const remove = async (entry: PlanEntry): Promise<AppliedEntry> => {
		const response = await client.request({ method: 'DELETE', path: `/shares/${String(entry.shareId)}`, expect: [404] });
		return response.status === 404 ? { ...entry, reason: `${entry.reason} (already removed)` } : entry;
	};

	for (const entry of plan.creates) await attempt(entry, async () => await create(entry));
	for (const entry of plan.updates) await attempt(entry, async () => await update(entry));
	for (const entry of plan.deletes) await attempt(entry, async () => await remove(entry));
	return { entries, failed, notAttempted };
}
