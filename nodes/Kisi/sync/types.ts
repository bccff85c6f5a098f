/** Shapes of the sync's plan (docs/spec/contracts.md, Sync Group Access). Pure module: no n8n imports. */

export type PlanAction = 'create' | 'update' | 'delete' | 'unchanged' | 'skipped';

/** Which shares one run may create, update or revoke (the node's `scope` parameter). */
export type Scope = 'wholeGroup' | 'listedPeople';

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
	/** When Kisi created and last changed the share ([SPEC] Share: required keys). */
	created_at?: string | null;
	updated_at?: string | null;
}

/** A Kisi group as `GET /groups/{id}` returns it; only these fields are read. */
export interface KisiGroup {
	name?: unknown;
	place_id?: unknown;
	place?: { name?: unknown } | null;
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
	/**
	 * A `listedPeople` revocation: the share is ended by the `PATCH /shares/{shareId}` body `request`
	 * instead of being deleted (see rules.ts, `endShare`); `cause` is why it is revoked, for the reason
	 * if Kisi refuses the end. Absent for every other change.
	 */
	end?: { request: EndRequest; cause: string };
}

/** Body of the `PATCH` that ends a share at once: `valid_until` now, `valid_from` only when the share had not started yet. */
export type EndRequest = { valid_until: string; valid_from?: string };

/** Body of `POST /shares` (inside `{"share": …}`). */
export interface CreateRequest {
	email: string;
	group_id: number | string;
	role_id: 'basic';
	valid_from: string | null;
	valid_until: string | null;
	notify: boolean;
}

export interface CreateEntry extends PlanEntry {
	action: 'create';
	shareId: null;
	request: CreateRequest;
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

/**
 * The second read of a re-check ("On Mass Revocation: Re-Check"): the first read's plan was refused
 * for too many revocations, the source was read again, and only the revocations both reads want
 * count. Emails, sorted.
 */
export interface Recheck {
	/** The emails the first (refused) read would revoke. */
	firstRead: string[];
	/** The emails this (second) read would revoke. */
	secondRead: string[];
	/** In both: the only revocations this run may make (still under Max Revocations). */
	confirmed: string[];
	/** Revoked by the first read only: the second read allows or keeps them (for them the first read was a glitch). */
	cleared: string[];
	/** Revoked by this read only: seen once, not revoked by this run (the next run decides). */
	secondReadOnly: string[];
	/** Whether the second read changed the picture (cleared or secondReadOnly is not empty). */
	changed: boolean;
	/** One sentence for the output and the execution hint. */
	message: string;
}

/** Why the sync must write nothing: the message and what the operator can do about it. */
export interface Refusal {
	rule: 'placeScopedGroup' | 'emptyDecisionList' | 'maxRevocations';
	message: string;
	description: string;
}

export interface GroupSyncPlan {
	/** `wholeGroup`: every share of the group is planned; `listedPeople`: only the shares of the decisions' emails. */
	scope: Scope;
	/**
	 * When the decisions were made: the earliest `evaluatedAt` of the input (canonical ISO), or null
	 * when no decision carries one. A share Kisi shows as changed after it is left as it is.
	 */
	decidedAt: string | null;
	creates: CreateEntry[];
	updates: UpdateEntry[];
	deletes: PlanEntry[];
	unchanged: PlanEntry[];
	skipped: PlanEntry[];
	/** Shares of the group outside the plan (`listedPeople`: the shares of people not in the input), neither changed nor reported. */
	leftAlone: number;
	guard: RevocationGuard;
	/** Set when the plan must not be applied at all (the first rule that refuses it). */
	refusal: Refusal | null;
	/** Set on the second read of a re-check (`confirmRevocations` given): what the two reads agree on. */
	recheck: Recheck | null;
}
