import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameterResourceLocator,
	INodeProperties,
	IPairedItemData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep, updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { errorMessage } from '../../../shared/items';
import { Branches, type OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { type AppliedEntry, applyPlan, type ApplyProgress, type ApplyResult, STOPPED_DURING } from '../../sync/apply';
import { partlyAppliedDescription, progressText, stoppedText } from '../../sync/progress';
import {
	DecisionItemError,
	type DecisionList,
	type GroupSyncPlan,
	type KisiGroup,
	type KisiShare,
	type Ownership,
	type PlanEntry,
	placeScopedGroupRefusal,
	planGroupSync,
	readDecisionItems,
	readSyncOptions,
	type Refusal,
	type Scope,
	type SyncOptionsInput,
	type SyncParameterError,
} from '../../sync/plan';
import { claimToken, processedDataStore } from '../../../shared/claimStore';
import { enterRun, type Lease, renewingWriter, takeLease } from '../../sync/runGuard';
import { kisiList } from '../../transport';
import { listGroupShares, listSharesOfEmails } from '../../transport/groupShares';
import { kisiShareWriter } from '../../transport/shareWriter';
import { groupLocator } from '../common.descriptions';

export const option = {
	name: 'Sync Group Access',
	value: 'syncGroupAccess',
	action: 'Sync a group with access decisions',
	description: "Make a group's shares match the Access Rule Evaluator's decisions: create, update and remove shares",
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	{
		displayName:
			'Makes the shares of one Kisi group match the Access Rule Evaluator\'s decisions: shares for people allowed (with exact "valid from/until"), removed for people denied or gone. Users are never deleted.',
		name: 'syncNotice',
		type: 'notice',
		default: '',
	},
	{
		...groupLocator,
		description: 'An organization group (not scoped to a place), ideally used only by this sync',
		modes: [
			...(groupLocator.modes ?? []),
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'Members' },
		],
	},
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		options: [
			{
				name: 'Whole Group',
				value: 'wholeGroup',
				description:
					'The group ends up matching the input: people allowed get a share, shares of people denied or missing from the input are removed (the 15-minute sync)',
			},
			{
				name: 'Listed People Only',
				value: 'listedPeople',
				description:
					'Only the people in the input are shared, updated or removed; every other share of the group is left alone (real-time updates from a trigger)',
			},
		],
		default: 'wholeGroup',
		description: 'Which shares this run may change. Ownership and Protected Emails apply either way.',
	},
	{
		displayName: 'Ownership',
		name: 'ownership',
		type: 'options',
		options: [
			{
				name: 'Shares Created by This API Key',
				value: 'createdByThisKey',
				description: "Only change or remove shares this credential's Kisi user created; leave staff and hand-made shares alone",
			},
			{
				name: 'All Shares in the Group',
				value: 'allSharesInGroup',
				description: 'The group is dedicated to this sync: any share in it may be changed or removed',
			},
		],
		default: 'createdByThisKey',
		description: 'Which existing shares the sync may change or remove. The others are reported as skipped.',
	},
	{
		displayName: 'Protected Emails',
		name: 'protectedEmails',
		type: 'string',
		default: '',
		placeholder: 'owner@gym.com, manager@gym.com',
		description: 'Emails whose shares are never removed (staff, owners), comma-separated',
	},
	{
		displayName: 'Max Revocations',
		name: 'maxRevocations',
		type: 'string',
		default: '',
		placeholder: '10% (at least 5)',
		description:
			'If the sync would remove more shares than this (a number, or a percentage of the shares it manages; with Listed People Only, of the listed people\'s), it changes nothing and fails: a source outage or a wrong Location ID must never empty a group. Empty: 10%, at least 5.',
	},
	{
		displayName: 'On Mass Revocation',
		name: 'onMassRevocation',
		type: 'options',
		options: [
			{
				name: 'Fail',
				value: 'fail',
				description: 'Write nothing and fail (or, with "On Error: Continue", output the error)',
			},
			{
				name: 'Re-Check After a Wait',
				value: 'recheck',
				description:
					'Write nothing and send the people it would revoke to a second output, "Needs Re-Check". Connect it through a Wait node back to the node that reads your gym software: when the decisions come back to this node, only people revoked by both reads lose access.',
			},
		],
		default: 'fail',
		description:
			'What to do when the sync would remove more shares than Max Revocations. A source that glitches once (an outage that makes members look inactive) is read a second time before anyone loses access.',
		displayOptions: { show: { resource: ['share'], operation: ['syncGroupAccess'], scope: ['wholeGroup'] } },
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description: 'Whether to only compute and output the changes, writing nothing to Kisi',
	},
	{
		displayName: 'If a Sync of This Group Is Still Running',
		name: 'ifRunning',
		type: 'options',
		options: [
			{ name: 'Skip This Run', value: 'skip', description: 'Output one skipped item and write nothing; the next scheduled run catches up' },
			{ name: 'Run Anyway', value: 'run', description: 'Both runs write; they never leave duplicate shares, but share Kisi\'s 5 requests/s' },
		],
		default: 'skip',
		description:
			'What to do when an earlier Whole Group run of this sync on the same group is still writing in this n8n (a first sync of a big gym takes longer than the 15-minute schedule). Listed People Only runs never wait and never block one; dry runs neither.',
		displayOptions: { show: { resource: ['share'], operation: ['syncGroupAccess'], scope: ['wholeGroup'] } },
	},
	{
		displayName: 'Notify New Members',
		name: 'notify',
		type: 'boolean',
		default: false,
		description: 'Whether Kisi emails an invitation to people who get a new share',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'Changes', value: 'changes', description: 'One item per create, update, delete or skipped share' },
			{ name: 'All', value: 'all', description: 'Changes plus one item per unchanged share' },
			{ name: 'Summary', value: 'summary', description: 'One item with the counts' },
		],
		default: 'changes',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['share'], operation: ['syncGroupAccess'] } }, properties);

