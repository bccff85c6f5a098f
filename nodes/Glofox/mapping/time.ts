/**
 * Glofox's time formats (docs/reference/glofox-api.md §2.5), converted to absolute instants. Pure module: no n8n
 * imports.
 *
 * - Most fields are Unix seconds (UTC instants). A member's `start_date` / `expiry_date` are the
 *   branch's local midnights already expressed as instants: they are used as they are.
 * - `GET /2.2/branches/{id}/bookings` returns `time_start` / `time_finish` as branch-local
 *   wall-clock strings (`"YYYY-MM-DD HH:MM:SS"`), read here in the branch's time zone
 *   (`address.timezone_id` of `GET /2.0/branches/{id}`).
 * - The same route's `time_start_*` / `time_finish_*` filters take "local timestamps": the local
 *   wall-clock time written as if it were UTC, in Unix seconds.
 */
import { DateTime, IANAZone } from 'luxon';

import { isValidTimeZone } from '../../AccessRuleEvaluator/engine/dates';

const HOUR_MS = 3_600_000;

export function isValidZone(zone: unknown): zone is string {
	return typeof zone === 'string' && zone.trim() !== '' && isValidTimeZone(zone.trim());
}

/** Unix seconds (number or digits) → epoch ms; null when absent or not a number. */
export function unixToMs(value: unknown): number | null {
	if (value === undefined || value === null || value === '') return null;
	const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
	return Number.isFinite(seconds) ? Math.round(seconds * 1000) : null;
}

/** Unix seconds → ISO-8601 UTC (`…Z`); null when absent. */
export function unixToIso(value: unknown): string | null {
	const ms = unixToMs(value);
	return ms === null ? null : new Date(ms).toISOString();
}

export function msToUnix(ms: number): number {
	return Math.floor(ms / 1000);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Which instant to pick when a wall-clock time occurs twice (the repeated hour when DST ends).
 * Session starts are read as the earlier instant and ends as the later one, so that a window
 * covers both readings: nobody is locked out because the API's local string is ambiguous.
 */
export type Ambiguity = 'earlier' | 'later';

/**
 * A branch-local wall-clock string (`YYYY-MM-DD HH:MM[:SS]`, or with `T`) → epoch ms. A string
 * that carries its own offset (`Z`, `+01:00`) is read with that offset. Times inside the
 * spring-forward gap do not exist locally; they are read with the offset before the change
 * (02:30 on the day New York moves to EDT is 07:30Z, as 02:30 EST would be). Null when the text
 * is not a local date-time or the zone is not an IANA zone.
 */
export function localToMs(text: unknown, zone: string, prefer: Ambiguity = 'earlier'): number | null {
	if (typeof text !== 'string') return null;
	const trimmed = text.trim();
	if (/(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(trimmed)) {
		const withOffset = DateTime.fromISO(trimmed.replace(' ', 'T'), { setZone: true });
		return withOffset.isValid ? withOffset.toMillis() : null;
	}
	const match = LOCAL.exec(trimmed);
	if (!match || !isValidZone(zone)) return null;
	const [, y, mo, d, h, mi, s] = match;
	const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
	const check = new Date(wall);
	if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23) return null;
	const tz = IANAZone.create(zone.trim());
	// The offsets in force around this wall time (they differ only near a DST change).
	const offsets = [...new Set([tz.offset(wall - 12 * HOUR_MS), tz.offset(wall), tz.offset(wall + 12 * HOUR_MS)])];
	const candidates = offsets.map((offset) => wall - offset * 60_000).filter((instant) => tz.offset(instant) * 60_000 === wall - instant);
	if (candidates.length === 0) {
		// In the gap: read with the offset in force just before it.
		return wall - tz.offset(wall - 12 * HOUR_MS) * 60_000;
	}
	return prefer === 'earlier' ? Math.min(...candidates) : Math.max(...candidates);
}

/** A branch-local string → ISO-8601 UTC; null when it cannot be read. */
export function localToIso(text: unknown, zone: string, prefer: Ambiguity = 'earlier'): string | null {
	const ms = localToMs(text, zone, prefer);
	return ms === null ? null : new Date(ms).toISOString();
}

/**
 * An instant → the "local timestamp" the 2.2 bookings filters take: the branch's wall-clock time
 * at that instant, written as if it were UTC, in Unix seconds.
 */
export function localTimestamp(ms: number, zone: string): number {
	const tz = IANAZone.create(zone.trim());
	return Math.floor((ms + tz.offset(ms) * 60_000) / 1000);
}
