/**
 * The sync's input, read once: each Access Rule Evaluator item becomes a typed {@link Decision}
 * (the engine's `AccessDecision` / `Reason` vocabulary), and the rules only ever see that.
 * Pure module: no n8n imports.
 */
import { normaliseEmail } from '../../AccessRuleEvaluator/engine/email';
import { type AccessDecision, DENIAL_CODES, GRANT_CODES, type Reason, type ReasonCode } from '../../AccessRuleEvaluator/engine/types';
import { type Instant, InstantReader } from './instant';

/**
 * An item as it reaches the sync: the evaluator's `AccessDecision`, or anything shaped like one (a
 * Code node's). Only these fields are read, the rest is ignored.
 */
export interface SyncDecision {
	email?: unknown;
	access?: unknown;
	validFrom?: unknown;
	validUntil?: unknown;
	reasons?: unknown;
	denials?: unknown;
	/** The instant the evaluator decided at (`AccessDecision.evaluatedAt`). */
	evaluatedAt?: unknown;
}

/** A reason or denial as read: the engine's {@link Reason}, with `code` null when it is not one of the engine's codes. */
export type DecisionReason = Omit<Reason, 'code'> & { code: ReasonCode | null };

export interface Decision {
	/** Trimmed and lower-cased; null when there is none (nothing can be synced for it). */
	email: string | null;
	/** Anything but a clear "allow" is a denial: a grant is never guessed. */
	access: AccessDecision['access'];
	validFrom: Instant;
	validUntil: Instant;
	/** Set when an allowing decision's validity cannot be used: what is wrong with it. */
	unusable: string | null;
	/** Only entries with a text message; the others carry nothing to act on or report. */
	reasons: DecisionReason[];
	denials: DecisionReason[];
	/** When the decision was made (the evaluator's `evaluatedAt`); none when the item does not say or cannot be read. */
	evaluatedAt: Instant;
}

const KNOWN_CODES: ReadonlySet<string> = new Set<string>([...GRANT_CODES, ...DENIAL_CODES]);
const SUMMARY_CODES: ReadonlySet<ReasonCode | null> = new Set<ReasonCode>(['NO_ACTIVE_MEMBERSHIP', 'NO_UPCOMING_REGISTRATION']);

/** Reads one item leniently (as the planner takes decisions from code): never throws. */
export function readDecision(raw: SyncDecision, times: InstantReader): Decision {
	const access = typeof raw.access === 'string' && raw.access.trim().toLowerCase() === 'allow' ? 'allow' : 'deny';
	const validFrom = times.read(raw.validFrom);
	const validUntil = times.read(raw.validUntil);
	return {
		email: normaliseEmail(raw.email) || null,
		access,
		validFrom,
		validUntil,
		unusable: access === 'allow' ? unusableValidity(raw, validFrom, validUntil) : null,
		reasons: readReasons(raw.reasons),
		denials: readReasons(raw.denials),
		evaluatedAt: readEvaluatedAt(times.read(raw.evaluatedAt)),
	};
}

const UNDATED: Instant = { ok: true, ms: null, iso: null };

/** An unreadable `evaluatedAt` dates nothing (the decision is read as undated). */
function readEvaluatedAt(instant: Instant): Instant {
	return instant.ok ? instant : UNDATED;
}

function unusableValidity(raw: SyncDecision, from: Instant, until: Instant): string | null {
	if (!from.ok) return `validFrom ${JSON.stringify(raw.validFrom)} is not a date-time`;
	if (!until.ok) return `validUntil ${JSON.stringify(raw.validUntil)} is not a date-time`;
	if (from.ms !== null && until.ms !== null && until.ms <= from.ms) return `validUntil ${until.iso} is not after validFrom ${from.iso}`;
	return null;
}

