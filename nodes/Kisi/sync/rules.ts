/**
 * The sync's safety rules, one function each (docs/spec/contracts.md, Sync Group Access). Per
 * email: {@link planEmail} splits the shares by ownership and applies the rule for an allowed, a
 * denied or an absent person, under the guards (unusable validity, invalid profile, unrecognised
 * status, protected emails, shares changed after the decisions). Per plan: the scope (which emails
 * are planned at all), the re-check (only revocations two reads of the source agree on), then the
 * refusals (place-scoped group, empty decision list, max revocations). Pure module: no n8n imports.
 */
import {
	type Decision,
	denialText,
	grantText,
	invalidProfileText,
	unrecognisedText,
} from './decision';
import { endedBy, type Instant, type InstantReader, sameInstant } from './instant';
import { describeLimit, type MaxRevocations, type Ownership, revocationLimit } from './parameters';
import type { EndRequest, GroupSyncPlan, KisiGroup, KisiShare, PlanAction, PlanEntry, Recheck, Refusal, RevocationGuard, Scope, Validity } from './types';

/** A share of the group as the rules see it. */
export interface ShareInfo {
	id: number | string;
	/** Within the ownership: the sync may change or delete it. */
	managed: boolean;
	/** Unreadable share dates stay `ok: false` and never equal anything (the share gets updated). */
	from: Instant;
	until: Instant;
	/** The share's validity as output (canonical ISO when readable, else the raw text). */
	previous: Validity;
	/** When Kisi last created or changed it (epoch ms; null when the share carries no readable stamp). */
	changedAt: number | null;
}

/** What the per-email rules read and where they write. */
export interface Planning {
	groupId: number | string;
	ownership: Ownership;
	protectedEmails: ReadonlySet<string>;
	notify: boolean;
	/** When the decisions were made (epoch ms), null when undated: see {@link changedAfterDecisions}. */
	decidedAt: number | null;
	/** `listedPeople`: revocations end the share at this instant (when the decisions were made, in whole seconds) instead of deleting it ({@link endShare}); null otherwise. */
	endAt: number | null;
	out: Pick<GroupSyncPlan, 'creates' | 'updates' | 'deletes' | 'unchanged' | 'skipped'>;
}

// ---------------------------------------------------------------------------------------------
// per plan: which emails are planned

/**
 * Scope: `wholeGroup` plans every email of the decisions and of the group's shares (a share whose
 * person is absent from the decisions is revoked); `listedPeople` plans only the decisions' emails,
 * and every other share of the group is left alone (neither changed nor reported, only counted).
 */
export function plannedEmails(scope: Scope, decided: Iterable<string>, shared: Iterable<string>): string[] {
	const emails = new Set(decided);
	if (scope === 'wholeGroup') for (const email of shared) emails.add(email);
	return [...emails].sort();
}

// ---------------------------------------------------------------------------------------------
// per email

/**
 * Plans one email (case-insensitive) against its shares in the group:
 * - shares outside the ownership are reported as skipped and never touched ({@link leaveUnmanaged});
 * - allowed → create, update or unchanged ({@link planAllowed});
 * - denied → revoke ({@link planDenied});
 * - absent from the decisions → revoke ({@link planAbsent}).
 */
export function planEmail(p: Planning, email: string, want: Decision | undefined, shares: readonly ShareInfo[]): void {
	const { managed, unmanaged } = byOwnership(shares);
	leaveUnmanaged(p, email, want, unmanaged);
	if (want === undefined) planAbsent(p, email, managed);
	else if (want.access === 'allow') planAllowed(p, email, want, managed, unmanaged.length > 0);
	else planDenied(p, email, want, managed);
}

/**
 * Allowed:
 * - an unusable validity changes nothing for this email;
 * - no share → create; only shares outside the ownership → nothing (Kisi would answer 422 to a duplicate);
 * - a managed share with another validity → update (instants compared to the second, none equals
 *   none only); with the same validity → unchanged; one kept (the one already matching, else the
 *   lowest id), the extra ones revoked ({@link revokeDuplicates});
 * - a share granted earlier is never narrowed on a status this sync does not understand.
 */
