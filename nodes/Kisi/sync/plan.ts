/**
 * Pure planner of Kisi → Share → Sync Group Access (docs/spec/contracts.md): compares the evaluator's
 * decisions with the shares of one Kisi group and says what to create, update and delete. No I/O
 * and no n8n imports; the node fetches the shares, calls {@link planGroupSync}, refuses to write
 * when `guard.ok` is false, then runs creates and updates before deletes.
 */

export type Ownership = 'createdByThisKey' | 'allSharesInGroup';
export type PlanAction = 'create' | 'update' | 'delete' | 'unchanged' | 'skipped';

/** An Access Rule Evaluator item; only these fields are read, the rest is ignored. */
export interface SyncDecision {
	email?: unknown;
	access?: unknown;
	validFrom?: unknown;
	validUntil?: unknown;
	reasons?: unknown;
	denials?: unknown;
}

/** A Kisi share as `GET /shares` returns it; only these fields are read. */
export interface KisiShare {
	id: number | string;
	email?: string | null;
	user?: { email?: string | null } | null;
	group_id?: number | string | null;
	valid_from?: string | null;
	valid_until?: string | null;
	created_by_id?: number | string | null;
	created_by_type?: string | null;
}

export interface PlanGroupSyncInput {
	decisions: readonly SyncDecision[];
	shares: readonly KisiShare[];
	groupId: number | string;
	/** Default `createdByThisKey`. */
	ownership?: Ownership;
	/** The API key's user id (`GET /user`); required with `createdByThisKey`. */
	ownUserId?: number | string | null;
	/** Comma-separated text or a list; compared case-insensitively. */
	protectedEmails?: unknown;
	/** A whole number, a percentage string (`"10%"`), or empty for the default. */
	maxRevocations?: unknown;
	/** Passed to Kisi on create. Default false. */
	notify?: boolean;
	/** Only used to choose between two allowing decisions for one email. Default: the system clock. */
	now?: Date | number | string;
}

export interface Validity {
	validFrom: string | null;
	validUntil: string | null;
}

export interface PlanEntry {
	action: PlanAction;
	email: string;
	/** The existing share (null for a create, or a skipped decision without a share). */
	shareId: number | string | null;
	groupId: number | string;
	/** Validity after the plan: the target for create / update / unchanged, the share's own for skipped, null for delete. */
	validFrom: string | null;
	validUntil: string | null;
	/** The existing share's validity, null when there is no share. */
	previous: Validity | null;
	/** A short human explanation. */
	reason: string;
}

export interface CreateEntry extends PlanEntry {
	action: 'create';
	shareId: null;
	/** Body of `POST /shares` (inside `{"share": …}`). */
	request: {
		email: string;
		group_id: number | string;
		role_id: 'basic';
		valid_from: string | null;
		valid_until: string | null;
		notify: boolean;
	};
}

export interface UpdateEntry extends PlanEntry {
	action: 'update';
	shareId: number | string;
	/** Body of `PATCH /shares/{shareId}` (inside `{"share": …}`). */
	request: { valid_from: string | null; valid_until: string | null };
}

export interface RevocationGuard {
	/** false: the plan revokes more than the limit; write nothing. */
	ok: boolean;
	/** Managed shares in the group before the sync. */
	managedCount: number;
	/** Planned deletes. */
	revocations: number;
	limit: number;
	/** Set when `ok` is false: the count, the limit and the first emails. */
	message?: string;
}

export interface GroupSyncPlan {
	creates: CreateEntry[];
	updates: UpdateEntry[];
	deletes: PlanEntry[];
	unchanged: PlanEntry[];
	skipped: PlanEntry[];
	guard: RevocationGuard;
}

/** A sync parameter is invalid; `parameter` is the node parameter name. */
export class SyncParameterError extends Error {
	readonly parameter: string;

	constructor(parameter: string, message: string) {
		super(message);
		this.name = 'SyncParameterError';
		this.parameter = parameter;
	}
}

