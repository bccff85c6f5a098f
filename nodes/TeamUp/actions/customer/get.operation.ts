import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { customerLocator } from '../common.descriptions';

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get a customer',
	description: 'Get one customer by ID',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [customerLocator];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = readId(this, 'customerId', 'Customer', itemIndex, numericId);
		const { body } = await client.request({ method: 'GET', path: `/customers/${id}`, itemIndex });
		return body as IDataObject;
	});
}
