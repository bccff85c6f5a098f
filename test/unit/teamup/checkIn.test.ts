import { exactEmailMatches, registrationSearchRange, selectRegistration } from '../../../nodes/TeamUp/mapping/checkIn';
import type { Json } from '../../../nodes/TeamUp/mapping/profile';

const T0 = Date.parse('2026-03-02T14:00:00Z');
const MIN = 60_000;
const iso = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();
const window = { minutesBefore: 60, minutesAfter: 60 };

function fixtures(list: Array<{ id: number; start: number; minutes: number; status?: string; eventStatus?: string; waitlist?: string }>) {
	const events = new Map<string, Json>();
	const attendances: Json[] = [];
	for (const entry of list) {
		const eventId = 100 + entry.id;
		events.set(String(eventId), { id: eventId, name: `Class ${entry.id}`, starts_at: iso(entry.start), ends_at: iso(entry.start + entry.minutes), status: entry.eventStatus ?? 'active' });
		attendances.push({
			id: entry.id,
			customer: 1,
			event: eventId,
			status: entry.status ?? 'registered',
			...(entry.waitlist ? { waitlist_spot: { id: 9, status: entry.waitlist } } : {}),
		});
	}
	return { events, attendances };
}

describe('check-in window selection', () => {
	it('the window [start − before, end + after] is inclusive at both ends', () => {
		const { events, attendances } = fixtures([{ id: 1, start: 60, minutes: 60 }]);
		expect(selectRegistration(attendances, events, T0, window)?.eventId).toBe('101'); // exactly start − 60
		expect(selectRegistration(attendances, events, T0 - 1, window)).toBeUndefined();
		expect(selectRegistration(attendances, events, T0 + 180 * MIN, window)?.eventId).toBe('101'); // exactly end + 60
		expect(selectRegistration(attendances, events, T0 + 180 * MIN + 1, window)).toBeUndefined();
	});

	it('picks the earliest registration whose window contains the instant', () => {
		const { events, attendances } = fixtures([
			{ id: 1, start: 90, minutes: 60 },
			{ id: 2, start: 30, minutes: 45 },
			{ id: 3, start: -20, minutes: 60, status: 'late_cancelled' },
		]);
		expect(selectRegistration(attendances, events, T0 + 40 * MIN, window)).toMatchObject({ eventId: '102', startsAt: iso(30), endsAt: iso(75), status: 'registered' });
	});

	it('skips a session already attended when a later one in the window still waits, else reports the attended one', () => {
		const { events, attendances } = fixtures([
			{ id: 1, start: 0, minutes: 60, status: 'attended' },
			{ id: 2, start: 60, minutes: 60 },
		]);
		expect(selectRegistration(attendances, events, T0 + 55 * MIN, window)?.eventId).toBe('102');
		expect(selectRegistration(attendances.slice(0, 1), events, T0 + 55 * MIN, window)).toMatchObject({ eventId: '101', status: 'attended' });
	});

	it('waitlisted, cancelled, no-show and not-registered attendances and cancelled events do not count', () => {
		const { events, attendances } = fixtures([
			{ id: 1, start: 0, minutes: 60, status: 'not_registered', waitlist: 'on_waitlist' },
			{ id: 2, start: 0, minutes: 60, status: 'late_cancelled' },
			{ id: 3, start: 0, minutes: 60, status: 'no_show' },
			{ id: 4, start: 0, minutes: 60, status: 'not_registered' },
			{ id: 5, start: 0, minutes: 60, eventStatus: 'cancelled' },
		]);
		expect(selectRegistration(attendances, events, T0, window)).toBeUndefined();
	});

	it('uses an expanded event when the map does not have it', () => {
		const attendance = { id: 1, customer: 1, status: 'registered', event: { id: 7, name: 'Yoga', starts_at: iso(10), ends_at: iso(70) } };
		expect(selectRegistration([attendance], new Map(), T0, window)).toMatchObject({ eventId: '7', startsAt: iso(10) });
	});

	it('asks TeamUp for sessions starting from a day before the instant (minus minutes after) to minutes before after it', () => {
		expect(registrationSearchRange(T0, window)).toEqual({ from: iso(-60 - 24 * 60), to: iso(60) });
	});
});

describe('exact email match', () => {
	it('keeps only customers whose email equals the input, ignoring case and surrounding spaces', () => {
		const customers = [
			{ id: 1, email: 'Ana.Ruiz@Example.com ' },
			{ id: 2, email: 'ana.ruiz@example.com.au' },
			{ id: 3, email: 'xana.ruiz@example.com' },
			{ id: 4, email: null },
		];
		expect(exactEmailMatches(customers, 'ana.ruiz@example.com').map((c) => c.id)).toEqual([1]);
	});
});