function planAllowed(p: Planning, email: string, want: Decision, managed: readonly ShareInfo[], hasUnmanaged: boolean): void {
	if (want.unusable !== null) {
		const reason = `Decision not applied: ${want.unusable}; nothing changed for this email`;
		if (managed.length === 0 && !hasUnmanaged) skip(p, email, null, reason);
		for (const share of managed) skip(p, email, share, reason);
		return;
	}
	if (managed.length === 0) {
		if (!hasUnmanaged) create(p, email, want);
		return;
	}
	const keep = managed.find((share) => sameValidity(want, share)) ?? managed[0];
	const unrecognised = keepsWiderShare(want, keep);
	const newer = sameValidity(want, keep) ? null : staleDecisionGuard(p, keep);
	if (unrecognised !== null) {
		skip(p, email, keep, `Allowed (${grantText(want)}), but ${unrecognised}: the share is kept as it is rather than narrowed`);
	} else if (newer !== null) {
		skip(p, email, keep, `Allowed (${grantText(want)}), but ${newer} (not applied: ${validityChange(keep, want)})`);
	} else if (sameValidity(want, keep)) {
		const unchanged = entry('unchanged', email, keep, p.groupId, `Allowed, share already matches: ${grantText(want)}`);
		unchanged.validFrom = want.validFrom.ok ? want.validFrom.iso : null;
		unchanged.validUntil = want.validUntil.ok ? want.validUntil.iso : null;
		p.out.unchanged.push(unchanged);
	} else {
		update(p, email, want, keep);
	}
	revokeDuplicates(p, email, managed, keep);
}

/**
 * Denied: the managed shares are revoked, unless the denial rests on something this sync must
 * not act on ({@link invalidProfileGuard}, {@link unrecognisedStatusGuard}): then they stay as they are.
 */
function planDenied(p: Planning, email: string, want: Decision, managed: readonly ShareInfo[]): void {
	if (managed.length === 0) return;
	const kept = invalidProfileGuard(want) ?? unrecognisedStatusGuard(want);
	if (kept !== null) {
		for (const share of managed) skip(p, email, share, kept);
		return;
	}
	revoke(p, email, managed, `Denied: ${denialText(want)}`);
}

/** Absent from the decisions: the person is gone from the source, so the managed shares are revoked. */
function planAbsent(p: Planning, email: string, managed: readonly ShareInfo[]): void {
	revoke(p, email, managed, "Not in the evaluator's output");
}

// ---------------------------------------------------------------------------------------------
// guards

/** Ownership: which shares the sync may change or remove. */
export function ownershipRule(ownership: Ownership, ownUserId: number | string | null | undefined): (share: KisiShare) => boolean {
	if (ownership === 'allSharesInGroup') return () => true;
	const own = ownUserId === undefined || ownUserId === null ? null : String(ownUserId);
	return (share) => {
		const by = share.created_by_id;
		if (by === undefined || by === null || (by !== ownUserId && String(by) !== own)) return false;
		return typeof share.created_by_type !== 'string' || share.created_by_type.toLowerCase() === 'user';
	};
}

const none: ShareInfo[] = [];
const byId = (a: ShareInfo, b: ShareInfo) => compareIds(a.id, b.id);

function byOwnership(shares: readonly ShareInfo[]): { managed: readonly ShareInfo[]; unmanaged: readonly ShareInfo[] } {
	if (shares.length === 0) return { managed: none, unmanaged: none };
	if (shares.length === 1) return shares[0].managed ? { managed: shares, unmanaged: none } : { managed: none, unmanaged: shares };
	return { managed: shares.filter((share) => share.managed).sort(byId), unmanaged: shares.filter((share) => !share.managed).sort(byId) };
}

/** Shares outside the ownership: reported, never touched. */
function leaveUnmanaged(p: Planning, email: string, want: Decision | undefined, unmanaged: readonly ShareInfo[]): void {
	for (const share of unmanaged) {
		const why = !want
			? 'no decision for this email'
			: want.access === 'allow'
				? 'allowed, and this share already exists (no duplicate is created)'
				: `denied (${denialText(want)}); remove the share in Kisi if it should go`;
		skip(p, email, share, `Share not managed by this sync (ownership: ${p.ownership}), left as it is: ${why}`);
	}
}

/**
 * A denial resting on an invalid profile (`INVALID_PROFILE`: the source sent a record that cannot
 * be read) is a source glitch, not a reason to lock someone out: the share stays as it is.
 */
