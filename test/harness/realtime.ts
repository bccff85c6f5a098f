/**
 * The changes that reach the real-time templates, written the way each source keeps them (a TeamUp
 * customer membership or attendance; a Glofox member's membership or a booking), for the demo gym
 * built at `now`, as bodies of `POST /__sandbox/change`, with the Kisi share each should end up as.
 * One `Gym` per source, so that the engine tests, the e2e test and the bench run the same changes
 * for both. Used by test/engine/realtime, test/e2e/realtime.test.ts and bench/realtime.ts.
 */
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { DEMO_KISI, DEMO_TIME_ZONE } from '../../sandbox/scenarios/demo';
import { hexId } from '../../sandbox/util';
import type { ScenarioInput } from '../../sandbox';
import type { TemplateName } from './templates';

export type Source = 'teamup' | 'glofox';

/** A change as `POST /__sandbox/change` takes it (without the service). */
export interface Change {
	collection: string;
	upsert?: IDataObject;
	delete?: string | number;
}

export type Validity = { valid_from: string; valid_until: string };
export type DemoClass = 'yoga' | 'spin';

export interface Gym {
	source: Source;
	template: TemplateName;
	fifteenMinuteTemplate: TemplateName;
	/** The Kisi group both templates manage. */
	groupId: number;
	/** The sync node's name in the real-time template, and in the 15-minute one. */
	syncNode: string;
	fifteenMinuteSyncNode: string;
	/** The source's id of a person of `scenario`, by e-mail. */
	idOf(scenario: ScenarioInput, email: string): string;
	/**
	 * Buying a membership valid from today's local midnight to the end of `lastDay` (days from
	 * today); `key` tells several new memberships apart (default 0).
	 */
	buy(scenario: ScenarioInput, email: string, lastDay: number, key?: number): Change;
	/** Cancelling the membership `buy` sold. */
	cancel(scenario: ScenarioInput, email: string, key?: number): Change;
	/** The membership `buy` sold, renewed to `lastDay`. */
	renew(scenario: ScenarioInput, email: string, lastDay: number, key?: number): Change;
	/** The share's validity Kisi should end up with for `buy` (the evaluator's rules for this source). */
	membershipWindow(lastDay: number): Validity;
	/** A change to the person's own record that does not change their access (a new phone number). */
	touch(scenario: ScenarioInput, email: string, phone: string): Change;
	/** Booking the demo class `cls` for the person; `key` tells several new bookings apart. */
	book(scenario: ScenarioInput, email: string, cls: DemoClass, key?: number): Change;
	/** A new person in the source (a customer / member without a membership). */
	newPerson(email: string): Change;
}

type Records = Record<string, IDataObject[]>;
const section = (scenario: ScenarioInput, source: Source) => (scenario as unknown as Record<Source, Records>)[source];
const iso = (at: DateTime) => at.toUTC().toISO({ suppressMilliseconds: true })!;

/** Demo classes: minutes from now and length (sandbox/scenarios/demo.ts). */
const CLASSES: Record<DemoClass, { at: number; minutes: number; teamupEvent: number }> = {
	yoga: { at: 45, minutes: 60, teamupEvent: 5550004 },
	spin: { at: 270, minutes: 60, teamupEvent: 5550006 },
};

/** Ids the changes give new records (outside the demo's ranges). */
const TEAMUP_NEW_MEMBERSHIP = 99001;
const TEAMUP_NEW_ATTENDANCE = 99101;
const TEAMUP_NEW_CUSTOMER = 99201;
const hex = (prefix: string, key: number) => `${prefix}${key.toString(16).padStart(24 - prefix.length, '0')}`;

