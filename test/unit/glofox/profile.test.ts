import { evaluateAccess } from '../../../nodes/AccessRuleEvaluator/engine';
import { attendedBooking } from '../../../nodes/Glofox/mapping/checkIn';
import {
	type GlofoxBooking,
	type GlofoxCredit,
	type GlofoxMember,
	LOCKED_REASON,
	membershipNeedsFullRead,
	packNeedsCredits,
	registrationKind,
	registrationStatus,
	remainingClassCredits,
	toAccessProfile,
} from '../../../nodes/Glofox/mapping/profile';

const NOW = Date.parse('2026-03-02T14:00:00Z');
const sec = (iso: string) => Date.parse(iso) / 1000;
const HOUR = 3_600_000;
const range = { fromMs: NOW - 6 * HOUR, untilMs: NOW + 24 * HOUR };
const ID = 'aaaaaaaaaaaaaaaaaaaaaaaa';

function member(membership: GlofoxMember['membership'], extra: Partial<GlofoxMember> = {}): GlofoxMember {
	return { _id: ID, email: 'Ana.Ruiz@Example.com', first_name: 'Ana', last_name: 'Ruiz', name: 'Ana Ruiz', active: true, membership, ...extra };
}

function profile(m: GlofoxMember, extra: { credits?: GlofoxCredit[]; bookings?: GlofoxBooking[]; timezone?: string } = {}) {
	return toAccessProfile({ member: m, credits: extra.credits, bookings: extra.bookings, timezone: extra.timezone ?? 'Europe/London', nowMs: NOW, range });
}

const timeMembership = {
	type: 'time',
	status: 'ACTIVE',
	start_date: sec('2026-02-01T00:00:00Z'),
	expiry_date: sec('2026-04-01T00:00:00Z'),
	user_membership_id: 'um1',
	membership_name: 'Unlimited',
	// UserMembership documents plan_code as a string (the catalogue's plans[].code is an integer).
	plan_code: '1775765553603',
	plan_name: 'Monthly',
};

