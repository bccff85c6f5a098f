import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { idField } from '../common.descriptions';

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get an event',
	description: 'Get one class or appointment by ID',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [idField('eventId', 'Event ID', 'The ID of the class or appointment')];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = readId(this, 'eventId', 'Event ID', itemIndex, numericId);
		const { body } = await client.request({ method: 'GET', path: `/events/${id}`, itemIndex });
		return body as IDataObject;
	});
}
