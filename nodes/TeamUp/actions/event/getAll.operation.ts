import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readLimit, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericIds, optionalInstant } from '../../../shared/validate';
import { registrationKind } from '../../mapping/profile';
import { idList, teamUpList } from '../../transport';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many events',
	description: 'List classes and appointments by date range, venue or type',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	...returnAllAndLimit(),
	collection('filters', [
		{
			displayName: 'Kind',
			name: 'kind',
			type: 'options',
			options: [
				{ name: 'Appointment', value: 'appointment' },
				{ name: 'Class', value: 'class' },
			],
			default: 'class',
			description: 'Only classes or only appointments (filtered by the node)',
		},
		{
			displayName: 'Offering Type IDs',
			name: 'offeringTypes',
			type: 'string',
			default: '',
			placeholder: '77, 78',
			description: 'Only events of these class / appointment types (comma-separated IDs)',
		},
		{
			displayName: 'Starts After',
			name: 'startsAfter',
			type: 'dateTime',
			default: '',
			description: 'Only events that start at or after this time',
		},
		{
			displayName: 'Starts Before',
			name: 'startsBefore',
			type: 'dateTime',
			default: '',
			description: 'Only events that start at or before this time',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: [
				{ name: 'Active', value: 'active' },
				{ name: 'Cancelled', value: 'cancelled' },
			],
			default: 'active',
		},
		{
			displayName: 'Venue IDs',
			name: 'venues',
			type: 'string',
			default: '',
			placeholder: '310',
			description: 'Only events at these venues (comma-separated IDs)',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	const zone = this.getTimezone();
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = { sort: 'start' };
		const startsAfter = optionalInstant(filters.startsAfter, 'Starts After', itemIndex, { zone });
		const startsBefore = optionalInstant(filters.startsBefore, 'Starts Before', itemIndex, { zone });
		if (startsAfter) qs.starts_at_gte = startsAfter;
		if (startsBefore) qs.starts_at_lte = startsBefore;
		if (filters.venues) qs.venues = idList(numericIds(filters.venues, 'Venue IDs', itemIndex));
		if (filters.offeringTypes) qs.offering_types = idList(numericIds(filters.offeringTypes, 'Offering Type IDs', itemIndex));
		if (typeof filters.status === 'string' && filters.status) qs.status = filters.status;
		const kind = typeof filters.kind === 'string' && filters.kind ? filters.kind : undefined;
		const keep = kind ? (event: IDataObject) => registrationKind(event) === kind : undefined;
		return await teamUpList(client, '/events', qs, { limit, itemIndex, keep });
	});
}