/** The input items, read once into typed decisions; an item that is not a decision fails the run, naming it. */
function readDecisions(ctx: IExecuteFunctions): DecisionList {
	try {
		return readDecisionItems(ctx.getInputData().map((item) => item.json));
	} catch (error) {
		if (error instanceof DecisionItemError) {
			throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex: error.itemIndex, description: error.description });
		}
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}

async function resolveGroupId(ctx: IExecuteFunctions, client: ApiClient): Promise<number> {
	const locator = ctx.getNodeParameter('groupId', 0) as INodeParameterResourceLocator;
	if (locator?.mode !== 'name') return numericId(ctx.getNodeParameter('groupId', 0, '', { extractValue: true }), 'Group', 0);
	const name = String(locator.value ?? '').trim();
	if (!name) throw new NodeOperationError(ctx.getNode(), 'Choose the Kisi group to sync ("Group" is empty)');
	const found = (await kisiList(client, '/groups', { query: name }, { pageSize: 250 })).filter(
		(group) => String(group.name ?? '').trim().toLowerCase() === name.toLowerCase(),
	);
	if (found.length === 1) return Number(found[0].id);
	throw new NodeOperationError(
		ctx.getNode(),
		found.length === 0
			? `No Kisi group is named "${name}"`
			: `${found.length} Kisi groups are named "${name}" (IDs ${found.map((group) => group.id).join(', ')})`,
		{ description: 'Create an organization group with that name in Kisi, or choose the group from the list or by ID.' },
	);
}

function toOutput(entry: AppliedEntry, groupId: number, dryRun: boolean): IDataObject {
	const json: IDataObject = {
		action: entry.error ? 'error' : entry.action,
		email: entry.email,
		shareId: entry.shareId,
		groupId,
		validFrom: entry.validFrom,
		validUntil: entry.validUntil,
		previous: entry.previous as IDataObject | null,
		reason: entry.reason,
		dryRun,
	};
	if (entry.error) {
		json.plannedAction = entry.action;
		json.error = entry.error;
	}
	return json;
}

/**
 * When this execution started (n8n's execution context, n8n 2.x; undefined before), so that a share
 * changed while the source was being read counts as newer than the decisions.
 */
function executionStart(ctx: IExecuteFunctions): number | undefined {
	const established = typeof ctx.getExecutionContext === 'function' ? ctx.getExecutionContext()?.establishedAt : undefined;
	return typeof established === 'number' && Number.isFinite(established) ? established : undefined;
}

