/**
 * The one date-time reader (`instant` in nodes/shared/validate.ts) as every date-time parameter of
 * the pack reads it: Kisi's validity dates, TeamUp's and Glofox's list filters, Check In's
 * "Occurred At" and the reference times.
 */
import { DateTime } from 'luxon';

import { instant, InvalidInput, nonNegative, numericIds, optionalInstant } from '../../../nodes/shared/validate';

function messageOf(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidInput);
		return (error as Error).message;
	}
	throw new Error('expected a validation error');
}

describe('date-time parameters', () => {
	it('reads an instant with an offset as that instant, whatever the zone', () => {
		expect(instant('2026-03-02T15:00:00+01:00', 'Starts After', 0, { zone: 'America/New_York' })).toBe('2026-03-02T14:00:00.000Z');
		expect(instant('2026-03-02T14:00:00z', 'Starts After', 0)).toBe('2026-03-02T14:00:00.000Z');
	});

	it("reads the date picker's offset-less value and a plain date in the workflow's zone, and refuses them without one", () => {
		expect(instant('2026-03-02T15:00:00', 'Starts After', 0, { zone: 'Europe/Berlin' })).toBe('2026-03-02T14:00:00.000Z');
		expect(instant('2026-03-02', 'Starts After', 0, { zone: 'America/New_York' })).toBe('2026-03-02T05:00:00.000Z');
		expect(messageOf(() => instant('2026-03-02T15:00:00', 'Occurred At', 2))).toBe(
			'Item 2: "Occurred At" must be an ISO-8601 date-time with a time zone, like 2026-03-02T15:00:00Z (got "2026-03-02T15:00:00")',
		);
	});

	it('takes what expressions give: luxon DateTimes ({{ $now }}) and JS Dates', () => {
		const at = DateTime.fromISO('2026-03-02T15:00:00', { zone: 'Europe/Berlin' });
		expect(instant(at, 'Starts After', 0, { zone: 'UTC' })).toBe('2026-03-02T14:00:00.000Z');
		expect(instant(new Date('2026-03-02T14:00:00Z'), 'Starts After', 0)).toBe('2026-03-02T14:00:00.000Z');
	});

	it('refuses what is not a date-time, impossible dates included, naming field and item', () => {
		expect(messageOf(() => instant('soon', 'Starts After', 1, { zone: 'UTC' }))).toContain('Item 1: "Starts After" must be an ISO-8601 date-time');
		expect(messageOf(() => instant('2026-02-30T10:00:00', 'Starts After', 0, { zone: 'UTC' }))).toContain('"Starts After"');
		expect(messageOf(() => instant('', 'Starts Before', 0, { zone: 'UTC' }))).toContain('(got "")');
		expect(messageOf(() => instant(1772460000000, 'Modified Since', 0, { zone: 'UTC' }))).toContain('"Modified Since"');
		expect(optionalInstant('  ', 'Starts After', 0, { zone: 'UTC' })).toBeNull();
	});
});

describe('numbers and ID lists', () => {
	it('takes hours and minutes of at least 0, fractions too', () => {
		expect(nonNegative('1.5', 'Look Back Hours', 0)).toBe(1.5);
		expect(nonNegative(0, 'Cooldown Minutes', 0)).toBe(0);
		expect(messageOf(() => nonNegative(-1, 'Minutes After End', 3))).toBe('Item 3: "Minutes After End" must be a number of at least 0 (got -1)');
		expect(messageOf(() => nonNegative('ten', 'Minutes After End', 0))).toContain('(got "ten")');
	});

	it('reads comma-separated numeric IDs, refusing a wrong one by the field', () => {
		expect(numericIds('310, 311,,312 ', 'Venue IDs', 0)).toEqual([310, 311, 312]);
		expect(numericIds(['77', 78], 'Offering Type IDs', 0)).toEqual([77, 78]);
		expect(messageOf(() => numericIds('310, abc', 'Venue IDs', 1))).toContain('Item 1: "Venue IDs" must be a numeric ID');
	});
});