function readReasons(value: unknown): DecisionReason[] {
	if (!Array.isArray(value)) return [];
	const out: DecisionReason[] = [];
	for (const item of value) {
		if (!item || typeof item !== 'object') continue;
		const { code, message, membershipId, unrecognised } = item as Record<string, unknown>;
		if (typeof message !== 'string') continue;
		const reason: DecisionReason = { code: typeof code === 'string' && KNOWN_CODES.has(code) ? (code as ReasonCode) : null, message };
		if (membershipId !== undefined && membershipId !== null) reason.membershipId = String(membershipId);
		if (unrecognised && typeof unrecognised === 'object') reason.unrecognised = unrecognised as Reason['unrecognised'];
		out.push(reason);
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// the node's input

/** An input item that is not an access decision; `itemIndex` is the item's position. */
export class DecisionItemError extends Error {
	constructor(
		readonly itemIndex: number,
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'DecisionItemError';
	}
}

/** The node's input, read once: the decisions, and per email the input items it came from (for `pairedItem`). */
export class DecisionList {
	constructor(
		readonly decisions: readonly Decision[],
		readonly origins: ReadonlyMap<string, number[]>,
	) {}
}

/**
 * Reads the node's input items. An empty item is n8n's placeholder from "Always Output Data"
 * upstream: no decision. Any other item must say `"access": "allow"` or `"deny"`, or the run is
 * refused naming the item (a wrong connection must not read as "everyone is denied").
 */
export function readDecisionItems(items: readonly unknown[]): DecisionList {
	const times = new InstantReader();
	const decisions: Decision[] = [];
	const origins = new Map<string, number[]>();
	items.forEach((item, itemIndex) => {
		if (item && typeof item === 'object' && Object.keys(item).length === 0) return;
		const raw = (item ?? {}) as SyncDecision;
		if (raw.access !== 'allow' && raw.access !== 'deny') {
			throw new DecisionItemError(
				itemIndex,
				`Item ${itemIndex} is not an access decision: "access" must be "allow" or "deny"`,
				"Connect the Access Rule Evaluator's output (or items with email, access, validFrom, validUntil) to this node.",
			);
		}
		const decision = readDecision(raw, times);
		decisions.push(decision);
		if (decision.email !== null) {
			const from = origins.get(decision.email);
			if (from) from.push(itemIndex);
			else origins.set(decision.email, [itemIndex]);
		}
	});
	return new DecisionList(decisions, origins);
}

// ---------------------------------------------------------------------------------------------
// what a decision says, for the plan's reasons

/** The first grant reason (a duplicate-email note is not a reason to grant). */
export function grantText(decision: Decision): string {
	return decision.reasons.find((reason) => reason.code !== 'DUPLICATE_EMAIL')?.message ?? 'access allowed';
}

/** The most specific causes (per membership / registration) first, at most two; else the summaries. */
export function denialText(decision: Decision): string {
	const specific: string[] = [];
	const summary: string[] = [];
	for (const denial of decision.denials) {
		if (SUMMARY_CODES.has(denial.code)) summary.push(denial.message);
		else specific.push(denial.message);
		if (specific.length === 2) break;
	}
	const chosen = (specific.length > 0 ? specific : summary).slice(0, 2);
	return chosen.length > 0 ? chosen.join('; ') : 'access denied';
}

/** The message of an INVALID_PROFILE denial (the evaluator could not read a profile of this person), else null. */
export function invalidProfileText(decision: Decision): string | null {
	return decision.denials.find((denial) => denial.code === 'INVALID_PROFILE')?.message ?? null;
}

/**
 * A membership that was denied only because the evaluator did not recognise its status or type
 * (the `unrecognised` tag, and no other cause for that membership, such as an expiry or a block),
 * as the denial's text; null when there is none.
 */
export function unrecognisedText(decision: Decision): string | null {
	const causes = new Map<string, { tagged: string | null; other: boolean }>();
	for (const denial of decision.denials) {
		if (denial.membershipId === undefined || denial.membershipId === null) continue;
		const seen = causes.get(denial.membershipId) ?? { tagged: null, other: false };
		if (denial.unrecognised) seen.tagged ??= denial.message;
		else seen.other = true;
		causes.set(denial.membershipId, seen);
	}
	for (const { tagged, other } of causes.values()) if (tagged !== null && !other) return tagged;
	return null;
}
