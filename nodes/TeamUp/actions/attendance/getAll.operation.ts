import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readLimit, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericIds, optionalInstant } from '../../../shared/validate';
import { idList, teamUpList } from '../../transport';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many attendances',
	description: 'List registrations by customer, event, date range or status',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	...returnAllAndLimit(),
	{
		displayName: 'Include Event',
		name: 'includeEvent',
		type: 'boolean',
		default: true,
		description: 'Whether to include each event (name, start, end) instead of its ID',
	},
	collection('filters', [
		{
			displayName: 'Customer IDs',
			name: 'customer',
			type: 'string',
			default: '',
			placeholder: '812345',
			description: 'Only registrations of these customers (comma-separated IDs)',
		},
		{
			displayName: 'Event IDs',
			name: 'event',
			type: 'string',
			default: '',
			placeholder: '5550001',
			description: 'Only registrations for these events (comma-separated IDs)',
		},
		{
			displayName: 'Event Starts After',
			name: 'startsAfter',
			type: 'dateTime',
			default: '',
			description: 'Only registrations for events that start at or after this time',
		},
		{
			displayName: 'Event Starts Before',
			name: 'startsBefore',
			type: 'dateTime',
			default: '',
			description: 'Only registrations for events that start at or before this time',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: [
				{ name: 'Attended', value: 'attended' },
				{ name: 'Late Cancelled', value: 'late_cancelled' },
				{ name: 'No Show', value: 'no_show' },
				{ name: 'Not Registered', value: 'not_registered' },
				{ name: 'Registered', value: 'registered' },
				{ name: 'Registered or Waitlisted', value: 'plans_to_attend' },
			],
			default: 'registered',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['attendance'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	const zone = this.getTimezone();
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		const includeEvent = this.getNodeParameter('includeEvent', itemIndex, true) as boolean;
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = { sort: 'event_starts_at' };
		if (filters.customer) qs.customer = idList(numericIds(filters.customer, 'Customer IDs', itemIndex));
		if (filters.event) qs.event = idList(numericIds(filters.event, 'Event IDs', itemIndex));
		const startsAfter = optionalInstant(filters.startsAfter, 'Event Starts After', itemIndex, { zone });
		const startsBefore = optionalInstant(filters.startsBefore, 'Event Starts Before', itemIndex, { zone });
		if (startsAfter) qs.event_starts_at_gte = startsAfter;
		if (startsBefore) qs.event_starts_at_lte = startsBefore;
		if (typeof filters.status === 'string' && filters.status) qs.status = filters.status;
		if (includeEvent) qs.expand = 'event';
		return await teamUpList(client, '/attendances', qs, { limit, itemIndex });
	});
}
