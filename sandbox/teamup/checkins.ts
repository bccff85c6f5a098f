/** `POST /checkins`: a customer checks in at a venue on a (local) day. */
import { DateTime } from 'luxon';
import { type Route, route } from '../service';
import { isDateOnly, isResult, json, nextId } from '../util';
import type { TeamUpStore } from '.';
import { body, drfBoolean, invalid, pk } from './http';
import { checkinJson } from './json';
import type { Checkin, CustomerMembership, TeamUpPrincipal } from './records';

export function checkinRoutes(t: TeamUpStore): Route<TeamUpPrincipal>[] {
	return [
		route('POST', '/checkins', (ctx) => {
			const b = body(ctx);
			if (isResult(b)) return b;
			const errors: Record<string, string[]> = {};
			const required = 'This field is required.';
			// `date` is `string<date>` (a calendar date, the venue's local day): a date-time is refused
			// as Django REST framework's DateField refuses it.
			if (b.date === undefined || b.date === null || b.date === '') errors.date = [required];
			else if (typeof b.date !== 'string' || !isDateOnly(b.date) || !DateTime.fromISO(b.date).isValid)
				errors.date = ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'];
			const venue = pk(b.venue, t.venues, 'venue', errors);
			const customer = pk(b.customer, t.customers, 'customer', errors);
			let cm: CustomerMembership | undefined;
			if (b.customer_membership != null) {
				cm = pk(b.customer_membership, t.customerMemberships, 'customer_membership', errors);
				if (cm && customer && cm.customer !== customer.id) errors.customer_membership = ['This membership does not belong to the customer.'];
			}
			const comped = b.comped === undefined ? false : drfBoolean(b.comped);
			if (comped === undefined) errors.comped = ['Must be a valid boolean.'];
			if (Object.keys(errors).length) return invalid(errors);
			// The time of the check-in: now when `date` is the venue's today, else the start of that day there.
			const zone = venue!.timezone;
			const now = DateTime.fromISO(t.clock.nowIso(), { zone });
			const timestamp = b.date === now.toISODate() ? t.clock.nowIso() : DateTime.fromISO(b.date as string, { zone }).toUTC().toISO()!;
			const checkin: Checkin = {
				id: nextId(t.checkins.keys(), 1),
				timestamp,
				comped: comped!,
				customer_membership: cm?.id ?? null,
				customer: customer!.id,
				venue: venue!.id,
			};
			t.checkins.set(checkin.id, checkin);
			return json(201, checkinJson(checkin));
		}),
	];
}
