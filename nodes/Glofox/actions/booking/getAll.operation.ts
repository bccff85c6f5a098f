import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readLimit, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { objectId } from '../../../shared/validate';
import { bookingWindow, type GlofoxBooking } from '../../mapping/profile';
import { localTimestamp } from '../../mapping/time';
import { branchIdOf, GLOFOX_MAX_PAGE, listEnvelopeB } from '../../transport';
import { branchTimezone, memberBookings } from '../../transport/lookups';
import { readTimeRange, timeRangeFields } from '../timeRange';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many bookings',
	description: 'List bookings whose session starts in a time range, for the branch or one member',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	...timeRangeFields('Bookings whose session starts'),
	...returnAllAndLimit(GLOFOX_MAX_PAGE),
	collection('filters', [
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
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['booking'], operation: ['getAll'] } }, properties);

/**
 * Branch-wide: `GET /2.2/branches/{id}/bookings` with the session-start filter in local timestamps
 * (envelope B). For one member: `GET /2.0/bookings?branchId=&user_id=` with UTC Unix times
 * (envelope A; the window and the status applied here too, see {@link memberBookings}). Every item gets `startsAt` / `endsAt` (ISO UTC) besides Glofox's fields.
 */
export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const { start, end } = readTimeRange(this, itemIndex);
		const limit = readLimit(this, itemIndex);
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
