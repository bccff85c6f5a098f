import { isValidZone, localTimestamp, localToIso, localToMs, msToUnix, unixToIso, unixToMs } from '../../../nodes/Glofox/mapping/time';

describe('Glofox Unix seconds', () => {
	it('converts seconds to ISO UTC, absent to null', () => {
		expect(unixToIso(1784174400)).toBe('2026-07-16T04:00:00.000Z'); // local midnight in New York, used as it is
		expect(unixToIso('1784174400')).toBe('2026-07-16T04:00:00.000Z');
		expect(unixToIso(null)).toBeNull();
		expect(unixToIso(undefined)).toBeNull();
		expect(unixToIso('')).toBeNull();
		expect(unixToIso('soon')).toBeNull();
		expect(unixToMs(1)).toBe(1000);
		expect(msToUnix(1999)).toBe(1);
	});
});

describe('branch-local strings of GET /2.2/.../bookings', () => {
	it.each([
		// Europe/London: GMT in winter, BST (+01:00) in summer
		['2026-01-15 07:00:00', 'Europe/London', '2026-01-15T07:00:00.000Z'],
		['2026-07-15 07:00:00', 'Europe/London', '2026-07-15T06:00:00.000Z'],
		['2026-03-28 12:00:00', 'Europe/London', '2026-03-28T12:00:00.000Z'], // day before spring forward
		['2026-03-29 12:00:00', 'Europe/London', '2026-03-29T11:00:00.000Z'], // day of spring forward
		['2026-10-24 12:00:00', 'Europe/London', '2026-10-24T11:00:00.000Z'], // day before fall back
		['2026-10-25 12:00:00', 'Europe/London', '2026-10-25T12:00:00.000Z'], // day of fall back
		// America/New_York: EST (−05:00) / EDT (−04:00), changes on other dates than Europe
		['2026-03-07 18:00:00', 'America/New_York', '2026-03-07T23:00:00.000Z'],
		['2026-03-08 18:00:00', 'America/New_York', '2026-03-08T22:00:00.000Z'],
		['2026-03-29 12:00:00', 'America/New_York', '2026-03-29T16:00:00.000Z'],
		['2026-10-31 18:00:00', 'America/New_York', '2026-10-31T22:00:00.000Z'],
		['2026-11-01 18:00:00', 'America/New_York', '2026-11-01T23:00:00.000Z'],
		['2026-11-01T06:30', 'America/New_York', '2026-11-01T11:30:00.000Z'],
		['2026-06-01 10:00:00', 'UTC', '2026-06-01T10:00:00.000Z'],
	])('reads %s in %s as %s', (text, zone, iso) => {
		expect(localToIso(text, zone)).toBe(iso);
	});

	it('reads a repeated hour (DST end) as the earlier instant for a start and the later one for an end', () => {
		// 01:30 happens twice in London on 2026-10-25: 00:30Z (BST) and 01:30Z (GMT).
		expect(localToIso('2026-10-25 01:30:00', 'Europe/London', 'earlier')).toBe('2026-10-25T00:30:00.000Z');
		expect(localToIso('2026-10-25 01:30:00', 'Europe/London', 'later')).toBe('2026-10-25T01:30:00.000Z');
		// 01:30 happens twice in New York on 2026-11-01: 05:30Z (EDT) and 06:30Z (EST).
		expect(localToIso('2026-11-01 01:30:00', 'America/New_York', 'earlier')).toBe('2026-11-01T05:30:00.000Z');
		expect(localToIso('2026-11-01 01:30:00', 'America/New_York', 'later')).toBe('2026-11-01T06:30:00.000Z');
	});

	it('reads a time inside the spring-forward gap with the offset before the change', () => {
		expect(localToIso('2026-03-29 01:30:00', 'Europe/London')).toBe('2026-03-29T01:30:00.000Z');
		expect(localToIso('2026-03-08 02:30:00', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
	});

	it('keeps a string that carries its own offset', () => {
		expect(localToIso('2026-07-15T07:00:00Z', 'Europe/London')).toBe('2026-07-15T07:00:00.000Z');
		expect(localToIso('2026-07-15 07:00:00+02:00', 'America/New_York')).toBe('2026-07-15T05:00:00.000Z');
	});

	it('refuses what is not a local date-time or a zone that does not exist', () => {
		expect(localToMs('yesterday', 'Europe/London')).toBeNull();
		expect(localToMs('2026-02-30 10:00:00', 'Europe/London')).toBeNull();
		expect(localToMs('2026-02-10 10:00:00', 'Mars/Olympus')).toBeNull();
		expect(localToMs(1784174400, 'Europe/London')).toBeNull();
		expect(isValidZone('Europe/London')).toBe(true);
		expect(isValidZone('Mars/Olympus')).toBe(false);
		expect(isValidZone('')).toBe(false);
	});

	it('writes the local timestamps the 2.2 filters take (wall clock as if UTC), and reads them back', () => {
		const summer = Date.parse('2026-07-15T06:00:00Z');
		expect(localTimestamp(summer, 'Europe/London')).toBe(Date.parse('2026-07-15T07:00:00Z') / 1000);
		const winterNy = Date.parse('2026-01-15T17:00:00Z');
		expect(localTimestamp(winterNy, 'America/New_York')).toBe(Date.parse('2026-01-15T12:00:00Z') / 1000);
		for (const zone of ['Europe/London', 'America/New_York']) {
			for (let ms = Date.parse('2026-03-01T00:00:00Z'); ms < Date.parse('2026-11-15T00:00:00Z'); ms += 3 * 3_600_000 + 17 * 60_000) {
				const wall = new Date(localTimestamp(ms, zone) * 1000).toISOString().slice(0, 19).replace('T', ' ');
				const back = localToMs(wall, zone, 'earlier');
				const backLater = localToMs(wall, zone, 'later');
				expect([back, backLater]).toContain(Math.floor(ms / 1000) * 1000);
			}
		}
	});
});
