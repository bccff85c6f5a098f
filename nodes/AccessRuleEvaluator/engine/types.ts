/** Shapes of the evaluator's public contract (docs/spec/access-rules.md §5). */

export const GRANT_CODES = [
	'MEMBERSHIP_ACTIVE',
	'MEMBERSHIP_BLOCKED_ALLOWED',
	'REGISTRATION_WINDOW',
	'DUPLICATE_EMAIL',
] as const;

export const DENIAL_CODES = [
	'INVALID_PROFILE',
	'INVALID_EMAIL',
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