/** A refusal decided by the planner's rules (sync/rules.ts), as the node reports it. */
function refuse(ctx: IExecuteFunctions, refusal: Refusal): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), refusal.message, { description: refusal.description });
}

interface SyncSettings {
	dryRun: boolean;
	output: string;
	options: SyncOptionsInput;
	decisions: DecisionList;
	/** The run's lease across n8n processes, renewed as it writes. */
	lease?: Lease;
	/** "On Mass Revocation: Re-Check After a Wait": a refusal for too many revocations goes to "Needs Re-Check". */
	recheck: boolean;
	/** The second read of a re-check: the emails the first read would revoke (see {@link firstReadOf}). */
	firstRead: string[] | null;
}

/**
 * With "On Mass Revocation: Re-Check After a Wait" the node has two outputs, "Done" and "Needs
 * Re-Check" (the node's `outputs` expression, Kisi.node.ts); every run answers on both.
 */
export function syncOutputs(parameters: { resource?: unknown; operation?: unknown; onMassRevocation?: unknown }) {
	const recheck = parameters.resource === 'share' && parameters.operation === 'syncGroupAccess' && parameters.onMassRevocation === 'recheck';
	return recheck ? [{ type: 'main', displayName: 'Done' }, { type: 'main', displayName: 'Needs Re-Check' }] : [{ type: 'main' }];
}

/**
 * The second read of a re-check: this node's previous run in this execution sent the people it
 * would revoke to "Needs Re-Check", and the flow brought the decisions back through a Wait and a
 * new read of the source. Their emails, or null for an ordinary run. Read from the execution's own
 * run data (saved with a waiting execution and resumed with it, on any worker), never from state
 * outside the execution.
 */
function firstReadOf(ctx: IExecuteFunctions): string[] | null {
	try {
		const proxy = ctx.getWorkflowDataProxy(0);
		const runIndex = Number(proxy.$runIndex);
		if (!Number.isInteger(runIndex) || runIndex < 1) return null;
		const [item] = proxy.$items(ctx.getNode().name, 1, runIndex - 1);
		const emails = item?.json?.emails;
		if (item?.json?.recheck !== 'needed' || !Array.isArray(emails)) return null;
		return emails.filter((email): email is string => typeof email === 'string');
	} catch {
		return null; // the previous run had no second output (another flow loops into this node)
	}
}

/**
 * An item that says the run failed: `error` (the message) and `details` (what to do, the node and
 * the group it was syncing, so that a flow collecting several syncs' errors can say which failed).
 * Only these two keys, so that n8n's "On Error: Continue (using error output)" sends it to the error
 * output (n8n routes items whose JSON holds nothing but `error`, `message`, `details`).
 */
function runError(ctx: IExecuteFunctions, message: string, description: string | null | undefined): INodeExecutionData {
	const locator = ctx.getNodeParameter('groupId', 0, '') as INodeParameterResourceLocator | string;
	const group = typeof locator === 'object' && locator !== null ? String(locator.value ?? '') : String(locator);
	return { json: { error: message, details: { description: description ?? null, node: ctx.getNode().name, group } } };
}

/**
 * With "Continue On Fail" (or "On Error: Continue"), a run that fails as a whole (a refusal, Kisi
 * unreachable) is one {@link runError} item instead of a stopped workflow.
 */
function failedRun(ctx: IExecuteFunctions, error: NodeApiError | NodeOperationError, recheck: boolean): INodeExecutionData[] | Branches {
	const items = [runError(ctx, error.message, error.description)];
	return recheck ? new Branches([items, []]) : items;
}

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[] | Branches> {
	const scope = this.getNodeParameter('scope', 0, 'wholeGroup') as Scope;
	const recheck = scope === 'wholeGroup' && this.getNodeParameter('onMassRevocation', 0, 'fail') === 'recheck';
	try {
		const items = await syncRun(this, client, recheck);
		return recheck ? (items instanceof Branches ? items : new Branches([items, []])) : items;
	} catch (error) {
		const nodeError = error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error);
		if (this.continueOnFail()) return failedRun(this, nodeError, recheck);
		throw nodeError;
	}
}