function invalidProfileGuard(want: Decision): string | null {
	const invalid = invalidProfileText(want);
	return invalid === null ? null : `Decision not applied: the source profile is invalid (${invalid}); share left as it is`;
}

/**
 * A status or type the source never used before grants nothing new, but neither does it revoke:
 * the share keeps the validity an earlier, understood decision gave it.
 */
function unrecognisedStatusGuard(want: Decision): string | null {
	const unrecognised = unrecognisedText(want);
	return unrecognised === null ? null : `Decision not applied: ${unrecognised}; share left as it is (it ends when it was set to end) until the status is one this sync knows`;
}

/**
 * Decisions older than the share: a share Kisi shows as created or changed after the decisions
 * were made (by a real-time `listedPeople` run for someone who just bought, another sync, or by
 * hand) reflects something these decisions did not know. It is neither revoked, narrowed nor
 * widened on their strength: it stays as it is, reported as skipped, and the next run (with newer
 * decisions) decides. Undated decisions or an unstamped share: no such guard.
 */
function staleDecisionGuard(p: Planning, share: ShareInfo): string | null {
	return changedAfterDecisionsText(p.decidedAt, share.changedAt);
}

/** The reason a share changed after the decisions is left as it is, or null when it was not. */
export function changedAfterDecisionsText(decidedAt: number | null, changedAt: number | null): string | null {
	if (!changedAfterDecisions(decidedAt, changedAt)) return null;
	return `the share was changed in Kisi after these decisions were made (share changed ${isoText(changedAt)}, decisions made ${isoText(decidedAt)}): left as it is, the next run decides`;
}

/** When Kisi last created or changed a share: the later of `created_at` and `updated_at` (epoch ms), null when neither can be read. */
export function lastChanged(share: Pick<KisiShare, 'created_at' | 'updated_at'>, times: InstantReader): number | null {
	let latest: number | null = null;
	for (const stamp of [share.created_at, share.updated_at]) {
		const at = times.read(stamp);
		if (at.ok && at.ms !== null && (latest === null || at.ms > latest)) latest = at.ms;
	}
	return latest;
}

/**
 * Whether Kisi's stamp is later than the decisions, to the second: Kisi writes whole seconds, so a
 * change within the second the decisions were made counts as before them (the share is acted on).
 */
export function changedAfterDecisions(decidedAt: number | null, changedAt: number | null): boolean {
	return decidedAt !== null && changedAt !== null && Math.floor(changedAt / 1000) > Math.floor(decidedAt / 1000);
}

function isoText(ms: number | null): string {
	return ms === null ? 'unknown' : new Date(ms).toISOString();
}

/**
 * Allowed by something else (a registration) while a membership went unrecognised: the cause,
 * when the share would be narrowed (it ends no earlier than the new validity), else null.
 */
function keepsWiderShare(want: Decision, share: ShareInfo): string | null {
	const unrecognised = unrecognisedText(want);
	return unrecognised !== null && !sameValidity(want, share) && endsNoEarlier(share, want) ? unrecognised : null;
}

/** Protected emails: never revoked, whatever the decision; nor a share changed after the decisions ({@link staleDecisionGuard}). */
function revoke(p: Planning, email: string, shares: readonly ShareInfo[], why: string): void {
	for (const share of shares) {
		if (p.protectedEmails.has(email)) {
			skip(p, email, share, `Protected email, never revoked (${why})`);
			continue;
		}
		const newer = staleDecisionGuard(p, share);
		if (newer !== null) skip(p, email, share, `${why}, but ${newer}`);
		else if (p.endAt !== null) endShare(p, email, share, p.endAt, why);
		else p.out.deletes.push(entry('delete', email, share, p.groupId, why));
	}
}

/**
 * A `listedPeople` (real-time) revocation ends the share at once (`valid_until`: when the decisions
 * were made, a moment ago) instead of deleting it. Kisi stamps the ended share, so a Whole Group
 * run whose decisions predate this change (its source read before the cancellation) leaves it as
 * it is ({@link staleDecisionGuard}) where it would share a deleted one again; the next Whole Group
 * run deletes it. A share that has already ended is not written again (a burst of webhooks ends it
 * once). One that has not started yet also gets a start just before the end, so that its dates stay
 * in order and grant nothing. Planned as a delete (a revocation for the guards and the counts)
 * carrying its `end` body.
 */