/** The changes and their expected shares for the demo gym built at `now` (sandbox/scenarios/demo.ts). */
export function realtimeGyms(now: Date): { TEAMUP: Gym; GLOFOX: Gym; GYMS: Gym[]; midnight: (days: number) => DateTime; classWindow: (cls: DemoClass) => Validity } {
	/** Local midnight `days` from the demo's today, in the gym's zone. */
	const midnight = (days: number) => DateTime.fromJSDate(now, { zone: DEMO_TIME_ZONE }).startOf('day').plus({ days });
	const minutesFromNow = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString().replace('.000Z', 'Z');
	/** The access window the templates give a booking: 60 minutes before the class to 60 minutes after it. */
	const classWindow = (cls: DemoClass): Validity => {
		const c = CLASSES[cls];
		return { valid_from: minutesFromNow(c.at - 60), valid_until: minutesFromNow(c.at + c.minutes + 60) };
	};
	// Both sources end access at the local midnight after the last day (TeamUp's expiration date is
	// the last day; Glofox's expiry is written here as that midnight).
	const membershipWindow = (lastDay: number): Validity => ({ valid_from: iso(midnight(0)), valid_until: iso(midnight(lastDay + 1)) });

	const TEAMUP: Gym = {
		source: 'teamup',
		template: 'teamup-kisi-realtime-access',
		fifteenMinuteTemplate: 'teamup-kisi-access-sync',
		groupId: DEMO_KISI.teamupGroupId,
		syncNode: 'Kisi: update these people in the TeamUp Members group',
		fifteenMinuteSyncNode: 'Kisi: sync the TeamUp Members group',
		idOf: (scenario, email) => String(section(scenario, 'teamup').customers.find((c) => c.email === email)!.id),
		buy: (scenario, email, lastDay, key = 0) => ({
			collection: 'customer_memberships',
			upsert: {
				id: TEAMUP_NEW_MEMBERSHIP + key,
				customer: Number(TEAMUP.idOf(scenario, email)),
				membership: 4404, // 3 Month Prepaid: no renewal, no payment subscription
				status: 'active',
				start_date: midnight(0).toISODate(),
				expiration_date: midnight(lastDay).toISODate(),
			},
		}),
		cancel: (_scenario, _email, key = 0) => ({ collection: 'customer_memberships', upsert: { id: TEAMUP_NEW_MEMBERSHIP + key, status: 'cancelled' } }),
		renew: (_scenario, _email, lastDay, key = 0) => ({
			collection: 'customer_memberships',
			upsert: { id: TEAMUP_NEW_MEMBERSHIP + key, status: 'active', expiration_date: midnight(lastDay).toISODate() },
		}),
		membershipWindow,
		touch: (scenario, email, phone) => ({ collection: 'customers', upsert: { id: Number(TEAMUP.idOf(scenario, email)), phone } }),
		book: (scenario, email, cls, key = 0) => ({
			collection: 'attendances',
			upsert: { id: TEAMUP_NEW_ATTENDANCE + key, customer: Number(TEAMUP.idOf(scenario, email)), event: CLASSES[cls].teamupEvent, status: 'registered', customer_membership: null },
		}),
		newPerson: (email) => ({ collection: 'customers', upsert: { id: TEAMUP_NEW_CUSTOMER, first_name: 'New', last_name: 'Person', email } }),
	};

	const glofoxMembership = (status: string, lastDay: number) => ({
		type: 'time',
		status,
		start_date: Math.round(midnight(0).toSeconds()),
		expiry_date: Math.round(midnight(lastDay + 1).toSeconds()),
		plan_code: 1001,
		user_membership_id: 'd0d0d0d0d0d0d0d0d0d0d0d0',
	});
	/** The last day `buy` or `renew` sold, per member, so that `cancel` keeps the dates. */
	const glofoxLastDay = new Map<string, number>();
	const GLOFOX: Gym = {
		source: 'glofox',
		template: 'glofox-kisi-realtime-access',
		fifteenMinuteTemplate: 'glofox-kisi-access-sync',
		groupId: DEMO_KISI.glofoxGroupId,
		syncNode: 'Kisi: update these people in the Glofox Members group',
		fifteenMinuteSyncNode: 'Kisi: sync the Glofox Members group',
		idOf: (scenario, email) => String(section(scenario, 'glofox').members.find((m) => m.email === email)!._id),
		// A Glofox member holds one membership: `key` is not needed.
		buy: (scenario, email, lastDay) => {
			const id = GLOFOX.idOf(scenario, email);
			glofoxLastDay.set(id, lastDay);
			return { collection: 'members', upsert: { _id: id, membership: glofoxMembership('ACTIVE', lastDay) } };
		},
		cancel: (scenario, email) => {
			const id = GLOFOX.idOf(scenario, email);
			return { collection: 'members', upsert: { _id: id, membership: glofoxMembership('CANCELLED', glofoxLastDay.get(id) ?? 0) } };
		},
		renew: (scenario, email, lastDay) => GLOFOX.buy(scenario, email, lastDay),
		membershipWindow,
		touch: (scenario, email, phone) => ({ collection: 'members', upsert: { _id: GLOFOX.idOf(scenario, email), phone } }),
		book: (scenario, email, cls, key = 0) => ({
			collection: 'bookings',
			upsert: { _id: hex('b0b0', key), user_id: GLOFOX.idOf(scenario, email), event_id: hexId(`demo:event:${cls}`), status: 'BOOKED', attended: false, guest_bookings: 0 },
		}),
		newPerson: (email) => ({ collection: 'members', upsert: { _id: 'c0c0c0c0c0c0c0c0c0c0c0c0', first_name: 'New', last_name: 'Person', email, active: true, membership: null } }),
	};
	return { TEAMUP, GLOFOX, GYMS: [TEAMUP, GLOFOX], midnight, classWindow };
}
