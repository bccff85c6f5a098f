import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { sleep, updateDisplayOptions } from 'n8n-workflow';

import { checkInProperties, readCheckInParameters } from '../../../shared/checkInParameters';
import { claimToken, processedDataStore } from '../../../shared/claimStore';
import { claimCheckIn, readCooldownMinutes, unlockEventId } from '../../../shared/cooldown';
import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import type { OperationOption } from '../../../shared/router';
import { accessOutcome, attendedBooking, BOOKING_REACH_MS } from '../../mapping/checkIn';
import { msToUnix } from '../../mapping/time';
import { findMembersByEmail, memberBookings } from '../../transport/lookups';

export const option = {
	name: 'Check In',
	value: 'checkIn',
	action: 'Check in a member by email',
	description:
		"Record a member's entry in Glofox: Glofox says whether it was valid and marks a booking within the hour attended",
} as const satisfies OperationOption;

const DAY_MS = 86_400_000;

const properties = checkInProperties(
	{
		email: 'Email of the person who came in (exact address, compared case-insensitively)',
		occurredAt: 'When the person came in: an ISO-8601 instant with a time zone (the Kisi Trigger gives it as occurredAt)',
		occurredAtPlaceholder: '2026-03-02T14:55:00Z',
		cooldownMinutes:
			'A second entry of the same person within this many minutes is output as "duplicate" and not sent to Glofox (0 = record every entry)',
	},
	[
		{
			displayName: 'Door',
			name: 'door',
			type: 'string',
			default: '={{ $json.object_name || "Front door" }}',
			description:
				'Door name recorded with the access in Glofox. Without this option: the input item\'s object_name (the lock name in a Kisi event), else "Front door".',
		},
	],
);

export const description = updateDisplayOptions({ show: { resource: ['checkIn'], operation: ['checkIn'] } }, properties);

/**
 * Check In: find the member by email; record the entry with `POST /2.0/access` (no `status`, so
 * Glofox evaluates it and marks a booking within the hour attended); read the member's bookings
 * around the instant to report the one now attended. A key without write access fails here with
 * Glofox's INVALID_USER_TYPE, explained (what to ask Glofox for) by the transport.
 *
 * The cooldown is claimed in n8n's deduplication store before anything is sent, so that it holds
 * across executions, restarts and queue-mode workers (nodes/shared/cooldown.ts); a claim whose
 * check-in fails is given back.
 */
export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	const store = processedDataStore(this);
	return await forEachItem(this, async (itemIndex) => {
		const { rawEmail, email, occurredAt, options } = readCheckInParameters(this, itemIndex);
		const cooldownMinutes = readCooldownMinutes(options.cooldownMinutes, itemIndex);
		if (email === null) return { status: 'unknown_member', email: null, occurredAt };
		// Door: the option when set, else the Kisi event's lock name (object_name), else "Front door".
		const inputDoor = this.getInputData()[itemIndex]?.json?.object_name;
		const doorOption = typeof options.door === 'string' ? options.door.trim() : '';
		const door = doorOption || (typeof inputDoor === 'string' && inputDoor.trim() !== '' ? inputDoor.trim() : 'Front door');
		const atMs = Date.parse(occurredAt);

		const eventId = unlockEventId(this.getInputData()[itemIndex]?.json);
		const claim = await claimCheckIn(store, { person: email, atMs, minutes: cooldownMinutes, eventId, token: claimToken(this, itemIndex) }, sleep);
		if (!claim.granted) return { status: 'duplicate', email, occurredAt, lastCheckInAt: claim.lastCheckInAt, cooldownMinutes };

		/** Finds the member and records the entry; undefined when Glofox does not know the email. */
		const recordEntry = async () => {
			const members = await findMembersByEmail(client, String(rawEmail), itemIndex);
			// Emails are unique per branch; should Glofox hold several, prefer an active member.
			const member = members.find((m) => m.active !== false) ?? members[0];
			if (!member) return undefined;
			const memberId = String(member._id);
			const { body } = await client.request<IDataObject>({
				method: 'POST',
				path: '/2.0/access',
				body: { user_id: memberId, entry_at: msToUnix(atMs), door, door_type: 'external' },
				itemIndex,
				idempotent: false,
			});
			return { memberId, body };
		};
		let entry: Awaited<ReturnType<typeof recordEntry>>;
		try {
			entry = await recordEntry();
		} finally {
			// Nobody was checked in (an unknown member, or Glofox refused): the next entry may be.
			if (!entry) await claim.release();
		}
		if (!entry) return { status: 'unknown_member', email, occurredAt };
		const { memberId, body } = entry;
		const outcome = accessOutcome(body);

		// Sessions starting from 6 h before the entry to 1 h after it (inclusive).
		const around = await memberBookings(client, memberId, atMs - DAY_MS / 4, atMs + BOOKING_REACH_MS + 1, itemIndex);
		const booking = attendedBooking(around, atMs, outcome.recordedAtMs ?? undefined);

		return {
			status: 'checked_in',
			email,
			memberId,
			occurredAt,
			validOnEntry: outcome.validOnEntry,
			accessStatus: outcome.accessStatus,
			booking,
			access: outcome.access as IDataObject,
		};
	});
}