function endShare(p: Planning, email: string, share: ShareInfo, endAt: number, why: string): void {
	if (endedBy(share.until, endAt)) {
		p.out.unchanged.push(entry('unchanged', email, share, p.groupId, `${why}: access already ended at ${share.previous.validUntil ?? ''}, left as it is until the next Whole Group run removes it`));
		return;
	}
	const until = new Date(endAt).toISOString();
	const startsLater = !share.from.ok || (share.from.ms !== null && share.from.ms >= endAt);
	const request: EndRequest = startsLater ? { valid_from: new Date(endAt - 1000).toISOString(), valid_until: until } : { valid_until: until };
	p.out.deletes.push({
		...entry('delete', email, share, p.groupId, `${why}: access ended at ${until}; the ended share stays in Kisi until the next Whole Group run removes it, so that a run which read the source before this change cannot share again`),
		validFrom: request.valid_from ?? share.previous.validFrom,
		validUntil: until,
		end: { request, cause: why },
	});
}

/** Several managed shares for an allowed email: the extra ones go (never for a protected email). */
function revokeDuplicates(p: Planning, email: string, managed: readonly ShareInfo[], keep: ShareInfo): void {
	for (const extra of managed) {
		if (extra === keep) continue;
		if (p.protectedEmails.has(email)) skip(p, email, extra, `Duplicate share of a protected email: left as it is (share ${keep.id} is kept)`);
		else p.out.deletes.push(entry('delete', email, extra, p.groupId, `Duplicate share for this email in the group (share ${keep.id} is kept)`));
	}
}

/**
 * Two decisions for one email (e.g. two evaluators' outputs concatenated): an allowing one wins;
 * among allowing ones, a usable one, then one whose window contains now, else the earliest start;
 * ties keep the first.
 */
export function preferDecision(current: Decision, next: Decision, now: number): Decision {
	if (current.access !== next.access) return current.access === 'allow' ? current : next;
	if (current.access !== 'allow') return current;
	if ((current.unusable === null) !== (next.unusable === null)) return current.unusable === null ? current : next;
	const live = (d: Decision) => (msOf(d.validFrom) ?? -Infinity) <= now && (msOf(d.validUntil) ?? Infinity) > now;
	if (live(current) !== live(next)) return live(current) ? current : next;
	const start = (d: Decision) => msOf(d.validFrom) ?? Number.NEGATIVE_INFINITY;
	return start(next) < start(current) ? next : current;
}

// ---------------------------------------------------------------------------------------------
// per plan: the refusals

/**
 * Max revocations: the plan may revoke at most the limit (default 10% of the managed shares, at
 * least 5). `confirmed`: the revocations are the ones two reads of the source agreed on (a re-check's
 * second read), which the message says.
 */
export function revocationGuard(deletes: readonly PlanEntry[], managedCount: number, maxRevocations: MaxRevocations, confirmed = false): RevocationGuard {
	const limit = revocationLimit(maxRevocations, managedCount);
	const revocations = deletes.length;
	const guard: RevocationGuard = { ok: revocations <= limit, managedCount, revocations, limit };
	if (!guard.ok) {
		const first = [...new Set(deletes.map((d) => d.email))];
		const shown = first.slice(0, 10).join(', ');
		guard.message =
			`The sync would revoke ${revocations} ${revocations === 1 ? 'share' : 'shares'}, more than ${describeLimit(maxRevocations, managedCount, limit)}. ` +
			`First emails: ${shown}${first.length > 10 ? `, and ${first.length - 10} more` : ''}. ` +
			(confirmed ? 'Confirmed on a second read of the source: both reads would revoke these. ' : '') +
			'Nothing was written. Check the source first (an outage or a wrong location ID empties the input), or raise maxRevocations if the change is intended.';
	}
	return guard;
}

/**
 * Re-check, the second read: a revocation counts only when the first read (whose plan was refused
 * for too many revocations) wanted it too; the emails only this read would revoke are seen once, so
 * they are not revoked by this run (reported as skipped: the next run decides). Revocations the
 * first read wanted and this one does not simply do not happen: this read allows or keeps those
 * people. Changes `out.deletes` and `out.skipped` in place; the revocation guard then counts the
 * confirmed revocations only.
 */
