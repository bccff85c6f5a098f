/**
 * The per-membership (§3.1) and per-registration (§3.2) rules.
 *
 * Each rule check returns the grant reason and window (when it grants now or within the
 * look-ahead) and **every** cause that stops it from granting now, one entry per reason code (a
 * cancelled membership that is also not in the allowed list reports both: fixing one would not
 * open the door). Person-level summaries (`NO_ACTIVE_MEMBERSHIP`, `NO_UPCOMING_REGISTRATION`) are
 * added by {@link summaryDenials} once all of a person's profiles are known.
 */
import { addDays, isoOf, localText, toIso } from './dates';
import type { ResolvedParameters } from './params';
import type { Block, Membership, MembershipType, ParsedProfile, Registration } from './profile';
import type { DenialCode, Reason, Window } from './types';
import { isEmptyWindow } from './windows';

const MINUTE = 60_000;
const HOUR = 3_600_000;

export interface RuleContext {
	params: ResolvedParameters;
	/** Evaluation instant, epoch ms. */
	now: number;
	/** `now + lookAheadHours`: windows must open strictly before it to be scheduled. */
	horizon: number;
}

export function ruleContext(params: ResolvedParameters): RuleContext {
	return { params, now: params.now, horizon: params.now + params.lookAheadHours * HOUR };
}

export interface RuleOutcome {
	/** Grant reasons (at most one), present exactly when `window` is set. */
	reasons: Reason[];
	/** Every cause that stops it from granting now (a scheduled window still has its NOT_STARTED cause). */
	denials: Reason[];
	/** The granting window: contains now, or opens after now and before the horizon. */
	window: Window | null;
}

