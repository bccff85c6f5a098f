/** Which booking a Glofox check-in attended. Pure module: no n8n imports. */
import { bookingWindow, type GlofoxBooking } from './profile';
import { unixToMs } from './time';

/** Glofox marks attended a booking "within the hour" of the entry. */
export const BOOKING_REACH_MS = 3_600_000;

/**
 * The booking Glofox marked attended for this entry. Glofox counts a BOOKED booking whose session
 * starts within the hour after the entry or is running at it (`start − 60 min ≤ entry ≤ end`).
 * Among the attended ones in that reach, the one changed at or after the access was recorded
 * (`modified ≥ recordedAt`) wins, then the earliest session.
 */
export function attendedBooking<T extends Record<string, unknown>>(bookings: readonly T[], entryMs: number, recordedAtMs?: number): T | null {
	const candidates: Array<{ booking: T; startMs: number; fresh: boolean }> = [];
	for (const booking of bookings) {
		if (booking.attended !== true || String(booking.status ?? '').toUpperCase() !== 'BOOKED') continue;
		const window = bookingWindow(booking as unknown as GlofoxBooking, 'UTC');
		if (!window || window.startMs - BOOKING_REACH_MS > entryMs || entryMs > window.endMs) continue;
		const modifiedMs = unixToMs(booking.modified);
		const fresh = recordedAtMs !== undefined && modifiedMs !== null && modifiedMs >= recordedAtMs - 1000;
		candidates.push({ booking, startMs: window.startMs, fresh });
	}
	candidates.sort((a, b) => Number(b.fresh) - Number(a.fresh) || a.startMs - b.startMs);
	return candidates[0]?.booking ?? null;
}

/** What a check-in reports from Glofox's `POST /2.0/access` answer (schema AccessResponse). */
export interface AccessOutcome {
	/** The recorded access (`access`; a bare access object is read the same). */
	access: Record<string, unknown>;
	/** Glofox's `valid_on_entry`: true only when Glofox says so. */
	validOnEntry: boolean;
	/** `GRANTED`, `FAILED` or `PENDING` as Glofox recorded it; null when absent. */
	accessStatus: string | null;
	/** When Glofox recorded it (`created`, Unix seconds), for telling which booking it attended. */
	recordedAtMs: number | null;
}

export function accessOutcome(body: unknown): AccessOutcome {
	const record = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);
	const access = record(body) && record(body.access) ? body.access : record(body) ? body : {};
	return {
		access,
		validOnEntry: access.valid_on_entry === true,
		accessStatus: typeof access.status === 'string' ? access.status : null,
		recordedAtMs: unixToMs(access.created),
	};
}
