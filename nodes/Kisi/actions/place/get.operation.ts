import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { numericId } from '../../../shared/validate';
import { placeLocator } from '../common.descriptions';

const properties: INodeProperties[] = [placeLocator];

export const description = updateDisplayOptions({ show: { resource: ['place'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const placeId = numericId(this.getNodeParameter('placeId', itemIndex, '', { extractValue: true }), 'Place', itemIndex);
		const { body } = await client.request({ method: 'GET', path: `/places/${placeId}`, itemIndex });
		return body as IDataObject;
	});
}