/** Plural-aware "24 hours" / "1 hour". */
export function hoursText(hours: number): string {
	return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

function usesText(uses: number): string {
	return `${uses} ${uses === 1 ? 'use' : 'uses'} left`;
}

/** Packs, for which `completed` means used up (TeamUp `pack`, Glofox `num_classes`). */
const PACK_TYPES: ReadonlySet<MembershipType> = new Set<MembershipType>(['pack', 'num_classes']);

export function membershipLabel(m: Membership): string {
	if (m.name) return m.name;
	if (m.planId) return `Membership plan ${m.planId}`;
	if (m.id) return `Membership ${m.id}`;
	return `Membership #${m.index + 1}`;
}

export function registrationLabel(r: Registration): string {
	return `${r.eventName ?? (r.eventId ? `Event ${r.eventId}` : 'Session')} (${r.kind}, ${isoOf(r.startsAt)})`;
}

function isAllowedPlan(m: Membership, allowed: readonly string[]): boolean {
	if (allowed.length === 0) return true;
	const plan = m.planId?.toLowerCase();
	const name = m.name?.toLowerCase();
	return allowed.some((entry) => {
		const wanted = entry.toLowerCase();
		return wanted === plan || wanted === name;
	});
}

class Causes {
	private readonly seen = new Set<DenialCode>();
	readonly list: Reason[] = [];

	constructor(private readonly ref: Pick<Reason, 'membershipId' | 'registrationId'>) {}

	add(code: DenialCode, message: string, extra?: Pick<Reason, 'unrecognised'>): void {
		if (this.seen.has(code)) return; // one entry per code and rule target; the first cause wins
		this.seen.add(code);
		this.list.push({ code, ...this.ref, message, ...extra });
	}

	has(code: DenialCode): boolean {
		return this.seen.has(code);
	}

	get size(): number {
		return this.list.length;
	}
}

function daysText(days: number): string {
	return `${days} ${days === 1 ? 'day' : 'days'}`;
}

/**
 * The membership's blocks as the rules see them: its `blocks`, else (a profile built before
 * `blocks`, or a Glofox `LOCKED` status) one block of unknown kind and date.
 */
export function blocksOf(m: Membership): Block[] {
	if (m.blocks.length > 0) return m.blocks;
	if (!m.blocked && m.status !== 'locked') return [];
	return [{ kind: 'unknown', rawKind: null, since: null, reason: m.blockReason }];
}

/** Grace for a blocked membership (§3.1 rule 3): its window end, or why there is none. */
export type GraceOutcome =
	| { ok: true; since: number; until: number; failed: string; days: string; end: string }
	| { ok: false; why: string };

/**
 * Payment Grace Days for one blocked membership: granted only when every block is a failed or
 * retrying payment with a known failure instant at or before now; the grace runs from the
 * earliest failure for `graceDays` calendar days in `timeZone` (24-hour days without one). `until`
 * may lie in the past: the grace is over.
 */
export function paymentGrace(blocks: readonly Block[], graceDays: number, now: number, timeZone: string | null): GraceOutcome {
	const manual = blocks.find((block) => block.kind === 'manual');
	if (manual) return { ok: false, why: 'it is blocked by hand, and Payment Grace Days apply only to failed payments' };
	const unknown = blocks.find((block) => block.kind === 'unknown');
	if (unknown) {
		return {
			ok: false,
			why: `the source does not say whether the block${unknown.rawKind && unknown.rawKind.toLowerCase() !== 'unknown' ? ` (kind '${unknown.rawKind}')` : ''} is for a failed payment, so Payment Grace Days do not apply`,
		};
	}
	if (blocks.some((block) => block.since === null)) {
		return { ok: false, why: 'the source does not say when the payment failed, so Payment Grace Days cannot be counted' };
	}
	const since = Math.min(...blocks.map((block) => block.since as number));
	if (since > now) {
		return { ok: false, why: `the payment failure is dated ${localText(since, timeZone)}, after the evaluation time, so Payment Grace Days cannot be counted` };
	}
	const until = addDays(since, graceDays, timeZone);
	return { ok: true, since, until, failed: localText(since, timeZone), days: daysText(graceDays), end: localText(until, timeZone) };
}

/**
 * §3.1 for one membership. Call only when Grant On Active Membership is on.
 *
 * Decisions where the spec is silent:
 * - An unrecognised status or type never grants; it is reported as `NO_ACTIVE_MEMBERSHIP` (the
 *   honest "this is not an active membership") with the unknown value in the message. A missing
 *   type is a regular membership.
 * - `FUTURE` with a start after now gives a scheduled window like an active membership that has not
 *   started (the source flips it to active at the start); `FUTURE` without a start in the future
 *   does not grant at all.
 * - A blocked membership that grants because of Allow Blocked Memberships carries
 *   `MEMBERSHIP_BLOCKED_ALLOWED` instead of `MEMBERSHIP_ACTIVE`.
 * - `remainingUses` below zero counts as used up.
 * - Payment Grace Days (`graceDays` > 0, Allow Blocked Memberships off): a membership whose every
 *   block is a dated payment failure grants until the grace end (its window ends at the earlier of
 *   `expiresAt` and the grace end) with `MEMBERSHIP_PAYMENT_GRACE`; once the grace is over, or
 *   when a block is manual, of unknown kind or undated, it is `MEMBERSHIP_BLOCKED` and the message
 *   says why there is no grace. Other rules (hold, expiry, allowed plans, …) still apply.
 *   `timeZone` is the profile's (calendar days), null for 24-hour days.
 */
export function evaluateMembership(m: Membership, ctx: RuleContext, timeZone: string | null = null): RuleOutcome {
	const { params, now, horizon } = ctx;
	const label = membershipLabel(m);
	const causes = new Causes({ membershipId: m.id });
	const statusNote = ` (status ${m.rawStatus})`;

	switch (m.status) {
		case 'active':
		case 'locked':
			break;
		case 'future':
			if (m.startsAt === null || m.startsAt <= now) causes.add('MEMBERSHIP_NOT_STARTED', `${label} has not started yet${statusNote}`);
			break;
		case 'hold':
			causes.add('MEMBERSHIP_ON_HOLD', `${label} is on hold${statusNote}`);
			break;
		case 'completed':
			if (m.type !== null && PACK_TYPES.has(m.type)) causes.add('PACK_USED_UP', `${label} is used up${statusNote}`);
			else causes.add('MEMBERSHIP_EXPIRED', `${label} has ended${statusNote}`);
			break;
		case 'expired':
			causes.add('MEMBERSHIP_EXPIRED', `${label} has expired${statusNote}`);
			break;
		case 'cancelled':
			causes.add('MEMBERSHIP_CANCELLED', `${label} is cancelled${statusNote}`);
			break;
		default:
			causes.add('NO_ACTIVE_MEMBERSHIP', `${label} has an unknown membership status '${m.rawStatus}': only active memberships grant access`, {
				unrecognised: { field: 'status', value: String(m.rawStatus) },
			});
	}

	const blocks = blocksOf(m);
	const blocked = blocks.length > 0;
	const reasons = [...new Set(blocks.map((block) => block.reason).filter((reason): reason is string => reason !== null))];
	const blockText = m.blockReason ? `: ${m.blockReason}` : reasons.length > 0 ? `: ${reasons.join('; ')}` : m.status === 'locked' ? statusNote : '';
	let grace: (GraceOutcome & { ok: true }) | null = null;
	if (blocked && !params.allowBlockedMemberships) {
		const outcome = params.graceDays > 0 ? paymentGrace(blocks, params.graceDays, now, timeZone) : null;
		if (outcome === null) causes.add('MEMBERSHIP_BLOCKED', `${label} is blocked${blockText}`);
		else if (!outcome.ok) causes.add('MEMBERSHIP_BLOCKED', `${label} is blocked${blockText}; no grace: ${outcome.why}`);
		else if (outcome.until <= now) {
			causes.add('MEMBERSHIP_BLOCKED', `${label} is blocked${blockText}; payment failed ${outcome.failed}: the grace of ${outcome.days} ended at ${outcome.end}`);
		} else grace = outcome;
	}

	if (m.type === 'payg') {
		causes.add(
			'PAYG_NEEDS_REGISTRATION',
			`${label} is pay-as-you-go: access only through registrations${params.grantOnRegistrations ? '' : ' (Grant On Registrations is off)'}`,
		);
	} else if (m.type === 'unknown') {
		causes.add('NO_ACTIVE_MEMBERSHIP', `${label} has an unknown membership type '${m.rawType}': it does not grant access`, {
			unrecognised: { field: 'type', value: String(m.rawType) },
		});
	}

	if (m.remainingUses !== null && m.remainingUses <= 0) {
		causes.add('PACK_USED_UP', `${label} is used up (${m.remainingUses} uses left)`);
	}

	if (!isAllowedPlan(m, params.allowedMemberships)) {
		causes.add(
			'MEMBERSHIP_NOT_ALLOWED',
			`${label}${m.planId ? ` (plan ${m.planId})` : ''} is not one of the Allowed Memberships`,
		);
	}

	if (m.expiresAt !== null && m.expiresAt <= now) {
		causes.add('MEMBERSHIP_EXPIRED', `${label} expired at ${isoOf(m.expiresAt)}`);
	}

	const expires = m.expiresAt ?? Number.POSITIVE_INFINITY;
	const window: Window = {
		from: m.startsAt ?? Number.NEGATIVE_INFINITY,
		until: grace !== null ? Math.min(expires, grace.until) : expires,
		basis: 'membership',
		refId: m.id,
	};

	let scheduled = false;
	if (m.startsAt !== null && m.startsAt > now) {
		// A not-yet-started membership may still give a scheduled window (§4), when nothing else
		// stops it and it starts within the look-ahead.
		const otherCauses = causes.size;
		if (m.startsAt < horizon) {
			scheduled = otherCauses === 0 && !isEmptyWindow(window);
			causes.add('MEMBERSHIP_NOT_STARTED', `${label} starts at ${isoOf(m.startsAt)}${scheduled ? ': access is scheduled from then' : ''}`);
		} else {
			causes.add(
				'MEMBERSHIP_NOT_STARTED',
				`${label} starts at ${isoOf(m.startsAt)}, beyond the look-ahead of ${hoursText(params.lookAheadHours)}`,
			);
		}
	}

	const grantsNow = causes.size === 0 && !isEmptyWindow(window);
	if (!grantsNow && !scheduled) return { reasons: [], denials: causes.list, window: null };

	const until = m.expiresAt !== null ? ` until ${isoOf(m.expiresAt)}` : ' with no end date';
	const detail = m.remainingUses !== null ? `, ${usesText(m.remainingUses)}` : until;
	const state = scheduled ? `starts at ${isoOf(m.startsAt as number)}, access scheduled` : 'is active';
	if (grace !== null) {
		return {
			reasons: [
				{
					code: 'MEMBERSHIP_PAYMENT_GRACE',
					membershipId: m.id,
					message: `${label} is blocked${blockText}; payment failed ${grace.failed}: grace of ${grace.days} until ${grace.end}${grace.end.endsWith('Z') ? '' : ` (${isoOf(grace.until)})`}`,
				},
			],
			denials: causes.list,
			window,
		};
	}
	const reason: Reason = blocked
		? {
				code: 'MEMBERSHIP_BLOCKED_ALLOWED',
				membershipId: m.id,
				message: `${label} ${state}${detail}; it is blocked${blockText}, and Allow Blocked Memberships is on`,
			}
		: { code: 'MEMBERSHIP_ACTIVE', membershipId: m.id, message: `${label} ${state}${detail}` };
	return { reasons: [reason], denials: causes.list, window };
}

/**
 * §3.2 for one registration. Call only when Grant On Registrations is on.
 *
 * Decisions where the spec is silent:
 * - A waitlisted registration without Count Waitlisted, and a registration with an unrecognised
 *   status, are reported as `NO_UPCOMING_REGISTRATION` for that registration (it is not a
 *   registration that counts; `REGISTRATION_CANCELLED` would be untrue).
 * - The window is half-open: access ends at `endsAt + minutesAfter` exactly; a window that closes
 *   at or before now is `REGISTRATION_ENDED`; one that opens at or after now + look-ahead is
 *   `REGISTRATION_TOO_FAR_AHEAD`.
 * - `held`: the person's membership on hold, when their bookings may not open the door during it
 *   (Hold Keeps Bookings off, see {@link heldMembership}): the registration then carries
 *   `REGISTRATION_DURING_HOLD` and does not grant.
 */
export function evaluateRegistration(r: Registration, ctx: RuleContext, held: Membership | null = null): RuleOutcome {
	const { params, now, horizon } = ctx;
	const label = registrationLabel(r);
	const causes = new Causes({ registrationId: r.id });
	const statusNote = ` (status ${r.rawStatus})`;

	if (!(params.registrationKinds as string[]).includes(r.kind)) {
		causes.add(
			'REGISTRATION_KIND_NOT_ALLOWED',
			`${label}: kind '${r.kind}' is not one of the Registration Kinds (${params.registrationKinds.join(', ') || 'none'})`,
		);
	}

	switch (r.status) {
		case 'registered':
		case 'attended':
			break;
		case 'waitlisted':
			if (!params.countWaitlisted) causes.add('NO_UPCOMING_REGISTRATION', `${label}: waitlisted, and Count Waitlisted is off${statusNote}`);
			break;
		case 'cancelled':
		case 'late_cancelled':
		case 'not_registered':
			causes.add('REGISTRATION_CANCELLED', `${label}: not registered${statusNote}`);
			break;
		case 'no_show':
			causes.add('REGISTRATION_NO_SHOW', `${label}: no-show${statusNote}`);
			break;
		default:
			causes.add('NO_UPCOMING_REGISTRATION', `${label}: unknown registration status '${r.rawStatus}', it does not grant access`);
	}

	if (held !== null) {
		causes.add(
			'REGISTRATION_DURING_HOLD',
			`${label}: ${membershipLabel(held)} is on hold (status ${held.rawStatus}) and no other membership is active, and Hold Keeps Bookings is off`,
		);
	}

	const window: Window = {
		from: r.startsAt - params.minutesBefore * MINUTE,
		until: r.endsAt + params.minutesAfter * MINUTE,
		basis: 'registration',
		refId: r.id,
	};
	if (window.until <= now) {
		causes.add('REGISTRATION_ENDED', `${label}: access window closed at ${isoOf(window.until)}`);
	} else if (window.from >= horizon) {
		causes.add(
			'REGISTRATION_TOO_FAR_AHEAD',
			`${label}: access opens at ${isoOf(window.from)}, beyond the look-ahead of ${hoursText(params.lookAheadHours)}`,
		);
	}

	if (causes.size === 0 && isEmptyWindow(window)) {
		// Only a session without duration, with 0 minutes before and after.
		causes.add('NO_UPCOMING_REGISTRATION', `${label}: the session has no duration and no minutes before or after, so there is no access window`);
	}
	if (causes.size > 0) return { reasons: [], denials: causes.list, window: null };

	const verb = r.status === 'attended' ? 'Attended' : r.status === 'waitlisted' ? 'Waitlisted for (Count Waitlisted is on)' : 'Registered for';
	const when = window.from <= now ? 'access now' : 'access scheduled';
	return {
		reasons: [
			{
				code: 'REGISTRATION_WINDOW',
				registrationId: r.id,
				message: `${verb} ${label}: ${when} from ${toIso(window.from)} until ${toIso(window.until)}`,
			},
		],
		denials: [],
		window,
	};
}

/** A profile's rule results, memberships and registrations kept apart for the output order. */
export interface ProfileRuleResult {
	membershipReasons: Reason[];
	membershipDenials: Reason[];
	registrationReasons: Reason[];
	registrationDenials: Reason[];
	windows: Window[];
	membershipCount: number;
	registrationCount: number;
	membershipGrants: boolean;
	registrationGrants: boolean;
}

/**
 * The membership that keeps a person's bookings shut (Hold Keeps Bookings off): one on hold
 * (`hold`, `paused`, …), when none of the person's memberships in this profile is current (status
 * active, started, not expired; blocks, packs and Allowed Memberships do not matter: such a person
 * is not frozen). Null when Hold Keeps Bookings is on, or when nobody is on hold. The hold is
 * judged at the evaluation time: a session after a hold that ends before it opens again on a run
 * after the hold.
 */
export function heldMembership(memberships: readonly Membership[], ctx: RuleContext): Membership | null {
	if (ctx.params.holdKeepsBookings) return null;
	const held = memberships.find((m) => m.status === 'hold');
	if (!held) return null;
	const current = memberships.some(
		(m) => m.status === 'active' && (m.startsAt === null || m.startsAt <= ctx.now) && (m.expiresAt === null || m.expiresAt > ctx.now),
	);
	return current ? null : held;
}

export function evaluateProfileRules(
	profile: Pick<ParsedProfile, 'memberships' | 'registrations'> & { timeZone?: string | null },
	ctx: RuleContext,
): ProfileRuleResult {
	const result: ProfileRuleResult = {
		membershipReasons: [],
		membershipDenials: [],
		registrationReasons: [],
		registrationDenials: [],
		windows: [],
		membershipCount: profile.memberships.length,
		registrationCount: profile.registrations.length,
		membershipGrants: false,
		registrationGrants: false,
	};
	if (ctx.params.grantOnMembership) {
		for (const membership of profile.memberships) {
			const outcome = evaluateMembership(membership, ctx, profile.timeZone ?? null);
			result.membershipReasons.push(...outcome.reasons);
			result.membershipDenials.push(...outcome.denials);
			if (outcome.window) {
				result.windows.push(outcome.window);
				result.membershipGrants = true;
			}
		}
	}
	if (ctx.params.grantOnRegistrations) {
		const held = heldMembership(profile.memberships, ctx);
		for (const registration of profile.registrations) {
			const outcome = evaluateRegistration(registration, ctx, held);
			result.registrationReasons.push(...outcome.reasons);
			result.registrationDenials.push(...outcome.denials);
			if (outcome.window) {
				result.windows.push(outcome.window);
				result.registrationGrants = true;
			}
		}
	}
	return result;
}

/**
 * Person-level summaries (§3.3): `NO_ACTIVE_MEMBERSHIP` when membership rules are on and no
 * membership grants (now or scheduled); `NO_UPCOMING_REGISTRATION` when registration rules are on
 * and no registration grants. With both rule families off nothing can grant, and the person gets
 * `NO_ACTIVE_MEMBERSHIP` saying so.
 */
export function summaryDenials(
	params: ResolvedParameters,
	found: { membershipGrants: boolean; registrationGrants: boolean; membershipCount: number },
): { membership: Reason[]; registration: Reason[] } {
	const membership: Reason[] = [];
	const registration: Reason[] = [];
	if (!params.grantOnMembership && !params.grantOnRegistrations) {
		membership.push({
			code: 'NO_ACTIVE_MEMBERSHIP',
			message: 'Grant On Active Membership and Grant On Registrations are both off: nothing grants access',
		});
		return { membership, registration };
	}
	if (params.grantOnMembership && !found.membershipGrants) {
		membership.push({
			code: 'NO_ACTIVE_MEMBERSHIP',
			message:
				found.membershipCount === 0
					? 'No membership'
					: `No active membership (${found.membershipCount} ${found.membershipCount === 1 ? 'membership' : 'memberships'} checked)`,
		});
	}
	if (params.grantOnRegistrations && !found.registrationGrants) {
		registration.push({
			code: 'NO_UPCOMING_REGISTRATION',
			message: `No registration within the next ${hoursText(params.lookAheadHours)}`,
		});
	}
	return { membership, registration };
}
