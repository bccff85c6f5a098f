import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { InvalidInput, objectId } from '../../../shared/validate';
import { bookingWindow, type GlofoxBooking } from '../../mapping/profile';
import { localTimestamp } from '../../mapping/time';
import { branchIdOf, listEnvelopeB } from '../../transport';
import { returnAllAndLimit } from '../common.descriptions';
import { branchTimezone, dateTimeParameter, memberBookings } from '../shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Starts After',
		name: 'start',
		type: 'dateTime',
		required: true,
		default: '={{ $now.startOf("day").toISO() }}',
		description: 'Bookings whose session starts at or after this time',
	},
	{
		displayName: 'Starts Before',
		name: 'end',
		type: 'dateTime',
		required: true,
		default: '={{ $now.startOf("day").plus({ days: 1 }).toISO() }}',
		description: 'Bookings whose session starts before this time',
	},
	...returnAllAndLimit('booking', 'getAll'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Member ID',
				name: 'memberId',
				type: 'string',
				default: '',
				placeholder: '62d9e7d8e803e136a87b7367',
				description: "Only this member's bookings (24-character Glofox ID)",
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Any', value: '' },
					{ name: 'Booked', value: 'BOOKED', description: 'Booked (attended bookings stay Booked, with attended: true)' },
					{ name: 'Canceled', value: 'CANCELED' },
					{ name: 'Failed', value: 'FAILED' },
					{ name: 'Reserved', value: 'RESERVED', description: 'A spot held while a payment completes' },
					{ name: 'Waiting', value: 'WAITING', description: 'On the waiting list' },
				],
				default: '',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['booking'], operation: ['getAll'] } }, properties);

/**
 * Branch-wide: `GET /2.2/branches/{id}/bookings` with the session-start filter in local timestamps
 * (envelope B). For one member: `GET /2.0/bookings?branchId=&user_id=` with UTC Unix times
 * (envelope A; the window and the status applied here too, see {@link memberBookings}). Every item gets `startsAt` / `endsAt` (ISO UTC) besides Glofox's fields.
 */
export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const start = dateTimeParameter(this, this.getNodeParameter('start', itemIndex), 'Starts After', itemIndex);
		const end = dateTimeParameter(this, this.getNodeParameter('end', itemIndex), 'Starts Before', itemIndex);
		if (end <= start) throw new InvalidInput('Starts Before', itemIndex, `Item ${itemIndex}: "Starts Before" must be later than "Starts After"`);
		const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const status = typeof filters.status === 'string' ? filters.status : '';
		const memberId =
			typeof filters.memberId === 'string' && filters.memberId.trim() !== '' ? objectId(filters.memberId, 'Member ID', itemIndex) : undefined;

		const withTimes = (zone: string) => (booking: IDataObject) => {
			const window = bookingWindow(booking as unknown as GlofoxBooking, zone);
			return {
				...booking,
				startsAt: window ? new Date(window.startMs).toISOString() : null,
				endsAt: window ? new Date(window.endMs).toISOString() : null,
			};
		};

		if (memberId) {
			const matches = (booking: IDataObject) => status === '' || String(booking.status ?? '').toUpperCase() === status;
			const found = (await memberBookings(client, memberId, start, end, itemIndex)).filter(matches);
			return found.slice(0, limit ?? found.length).map(withTimes('UTC'));
		}

		const zone = await branchTimezone(client, itemIndex);
		const branchId = await branchIdOf(client);
		const qs: IDataObject = {
			time_start_start_date: localTimestamp(start, zone),
			time_start_end_date: localTimestamp(end, zone) - 1,
		};
		if (status) qs.status = status;
		const bookings = await listEnvelopeB(client, `/2.2/branches/${branchId}/bookings`, qs, { limit, itemIndex });
		return bookings.map(withTimes(zone));
	});
}