async function syncRun(ctx: IExecuteFunctions, client: ApiClient, recheck: boolean): Promise<INodeExecutionData[] | Branches> {
	const dryRun = ctx.getNodeParameter('dryRun', 0, false) as boolean;
	const output = ctx.getNodeParameter('output', 0, 'changes') as string;
	const options: SyncOptionsInput = {
		scope: ctx.getNodeParameter('scope', 0, 'wholeGroup') as Scope,
		ownership: ctx.getNodeParameter('ownership', 0, 'createdByThisKey') as Ownership,
		protectedEmails: ctx.getNodeParameter('protectedEmails', 0, ''),
		maxRevocations: ctx.getNodeParameter('maxRevocations', 0, ''),
		notify: ctx.getNodeParameter('notify', 0, false) as boolean,
	};
	try {
		readSyncOptions(options); // refused before the first request
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as SyncParameterError).message);
	}
	const decisions = readDecisions(ctx);
	const firstRead = recheck ? firstReadOf(ctx) : null;

	const groupId = await resolveGroupId(ctx, client);
	// The overlap guard is between Whole Group runs: a real-time Listed People run never waits
	// behind a long first sync (a share it makes is protected by the decisions' date instead). It
	// holds in this process (any workflow syncing the group) and, through a lease in n8n's database,
	// across the processes of a queue-mode n8n (this node's runs on other workers).
	const guarded = !dryRun && options.scope !== 'listedPeople';
	const skipIfRunning = guarded && ctx.getNodeParameter('ifRunning', 0, 'skip') === 'skip';
	const slot = guarded ? enterRun(`${await client.baseUrl()}\n${groupId}`) : null;
	let lease: Lease | undefined;
	try {
		if (slot?.busySince && skipIfRunning) return skippedRun(ctx, groupId, `started at ${slot.busySince} is still running in this n8n`, output);
		// "Run Anyway" runs neither wait for a lease nor hold one: the operator let them overlap.
		if (skipIfRunning) {
			const taken = await takeLease(processedDataStore(ctx), String(groupId), Date.now(), claimToken(ctx, 0), sleep);
			if (!taken.granted) return skippedRun(ctx, groupId, `is still running in another n8n process (its lease runs until ${taken.heldUntil} unless it goes on writing)`, output);
			lease = taken.lease;
		}
		return await syncGroup(ctx, client, groupId, { dryRun, output, options, decisions, lease, recheck, firstRead });
	} finally {
		await lease?.release();
		slot?.release();
	}
}

/** How often a long sync reports its progress (n8n's log, the execution's custom data, a manual run's browser console). */
const PROGRESS_EVERY_MS = 15_000;

/**
 * Where a long sync tells how far it is: every {@link PROGRESS_EVERY_MS}, n8n's log (info), the
 * browser console of a manual run (`sendMessageToUI`) and the execution's custom data
 * (`kisiSync_<group>`, kept with the execution). When the execution is stopped (n8n aborts its
 * cancel signal and saves the execution at once), the same places get what was and was not made
 * at that instant; the apply loop then stops before its next change.
 */
function progressReporter(ctx: IExecuteFunctions, groupId: number) {
	const signal = ctx.getExecutionCancelSignal();
	const key = `kisiSync_${groupId}`;
	let last: ApplyProgress | null = null;
	let reportedAt = Date.now();
	const say = (text: string, level: 'info' | 'warn') => {
		try {
			ctx.customData.set(key, text);
		} catch {
			// No run data to hold custom data (never in a workflow run): the log and console still say it.
		}
		ctx.logger[level](`Kisi sync: ${text}`, { workflowId: ctx.getWorkflow().id, executionId: ctx.getExecutionId(), node: ctx.getNode().name });
		ctx.sendMessageToUI(text);
	};
	const onAbort = () => {
		if (last && last.done < last.total) say(stoppedText(groupId, last), 'warn');
	};
	signal?.addEventListener('abort', onAbort, { once: true });
	return {
		signal,
		update(progress: ApplyProgress) {
			last = progress;
			if (progress.current !== null || Date.now() - reportedAt < PROGRESS_EVERY_MS) return;
			reportedAt = Date.now();
			say(progressText(groupId, progress), 'info');
		},
		finish() {
			signal?.removeEventListener('abort', onAbort);
			if (last && !signal?.aborted) say(progressText(groupId, last), 'info');
		},
	};
}

