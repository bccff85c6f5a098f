/**
 * Instants for the rules engine.
 *
 * The engine works on absolute instants only, held as epoch milliseconds (`number`), with
 * `-Infinity` for "no defined start" and `+Infinity` for "open-ended". Wall-clock time and time
 * zones never enter the window maths, so a DST change cannot shift a window. The one calendar
 * computation is {@link addDays} (Payment Grace Days), whose result is an instant again.
 */
import { DateTime, IANAZone } from 'luxon';

/** Unbounded start of a window ("started before now with no defined start"). */
export const OPEN_START = Number.NEGATIVE_INFINITY;
/** Unbounded end of a window ("open-ended"). */
export const OPEN_END = Number.POSITIVE_INFINITY;

/** Date and time separated by `T`; the time part is required. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}/;
/** The full shape: date, time (seconds and fraction optional), and an explicit offset. */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([zZ])|([+-])(\d{2})(?::?(\d{2}))?)$/;
/** Same, without an offset (to explain what is missing). */
const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?$/;
const DAY_MS = 86_400_000;
/** 400 Gregorian years, to keep Date.UTC from mapping years 0-99 to 1900-1999. */
const FOUR_CENTURIES_MS = 146_097 * DAY_MS;

function daysInMonth(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Strict ISO-8601 instant → epoch ms, or null when the text is not one (impossible dates such as
 * 30 February included). Hand-written: this runs for every date of every profile, and is exact
 * (fractions beyond milliseconds are truncated).
 */
function isoToMillis(text: string): number | null {
	const m = ISO_INSTANT.exec(text);
	if (!m) return null;
	const year = Number(m[1]);
	const month = Number(m[2]);
	const day = Number(m[3]);
	const hour = Number(m[4]);
	const minute = Number(m[5]);
	const second = m[6] === undefined ? 0 : Number(m[6]);
	const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return null;
	let offsetMinutes = 0;
	if (!m[8]) {
		const offsetHours = Number(m[10]);
		const offsetMins = m[11] === undefined ? 0 : Number(m[11]);
		if (offsetHours > 23 || offsetMins > 59) return null;
		offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
	}
	const shift = year < 100 ? 1 : 0;
	const utc = Date.UTC(year + shift * 400, month - 1, day, hour, minute, second, millis) - shift * FOUR_CENTURIES_MS;
	return utc - offsetMinutes * 60_000;
}

export type InstantParse = { ok: true; ms: number | null } | { ok: false; problem: string };

function describe(value: unknown): string {
	if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return `a ${typeof value}`;
}

/**
 * Parses an optional instant.
 *
 * Accepted: an ISO-8601 date-time string **with** an offset, a JS `Date`, or a luxon-like object
 * (anything with `toMillis()`), `null`, `undefined` and `''` (the last three mean "absent").
 * A string without an offset is refused: it would be read in some arbitrary zone and shift the
 * window by hours. Date-only strings are refused too (they are days, not instants; the source
 * nodes convert them with {@link localDateToInstant}).
 */
export function parseInstant(value: unknown): InstantParse {
	if (value === undefined || value === null) return { ok: true, ms: null };
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return { ok: true, ms: null };
		if (!ISO_DATE_TIME.test(text)) {
			return { ok: false, problem: `is not an ISO-8601 date-time (got ${describe(value)})` };
		}
		if (ISO_LOCAL.test(text)) {
			return {
				ok: false,
				problem: `has no UTC offset (got ${describe(value)}); add 'Z' or an offset such as '+01:00'`,
			};
		}
		const ms = isoToMillis(text);
		if (ms === null) {
			return { ok: false, problem: `is not a valid ISO-8601 date-time (got ${describe(value)})` };
		}
		return { ok: true, ms };
	}
	if (value instanceof Date) {
		const ms = value.getTime();
		return Number.isFinite(ms) ? { ok: true, ms } : { ok: false, problem: 'is an invalid Date' };
	}
	if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		const candidate = value as { toMillis: () => number; isValid?: boolean };
		const ms = candidate.toMillis();
		if (candidate.isValid === false || !Number.isFinite(ms)) {
			return { ok: false, problem: 'is an invalid date-time' };
		}
		return { ok: true, ms };
	}
	return { ok: false, problem: `must be an ISO-8601 date-time string (got ${describe(value)})` };
}

/**
 * Formatting an instant costs about as much as evaluating a rule, and a gym's profiles repeat the
 * same instants (class times, renewal dates), so the text is memoised (bounded).
 */
