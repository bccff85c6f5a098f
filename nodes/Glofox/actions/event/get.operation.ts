import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { objectId } from '../../../shared/validate';
import { branchIdOf, singleOf } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Event ID',
		name: 'eventId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '6a360ab91d92d5d3cb02d69b',
		description: 'The 24-character Glofox ID of the event (a dated class, course session or appointment slot)',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const eventId = objectId(this.getNodeParameter('eventId', itemIndex), 'Event ID', itemIndex);
		const branchId = await branchIdOf(client);
		const { body } = await client.request({ method: 'GET', path: `/2.0/branches/${branchId}/events/${eventId}`, itemIndex });
		return singleOf(body);
	});
}