export function confirmRevocations(out: Pick<GroupSyncPlan, 'deletes' | 'skipped'>, firstRead: ReadonlySet<string>): Recheck {
	const secondRead = new Set(out.deletes.map((d) => d.email));
	const kept: PlanEntry[] = [];
	for (const entry of out.deletes) {
		if (firstRead.has(entry.email)) {
			kept.push({ ...entry, reason: `${entry.reason} (seen on both reads of the source)` });
			continue;
		}
		out.skipped.push({
			...entry,
			action: 'skipped',
			validFrom: entry.previous?.validFrom ?? null,
			validUntil: entry.previous?.validUntil ?? null,
			reason: `${entry.reason}, but only the second read of the source says so (the first one did not): not revoked by this run, the next run decides`,
		});
	}
	out.deletes.splice(0, out.deletes.length, ...kept);
	out.skipped.sort(byEmailThenShare);
	const sorted = (emails: Iterable<string>) => [...emails].sort();
	const first = sorted(firstRead);
	const confirmed = first.filter((email) => secondRead.has(email));
	const cleared = first.filter((email) => !secondRead.has(email));
	const secondReadOnly = sorted(secondRead).filter((email) => !firstRead.has(email));
	const changed = cleared.length > 0 || secondReadOnly.length > 0;
	const count = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;
	const message = changed
		? `The second read of the source changed the picture: the first read would revoke ${count(first.length)}, the second ${count(secondRead.size)}; ` +
			`only the ${confirmed.length} both reads agree on count${cleared.length ? `, ${cleared.length} kept their access (${cleared.slice(0, 5).join(', ')}${cleared.length > 5 ? ', …' : ''})` : ''}` +
			`${secondReadOnly.length ? `, ${secondReadOnly.length} only the second read would revoke wait for the next run` : ''}`
		: `The second read of the source confirmed the first: both would revoke the same ${count(confirmed.length)}`;
	return { firstRead: first, secondRead: sorted(secondRead), confirmed, cleared, secondReadOnly, changed, message };
}

/**
 * The refusal of a plan, if any, the first rule first: an empty decision list that would revoke
 * (it almost always means the source failed quietly: an outage, a wrong Location ID, a filter that
 * matches nobody; only an explicit Max Revocations may empty a group), then too many revocations.
 * With `listedPeople` an empty list revokes nothing (only listed people are planned), so only the
 * revocation limit applies, counted over the listed people's shares.
 */
export function planRefusal(
	plan: Pick<GroupSyncPlan, 'deletes' | 'guard' | 'scope'>,
	decisionCount: number,
	maxRevocations: MaxRevocations,
	groupId: number | string,
): Refusal | null {
	const empty = plan.scope === 'wholeGroup' ? emptyDecisionListRefusal(plan.deletes, decisionCount, maxRevocations, groupId) : null;
	return empty ?? maxRevocationsRefusal(plan.guard);
}

function emptyDecisionListRefusal(deletes: readonly PlanEntry[], decisionCount: number, maxRevocations: MaxRevocations, groupId: number | string): Refusal | null {
	if (decisionCount > 0 || deletes.length === 0 || maxRevocations.kind !== 'default') return null;
	const emails = deletes.slice(0, 10).map((entry) => entry.email);
	return {
		rule: 'emptyDecisionList',
		message: `The decision list is empty, so the sync would revoke all ${deletes.length} shares it manages in group ${groupId} (${emails.join(', ')}${deletes.length > 10 ? ', …' : ''}); nothing was changed`,
		description:
			'Check the source node (outage, wrong Location ID or credential, a filter that matches nobody). To really empty the group, set "Max Revocations" explicitly (for example "100%") for one run.',
	};
}

function maxRevocationsRefusal(guard: RevocationGuard): Refusal | null {
	if (guard.ok) return null;
	return {
		rule: 'maxRevocations',
		message: guard.message ?? 'Too many revocations',
		description:
			'Nothing was changed. If the source really lost that many members, raise "Max Revocations" for one run; if not, check the source (outage, wrong Location ID or credential).',
	};
}

/**
 * Only organization groups: Kisi's user-import integrations refuse place-scoped ones. Checked on
 * the group itself, before its shares are read.
 */
