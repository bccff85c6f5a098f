import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep, updateDisplayOptions } from 'n8n-workflow';

import { checkInProperties, readCheckInParameters } from '../../../shared/checkInParameters';
import { claimToken, processedDataStore } from '../../../shared/claimStore';
import { claimCheckIn, readCooldownMinutes, unlockEventId } from '../../../shared/cooldown';
import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import type { OperationOption } from '../../../shared/router';
import { nonNegative, numericId } from '../../../shared/validate';
import { checkinBody, exactEmailMatches, registrationSearchRange, selectRegistration } from '../../mapping/checkIn';
import { idOf, isObject, type Json, requireBusinessZone } from '../../mapping/profile';
import { idList, teamUpError, teamUpErrorText, teamUpList } from '../../transport';

export const option = {
	name: 'Check In',
	value: 'checkIn',
	action: 'Check in a customer by email',
	description:
		'Record a check-in at the venue of the registration whose window contains the entry time (confirming it where TeamUp allows), or at the front desk',
} as const satisfies OperationOption;

const properties = checkInProperties(
	{
		email: "The person's email, as in TeamUp (compared case-insensitively)",
		occurredAt: 'When the person came in (ISO-8601 with a time zone, e.g. the Kisi Trigger\'s occurredAt)',
		cooldownMinutes: 'A repeat for the same person within this many minutes is output as "duplicate" and sends nothing (0 = off)',
	},
	[
		{
			displayName: 'Minutes After End',
			name: 'minutesAfter',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description: "An entry up to this long after a session's end still counts for it",
		},
		{
			displayName: 'Minutes Before Start',
			name: 'minutesBefore',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description: 'An entry up to this long before a session starts counts for it',
		},
		{
			displayName: 'Only With Registration',
			name: 'onlyWithRegistration',
			type: 'boolean',
			default: false,
			description:
				'Whether to record nothing (status "no_registration") when the entry is outside every registration window, instead of a front-desk check-in',
		},
		{
			displayName: 'Venue ID',
			name: 'venueId',
			type: 'string',
			default: '',
			placeholder: '310',
			description: 'Venue of front-desk check-ins; empty = the first active venue',
		},
	],
);

export const description = updateDisplayOptions({ show: { resource: ['checkIn'], operation: ['checkIn'] } }, properties);

function eventSummary(event: Json, startsAt: string, endsAt: string): IDataObject {
	return { id: idOf(event.id), name: typeof event.name === 'string' ? event.name : null, startsAt, endsAt };
}

