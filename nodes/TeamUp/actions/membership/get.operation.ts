import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { membershipLocator } from '../common.descriptions';

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get a membership plan',
	description: 'Get one membership plan by ID',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [membershipLocator];

export const description = updateDisplayOptions({ show: { resource: ['membership'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = readId(this, 'membershipId', 'Membership', itemIndex, numericId);
		const { body } = await client.request({ method: 'GET', path: `/memberships/${id}`, itemIndex });
		return body as IDataObject;
	});
}