/** The run that found another one still writing: one item that says so, nothing written. */
function skippedRun(ctx: IExecuteFunctions, groupId: number, other: string, output: string): INodeExecutionData[] {
	const reason = `A sync of group ${groupId} ${other}; this run changed nothing (the next one catches up)`;
	ctx.addExecutionHints({ message: reason, location: 'outputPane' });
	const allInputs: IPairedItemData[] = ctx.getInputData().map((_, item) => ({ item }));
	const json: IDataObject =
		output === 'summary'
			? { groupId, created: 0, updated: 0, deleted: 0, unchanged: 0, skipped: 0, failed: 0, dryRun: false, requests: 0, skippedRun: reason }
			: { action: 'skipped', email: null, shareId: null, groupId, validFrom: null, validUntil: null, previous: null, reason, dryRun: false };
	return [{ json, pairedItem: allInputs }];
}

/**
 * A refusal for too many revocations with "Re-Check After a Wait", on the first read: nothing
 * written, nothing on "Done", one item on "Needs Re-Check" with the people it would revoke. The flow
 * waits, reads the source again and brings the decisions back to this node (see {@link firstReadOf}).
 */
function needsRecheck(ctx: IExecuteFunctions, groupId: number, plan: GroupSyncPlan, refusal: Refusal): Branches {
	const emails = [...new Set(plan.deletes.map((entry) => entry.email))].sort();
	ctx.addExecutionHints({
		message: `Group ${groupId}: would revoke ${plan.guard.revocations} shares (limit ${plan.guard.limit}); nothing written, the source is read again after the Wait`,
		location: 'outputPane',
	});
	const json: IDataObject = {
		recheck: 'needed',
		groupId,
		revocations: plan.guard.revocations,
		limit: plan.guard.limit,
		managedShares: plan.guard.managedCount,
		emails,
		decidedAt: plan.decidedAt,
		message: `${refusal.message} Re-checking: only people revoked again by a second read of the source will lose access.`,
	};
	return new Branches([[], [{ json, pairedItem: ctx.getInputData().map((_, item) => ({ item })) }]]);
}

/** A confirmation run's unchanged share of someone only the first read would revoke: said so, even in "Changes" output. */
function keptOnSecondRead(entry: PlanEntry): PlanEntry {
	return { ...entry, reason: `Kept: the first read of the source would have revoked this share, the second read does not. ${entry.reason}` };
}