/** The answers that say TeamUp has no `confirm_attendance` (it is not in TeamUp's v2 reference). */
const CONFIRM_ABSENT = [404, 405];
/** Answers to `confirm_attendance` after which the documented check-in is recorded instead. */
const CONFIRM_REFUSED = [400, ...CONFIRM_ABSENT];

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	// The cooldown is claimed in n8n's deduplication store before anything is recorded in TeamUp,
	// so that it holds across executions, restarts and queue-mode workers (nodes/shared/cooldown.ts).
	const store = processedDataStore(this);
	// Read once per execution (items run one after another); a failed read is not kept.
	let venues: Json[] | undefined;
	const activeVenues = async (itemIndex: number) => {
		venues ??= (await teamUpList(client, '/venues', { status: 'active' }, { itemIndex })) as Json[];
		return venues;
	};
	// `POST /events/{id}/confirm_attendance` is not in TeamUp's v2 reference: once TeamUp says it does
	// not know it (404/405), the rest of this execution records check-ins without asking again.
	let confirmAbsent: { status: number; body: unknown } | undefined;
	const hints = new Set<string>();

	const output = await forEachItem(this, async (itemIndex) => {
		const { email, occurredAt, options } = readCheckInParameters(this, itemIndex);
		const minutesBefore = nonNegative(options.minutesBefore ?? 60, 'Minutes Before Start', itemIndex);
		const minutesAfter = nonNegative(options.minutesAfter ?? 60, 'Minutes After End', itemIndex);
		const cooldownMinutes = readCooldownMinutes(options.cooldownMinutes, itemIndex);
		const onlyWithRegistration = options.onlyWithRegistration === true;
		const venueOption = typeof options.venueId === 'string' || typeof options.venueId === 'number' ? String(options.venueId).trim() : '';
		const venueId = venueOption ? numericId(venueOption, 'Venue ID', itemIndex) : undefined;
		const at = Date.parse(occurredAt);
		if (email === null) return { status: 'unknown_member', email: null, customerId: null, occurredAt };

		/** Checks the person in (the caller holds the cooldown claim). */
		const checkIn = async (): Promise<IDataObject> => {
			const found = (await teamUpList(client, '/customers', { query: email }, { itemIndex })) as Json[];
			const matches = exactEmailMatches(found, email);
			if (matches.length === 0) return { status: 'unknown_member', email, customerId: null, occurredAt };
			const customerIds = matches.map((customer) => idOf(customer.id)!).filter(Boolean);

			const range = registrationSearchRange(at, { minutesBefore, minutesAfter });
			const attendances = (await teamUpList(
				client,
				'/attendances',
				{ customer: idList(customerIds), event_starts_at_gte: range.from, event_starts_at_lte: range.to, expand: 'event' },
				{ itemIndex },
			)) as Json[];
			const events = new Map<string, Json>();
			for (const attendance of attendances) {
				if (isObject(attendance.event)) events.set(idOf(attendance.event)!, attendance.event);
			}
			const missing = [...new Set(attendances.map((a) => idOf(a.event)).filter((id): id is string => !!id && !events.has(id)))];
			if (missing.length > 0) {
				// TeamUp did not expand the events: read them in one list.
				for (const event of (await teamUpList(client, '/events', { ids: idList(missing) }, { itemIndex })) as Json[]) {
					const id = idOf(event.id);
					if (id) events.set(id, event);
				}
			}
			const mine = attendances.filter((attendance) => customerIds.includes(idOf(attendance.customer) ?? ''));
			const selected = selectRegistration(mine, events, at, { minutesBefore, minutesAfter });

			/** The venue of a front-desk check-in: the one asked for, else `preferred` (a class's), else the first active one. */
			const venueFor = async (preferred?: number): Promise<number> => {
				if (venueId !== undefined) return venueId;
				if (preferred !== undefined) return preferred;
				const list = await activeVenues(itemIndex);
				const first = list.find((v) => v.archived !== true && v.status !== 'archived') ?? list[0];
				if (!first) {
					throw new NodeOperationError(this.getNode(), 'TeamUp lists no active venue to record the check-in at', {
						description: 'Set the Venue ID option of the Check In operation.',
						itemIndex,
					});
				}
				return Number(idOf(first.id));
			};
			/**
			 * `date` of a check-in is the venue's local calendar day: the venue's time zone (a venue that is
			 * not active is read on its own), else the business's (the first active venue's); with none,
			 * the check-in fails rather than guess one.
			 */
			const zoneOf = async (venue: number) => {
				const list = await activeVenues(itemIndex);
				let chosen = list.find((v) => idOf(v.id) === String(venue));
				if (!chosen) {
					const { status, body } = await client.request<Json>({ method: 'GET', path: `/venues/${venue}`, itemIndex, expect: [404] });
					if (status !== 404 && isObject(body)) chosen = body;
				}
				return requireBusinessZone(chosen ? [chosen, ...list] : list);
			};

			if (selected) {
				const customerId = idOf(selected.attendance.customer) ?? customerIds[0];
				const raw = selected.attendance;
				let attendance: IDataObject = { ...raw, event: (isObject(raw.event) ? raw.event.id : raw.event) as IDataObject['event'] };
				const event = eventSummary(selected.event, selected.startsAt, selected.endsAt);
				let refused: { status: number; body: unknown } | undefined;
				if (selected.status === 'registered') {
					if (confirmAbsent) refused = confirmAbsent;
					else {
						const response = await client.request<IDataObject>({
							method: 'POST',
							path: `/events/${selected.eventId}/confirm_attendance`,
							body: { customer: Number(customerId) },
							itemIndex,
							expect: CONFIRM_REFUSED,
						});
						if (CONFIRM_REFUSED.includes(response.status)) {
							refused = { status: response.status, body: response.body };
							if (CONFIRM_ABSENT.includes(response.status)) confirmAbsent = refused;
						} else attendance = isObject(response.body) ? response.body : { ...attendance, status: 'attended' };
					}
				}
				if (refused) {
					// The documented way in: a check-in at the class's venue, the class stays unconfirmed.
					const classVenue = Number(idOf(selected.event.venue));
					const venue = await venueFor(Number.isInteger(classVenue) && classVenue > 0 ? classVenue : undefined);
					const checkin = await recordFrontDesk(client, { customer: Number(customerId), venue, at: occurredAt, zone: await zoneOf(venue) }, itemIndex);
					const said = teamUpErrorText(refused.body);
					const fallback = `TeamUp ${refused.status === 400 ? 'refused' : 'does not offer'} POST /events/{id}/confirm_attendance (${refused.status}${said ? `: ${said}` : ''}), which is not in its v2 reference: recorded a check-in with POST /checkins instead; the registration stays unconfirmed in TeamUp.`;
					hints.add(
						refused.status === 400
							? 'TeamUp refused to confirm an attendance (400): that person was checked in with POST /checkins instead (see "fallback" in the item).'
							: 'TeamUp does not offer POST /events/{id}/confirm_attendance (not in its v2 reference): people with a registration were checked in with POST /checkins instead; their registrations stay unconfirmed in TeamUp.',
					);
					return { status: 'checked_in', email, customerId, occurredAt, event, checkin, fallback };
				}
				return { status: 'attended_class', email, customerId, occurredAt, event, attendance };
			}

			const customerId = customerIds[0];
			if (onlyWithRegistration) return { status: 'no_registration', email, customerId, occurredAt };

			const venue = await venueFor();
			const checkin = await recordFrontDesk(client, { customer: Number(customerId), venue, at: occurredAt, zone: await zoneOf(venue) }, itemIndex);
			return { status: 'checked_in', email, customerId, occurredAt, checkin };
		};

		const eventId = unlockEventId(this.getInputData()[itemIndex]?.json);
		const claim = await claimCheckIn(store, { person: email, atMs: at, minutes: cooldownMinutes, eventId, token: claimToken(this, itemIndex) }, sleep);
		if (!claim.granted) return { status: 'duplicate', email, occurredAt, lastCheckInAt: claim.lastCheckInAt, cooldownMinutes };
		let done = false;
		try {
			const result = await checkIn();
			// An unknown person, or one without a registration (Only With Registration), was not checked in.
			done = result.status !== 'no_registration' && result.status !== 'unknown_member';
			return result;
		} finally {
			// Nothing was recorded in TeamUp: the next entry may check the person in.
			if (!done) await claim.release();
		}
	});
	for (const message of hints) this.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
	return output;
}

