/**
 * Shapes of the evaluator's public contract: its input, the access profile (docs/spec/access-rules.md
 * §1), and its output (§5).
 */
import type { RegistrationKind } from './params';

// ---------------------------------------------------------------------------------------------
// Input: the access profile (§1)
//
// The one definition of what an Access Profile operation outputs: the TeamUp and Glofox mappers
// return these types (checked with `satisfies`), and the evaluator's schema (`accessProfileSchema`
// in profile.ts) is checked when compiling to accept every value of them. The schema is more
// tolerant than this type (numbers for ids, other spellings, missing arrays), for profiles built
// by hand in a Code or Set node.

/**
 * What a block is (§1, `memberships[].blocks[].kind`): `payment` = a failed or retrying payment
 * (the only kind Payment Grace Days apply to), `manual` = blocked by hand in the source (TeamUp's
 * registration block), `unknown` = the source does not say (Glofox `LOCKED`).
 */
export type MembershipBlockKind = 'payment' | 'manual' | 'unknown';

/** One reason a membership is blocked (§1, `memberships[].blocks[]`). */
export interface AccessProfileBlock {
	kind: MembershipBlockKind;
	/**
	 * When the block started, ISO-8601 with an offset: for a payment, when it failed (TeamUp: the
	 * invoice's due date, 00:00 in the venue's zone, else its creation). Null when the source does
	 * not say: such a payment block never gets grace.
	 */
	since: string | null;
	/** Free text, echoed into reasons. */
	reason: string | null;
}

/** One membership of the person (§1, `memberships[]`). */
export interface AccessProfileMembership {
	/** The person's membership instance id; null when the source gives none. */
	id: string | null;
	/** The plan (membership type) id in the source. */
	planId: string | null;
	/** The plan's name. */
	name: string | null;
	/**
	 * Plan type in the spec's words (recurring, pack, prepaid, payg, time, time_classes,
	 * num_classes) or the source's spelling; null = a regular membership. An unknown one never grants.
	 */
	type: string | null;
	/** Status (§3.1) in the spec's words or the source's spelling, matched case-insensitively. An unknown one never grants. */
	status: string;
	/** ISO-8601 with an offset; null = no start given. */
	startsAt: string | null;
	/** ISO-8601 with an offset, exclusive; null = open-ended. */
	expiresAt: string | null;
	/** Uses left on a pack; null = unlimited or not known. */
	remainingUses: number | null;
	/** A failed or retrying payment, or a manual block in the source (kept for profiles built before `blocks`). */
	blocked: boolean;
	/** Every block's reason, joined (kept for profiles built before `blocks`). */
	blockReason: string | null;
	/** Why and since when it is blocked, one entry per cause; empty when it is not blocked. */
	blocks: AccessProfileBlock[];
}

/** One registration (booking) of the person (§1, `registrations[]`). */
export interface AccessProfileRegistration {
	id: string | null;
	kind: RegistrationKind;
	/** Status (§3.2) in the spec's words or the source's spelling. An unknown one never grants. */
	status: string;
	/**
	 * The session, ISO-8601 with an offset. Null only when the source could not read the session's
	 * time: the evaluator then denies that person with INVALID_PROFILE naming the field (and a sync
	 * leaves their share alone) instead of the registration silently vanishing.
	 */
	startsAt: string | null;
	endsAt: string | null;
	eventId: string | null;
	eventName: string | null;
}

/** One person (§1): one output item of Access Profile → Get Many, one input item of the evaluator. */
export interface AccessProfile {
	/** `teamup`, `glofox`, or any other source name. */
	source: string;
	/** The person's id in the source. */
	sourceId: string;
	/** As the source gives it (the evaluator trims and lower-cases it); null when there is none. */
	email: string | null;
	name: string | null;
	/**
	 * The business's IANA time zone (TeamUp: the customer's venue; Glofox: the branch), in which
	 * Payment Grace Days are counted as calendar days; null = 24-hour days.
	 */
	timeZone: string | null;
	memberships: AccessProfileMembership[];
	registrations: AccessProfileRegistration[];
}

// ---------------------------------------------------------------------------------------------
// Output (§5)

export const GRANT_CODES = [
	'MEMBERSHIP_ACTIVE',
	'MEMBERSHIP_BLOCKED_ALLOWED',
	'MEMBERSHIP_PAYMENT_GRACE',
	'REGISTRATION_WINDOW',
	'DUPLICATE_EMAIL',
] as const;

export const DENIAL_CODES = [
	'INVALID_PROFILE',
	'INVALID_EMAIL',
	'DENY_LISTED',
	'DUPLICATE_EMAIL',
	'NO_ACTIVE_MEMBERSHIP',
	'MEMBERSHIP_ON_HOLD',
	'MEMBERSHIP_EXPIRED',
	'PACK_USED_UP',
	'MEMBERSHIP_CANCELLED',
	'MEMBERSHIP_NOT_STARTED',
	'MEMBERSHIP_BLOCKED',
	'MEMBERSHIP_NOT_ALLOWED',
	'PAYG_NEEDS_REGISTRATION',
	'NO_UPCOMING_REGISTRATION',
	'REGISTRATION_CANCELLED',
	'REGISTRATION_NO_SHOW',
	'REGISTRATION_KIND_NOT_ALLOWED',
	'REGISTRATION_TOO_FAR_AHEAD',
	'REGISTRATION_ENDED',
	'REGISTRATION_DURING_HOLD',
] as const;

export type GrantCode = (typeof GRANT_CODES)[number];
export type DenialCode = (typeof DENIAL_CODES)[number];
export type ReasonCode = GrantCode | DenialCode;

/**
 * One entry of `reasons` / `denials`. `membershipId` is set on entries about one membership,
 * `registrationId` on entries about one registration, `itemIndex` on `INVALID_PROFILE` (the input
 * item that was malformed). Absent keys are left out of the object.
 */
export interface Reason {
	code: ReasonCode;
	message: string;
	membershipId?: string | null;
	registrationId?: string | null;
	itemIndex?: number;
	/**
	 * A membership status or type this version does not know, as the source wrote it. Such a
	 * membership never grants; a sync keeps a share it granted earlier rather than revoke on it
	 * (a vocabulary change in the source is not a reason to lock someone out).
	 */
	unrecognised?: { field: 'status' | 'type'; value: string };
}

export type WindowBasis = 'membership' | 'registration';

/** A window on absolute instants: `[from, until)`, epoch ms, ±Infinity when unbounded. */
export interface Window {
	from: number;
	until: number;
	basis: WindowBasis;
	refId: string | null;
}

/** A window as it appears in the output: ISO-8601 UTC, null when unbounded. */
export interface OutputWindow {
	from: string | null;
	until: string | null;
	basis: WindowBasis;
	refId: string | null;
}

/** One output item (docs/spec/access-rules.md §5). */
export interface AccessDecision {
	email: string | null;
	name: string | null;
	source: string | null;
	sourceIds: string[];
	access: 'allow' | 'deny';
	activeNow: boolean;
	validFrom: string | null;
	validUntil: string | null;
	reasons: Reason[];
	denials: Reason[];
	windows: OutputWindow[];
	evaluatedAt: string;
}

/** A decision plus the input items it came from (for n8n's `pairedItem`). */
export interface EvaluatedItem {
	decision: AccessDecision;
	inputIndexes: number[];
}
