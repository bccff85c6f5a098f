import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { idField } from '../common.descriptions';

export const option = { name: 'Get', value: 'get', action: 'Get a user', description: 'Get one user by ID' } as const satisfies OperationOption;

const properties: INodeProperties[] = [idField('userId', 'User ID', 'user')];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const userId = readId(this, 'userId', 'User ID', itemIndex, numericId);
		const { body } = await client.request<IDataObject>({ method: 'GET', path: `/users/${userId}`, itemIndex });
		return body;
	});
}