/**
 * `POST /checkins {date, venue, customer}`. TeamUp's reference types `date` as a calendar date
 * (`string<date>`, e.g. `2024-07-29`:
 * github.com/rob693/teamup-api-docs/blob/HEAD/endpoints_checkins-create.md): the venue's local day of the
 * instant is sent. Should TeamUp answer a 400 naming `date` (the other reading: a date-time), the
 * instant is sent instead; a 400 creates nothing, so sending again is safe.
 */
async function recordFrontDesk(
	client: ApiClient,
	input: { customer: number; venue: number; at: string; zone: string },
	itemIndex: number,
): Promise<IDataObject> {
	const body = checkinBody({ customer: input.customer, venue: input.venue, atMs: Date.parse(input.at), zone: input.zone });
	const send = async (date: string) =>
		await client.request<IDataObject>({ method: 'POST', path: '/checkins', body: { ...body, date }, itemIndex, expect: [400] });
	let response = await send(body.date);
	if (response.status === 400 && namesField(response.body, 'date')) response = await send(input.at);
	if (response.status === 400) throw teamUpError(client, { method: 'POST', path: '/checkins', itemIndex }, 400, response.body);
	return (response.body ?? {}) as IDataObject;
}

function namesField(body: unknown, field: string): boolean {
	if (!isObject(body) || !isObject(body.field_errors)) return false;
	return Object.prototype.hasOwnProperty.call(body.field_errors, field);
}