describe('Glofox member → access profile (§6)', () => {
	it('maps an active time membership: type and status as is, Unix seconds → ISO, plan code and name', () => {
		expect(profile(member(timeMembership))).toEqual({
			source: 'glofox',
			sourceId: ID,
			email: 'Ana.Ruiz@Example.com',
			name: 'Ana Ruiz',
			memberships: [
				{
					id: 'um1',
					planId: '1775765553603',
					name: 'Unlimited',
					type: 'time',
					status: 'ACTIVE',
					startsAt: '2026-02-01T00:00:00.000Z',
					expiresAt: '2026-04-01T00:00:00.000Z',
					remainingUses: null,
					blocked: false,
					blockReason: null,
					blocks: [],
				},
			],
			registrations: [],
			timeZone: 'Europe/London',
			memberActive: true,
		});
	});

	it('uses start_date / expiry_date as the instants they are (a New York local midnight stays 04:00Z)', () => {
		const p = profile(member({ ...timeMembership, start_date: 1784174400, expiry_date: 1786852800 }));
		expect(p.memberships[0].startsAt).toBe('2026-07-16T04:00:00.000Z');
		expect(p.memberships[0].expiresAt).toBe('2026-08-16T04:00:00.000Z');
	});

	it.each(['EXPIRED', 'CANCELLED', 'PAUSED', 'FUTURE'])('passes status %s on as it is, not blocked', (status) => {
		const m = profile(member({ ...timeMembership, status })).memberships[0];
		expect(m.status).toBe(status);
		expect(m.blocked).toBe(false);
		expect(m.blockReason).toBeNull();
	});

	it('reads plan_code as the string UserMembership documents or as the catalogue\'s integer', () => {
		expect(profile(member({ ...timeMembership, plan_code: 1775765553603 })).memberships[0].planId).toBe('1775765553603');
	});

	it('marks a LOCKED membership blocked, with the reason', () => {
		const m = profile(member({ ...timeMembership, status: 'LOCKED' })).memberships[0];
		expect(m).toMatchObject({ status: 'LOCKED', blocked: true, blockReason: LOCKED_REASON });
	});

	it('a LOCKED block is of unknown kind and date: Glofox says neither why nor since when (no Payment Grace Days)', () => {
		const locked = profile(member({ ...timeMembership, status: 'LOCKED' }));
		expect(locked.memberships[0].blocks).toEqual([{ kind: 'unknown', since: null, reason: LOCKED_REASON }]);
		const d = evaluateAccess([locked], { graceDays: 30, evaluationTime: new Date(NOW).toISOString() })[0].decision;
		expect(d.access).toBe('deny');
		expect(d.denials.find((denial) => denial.code === 'MEMBERSHIP_BLOCKED')?.message).toContain(
			'no grace: the source does not say whether the block is for a failed payment',
		);
		expect(profile(member(timeMembership)).memberships[0].blocks).toEqual([]);
	});

	it('carries the branch time zone (for calendar days in the evaluator)', () => {
		expect(profile(member(timeMembership), { timezone: 'Europe/Dublin' }).timeZone).toBe('Europe/Dublin');
	});

	it('keeps open-ended memberships open (expiry null) and falls back to the plan name', () => {
		const m = profile(member({ type: 'time_classes', status: 'ACTIVE', start_date: null, expiry_date: null, plan_name: 'Four a month' })).memberships[0];
		expect(m).toMatchObject({ type: 'time_classes', startsAt: null, expiresAt: null, name: 'Four a month', planId: null, remainingUses: null });
	});

	it('passes a PAYG membership on with its status, and leaves out a PAYG without a status (drop-in, no membership)', () => {
		expect(profile(member({ type: 'payg', status: 'ACTIVE', start_date: sec('2025-01-01T00:00:00Z') })).memberships).toEqual([
			expect.objectContaining({ type: 'payg', status: 'ACTIVE', remainingUses: null }),
		]);
		expect(profile(member({ type: 'payg', start_date: null })).memberships).toEqual([]);
	});

	it('reports a non-PAYG membership without a status as UNKNOWN (the evaluator denies it)', () => {
		expect(profile(member({ type: 'time', expiry_date: null })).memberships[0].status).toBe('UNKNOWN');
	});

	it('has no membership for a member without one', () => {
		expect(profile(member(null)).memberships).toEqual([]);
		expect(profile(member(undefined)).memberships).toEqual([]);
	});

	it('gives an inactive (deactivated) member neither membership nor registrations', () => {
		const p = profile(member(timeMembership, { active: false }), {
			bookings: [{ _id: 'b1', user_id: ID, status: 'BOOKED', time_start: '2026-03-02 15:00:00', time_finish: '2026-03-02 16:00:00' }],
		});
		expect(p.memberships).toEqual([]);
		expect(p.registrations).toEqual([]);
		expect(p.memberActive).toBe(false);
	});

	it('keeps a member without email (null) and builds the name from first and last name', () => {
		const p = profile(member(timeMembership, { email: null, name: undefined }));
		expect(p.email).toBeNull();
		expect(p.name).toBe('Ana Ruiz');
		expect(profile(member(timeMembership, { email: '  ' })).email).toBeNull();
		expect(profile(member(null, { name: undefined, first_name: undefined, last_name: undefined })).name).toBeNull();
	});
});

describe('credit packs (num_classes)', () => {
	const pack = { type: 'num_classes', status: 'ACTIVE', start_date: sec('2026-02-01T00:00:00Z'), expiry_date: null, membership_name: '10 Class Pack', plan_code: 4411 };
	const credits: GlofoxCredit[] = [
		{ _id: 'c1', user_id: ID, active: true, model: 'programs', available: 3, start_date: sec('2026-02-01T00:00:00Z'), end_date: sec('2026-06-01T00:00:00Z') },
		{ _id: 'c2', user_id: ID, active: true, model: 'programs', available: 2, start_date: null, end_date: null },
		{ _id: 'c3', user_id: ID, active: true, model: 'appointments', available: 5 }, // not for classes
		{ _id: 'c4', user_id: ID, active: false, model: 'programs', available: 4 }, // inactive
		{ _id: 'c5', user_id: ID, active: true, model: 'programs', available: 6, end_date: sec('2026-03-01T00:00:00Z') }, // ended
		{ _id: 'c6', user_id: ID, active: true, model: 'programs', available: 7, start_date: sec('2026-04-01T00:00:00Z') }, // not started
		{ _id: 'c7', user_id: ID, available: 1 }, // no model: counted as a class credit
	];

	it('sums available over active, in-date class credits', () => {
		expect(remainingClassCredits(credits, NOW)).toBe(6);
		expect(profile(member(pack), { credits }).memberships[0]).toMatchObject({ type: 'num_classes', remainingUses: 6, name: '10 Class Pack', planId: '4411' });
	});

	it('reports 0 uses left when no credit is usable', () => {
		expect(profile(member(pack), { credits: [] }).memberships[0].remainingUses).toBe(0);
		expect(profile(member(pack), { credits: [credits[2], credits[3]] }).memberships[0].remainingUses).toBe(0);
	});

	it('asks for credits only for a pack that could grant now', () => {
		expect(packNeedsCredits(member(pack), NOW)).toBe(true);
		expect(packNeedsCredits(member({ ...pack, status: 'EXPIRED' }), NOW)).toBe(false);
		expect(packNeedsCredits(member({ ...pack, status: 'LOCKED' }), NOW)).toBe(false);
		expect(packNeedsCredits(member({ ...pack, expiry_date: sec('2026-03-01T00:00:00Z') }), NOW)).toBe(false);
		expect(packNeedsCredits(member({ ...pack, start_date: sec('2026-03-05T00:00:00Z') }), NOW)).toBe(false);
		expect(packNeedsCredits(member(pack, { active: false }), NOW)).toBe(false);
		expect(packNeedsCredits(member(timeMembership), NOW)).toBe(false);
		expect(packNeedsCredits(member({ type: 'payg', status: 'ACTIVE' }), NOW)).toBe(false);
		// A pack that cannot grant carries no count (it is denied on its status or dates).
		expect(profile(member({ ...pack, status: 'EXPIRED' }), { credits }).memberships[0].remainingUses).toBeNull();
	});
});

