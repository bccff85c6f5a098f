/**
 * Pure planner of Kisi → Share → Sync Group Access (docs/spec/contracts.md): compares the evaluator's
 * decisions with the shares of one Kisi group and says what to create, update and delete, or why
 * nothing may be written at all (`refusal`). No I/O and no n8n imports; the node reads the shares,
 * calls {@link planGroupSync}, stops on a refusal, then applies creates and updates before deletes
 * (apply.ts). The rules themselves are in rules.ts, one function each.
 */
import { normaliseEmail } from '../../AccessRuleEvaluator/engine/email';
import { type Decision, DecisionList, readDecision, type SyncDecision } from './decision';
import { endedBy, InstantReader } from './instant';
import { readSyncOptions, SyncParameterError, type SyncOptionsInput } from './parameters';
import {
	byEmailThenShare,
	confirmRevocations,
	entry,
	lastChanged,
	ownershipRule,
	planEmail,
	plannedEmails,
	type Planning,
	planRefusal,
	preferDecision,
	revocationGuard,
	type ShareInfo,
} from './rules';
import type { GroupSyncPlan, KisiShare } from './types';

export type { Decision, SyncDecision } from './decision';
export { DecisionItemError, DecisionList, readDecisionItems } from './decision';
export type { MaxRevocations, Ownership, SyncOptions, SyncOptionsInput } from './parameters';
export {
	DEFAULT_REVOCATION_MINIMUM,
	DEFAULT_REVOCATION_PERCENT,
	parseEmailList,
	parseMaxRevocations,
	parseScope,
	readSyncOptions,
	revocationLimit,
	SyncParameterError,
} from './parameters';
export { changedAfterDecisions, changedAfterDecisionsText, lastChanged, placeScopedGroupRefusal } from './rules';
export type {
	CreateEntry,
	CreateRequest,
	GroupSyncPlan,
	KisiGroup,
	KisiShare,
	PlanAction,
	PlanEntry,
	Refusal,
	Recheck,
	RevocationGuard,
	Scope,
	UpdateEntry,
	Validity,
} from './types';

export interface PlanGroupSyncInput extends SyncOptionsInput {
	/** Items as they come (read leniently: anything but a clear "allow" is a denial), or the node's input read by `readDecisionItems`. */
	decisions: readonly SyncDecision[] | DecisionList;
	shares: readonly KisiShare[];
	groupId: number | string;
	/** The API key's user id (`GET /user`); required with `createdByThisKey`. */
	ownUserId?: number | string | null;
	/** Only used to choose between two allowing decisions for one email. Default: the system clock. */
	now?: Date | number | string;
	/**
	 * When the run that made the decisions started (n8n's execution start), if known. The source
	 * was read between then and the decisions' `evaluatedAt`, so dated decisions count from the
	 * earlier of the two. Undated decisions stay undated.
	 */
	startedAt?: Date | number | string | null;
	/**
	 * The second read of a re-check: the emails the first read's refused plan would revoke. Only
	 * revocations of these emails are planned (see `confirmRevocations` in rules.ts); `recheck` says
	 * what the two reads agree on. Undefined or null: an ordinary run.
	 */
	confirmRevocations?: Iterable<string> | null;
}

/**
 * Plans one group's sync (the rules: rules.ts, {@link planEmail}). Every list is sorted by email,
 * then share id. `guard.ok` is false when deletes exceed the limit; `refusal` is set when the plan
 * must not be applied (an empty decision list that would revoke, too many revocations). With
 * `scope: 'listedPeople'` only the decisions' emails are planned: `shares` may then hold just
 * theirs, and the group's other shares are counted in `leftAlone`. Linear in shares + decisions
 * (Map lookups), plus one sort of the emails.
 */
