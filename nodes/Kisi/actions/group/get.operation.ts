import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { groupLocator } from '../common.descriptions';

export const option = { name: 'Get', value: 'get', action: 'Get a group', description: 'Get one group' } as const satisfies OperationOption;

const properties: INodeProperties[] = [groupLocator];

export const description = updateDisplayOptions({ show: { resource: ['group'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const groupId = readId(this, 'groupId', 'Group', itemIndex, numericId);
		const { body } = await client.request<IDataObject>({ method: 'GET', path: `/groups/${groupId}`, itemIndex });
		return body;
	});
}