describe('thin list memberships', () => {
	it('reads a member alone only when a possibly current membership lacks expiry_date or a status', () => {
		expect(membershipNeedsFullRead(member(timeMembership))).toBe(false);
		expect(membershipNeedsFullRead(member({ type: 'time', status: 'ACTIVE', start_date: 1 }))).toBe(true);
		expect(membershipNeedsFullRead(member({ type: 'time', status: 'LOCKED' }))).toBe(true);
		expect(membershipNeedsFullRead(member({ type: 'time', expiry_date: null }))).toBe(true);
		expect(membershipNeedsFullRead(member({ type: 'time', status: 'EXPIRED' }))).toBe(false);
		expect(membershipNeedsFullRead(member({ type: 'time', status: 'PAUSED' }))).toBe(false);
		expect(membershipNeedsFullRead(member({ type: 'payg', status: 'ACTIVE' }))).toBe(false);
		expect(membershipNeedsFullRead(member({ type: 'time', status: 'ACTIVE' }, { active: false }))).toBe(false);
		expect(membershipNeedsFullRead(member(null))).toBe(false);
	});
});

describe('bookings → registrations', () => {
	it.each([
		[{ status: 'BOOKED' }, 'registered'],
		[{ status: 'BOOKED', attended: false }, 'registered'],
		[{ status: 'BOOKED', attended: true }, 'attended'],
		[{ status: 'CANCELED' }, 'cancelled'],
		[{ status: 'CANCELED', is_late_cancellation: true }, 'late_cancelled'],
		[{ status: 'CANCELED', attended: true }, 'cancelled'],
		[{ status: 'WAITING' }, 'waitlisted'],
		[{ status: 'RESERVED' }, 'not_registered'],
		[{ status: 'FAILED' }, 'not_registered'],
		[{ status: 'booked' }, 'registered'],
		[{ status: null }, 'not_registered'],
	])('maps %j to %s', (booking, status) => {
		expect(registrationStatus(booking)).toBe(status);
	});

	it.each([
		[{ type: 'events', model: 'events' }, 'class'],
		[{ model: 'events' }, 'class'],
		[{}, 'class'],
		[{ type: 'courses' }, 'course'],
		[{ type: 'appointments' }, 'appointment'],
		[{ type: 'timeslots' }, 'appointment'],
		[{ type: 'facilities' }, 'appointment'],
		[{ type: 'users' }, 'appointment'],
	])('takes the kind of %j as %s', (booking, kind) => {
		expect(registrationKind(booking)).toBe(kind);
	});

	it('reads 2.2 local strings in the branch zone and 2.0 Unix seconds with the duration', () => {
		const bookings: GlofoxBooking[] = [
			{ _id: 'b2', user_id: ID, status: 'BOOKED', type: 'events', event_id: 'e2', event_name: 'Spin', time_start: sec('2026-03-02T18:00:00Z'), duration: 45 },
			{ _id: 'b1', user_id: ID, status: 'BOOKED', attended: true, type: 'events', event_id: 'e1', event_name: 'Yoga', time_start: '2026-03-02 15:00:00', time_finish: '2026-03-02 16:00:00' },
		];
		expect(profile(member({ type: 'payg', status: 'ACTIVE' }), { bookings, timezone: 'America/New_York' }).registrations).toEqual([
			{ id: 'b2', kind: 'class', status: 'registered', startsAt: '2026-03-02T18:00:00.000Z', endsAt: '2026-03-02T18:45:00.000Z', eventId: 'e2', eventName: 'Spin' },
			{ id: 'b1', kind: 'class', status: 'attended', startsAt: '2026-03-02T20:00:00.000Z', endsAt: '2026-03-02T21:00:00.000Z', eventId: 'e1', eventName: 'Yoga' },
		]);
	});

	it('keeps only sessions that end after now − look back and start before now + look ahead, of this member', () => {
		const at = (start: string, end: string, id: string, user = ID): GlofoxBooking => ({ _id: id, user_id: user, status: 'BOOKED', time_start: start, time_finish: end });
		const bookings = [
			at('2026-03-02 07:00:00', '2026-03-02 07:59:00', 'ended-too-early'), // ends 07:59 < 08:00 (now − 6 h)
			at('2026-03-02 07:30:00', '2026-03-02 08:30:00', 'ends-in-window'),
			at('2026-03-02 13:30:00', '2026-03-02 14:30:00', 'running'),
			at('2026-03-03 13:59:00', '2026-03-03 15:00:00', 'starts-before-horizon'),
			at('2026-03-03 14:00:00', '2026-03-03 15:00:00', 'starts-at-horizon'),
			at('2026-03-02 15:00:00', '2026-03-02 16:00:00', 'other-member', 'bbbbbbbbbbbbbbbbbbbbbbbb'),
		];
		expect(profile(member(null), { bookings }).registrations.map((r) => r.id)).toEqual(['ends-in-window', 'running', 'starts-before-horizon']);
	});

	it('covers both readings of an ambiguous local time (DST end)', () => {
		const bookings: GlofoxBooking[] = [{ _id: 'b', user_id: ID, status: 'BOOKED', time_start: '2026-10-25 01:15:00', time_finish: '2026-10-25 01:45:00' }];
		const r = toAccessProfile({ member: member(null), bookings, timezone: 'Europe/London', nowMs: Date.parse('2026-10-25T00:00:00Z'), range: { fromMs: 0, untilMs: Infinity } }).registrations[0];
		expect(r.startsAt).toBe('2026-10-25T00:15:00.000Z');
		expect(r.endsAt).toBe('2026-10-25T01:45:00.000Z');
	});

	it('gives PAYG and credit-pack members their bookings', () => {
		const booking: GlofoxBooking = { _id: 'b', user_id: ID, status: 'BOOKED', type: 'events', time_start: '2026-03-02 15:00:00', time_finish: '2026-03-02 16:00:00' };
		expect(profile(member({ type: 'payg', status: 'ACTIVE' }), { bookings: [booking] }).registrations).toHaveLength(1);
		expect(profile(member({ type: 'num_classes', status: 'ACTIVE' }), { credits: [], bookings: [booking] }).registrations).toHaveLength(1);
	});
});

