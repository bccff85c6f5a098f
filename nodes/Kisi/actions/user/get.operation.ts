import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { idField } from '../common.descriptions';
import { idParam } from '../helpers';

const properties: INodeProperties[] = [idField('userId', 'User ID', 'user')];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const userId = idParam(this, 'userId', 'User ID', itemIndex);
		const { body } = await client.request<IDataObject>({ method: 'GET', path: `/users/${userId}`, itemIndex });
		return body;
	});
}