async function syncGroup(
	ctx: IExecuteFunctions,
	client: ApiClient,
	groupId: number,
	{ dryRun, output, options, decisions, lease, recheck, firstRead }: SyncSettings,
): Promise<INodeExecutionData[] | Branches> {
	const { body: group } = await client.request<IDataObject>({ method: 'GET', path: `/groups/${groupId}` });
	const scoped = placeScopedGroupRefusal(group as KisiGroup, groupId);
	if (scoped) throw refuse(ctx, scoped);
	const ownUserId =
		options.ownership === 'createdByThisKey' ? ((await client.request<IDataObject>({ method: 'GET', path: '/user' })).body.id as number) : null;
	const listed = [...decisions.origins.keys()];
	const { shares, total } = options.scope === 'listedPeople' ? await listSharesOfEmails(client, groupId, listed) : await listGroupShares(client, groupId, listed);

	let plan: GroupSyncPlan;
	try {
		plan = planGroupSync({ ...options, decisions, shares: shares as unknown as KisiShare[], groupId, ownUserId, startedAt: executionStart(ctx), confirmRevocations: firstRead });
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message);
	}
	if (plan.refusal) {
		if (recheck && firstRead === null && plan.refusal.rule === 'maxRevocations') return needsRecheck(ctx, groupId, plan, plan.refusal);
		throw refuse(ctx, plan.refusal);
	}

	let applied: ApplyResult;
	if (dryRun) applied = { entries: [...plan.creates, ...plan.updates, ...plan.deletes], failed: [], notAttempted: [] };
	else {
		const progress = progressReporter(ctx, groupId);
		try {
			const writer = lease ? renewingWriter(kisiShareWriter(client, groupId), lease) : kisiShareWriter(client, groupId);
			applied = await applyPlan(plan, writer, { notify: options.notify === true, describeError: errorMessage, signal: progress.signal, onProgress: progress.update });
		} finally {
			progress.finish();
		}
	}

	const count = (action: string) => applied.entries.filter((entry) => !entry.error && entry.action === action).length;
	const summary: IDataObject = {
		groupId,
		created: count('create'),
		updated: count('update'),
		deleted: count('delete'),
		unchanged: plan.unchanged.length + count('unchanged'),
		skipped: plan.skipped.length + count('skipped'),
		failed: applied.failed.length + applied.notAttempted.length,
		dryRun,
		requests: client.requestCount,
	};
	// Listed People: the shares of people not in the input, read (planner) or only counted by Kisi (never read).
	const others = plan.leftAlone + Math.max(0, total - shares.length);
	if (plan.scope === 'listedPeople') summary.leftAlone = others;
	if (plan.recheck) summary.recheck = plan.recheck as unknown as IDataObject;
	const leftAlone = plan.scope === 'listedPeople' ? `, ${others} other ${others === 1 ? 'share' : 'shares'} left alone (not in the input)` : '';
	ctx.addExecutionHints({
		message: `Group ${groupId}: ${summary.created} created, ${summary.updated} updated, ${summary.deleted} deleted, ${summary.unchanged} unchanged, ${summary.skipped} skipped${leftAlone}${dryRun ? ' (dry run: nothing written)' : ''}; ${client.requestCount} requests to Kisi`,
		location: 'outputPane',
	});
	if (plan.recheck) ctx.addExecutionHints({ message: `Group ${groupId}: ${plan.recheck.message}`, location: 'outputPane' });

	const problems = [...applied.failed, ...applied.notAttempted];
	let partly: INodeExecutionData | null = null;
	if (problems.length > 0) {
		const done = applied.entries.length - problems.length;
		const list = problems
			.slice(0, 5)
			.map((entry) => `${entry.action} ${entry.email}: ${entry.error}`)
			.join('; ');
		const perhaps = problems.filter((entry) => entry.error === STOPPED_DURING).length;
		const message = applied.stopped
			? `The run was stopped: ${done} of ${applied.entries.length} changes applied${perhaps ? `, ${perhaps} under way (Kisi may or may not have recorded it)` : ''}, ${problems.length - perhaps} not`
			: `The group is only partly synced: ${done} of ${applied.entries.length} changes applied, ${problems.length} not (${list}${problems.length > 5 ? '; …' : ''})`;
		const why = applied.stopped
			? 'The execution was stopped while the sync was writing. The applied changes stay; the next run makes the rest.'
			: 'Kisi refused or failed some changes. The applied ones stay; the next run retries the rest.';
		const description = `${why}\n${partlyAppliedDescription(applied.entries, problems)}`;
		if (!ctx.continueOnFail()) throw new NodeOperationError(ctx.getNode(), message, { description });
		// With an error output, the run's failure goes there too (each failed change stays an `error` item).
		if (ctx.getNode().onError === 'continueErrorOutput') partly = runError(ctx, message, description);
	}

	const allInputs: IPairedItemData[] = ctx.getInputData().map((_, item) => ({ item }));
	const failure = partly ? [partly] : [];
	if (output === 'summary') return [{ json: summary, pairedItem: allInputs }, ...failure];
	const entries: AppliedEntry[] = [...applied.entries, ...plan.skipped];
	const cleared = new Set(plan.recheck?.cleared ?? []);
	for (const entry of plan.unchanged) {
		if (cleared.has(entry.email)) entries.push(keptOnSecondRead(entry));
		else if (output === 'all') entries.push(entry);
	}
	entries.sort((a, b) => a.email.localeCompare(b.email));
	const recheckNote: IDataObject | null = plan.recheck ? { changed: plan.recheck.changed, message: plan.recheck.message } : null;
	const items = entries.map((entry) => {
		const json = toOutput(entry, groupId, dryRun);
		if (recheckNote) json.recheck = recheckNote;
		return { json, pairedItem: (decisions.origins.get(entry.email) ?? []).map((item) => ({ item })) };
	});
	return [...items, ...failure];
}
