/**
 * Entries: `POST /2.0/access` (Glofox's own verdict, `valid_on_entry`, and the booking an entry
 * attends) and `POST /2.0/attendances` (bookings marked attended).
 */
import { randomBytes } from 'node:crypto';
import { type Route, route } from '../service';
import { isResult, json, pick } from '../util';
import type { GlofoxStore } from '.';
import { ACCESS_FIELDS } from './fields';
import { fail, writeBody } from './http';
import type { Access, Booking, GlofoxPrincipal, Member } from './records';

/** Window around a class in which `POST /2.0/access` counts a booking: from 60 min before start to the end. */
export const ACCESS_BOOKING_WINDOW_BEFORE_SEC = 3600;

/** Glofox's `valid_on_entry` and the booking an entry attends. */
export function evaluateEntry(g: GlofoxStore, member: Member, entry: number): { valid: boolean; membershipValid: boolean; booking: Booking | undefined } {
	const ms = member.membership;
	const active = member.active !== false;
	const membershipValid =
		active &&
		!!ms &&
		ms.type !== 'payg' &&
		(ms.status ?? 'ACTIVE') === 'ACTIVE' &&
		(ms.start_date == null || ms.start_date <= entry) &&
		(ms.expiry_date == null || entry < ms.expiry_date);
	const candidates = g.bookingsByUser
		.get(member._id)
		.filter((b) => {
			if (b.status !== 'BOOKED') return false;
			const start = g.bookingStart(b);
			return start - ACCESS_BOOKING_WINDOW_BEFORE_SEC <= entry && entry <= start + g.bookingDuration(b) * 60;
		})
		.sort((a, b) => g.bookingStart(a) - g.bookingStart(b));
	const bookingValid = active && candidates.length > 0;
	return { valid: membershipValid || bookingValid, membershipValid, booking: candidates.find((b) => !b.attended) };
}

export function accessRoutes(g: GlofoxStore): Route<GlofoxPrincipal>[] {
	return [
		route('POST', '/2.0/access', (ctx) => {
			const body = writeBody(g, ctx);
			if (isResult(body)) return body;
			const userId = body.user_id;
			if (userId === undefined || userId === null || userId === '') return fail('The user id field is required.', 'USER_ID_IS_REQUIRED');
			if (typeof userId !== 'string') return fail('The user id must be a string.', 'INVALID_USER_ID');
			const member = g.members.get(userId);
			if (!member) return fail('User not found', 'USER_NOT_FOUND');
			let entry = g.clock.nowSec();
			if (body.entry_at !== undefined && body.entry_at !== null) {
				// The Access schema types entry_at as an integer (UTC Unix seconds).
				if (typeof body.entry_at !== 'number' || !Number.isInteger(body.entry_at))
					return fail('The entry at must be an integer Unix timestamp in seconds.', 'INVALID_ENTRY_AT');
				entry = body.entry_at;
			}
			if (body.door !== undefined && body.door !== null && typeof body.door !== 'string') return fail('The door must be a string.', 'INVALID_DOOR');
			const doorType = body.door_type ?? 'external';
			if (doorType !== 'external' && doorType !== 'internal') return fail('The selected door type is invalid.', 'INVALID_DOOR_TYPE');
			if (body.status !== undefined && body.status !== 'GRANTED' && body.status !== 'FAILED') return fail('The selected status is invalid.', 'INVALID_STATUS');
			const verdict = evaluateEntry(g, member, entry);
			const now = g.clock.nowSec();
			if (verdict.booking) {
				verdict.booking.attended = true;
				verdict.booking.modified = now;
			}
			const access: Access = {
				_id: randomBytes(12).toString('hex'),
				user_id: member._id,
				branch_id: g.branchId,
				namespace: g.namespace,
				entry_at: entry,
				status: (body.status as string | undefined) ?? (verdict.valid ? 'GRANTED' : 'FAILED'),
				valid_on_entry: verdict.valid,
				door: typeof body.door === 'string' ? body.door : null,
				door_type: doorType,
				created: now,
				modified: now,
			};
			g.accesses.set(access._id, { ...access, attended_booking_id: verdict.booking?._id ?? null });
			return json(200, { success: true, access: pick(access, ACCESS_FIELDS) });
		}),
		route('POST', '/2.0/attendances', (ctx) => {
			const body = writeBody(g, ctx);
			if (isResult(body)) return body;
			const ids = body.model_ids;
			if (body.model !== 'bookings' || !Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string'))
				return fail('Invalid model or model_ids', 'INVALID_MODEL');
			const bookings = (ids as string[]).map((id) => g.bookings.get(id));
			if (bookings.some((b) => !b)) return fail('Booking not found', 'BOOKING_NOT_FOUND');
			const now = g.clock.nowSec();
			for (const b of bookings) {
				b!.attended = true;
				b!.modified = now;
			}
			return json(200, { success: true, model_ids: ids });
		}),
	];
}
