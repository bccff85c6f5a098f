/**
 * Glofox member (+ credits + bookings) → access profile (docs/spec/access-rules.md §1, mapped as in §6).
 * Pure module: no n8n imports, no I/O. The Access Profile operation fetches the data and calls
 * {@link toAccessProfile} once per member.
 */
import type { RegistrationKind } from '../../AccessRuleEvaluator/engine/params';
import type { RegistrationStatus } from '../../AccessRuleEvaluator/engine/profile';
import type {
	AccessProfile,
	AccessProfileBlock,
	AccessProfileMembership,
	AccessProfileRegistration,
} from '../../AccessRuleEvaluator/engine/types';
import { localToMs, unixToIso, unixToMs } from './time';

// ---------------------------------------------------------------------------------------------
// Glofox shapes (only the fields read here; the API sends many more)

/** `user.membership` (schema `UserMembership`); the list's version may be thinner than the single GET's. */
export interface GlofoxUserMembership {
	type?: string | null;
	status?: string | null;
	start_date?: number | string | null;
	expiry_date?: number | string | null;
	user_membership_id?: string | null;
	membership_id?: string | null;
	membership_name?: string | null;
	plan_code?: number | string | null;
	plan_name?: string | null;
	[other: string]: unknown;
}

export interface GlofoxMember {
	_id: string;
	email?: string | null;
	name?: string | null;
	first_name?: string | null;
	last_name?: string | null;
	active?: boolean | null;
	membership?: GlofoxUserMembership | null;
	[other: string]: unknown;
}

/** A `/2.0/credits` item. */
export interface GlofoxCredit {
	_id?: string;
	user_id?: string;
	active?: boolean | null;
	model?: string | null;
	available?: number | string | null;
	start_date?: number | string | null;
	end_date?: number | string | null;
	[other: string]: unknown;
}

/**
 * A booking from `GET /2.2/branches/{id}/bookings` (`time_start` / `time_finish` branch-local
 * strings) or `GET /2.0/bookings` (`time_start` Unix seconds + `duration` minutes).
 */