// ---------------------------------------------------------------------------------------------
// maxRevocations

export type MaxRevocations = { kind: 'default' } | { kind: 'count'; count: number } | { kind: 'percent'; percent: number };

export const DEFAULT_REVOCATION_PERCENT = 10;
export const DEFAULT_REVOCATION_MINIMUM = 5;

/**
 * Validates `maxRevocations`: empty (null, undefined, blank) = the default (10% of the managed
 * shares, at least 5); a whole number ≥ 0 (number or numeric text); or a percentage text `"N%"`
 * with 0 ≤ N ≤ 100 (decimals allowed). Throws {@link SyncParameterError} naming the parameter.
 */
export function parseMaxRevocations(value: unknown): MaxRevocations {
	if (value === undefined || value === null) return { kind: 'default' };
	if (typeof value === 'number') {
		if (!Number.isInteger(value) || value < 0) {
			throw new SyncParameterError('maxRevocations', `Max Revocations [maxRevocations] must be a whole number of 0 or more, or a percentage such as "10%", got ${value}`);
		}
		return { kind: 'count', count: value };
	}
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return { kind: 'default' };
		const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
		if (percent) {
			const share = Number(percent[1]);
			if (share > 100) throw new SyncParameterError('maxRevocations', `Max Revocations [maxRevocations] must be a percentage between 0% and 100%, got "${text}"`);
			return { kind: 'percent', percent: share };
		}
		if (/^\d+$/.test(text)) return { kind: 'count', count: Number(text) };
	}
	throw new SyncParameterError(
		'maxRevocations',
		`Max Revocations [maxRevocations] must be a whole number (e.g. 20) or a percentage of the managed shares (e.g. "10%"), got ${typeof value === 'string' ? `"${value}"` : typeof value}`,
	);
}

/** The revocation limit for a number of managed shares. Percentages round up. */
export function revocationLimit(setting: MaxRevocations, managedCount: number): number {
	switch (setting.kind) {
		case 'count':
			return setting.count;
		case 'percent':
			return Math.ceil(roundPercent((managedCount * setting.percent) / 100));
		default:
			return Math.max(DEFAULT_REVOCATION_MINIMUM, Math.ceil(roundPercent((managedCount * DEFAULT_REVOCATION_PERCENT) / 100)));
	}
}

/** Avoids 10% of 30 becoming 3.0000000000000004 → 4. */
function roundPercent(value: number): number {
	return Math.round(value * 1e9) / 1e9;
}

function describeLimit(setting: MaxRevocations, managedCount: number, limit: number): string {
	switch (setting.kind) {
		case 'count':
			return `the limit of ${limit} (maxRevocations)`;
		case 'percent':
			return `the limit of ${limit} (maxRevocations ${setting.percent}% of ${managedCount} managed shares)`;
		default:
			return `the limit of ${limit} (default: ${DEFAULT_REVOCATION_PERCENT}% of ${managedCount} managed shares, at least ${DEFAULT_REVOCATION_MINIMUM}; set maxRevocations to change it)`;
	}
}

// ---------------------------------------------------------------------------------------------
// helpers