const isoCache = new Map<number, string>();
const ISO_CACHE_LIMIT = 50_000;

/** ISO-8601 UTC with milliseconds (`2026-06-01T00:00:00.000Z`) of a finite instant. */
export function isoOf(ms: number): string {
	let text = isoCache.get(ms);
	if (text === undefined) {
		text = new Date(ms).toISOString();
		if (isoCache.size >= ISO_CACHE_LIMIT) isoCache.clear();
		isoCache.set(ms, text);
	}
	return text;
}

/** ISO-8601 UTC with milliseconds, or null for an unbounded end (±Infinity). */
export function toIso(ms: number): string | null {
	return Number.isFinite(ms) ? isoOf(ms) : null;
}

/**
 * Zone names already checked. luxon's check builds a new ICU date formatter on every call (tens of
 * kB of native memory, outside the JavaScript heap, which the C allocator keeps after it is freed);
 * it runs for every profile, so a 50,000-member gym grew n8n by gigabytes. A gym has a handful of
 * zones; the bound only guards against a source full of distinct bad names.
 */
const zoneValidity = new Map<string, boolean>();
const ZONES_REMEMBERED = 1_000;

/** Whether `zone` is an IANA time zone name luxon can use (`Europe/London`, `UTC`). */
export function isValidTimeZone(zone: string): boolean {
	let valid = zoneValidity.get(zone);
	if (valid === undefined) {
		valid = IANAZone.isValidZone(zone);
		if (zoneValidity.size >= ZONES_REMEMBERED) zoneValidity.clear();
		zoneValidity.set(zone, valid);
	}
	return valid;
}

/**
 * `days` whole days after the instant `ms`: calendar days in `zone` when given (the same wall-clock
 * time N days later, so a day across a DST change is 23 or 25 hours: 2026-03-27 10:00 Europe/London
 * + 3 days is 2026-03-30 10:00 local, 71 hours later; a wall-clock time that does not exist on the
 * target day moves forward to the first that does), else `days` × 24 hours. The result is an
 * absolute instant like every other window bound.
 */
export function addDays(ms: number, days: number, zone: string | null): number {
	if (zone === null) return ms + days * DAY_MS;
	return DateTime.fromMillis(ms, { zone }).plus({ days }).toMillis();
}

/** The calendar date and wall-clock time of an instant in `zone` (`2026-03-27 10:00 Europe/London`), or ISO UTC without a zone. */
export function localText(ms: number, zone: string | null): string {
	if (zone === null) return isoOf(ms);
	return `${DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm')} ${zone}`;
}

/**
 * A calendar date (`YYYY-MM-DD`) read in an IANA time zone, as an instant (ISO-8601 UTC with
 * milliseconds).
 *
 * - `endOfDay` false (default): the first instant of that local day (00:00 local; where midnight
 *   does not exist because DST starts at 00:00, the first existing instant of the day, e.g.
 *   01:00).
 * - `endOfDay` true: the first instant of the **next** local day, i.e. the exclusive end of the
 *   date. TeamUp's `expiration_date` is the last valid day, so a membership runs until 00:00 local
 *   on the day after it (docs/spec/access-rules.md §6).
 *
 * A day is therefore 23 or 25 hours long on DST change days; the instants are exact.
 * Throws a `RangeError` naming the bad date or zone.
 */
export function localDateToInstant(date: string, zone: string, endOfDay = false): string {
	if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date.trim())) {
		throw new RangeError(`Invalid date '${String(date)}': expected YYYY-MM-DD`);
	}
	const [year, month, day] = date.trim().split('-').map(Number);
	const probe = DateTime.fromObject({ year, month, day }, { zone: 'utc' });
	if (!probe.isValid) throw new RangeError(`Invalid date '${date}': ${probe.invalidExplanation ?? 'no such day'}`);
	const zoneProbe = DateTime.now().setZone(zone);
	if (!zone || !zoneProbe.isValid) throw new RangeError(`Invalid time zone '${String(zone)}': expected an IANA name such as 'Europe/London'`);

	const target = endOfDay ? probe.plus({ days: 1 }) : probe;
	// startOf('day') in the zone: luxon moves a non-existent local midnight forward to the first
	// existing instant of that day.
	const local = DateTime.fromObject(
		{ year: target.year, month: target.month, day: target.day, hour: 12 },
		{ zone },
	).startOf('day');
	return new Date(local.toMillis()).toISOString();
}