describe('the booking a check-in attended', () => {
	const entry = Date.parse('2026-03-02T14:55:00Z');
	const b = (id: string, start: string, extra: Record<string, unknown> = {}) => ({
		_id: id,
		status: 'BOOKED',
		attended: true,
		time_start: sec(start),
		duration: 60,
		modified: sec('2026-03-01T10:00:00Z'),
		...extra,
	});

	it('picks an attended booking whose session starts within the hour or is running', () => {
		expect(attendedBooking([b('x', '2026-03-02T15:00:00Z')], entry)?._id).toBe('x');
		expect(attendedBooking([b('x', '2026-03-02T14:30:00Z')], entry)?._id).toBe('x');
		expect(attendedBooking([b('x', '2026-03-02T16:00:00Z')], entry)).toBeNull(); // 65 min ahead
		expect(attendedBooking([b('x', '2026-03-02T13:00:00Z')], entry)).toBeNull(); // ended 13:55... at 14:00
		expect(attendedBooking([b('x', '2026-03-02T15:00:00Z', { attended: false })], entry)).toBeNull();
		expect(attendedBooking([b('x', '2026-03-02T15:00:00Z', { status: 'CANCELED' })], entry)).toBeNull();
	});

	it('prefers the booking changed when the access was recorded, then the earliest', () => {
		const recorded = Date.parse('2026-03-02T14:55:01Z');
		const old = b('old', '2026-03-02T14:30:00Z');
		const fresh = b('fresh', '2026-03-02T15:30:00Z', { modified: sec('2026-03-02T14:55:01Z') });
		expect(attendedBooking([old, fresh], entry, recorded)?._id).toBe('fresh');
		expect(attendedBooking([fresh, old], entry)?._id).toBe('old');
	});
});