/** Trim + lower-case; null for non-strings and blanks. */
export function normaliseShareEmail(raw: unknown): string | null {
	if (typeof raw !== 'string') return null;
	const email = raw.trim().toLowerCase();
	return email === '' ? null : email;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Protected emails as comma-separated text (or newlines / semicolons) or a list → normalised set.
 * An entry that is not an email is refused: a typo would silently leave that person unprotected.
 */
export function parseEmailList(value: unknown): Set<string> {
	const out = new Set<string>();
	if (value === undefined || value === null) return out;
	if (typeof value !== 'string' && !Array.isArray(value)) {
		throw new SyncParameterError('protectedEmails', 'Protected Emails [protectedEmails] must be comma-separated text or a list of emails');
	}
	const parts: unknown[] = typeof value === 'string' ? value.split(/[,;\n]/) : value;
	for (const part of parts) {
		const email = normaliseShareEmail(part);
		if (email === null) continue;
		if (!EMAIL.test(email)) {
			throw new SyncParameterError('protectedEmails', `Protected Emails [protectedEmails] contains "${String(part).trim()}", which is not an email address`);
		}
		out.add(email);
	}
	return out;
}

/** A date-time as read: `ms` epoch ms (null = none) and `iso` its canonical text; `ok` false when unreadable. */
type Instant = { ok: true; ms: number | null; iso: string | null } | { ok: false; ms?: undefined; iso?: undefined };

/** The ISO-8601 forms the evaluator and Kisi write (`…Z` or `…+01:00`); anything else is unreadable. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

const NO_TIME: Instant = { ok: true, ms: null, iso: null };
const BAD_TIME: Instant = { ok: false };

function iso(ms: number | null): string | null {
	return ms === null ? null : new Date(ms).toISOString();
}

/**
 * Reads date-times (null / undefined / '' → none), memoising by text: a group's shares and
 * decisions repeat the same few end dates, and formatting dominates the cost at 50,000 rows.
 */
class TimeReader {
	private readonly cache = new Map<string, Instant>();

	read(value: unknown): Instant {
		if (value === undefined || value === null) return NO_TIME;
		if (typeof value === 'string') {
			let hit = this.cache.get(value);
			if (hit === undefined) {
				if (value.trim() === '') hit = NO_TIME;
				else if (!ISO_WITH_OFFSET.test(value.trim())) hit = BAD_TIME; // e.g. no offset: Date.parse would use the server's zone
				else {
					const ms = Date.parse(value.trim());
					hit = Number.isFinite(ms) ? { ok: true, ms, iso: iso(ms) } : BAD_TIME;
				}
				if (this.cache.size > 100_000) this.cache.clear();
				this.cache.set(value, hit);
			}
			return hit;
		}
		if (value instanceof Date && Number.isFinite(value.getTime())) return { ok: true, ms: value.getTime(), iso: value.toISOString() };
		return BAD_TIME;
	}
}

function sameInstant(a: number | null, b: number | null | undefined): boolean {
	if (b === undefined) return false;
	if (a === null || b === null) return a === b;
	return Math.floor(a / 1000) === Math.floor(b / 1000);
}

function compareIds(a: number | string | null, b: number | string | null): number {
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

function byEmailThenShare(a: PlanEntry, b: PlanEntry): number {
	if (a.email !== b.email) return a.email < b.email ? -1 : 1;
	return compareIds(a.shareId, b.shareId);
}

function messageOf(item: unknown): { code: unknown; message: string } | null {
	if (!item || typeof item !== 'object') return null;
	const { code, message } = item as { code?: unknown; message?: unknown };
	return typeof message === 'string' ? { code, message } : null;
}

/**
 * A membership that was denied only because the evaluator did not recognise its status or type
 * (the `unrecognised` tag, and no other cause for that membership, such as an expiry or a block),
 * as the denial's text; null when there is none.
 */
function unrecognisedText(decision: SyncDecision): string | null {
	if (!Array.isArray(decision.denials)) return null;
	const causes = new Map<unknown, { tagged: string | null; other: boolean }>();
	for (const item of decision.denials) {
		const denial = messageOf(item);
		const membershipId = (item as { membershipId?: unknown }).membershipId;
		if (!denial || membershipId === undefined || membershipId === null) continue;
		const seen = causes.get(membershipId) ?? { tagged: null, other: false };
		const tag = (item as { unrecognised?: unknown }).unrecognised;
		if (tag && typeof tag === 'object') seen.tagged ??= denial.message;
		else seen.other = true;
		causes.set(membershipId, seen);
	}
	for (const { tagged, other } of causes.values()) if (tagged !== null && !other) return tagged;
	return null;
}

const SUMMARY_CODES = new Set(['NO_ACTIVE_MEMBERSHIP', 'NO_UPCOMING_REGISTRATION']);

/** The first grant reason (a duplicate-email note is not a reason to grant). */
function grantText(decision: SyncDecision): string {
	if (Array.isArray(decision.reasons)) {
		for (const item of decision.reasons) {
			const reason = messageOf(item);
			if (reason && reason.code !== 'DUPLICATE_EMAIL') return reason.message;
		}
	}
	return 'access allowed';
}

/** The most specific causes (per membership / registration) first, at most two; else the summaries. */
function denialText(decision: SyncDecision): string {
	const specific: string[] = [];
	const summary: string[] = [];
	if (Array.isArray(decision.denials)) {
		for (const item of decision.denials) {
			const denial = messageOf(item);
			if (!denial) continue;
			if (typeof denial.code === 'string' && SUMMARY_CODES.has(denial.code)) summary.push(denial.message);
			else specific.push(denial.message);
			if (specific.length === 2) break;
		}
	}
	const chosen = (specific.length > 0 ? specific : summary).slice(0, 2);
	return chosen.length > 0 ? chosen.join('; ') : 'access denied';
}

/** The message of an INVALID_PROFILE denial (the evaluator could not read a profile of this person), else null. */
function invalidProfileText(decision: SyncDecision): string | null {
	if (!Array.isArray(decision.denials)) return null;
	for (const item of decision.denials) {
		const denial = messageOf(item);
		if (denial && denial.code === 'INVALID_PROFILE') return denial.message;
	}
	return null;
}

interface Desired {
	email: string;
	allow: boolean;
	from: Instant;
	until: Instant;
	/** Set when an allowing decision's validity cannot be used: nothing is changed for this email. */
	invalid: string | null;
	decision: SyncDecision;
}

interface ShareInfo {
	id: number | string;
	/** Within the ownership: the sync may change or delete it. */
	managed: boolean;
	/** Unreadable share dates stay `ok: false` and never equal anything (the share gets updated). */
	from: Instant;
	until: Instant;
	/** The share's validity as output (canonical ISO when readable, else the raw text). */
	previous: Validity;
}

function readDecision(decision: SyncDecision, email: string, times: TimeReader): Desired {
	const allow = typeof decision.access === 'string' && decision.access.trim().toLowerCase() === 'allow';
	const from = times.read(decision.validFrom);
	const until = times.read(decision.validUntil);
	let invalid: string | null = null;
	if (allow) {
		if (!from.ok) invalid = `validFrom ${JSON.stringify(decision.validFrom)} is not a date-time`;
		else if (!until.ok) invalid = `validUntil ${JSON.stringify(decision.validUntil)} is not a date-time`;
		else if (from.ms !== null && until.ms !== null && until.ms <= from.ms) invalid = `validUntil ${until.iso} is not after validFrom ${from.iso}`;
	}
	return { email, allow, from, until, invalid, decision };
}

/**
 * Two decisions for one email (e.g. two evaluators' outputs concatenated): an allowing one wins;
 * among allowing ones, a usable one, then one whose window contains now, else the earliest start;
 * ties keep the first.
 */
function better(current: Desired, next: Desired, now: number): Desired {
	if (current.allow !== next.allow) return current.allow ? current : next;
	if (!current.allow) return current;
	if ((current.invalid === null) !== (next.invalid === null)) return current.invalid === null ? current : next;
	const live = (d: Desired) => (d.from.ms == null || d.from.ms <= now) && (d.until.ms == null || d.until.ms > now);
	if (live(current) !== live(next)) return live(current) ? current : next;
	const start = (d: Desired) => d.from.ms ?? Number.NEGATIVE_INFINITY;
	return start(next) < start(current) ? next : current;
}

function toNow(value: PlanGroupSyncInput['now']): number {
	if (value === undefined) return Date.now();
	const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
	if (!Number.isFinite(ms)) throw new SyncParameterError('now', `now must be a valid date-time, got ${String(value)}`);
	return ms;
}

function sameValidity(want: Desired, share: ShareInfo): boolean {
	return share.from.ok && share.until.ok && sameInstant(want.from.ms ?? null, share.from.ms) && sameInstant(want.until.ms ?? null, share.until.ms);
}

/** Whether the share's readable validity ends no earlier than the wanted one (null = never ends). */
function endsNoEarlier(share: ShareInfo, want: Desired): boolean {
	if (!share.until.ok || !share.from.ok) return false;
	if (share.until.ms === null) return true;
	return want.until.ms !== null && want.until.ms !== undefined && share.until.ms >= want.until.ms;
}

function validityChange(share: ShareInfo, want: Desired): string {
	const parts: string[] = [];
	if (!share.from.ok || !sameInstant(want.from.ms ?? null, share.from.ms)) parts.push(`valid_from ${share.previous.validFrom ?? 'none'} → ${want.from.iso ?? 'none'}`);
	if (!share.until.ok || !sameInstant(want.until.ms ?? null, share.until.ms)) parts.push(`valid_until ${share.previous.validUntil ?? 'none'} → ${want.until.iso ?? 'none'}`);
	return parts.join(', ');
}

function isManaged(share: KisiShare, ownership: Ownership, ownUserId: unknown, own: string | null): boolean {
	if (ownership === 'allSharesInGroup') return true;
	const by = share.created_by_id;
	if (by === undefined || by === null || (by !== ownUserId && String(by) !== own)) return false;
	return typeof share.created_by_type !== 'string' || share.created_by_type.toLowerCase() === 'user';
}

function entry(action: PlanAction, email: string, share: ShareInfo | null, groupId: number | string, reason: string): PlanEntry {
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

// ---------------------------------------------------------------------------------------------
// the planner

/**
 * Plans one group's sync. Rules (docs/spec/contracts.md), per email (case-insensitive):
 * - allowed, no share → create;
 * - allowed, a managed share with another validity → update (instants compared, to the second;
 *   null equals null only); with the same validity → unchanged;
 * - allowed, only shares outside the ownership → skipped (no duplicate create: Kisi would answer 422);
 * - denied or absent, managed share → delete; protected email → skipped instead;
 * - several managed shares for one email → one is kept (the one already matching, else the lowest
 *   id), the extra ones are deleted (never for a protected email);
 * - shares outside the ownership → skipped, never touched; shares of other groups are ignored;
 * - an allowing decision whose validity cannot be used → skipped, its shares left as they are;
 * - a denial resting on an invalid profile (`INVALID_PROFILE`: the source sent a record that
 *   cannot be read) → skipped, its shares left as they are: a source glitch never revokes.
 * Every list is sorted by email, then share id. `guard.ok` is false when deletes exceed the limit.
 * Linear in shares + decisions (Map lookups), plus one sort of the emails.
 */
export function planGroupSync(input: PlanGroupSyncInput): GroupSyncPlan {
	const { groupId } = input;
	if (groupId === undefined || groupId === null || String(groupId).trim() === '') {
		throw new SyncParameterError('groupId', 'Group [groupId] is required');
	}
	if (!Array.isArray(input.decisions)) throw new SyncParameterError('decisions', 'decisions must be a list of evaluator items');
	if (!Array.isArray(input.shares)) throw new SyncParameterError('shares', 'shares must be a list of Kisi shares');
	const ownership: Ownership = input.ownership ?? 'createdByThisKey';
	if (ownership !== 'createdByThisKey' && ownership !== 'allSharesInGroup') {
		throw new SyncParameterError('ownership', `Ownership [ownership] must be 'createdByThisKey' or 'allSharesInGroup', got '${String(ownership)}'`);
	}
	const ownUserId = input.ownUserId;
	if (ownership === 'createdByThisKey' && (ownUserId === undefined || ownUserId === null || String(ownUserId).trim() === '')) {
		throw new SyncParameterError('ownUserId', "The API key's user id is required with ownership 'createdByThisKey' (read it with GET /user)");
	}
	const maxRevocations = parseMaxRevocations(input.maxRevocations);
	const protectedEmails = parseEmailList(input.protectedEmails);
	const notify = input.notify === true;
	const now = toNow(input.now);
	const group = String(groupId);
	const own = ownUserId === undefined || ownUserId === null ? null : String(ownUserId);
	const times = new TimeReader();

	const plan: GroupSyncPlan = { creates: [], updates: [], deletes: [], unchanged: [], skipped: [], guard: { ok: true, managedCount: 0, revocations: 0, limit: 0 } };

	// Decisions by email.
	const desired = new Map<string, Desired>();
	for (const decision of input.decisions) {
		if (!decision || typeof decision !== 'object') continue;
		const email = normaliseShareEmail(decision.email);
		if (email === null) continue; // no usable email: nothing can be synced for it
		const next = readDecision(decision, email, times);
		const current = desired.get(email);
		desired.set(email, current ? better(current, next, now) : next);
	}

	// This group's shares by email.
	const byEmail = new Map<string, ShareInfo[]>();
	let managedCount = 0;
	for (const share of input.shares) {
		if (!share || typeof share !== 'object') continue;
		const shareGroup = share.group_id;
		if (shareGroup !== undefined && shareGroup !== null && shareGroup !== groupId && String(shareGroup) !== group) continue;
		const managed = isManaged(share, ownership, ownUserId, own);
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
		};
		const email = normaliseShareEmail(share.email ?? share.user?.email);
		if (email === null) {
			plan.skipped.push(entry('skipped', '', info, groupId, 'Share without an email: left as it is'));
			continue;
		}
		const list = byEmail.get(email);
		if (list) list.push(info);
		else byEmail.set(email, [info]);
	}

	const none: ShareInfo[] = [];
	const byId = (a: ShareInfo, b: ShareInfo) => compareIds(a.id, b.id);
	const visit = (email: string, want: Desired | undefined, shares: ShareInfo[]): void => {
		let managed = shares;
		let unmanaged = none;
		if (shares.length === 1) {
			if (!shares[0].managed) [managed, unmanaged] = [none, shares];
		} else if (shares.length > 1) {
			managed = shares.filter((share) => share.managed).sort(byId);
			unmanaged = shares.filter((share) => !share.managed).sort(byId);
		}
		const isProtected = protectedEmails.has(email);

		for (const share of unmanaged) {
			const why = !want
				? 'no decision for this email'
				: want.allow
					? 'allowed, and this share already exists (no duplicate is created)'
					: `denied (${denialText(want.decision)}); remove the share in Kisi if it should go`;
			plan.skipped.push(entry('skipped', email, share, groupId, `Share not managed by this sync (ownership: ${ownership}), left as it is: ${why}`));
		}

		if (want && want.allow && want.invalid !== null) {
			const reason = `Decision not applied: ${want.invalid}; nothing changed for this email`;
			if (managed.length === 0 && unmanaged.length === 0) plan.skipped.push(entry('skipped', email, null, groupId, reason));
			for (const share of managed) plan.skipped.push(entry('skipped', email, share, groupId, reason));
			return;
		}

		if (want && want.allow) {
			const validFrom = want.from.iso ?? null;
			const validUntil = want.until.iso ?? null;
			if (managed.length === 0) {
				if (unmanaged.length > 0) return; // reported above
				plan.creates.push({
					action: 'create',
					email,
					shareId: null,
					groupId,
					validFrom,
					validUntil,
					previous: null,
					reason: `Allowed: ${grantText(want.decision)}`,
					request: { email, group_id: groupId, role_id: 'basic', valid_from: validFrom, valid_until: validUntil, notify },
				});
				return;
			}
			let keep = managed[0];
			for (const share of managed) {
				if (sameValidity(want, share)) {
					keep = share;
					break;
				}
			}
			const unrecognised = unrecognisedText(want.decision);
			if (unrecognised !== null && !sameValidity(want, keep) && endsNoEarlier(keep, want)) {
				// Allowed by something else (a registration) while a membership went unrecognised: the
				// share granted earlier is never narrowed on a status this sync does not understand.
				plan.skipped.push(entry('skipped', email, keep, groupId, `Allowed (${grantText(want.decision)}), but ${unrecognised}: the share is kept as it is rather than narrowed`));
			} else if (sameValidity(want, keep)) {
				const unchanged = entry('unchanged', email, keep, groupId, `Allowed, share already matches: ${grantText(want.decision)}`);
				unchanged.validFrom = validFrom;
				unchanged.validUntil = validUntil;
				plan.unchanged.push(unchanged);
			} else {
				plan.updates.push({
					action: 'update',
					email,
					shareId: keep.id,
					groupId,
					validFrom,
					validUntil,
					previous: keep.previous,
					reason: `Allowed: ${grantText(want.decision)}; ${validityChange(keep, want)}`,
					request: { valid_from: validFrom, valid_until: validUntil },
				});
			}
			for (const extra of managed) {
				if (extra === keep) continue;
				if (isProtected) plan.skipped.push(entry('skipped', email, extra, groupId, `Duplicate share of a protected email: left as it is (share ${keep.id} is kept)`));
				else plan.deletes.push(entry('delete', email, extra, groupId, `Duplicate share for this email in the group (share ${keep.id} is kept)`));
			}
			return;
		}

		// Denied, or absent from the decisions.
		if (managed.length === 0) return;
		const invalid = want ? invalidProfileText(want.decision) : null;
		if (invalid !== null) {
			// A source glitch (a record the source node could not read) is not a reason to lock
			// someone out: like an unusable allowing decision, it changes nothing.
			for (const share of managed) plan.skipped.push(entry('skipped', email, share, groupId, `Decision not applied: the source profile is invalid (${invalid}); share left as it is`));
			return;
		}
		const unrecognised = want ? unrecognisedText(want.decision) : null;
		if (unrecognised !== null) {
			// A status or type the source never used before grants nothing new, but neither does it
			// revoke: the share keeps the validity an earlier, understood decision gave it.
			for (const share of managed) {
				plan.skipped.push(entry('skipped', email, share, groupId, `Decision not applied: ${unrecognised}; share left as it is (it ends when it was set to end) until the status is one this sync knows`));
			}
			return;
		}
		const why = want ? `Denied: ${denialText(want.decision)}` : "Not in the evaluator's output";
		for (const share of managed) {
			if (isProtected) plan.skipped.push(entry('skipped', email, share, groupId, `Protected email, never revoked (${why})`));
			else plan.deletes.push(entry('delete', email, share, groupId, why));
		}
	};

	// One pass in email order keeps every list sorted by email without sorting the entries; only
	// the entries of one email (several shares) need ordering by share id.
	const emails = [...desired.keys()];
	for (const email of byEmail.keys()) if (!desired.has(email)) emails.push(email);
	emails.sort();
	plan.skipped.sort(byEmailThenShare); // so far only the shares without an email
	for (const email of emails) {
		const skippedBefore = plan.skipped.length;
		visit(email, desired.get(email), byEmail.get(email) ?? none);
		if (plan.skipped.length - skippedBefore > 1) {
			const mine = plan.skipped.splice(skippedBefore).sort(byEmailThenShare);
			for (const item of mine) plan.skipped.push(item);
		}
	}

	const limit = revocationLimit(maxRevocations, managedCount);
	const revocations = plan.deletes.length;
	plan.guard = { ok: revocations <= limit, managedCount, revocations, limit };
	if (!plan.guard.ok) {
		const first = [...new Set(plan.deletes.map((d) => d.email))];
		const shown = first.slice(0, 10).join(', ');
		plan.guard.message =
			`The sync would revoke ${revocations} ${revocations === 1 ? 'share' : 'shares'}, more than ${describeLimit(maxRevocations, managedCount, limit)}. ` +
			`First emails: ${shown}${first.length > 10 ? `, and ${first.length - 10} more` : ''}. ` +
			'Nothing was written. Check the source first (an outage or a wrong location ID empties the input), or raise maxRevocations if the change is intended.';
	}
	return plan;
}