export interface GlofoxBooking {
	_id: string;
	user_id?: string | null;
	status?: string | null;
	attended?: boolean | null;
	is_late_cancellation?: boolean | null;
	type?: string | null;
	model?: string | null;
	model_id?: string | null;
	model_name?: string | null;
	event_id?: string | null;
	event_name?: string | null;
	course_id?: string | null;
	time_slot_id?: string | null;
	time_start?: number | string | null;
	time_finish?: number | string | null;
	duration?: number | string | null;
	[other: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// The profile (AccessProfile, docs/spec/access-rules.md §1) and what Glofox adds to it

/** A Glofox profile: the contract plus the member's `active` flag. */
export interface GlofoxAccessProfile extends AccessProfile {
	/**
	 * Glofox's `active` flag of the member (false = deleted / deactivated). Not part of §1 (the
	 * evaluator ignores it); it explains why such a profile has no membership and no registration.
	 */
	memberActive: boolean;
}

export const LOCKED_REASON = 'Membership locked in Glofox';

/**
 * Glofox says neither why a membership is `LOCKED` nor since when: its `UserMembership` has no lock
 * reason or date, and no read endpoint of its OpenAPI 2.3.0 lists failed payments (invoices with
 * `PAST_DUE` appear only in the `INVOICE_UPDATED` webhook). So the block is of unknown kind and
 * date, and Payment Grace Days never apply to it (README, "Uncertain API facts → Glofox").
 */
export const LOCKED_BLOCK = { kind: 'unknown', since: null, reason: LOCKED_REASON } as const satisfies AccessProfileBlock;

// ---------------------------------------------------------------------------------------------
// Memberships and credits

function text(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

function upper(value: unknown): string | null {
	const t = text(value);
	return t === null ? null : t.toUpperCase();
}

/** The member is deactivated (deleted) in Glofox: such a member has no usable membership. */
export function isInactiveMember(member: GlofoxMember): boolean {
	return member.active === false;
}

/**
 * Whether the member's current membership is a credit pack (`num_classes`) that could grant access
 * now: member active, status ACTIVE, started, not expired. Only for these is `remainingUses`
 * worth a `GET /2.0/credits` call: any other pack is denied on its status or dates anyway.
 */
export function packNeedsCredits(member: GlofoxMember, nowMs: number): boolean {
	const m = member.membership;
	if (!m || isInactiveMember(member)) return false;
	if (text(m.type)?.toLowerCase() !== 'num_classes' || upper(m.status) !== 'ACTIVE') return false;
	const start = unixToMs(m.start_date);
	const expiry = unixToMs(m.expiry_date);
	return (start === null || start <= nowMs) && (expiry === null || expiry > nowMs);
}

/**
 * Whether the list's (thin) membership lacks fields that decide access, so that the member must be
 * read alone (`GET /2.0/members/{id}` carries the full object): a membership that could be current
 * (not payg, not ended or paused) without an `expiry_date` key, or without a status.
 */
export function membershipNeedsFullRead(member: GlofoxMember): boolean {
	const m = member.membership;
	if (!m || isInactiveMember(member)) return false;
	if (text(m.type)?.toLowerCase() === 'payg') return false;
	const status = upper(m.status);
	if (status === null) return true;
	if (['EXPIRED', 'CANCELLED', 'PAUSED'].includes(status)) return false;
	return !Object.prototype.hasOwnProperty.call(m, 'expiry_date');
}

/**
 * Uses left on a credit pack: the sum of `available` over the member's credits that are active,
 * for classes (`model: programs`; a credit without a model is counted as a class credit) and in
 * date (`start_date` absent or reached, `end_date` absent or still ahead).
 */
export function remainingClassCredits(credits: readonly GlofoxCredit[], nowMs: number): number {
	let total = 0;
	for (const credit of credits) {
		if (!credit || credit.active === false) continue;
		const model = text(credit.model)?.toLowerCase();
		if (model !== undefined && model !== null && model !== 'programs') continue;
		const start = unixToMs(credit.start_date);
		const end = unixToMs(credit.end_date);
		if (start !== null && start > nowMs) continue;
		if (end !== null && end <= nowMs) continue;
		const available = Number(credit.available ?? 0);
		if (Number.isFinite(available) && available > 0) total += available;
	}
	return total;
}

/**
 * The member's current membership as a §1 membership, or null when there is none to report:
 * no `membership` object, a deactivated member (`active: false`), or a pay-as-you-go membership
 * without a status (Glofox's "no membership, drop-in").
 * `credits` is only read for a pack that {@link packNeedsCredits}; pass undefined otherwise.
 */
export function toProfileMembership(
	member: GlofoxMember,
	nowMs: number,
	credits?: readonly GlofoxCredit[],
): AccessProfileMembership | null {
	const m = member.membership;
	if (!m || typeof m !== 'object' || isInactiveMember(member)) return null;
	const type = text(m.type);
	const rawStatus = upper(m.status);
	if (rawStatus === null && type?.toLowerCase() === 'payg') return null;
	const status = rawStatus ?? 'UNKNOWN';
	const locked = status === 'LOCKED';
	let remainingUses: number | null = null;
	if (packNeedsCredits(member, nowMs)) remainingUses = remainingClassCredits(credits ?? [], nowMs);
	return {
		id: text(m.user_membership_id),
		planId: text(m.plan_code),
		name: text(m.membership_name) ?? text(m.plan_name),
		type,
		status,
		startsAt: unixToIso(m.start_date),
		expiresAt: unixToIso(m.expiry_date),
		remainingUses,
		blocked: locked,
		blockReason: locked ? LOCKED_REASON : null,
		blocks: locked ? [{ ...LOCKED_BLOCK }] : [],
	} satisfies AccessProfileMembership;
}

// ---------------------------------------------------------------------------------------------
// Bookings

/**
 * Glofox booking → §3.2 status: `attended: true` → attended (status stays BOOKED in Glofox);
 * BOOKED → registered; CANCELED → cancelled (late_cancelled when `is_late_cancellation`);
 * WAITING → waitlisted; RESERVED (a transient lock), FAILED and anything else → not_registered.
 */
export function registrationStatus(booking: Pick<GlofoxBooking, 'status' | 'attended' | 'is_late_cancellation'>): RegistrationStatus {
	const status = upper(booking.status);
	if (status === 'CANCELED' || status === 'CANCELLED') return booking.is_late_cancellation === true ? 'late_cancelled' : 'cancelled';
	if (status === 'WAITING') return 'waitlisted';
	if (status === 'BOOKED') return booking.attended === true ? 'attended' : 'registered';
	return 'not_registered';
}

/**
 * Booking type / model → kind: events → class; courses → course; appointments, timeslots,
 * facilities and trainer sessions (`users`) → appointment. Unknown → class (Glofox's default
 * event type).
 */
export function registrationKind(booking: Pick<GlofoxBooking, 'type' | 'model'>): RegistrationKind {
	const raw = (text(booking.type) ?? text(booking.model) ?? 'events').toLowerCase();
	if (raw.startsWith('course')) return 'course';
	if (/^(appointment|timeslot|time_slot|facilit|user|trainer)/.test(raw)) return 'appointment';
	return 'class';
}

/**
 * A booking's session as instants: 2.2 bookings carry branch-local `time_start` / `time_finish`
 * strings (read in `zone`), 2.0 bookings Unix seconds plus `duration` (minutes). Null when the
 * start cannot be read. A session without an end or a duration is taken as ending at its start.
 */
export function bookingWindow(booking: GlofoxBooking, zone: string): { startMs: number; endMs: number } | null {
	const startMs = typeof booking.time_start === 'string' && !/^\d+$/.test(booking.time_start.trim())
		? localToMs(booking.time_start, zone, 'earlier')
		: unixToMs(booking.time_start);
	if (startMs === null) return null;
	let endMs: number | null = null;
	if (booking.time_finish !== undefined && booking.time_finish !== null && booking.time_finish !== '') {
		endMs = typeof booking.time_finish === 'string' && !/^\d+$/.test(booking.time_finish.trim())
			? localToMs(booking.time_finish, zone, 'later')
			: unixToMs(booking.time_finish);
	}
	if (endMs === null) {
		const minutes = Number(booking.duration);
		endMs = Number.isFinite(minutes) && minutes > 0 ? startMs + minutes * 60_000 : startMs;
	}
	return { startMs, endMs: Math.max(endMs, startMs) };
}

/** Registration statuses that can open the door (with Count Waitlisted for the last one). */
const MAY_GRANT: ReadonlySet<RegistrationStatus> = new Set<RegistrationStatus>(['registered', 'attended', 'waitlisted']);

/**
 * A booking as a §1 registration. A booking whose session times cannot be read is a glitch (the
 * listings are filtered by time): one that could grant access is kept with null times, so the
 * evaluator reports the profile as invalid, naming the field, and a sync leaves that person's
 * share alone, instead of the booking silently vanishing and its holder losing access. Other
 * unreadable bookings (cancelled, …) are left out: they cannot grant anything.
 */
export function toProfileRegistration(booking: GlofoxBooking, zone: string): AccessProfileRegistration | null {
	const window = bookingWindow(booking, zone);
	const status = registrationStatus(booking);
	if (!window && !MAY_GRANT.has(status)) return null;
	return {
		id: String(booking._id),
		kind: registrationKind(booking),
		status,
		startsAt: window ? new Date(window.startMs).toISOString() : null,
		endsAt: window ? new Date(window.endMs).toISOString() : null,
		eventId: text(booking.event_id) ?? text(booking.course_id) ?? text(booking.time_slot_id) ?? text(booking.model_id),
		eventName: text(booking.event_name) ?? text(booking.model_name),
	} satisfies AccessProfileRegistration;
}

/** The registration window of the Access Profile operation (docs/spec/contracts.md). */
export interface RegistrationRange {
	/** Sessions must end after this (now − Look Back Hours). */
	fromMs: number;
	/** Sessions must start before this (now + Look Ahead Hours). */
	untilMs: number;
}

export function inRange(registration: AccessProfileRegistration, range: RegistrationRange): boolean {
	if (registration.startsAt === null || registration.endsAt === null) return true; // unreadable: kept, see toProfileRegistration
	return Date.parse(registration.startsAt) < range.untilMs && Date.parse(registration.endsAt) > range.fromMs;
}

// ---------------------------------------------------------------------------------------------
// The profile

export interface ProfileInput {
	member: GlofoxMember;
	/** The member's credits (only read for a pack that {@link packNeedsCredits}). */
	credits?: readonly GlofoxCredit[];
	/** The member's bookings (others are ignored); filtered to `range`. */
	bookings?: readonly GlofoxBooking[];
	/** The branch's IANA time zone (`address.timezone_id`), for 2.2 bookings' local strings. */
	timezone: string;
	nowMs: number;
	range: RegistrationRange;
}

function memberName(member: GlofoxMember): string | null {
	const full = text(member.name);
	if (full) return full;
	const joined = [text(member.first_name), text(member.last_name)].filter(Boolean).join(' ');
	return joined === '' ? null : joined;
}

/**
 * One member → one access profile. Registrations are sorted by start, then id; bookings of
 * other members and bookings whose session lies outside `range` are left out.
 *
 * A deactivated member (`active: false`, Glofox's soft delete) gets neither a membership nor
 * registrations: Glofox itself refuses such a member at the door even with a booking, and a
 * membership passed on "as is" (often still ACTIVE) would let the evaluator grant access. The
 * evaluator then denies with NO_ACTIVE_MEMBERSHIP; `memberActive: false` says why.
 */
export function toAccessProfile(input: ProfileInput): GlofoxAccessProfile {
	const { member } = input;
	const membership = toProfileMembership(member, input.nowMs, input.credits);
	const registrations: AccessProfileRegistration[] = [];
	for (const booking of isInactiveMember(member) ? [] : (input.bookings ?? [])) {
		if (!booking || (booking.user_id !== undefined && booking.user_id !== null && String(booking.user_id) !== String(member._id))) continue;
		const registration = toProfileRegistration(booking, input.timezone);
		if (registration && inRange(registration, input.range)) registrations.push(registration);
	}
	registrations.sort((a, b) => (a.startsAt ?? '').localeCompare(b.startsAt ?? '') || (a.id ?? '').localeCompare(b.id ?? ''));
	return {
		source: 'glofox',
		sourceId: String(member._id),
		email: typeof member.email === 'string' && member.email.trim() !== '' ? member.email : null,
		name: memberName(member),
		timeZone: input.timezone,
		memberships: membership ? [membership] : [],
		registrations,
		memberActive: member.active !== false,
	} satisfies GlofoxAccessProfile;
}

/** Statuses of a membership that may be usable now or soon (the evaluator decides the rest). */
const LIVE_STATUSES = new Set(['ACTIVE', 'LOCKED', 'FUTURE']);
const LIVE_REGISTRATIONS = new Set(['registered', 'attended', 'waitlisted']);

/**
 * Whether a profile could grant access now or soon (Include Inactive off keeps only these): a
 * membership that is not pay-as-you-go, active, locked (Allow Blocked Memberships may let it in)
 * or future, not expired, with uses left; or a booking that is booked, attended or waitlisted.
 */
export function mayGrant(profile: GlofoxAccessProfile, nowMs: number): boolean {
	const membership = profile.memberships.some(
		(m) =>
			m.type !== 'payg' &&
			LIVE_STATUSES.has(m.status) &&
			(m.expiresAt === null || Date.parse(m.expiresAt) > nowMs) &&
			(m.remainingUses === null || m.remainingUses > 0),
	);
	return membership || profile.registrations.some((r) => LIVE_REGISTRATIONS.has(r.status));
}
