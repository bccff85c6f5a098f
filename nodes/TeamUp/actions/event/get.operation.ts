import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { idField, readId } from '../common.descriptions';

const properties: INodeProperties[] = [idField('eventId', 'Event ID', 'The ID of the class or appointment')];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = readId(this, 'eventId', 'Event ID', itemIndex);
		const { body } = await client.request({ method: 'GET', path: `/events/${id}`, itemIndex });
		return body as IDataObject;
	});
}