export function planGroupSync(input: PlanGroupSyncInput): GroupSyncPlan {
	const { groupId } = input;
	if (groupId === undefined || groupId === null || String(groupId).trim() === '') {
		throw new SyncParameterError('groupId', 'Group [groupId] is required');
	}
	if (!Array.isArray(input.decisions) && !(input.decisions instanceof DecisionList)) {
		throw new SyncParameterError('decisions', 'decisions must be a list of evaluator items');
	}
	if (!Array.isArray(input.shares)) throw new SyncParameterError('shares', 'shares must be a list of Kisi shares');
	const options = readSyncOptions(input);
	const ownUserId = input.ownUserId;
	if (options.ownership === 'createdByThisKey' && (ownUserId === undefined || ownUserId === null || String(ownUserId).trim() === '')) {
		throw new SyncParameterError('ownUserId', "The API key's user id is required with ownership 'createdByThisKey' (read it with GET /user)");
	}
	const now = toNow(input.now);
	const times = new InstantReader();
	const decisions = input.decisions instanceof DecisionList ? input.decisions.decisions : readDecisions(input.decisions, times);
	const decidedAt = decisionInstant(earliestEvaluation(decisions), input.startedAt);

	const plan: GroupSyncPlan = {
		scope: options.scope,
		decidedAt: decidedAt === null ? null : new Date(decidedAt).toISOString(),
		creates: [],
		updates: [],
		deletes: [],
		unchanged: [],
		skipped: [],
		leftAlone: 0,
		guard: { ok: true, managedCount: 0, revocations: 0, limit: 0 },
		refusal: null,
		recheck: null,
	};

	// Decisions by email.
	const desired = new Map<string, Decision>();
	for (const decision of decisions) {
		if (decision.email === null) continue; // no usable email: nothing can be synced for it
		const current = desired.get(decision.email);
		desired.set(decision.email, current ? preferDecision(current, decision, now) : decision);
	}

	// This group's shares by email (listedPeople: only the listed people's; the others are counted).
	const isManaged = ownershipRule(options.ownership, ownUserId);
	const stamps = new InstantReader();
	const listedOnly = options.scope === 'listedPeople';
	const group = String(groupId);
	const byEmail = new Map<string, ShareInfo[]>();
	let managedCount = 0;
	for (const share of input.shares) {
		if (!share || typeof share !== 'object') continue;
		const shareGroup = share.group_id;
		if (shareGroup !== undefined && shareGroup !== null && shareGroup !== groupId && String(shareGroup) !== group) continue;
		const email = shareEmail(share);
		if (listedOnly && (email === null || !desired.has(email))) {
			plan.leftAlone++;
			continue;
		}
		const managed = isManaged(share);
		if (managed) managedCount++;
		const from = times.read(share.valid_from);
		const until = times.read(share.valid_until);
		const info: ShareInfo = {
			id: share.id,
			managed,
			from,
			until,
			previous: {
				validFrom: from.ok ? from.iso : String(share.valid_from),
				validUntil: until.ok ? until.iso : String(share.valid_until),
			},
			// Only dated decisions compare with Kisi's stamps (read apart: they rarely repeat, the validity dates do).
			changedAt: decidedAt === null ? null : lastChanged(share, stamps),
		};
		if (email === null) {
			plan.skipped.push(entry('skipped', '', info, groupId, 'Share without an email: left as it is'));
			continue;
		}
		const list = byEmail.get(email);
		if (list) list.push(info);
		else byEmail.set(email, [info]);
	}

	// One pass in email order keeps every list sorted by email without sorting the entries; only
	// the entries of one email (several shares) need ordering by share id.
	const planning: Planning = {
		groupId,
		ownership: options.ownership,
		protectedEmails: options.protectedEmails,
		notify: options.notify,
		decidedAt,
		// Ended when the decisions were made (a moment ago; the run's now when undated).
		endAt: listedOnly ? Math.floor((decidedAt ?? now) / 1000) * 1000 : null,
		out: plan,
	};
	const emails = plannedEmails(options.scope, desired.keys(), byEmail.keys());
	plan.skipped.sort(byEmailThenShare); // so far only the shares without an email
	for (const email of emails) {
		const skippedBefore = plan.skipped.length;
		planEmail(planning, email, desired.get(email), byEmail.get(email) ?? []);
		if (plan.skipped.length - skippedBefore > 1) {
			const mine = plan.skipped.splice(skippedBefore).sort(byEmailThenShare);
			for (const item of mine) plan.skipped.push(item);
		}
	}

	if (input.confirmRevocations !== undefined && input.confirmRevocations !== null) {
		const firstRead = new Set<string>();
		for (const email of input.confirmRevocations) {
			const normalised = normaliseEmail(email);
			if (normalised) firstRead.add(normalised);
		}
		plan.recheck = confirmRevocations(plan, firstRead);
	}
	// A share that has already ended (a real-time run ended it, or its dates ran out) grants nothing:
	// deleting it takes no one's access away, so the revocation limit does not count it. Ended by the
	// earlier of now and the decisions' instant (an evaluation pinned to another time counts as now).
	const endedAt = Math.min(now, decidedAt ?? now);
	const revoking = plan.deletes.filter((entry) => !entry.previous || !endedBy(times.read(entry.previous.validUntil), endedAt));
	plan.guard = revocationGuard(revoking, managedCount, options.maxRevocations, plan.recheck !== null);
	plan.refusal = planRefusal(plan, decisions.length, options.maxRevocations, groupId);
	return plan;
}

/** When the decisions were made: the earliest `evaluatedAt`, or the run's start when that is earlier; null when undated. */
function decisionInstant(evaluated: number | null, startedAt: PlanGroupSyncInput['startedAt']): number | null {
	if (evaluated === null || startedAt === undefined || startedAt === null) return evaluated;
	const started = startedAt instanceof Date ? startedAt.getTime() : typeof startedAt === 'number' ? startedAt : Date.parse(startedAt);
	if (!Number.isFinite(started)) throw new SyncParameterError('startedAt', `startedAt must be a valid date-time, got ${String(startedAt)}`);
	return Math.min(evaluated, started);
}

/** The earliest `evaluatedAt` of the decisions (epoch ms), null when none carries one. */
function earliestEvaluation(decisions: readonly Decision[]): number | null {
	let earliest: number | null = null;
	for (const decision of decisions) {
		const at = decision.evaluatedAt;
		if (at.ok && at.ms !== null && (earliest === null || at.ms < earliest)) earliest = at.ms;
	}
	return earliest;
}

function readDecisions(items: readonly SyncDecision[], times: InstantReader): Decision[] {
	const out: Decision[] = [];
	for (const item of items) if (item && typeof item === 'object') out.push(readDecision(item, times));
	return out;
}

/** The share's email, trimmed and lower-cased as the decisions' (null when it has none). */
function shareEmail(share: KisiShare): string | null {
	return normaliseEmail(share.email ?? share.user?.email) || null;
}

function toNow(value: PlanGroupSyncInput['now']): number {
	if (value === undefined) return Date.now();
	const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
	if (!Number.isFinite(ms)) throw new SyncParameterError('now', `now must be a valid date-time, got ${String(value)}`);
	return ms;
}
