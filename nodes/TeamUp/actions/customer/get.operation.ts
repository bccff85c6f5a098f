import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { customerLocator, readId } from '../common.descriptions';

const properties: INodeProperties[] = [customerLocator];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = readId(this, 'customerId', 'Customer', itemIndex);
		const { body } = await client.request({ method: 'GET', path: `/customers/${id}`, itemIndex });
		return body as IDataObject;
	});
}