export function placeScopedGroupRefusal(group: KisiGroup, groupId: number | string): Refusal | null {
	if (group.place_id === null || group.place_id === undefined) return null;
	const place = group.place?.name;
	return {
		rule: 'placeScopedGroup',
		message: `The Kisi group "${String(group.name)}" (${groupId}) is scoped to ${place ? `the place "${String(place)}"` : 'a place'}; the sync only works with organization groups`,
		description:
			'Kisi\'s user-import integrations work on organization groups only ("The organization is ambiguous…"). In Kisi, create a group with "Scope to a place" disabled, give it the doors, and choose it here. Nothing was changed.',
	};
}

// ---------------------------------------------------------------------------------------------
// entries

function sameValidity(want: Decision, share: ShareInfo): boolean {
	return sameInstant(want.validFrom, share.from) && sameInstant(want.validUntil, share.until);
}

function msOf(instant: Instant): number | null {
	return instant.ok ? instant.ms : null;
}

/** Whether the share's readable validity ends no earlier than the wanted one (null = never ends). */
function endsNoEarlier(share: ShareInfo, want: Decision): boolean {
	if (!share.until.ok || !share.from.ok) return false;
	if (share.until.ms === null) return true;
	const until = msOf(want.validUntil);
	return until !== null && share.until.ms >= until;
}

function validityChange(share: ShareInfo, want: Decision): string {
	const parts: string[] = [];
	if (!sameInstant(want.validFrom, share.from)) parts.push(`valid_from ${share.previous.validFrom ?? 'none'} → ${isoOf(want.validFrom) ?? 'none'}`);
	if (!sameInstant(want.validUntil, share.until)) parts.push(`valid_until ${share.previous.validUntil ?? 'none'} → ${isoOf(want.validUntil) ?? 'none'}`);
	return parts.join(', ');
}

function isoOf(instant: Instant): string | null {
	return instant.ok ? instant.iso : null;
}

function create(p: Planning, email: string, want: Decision): void {
	const validFrom = isoOf(want.validFrom);
	const validUntil = isoOf(want.validUntil);
	p.out.creates.push({
		action: 'create',
		email,
		shareId: null,
		groupId: p.groupId,
		validFrom,
		validUntil,
		previous: null,
		reason: `Allowed: ${grantText(want)}`,
		request: { email, group_id: p.groupId, role_id: 'basic', valid_from: validFrom, valid_until: validUntil, notify: p.notify },
	});
}

function update(p: Planning, email: string, want: Decision, share: ShareInfo): void {
	const validFrom = isoOf(want.validFrom);
	const validUntil = isoOf(want.validUntil);
	p.out.updates.push({
		action: 'update',
		email,
		shareId: share.id,
		groupId: p.groupId,
		validFrom,
		validUntil,
		previous: share.previous,
		reason: `Allowed: ${grantText(want)}; ${validityChange(share, want)}`,
		request: { valid_from: validFrom, valid_until: validUntil },
	});
}

function skip(p: Planning, email: string, share: ShareInfo | null, reason: string): void {
	p.out.skipped.push(entry('skipped', email, share, p.groupId, reason));
}

export function entry(action: PlanAction, email: string, share: ShareInfo | null, groupId: number | string, reason: string): PlanEntry {
	if (!share) return { action, email, shareId: null, groupId, validFrom: null, validUntil: null, previous: null, reason };
	const keepsValidity = action === 'skipped' || action === 'unchanged';
	return {
		action,
		email,
		shareId: share.id,
		groupId,
		validFrom: keepsValidity ? share.previous.validFrom : null,
		validUntil: keepsValidity ? share.previous.validUntil : null,
		previous: share.previous,
		reason,
	};
}

export function compareIds(a: number | string | null, b: number | string | null): number {
	if (a === b) return 0;
	if (a === null) return -1;
	if (b === null) return 1;
	const an = Number(a);
	const bn = Number(b);
	if (Number.isFinite(an) && Number.isFinite(bn) && an !== bn) return an - bn;
	const as = String(a);
	const bs = String(b);
	return as < bs ? -1 : as > bs ? 1 : 0;
}

export function byEmailThenShare(a: PlanEntry, b: PlanEntry): number {
	if (a.email !== b.email) return a.email < b.email ? -1 : 1;
	return compareIds(a.shareId, b.shareId);
}
