import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { placeLocator } from '../common.descriptions';

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get a place',
	description: 'Get one place (a site with doors)',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [placeLocator];

export const description = updateDisplayOptions({ show: { resource: ['place'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const placeId = readId(this, 'placeId', 'Place', itemIndex, numericId);
		const { body } = await client.request({ method: 'GET', path: `/places/${placeId}`, itemIndex });
		return body as IDataObject;
	});
}
