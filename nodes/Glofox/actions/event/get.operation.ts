import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { idField, readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { objectId } from '../../../shared/validate';
import { branchIdOf, singleOf } from '../../transport';

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get an event',
	description: 'Get one event (class, course session or appointment)',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	idField({
		name: 'eventId',
		displayName: 'Event ID',
		placeholder: '6a360ab91d92d5d3cb02d69b',
		description: 'The 24-character Glofox ID of the event (a dated class, course session or appointment slot)',
	}),
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const eventId = readId(this, 'eventId', 'Event ID', itemIndex, objectId);
		const branchId = await branchIdOf(client);
		const { body } = await client.request({ method: 'GET', path: `/2.0/branches/${branchId}/events/${eventId}`, itemIndex });
		return singleOf(body);
	});
}
