import { DateTime } from 'luxon';
import { isValidTimeZone, localDateToInstant, parseInstant, toIso } from '../../../nodes/AccessRuleEvaluator/engine';

describe('parseInstant', () => {
	it.each([
		['2026-03-02T15:00:00Z', Date.UTC(2026, 2, 2, 15)],
		['2026-03-02T15:00:00.250Z', Date.UTC(2026, 2, 2, 15, 0, 0, 250)],
		['2026-03-02T16:00:00+01:00', Date.UTC(2026, 2, 2, 15)],
		['2026-03-02T10:00:00-0500', Date.UTC(2026, 2, 2, 15)],
		['2026-03-02T17:00+02', Date.UTC(2026, 2, 2, 15)],
		['  2026-03-02T15:00:00z  ', Date.UTC(2026, 2, 2, 15)],
	])('reads %s', (text, ms) => {
		expect(parseInstant(text)).toEqual({ ok: true, ms });
	});

	it.each([null, undefined, '', '   '])('treats %p as absent', (value) => {
		expect(parseInstant(value)).toEqual({ ok: true, ms: null });
	});

	it('accepts Date and luxon DateTime objects', () => {
		expect(parseInstant(new Date(Date.UTC(2026, 0, 1)))).toEqual({ ok: true, ms: Date.UTC(2026, 0, 1) });
		expect(parseInstant(DateTime.fromISO('2026-01-01T01:00:00+01:00'))).toEqual({ ok: true, ms: Date.UTC(2026, 0, 1) });
		expect(parseInstant(new Date('nope')).ok).toBe(false);
		expect(parseInstant(DateTime.invalid('x')).ok).toBe(false);
	});

	it('refuses a date-time without an offset (it would be read in an arbitrary zone)', () => {
		const r = parseInstant('2026-03-02T15:00:00');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.problem).toMatch(/no UTC offset/);
	});

	it.each(['2026-03-02', 'tomorrow', '2026-13-02T15:00:00Z', '2026-02-30T10:00:00Z', '02/03/2026 15:00'])('refuses %p', (text) => {
		expect(parseInstant(text).ok).toBe(false);
	});

	it.each([12345, true, {}, []])('refuses non-strings like %p', (value) => {
		const r = parseInstant(value);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.problem).toMatch(/must be an ISO-8601 date-time string/);
	});
});

describe('toIso', () => {
	it('writes UTC with milliseconds, null when unbounded', () => {
		expect(toIso(Date.UTC(2026, 5, 1))).toBe('2026-06-01T00:00:00.000Z');
		expect(toIso(Number.NEGATIVE_INFINITY)).toBeNull();
		expect(toIso(Number.POSITIVE_INFINITY)).toBeNull();
	});
});

describe('localDateToInstant', () => {
	it('is 00:00 local: winter and summer in Europe/London', () => {
		expect(localDateToInstant('2026-01-15', 'Europe/London')).toBe('2026-01-15T00:00:00.000Z');
		expect(localDateToInstant('2026-07-15', 'Europe/London')).toBe('2026-07-14T23:00:00.000Z');
	});

	it('endOfDay gives 00:00 local on the next day (exclusive end of the date)', () => {
		expect(localDateToInstant('2026-01-15', 'Europe/London', true)).toBe('2026-01-16T00:00:00.000Z');
		expect(localDateToInstant('2026-12-31', 'America/New_York', true)).toBe('2027-01-01T05:00:00.000Z');
	});

	it('Europe/London spring forward (29 March 2026) is a 23-hour day', () => {
		const start = localDateToInstant('2026-03-29', 'Europe/London');
		const end = localDateToInstant('2026-03-29', 'Europe/London', true);
		expect(start).toBe('2026-03-29T00:00:00.000Z'); // 00:00 GMT
		expect(end).toBe('2026-03-29T23:00:00.000Z'); // 00:00 BST on the 30th
		expect(Date.parse(end) - Date.parse(start)).toBe(23 * 3_600_000);
	});

	it('Europe/London fall back (25 October 2026) is a 25-hour day', () => {
		const start = localDateToInstant('2026-10-25', 'Europe/London');
		const end = localDateToInstant('2026-10-25', 'Europe/London', true);
		expect(start).toBe('2026-10-24T23:00:00.000Z'); // 00:00 BST
		expect(end).toBe('2026-10-26T00:00:00.000Z'); // 00:00 GMT
		expect(Date.parse(end) - Date.parse(start)).toBe(25 * 3_600_000);
	});

	it('America/New_York spring forward (8 March 2026) and fall back (1 November 2026)', () => {
		expect(localDateToInstant('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
		expect(localDateToInstant('2026-03-08', 'America/New_York', true)).toBe('2026-03-09T04:00:00.000Z');
		expect(localDateToInstant('2026-11-01', 'America/New_York')).toBe('2026-11-01T04:00:00.000Z');
		expect(localDateToInstant('2026-11-01', 'America/New_York', true)).toBe('2026-11-02T05:00:00.000Z');
	});

	it('a day whose local midnight does not exist starts at its first existing instant', () => {
		// America/Santiago moves clocks from 00:00 to 01:00 on 6 September 2026.
		const start = localDateToInstant('2026-09-06', 'America/Santiago');
		const local = DateTime.fromISO(start, { zone: 'America/Santiago' });
		expect(local.toISODate()).toBe('2026-09-06');
		expect(local.hour).toBe(1);
		expect(localDateToInstant('2026-09-05', 'America/Santiago', true)).toBe(start);
	});

	it('the end of a date equals the start of the next one', () => {
		for (const zone of ['Europe/London', 'America/New_York', 'Australia/Sydney', 'UTC']) {
			expect(localDateToInstant('2026-03-28', zone, true)).toBe(localDateToInstant('2026-03-29', zone));
		}
	});

	it('rejects bad dates and zones with a clear error', () => {
		expect(() => localDateToInstant('2026-02-30', 'Europe/London')).toThrow(/Invalid date '2026-02-30'/);
		expect(() => localDateToInstant('15/01/2026', 'Europe/London')).toThrow(/expected YYYY-MM-DD/);
		expect(() => localDateToInstant('2026-01-15', 'Mars/Olympus')).toThrow(/Invalid time zone 'Mars\/Olympus'/);
		expect(() => localDateToInstant('2026-01-15', '')).toThrow(/Invalid time zone/);
	});
});

describe('isValidTimeZone', () => {
	// Checked once per name (the check builds an ICU formatter, native memory, for every call otherwise):
	// the answer must stay right for every name, however many distinct names a source sends.
	it('gives the same answer for a name asked again, valid or not, past the names it remembers', () => {
		expect(isValidTimeZone('Europe/London')).toBe(true);
		expect(isValidTimeZone('Fantasia/Castle')).toBe(false);
		for (let i = 0; i < 1_200; i++) expect(isValidTimeZone(`Nowhere/Zone${i}`)).toBe(false);
		expect(isValidTimeZone('Europe/London')).toBe(true);
		expect(isValidTimeZone('America/New_York')).toBe(true);
		expect(isValidTimeZone('Fantasia/Castle')).toBe(false);
		expect(isValidTimeZone('')).toBe(false);
	});
});
