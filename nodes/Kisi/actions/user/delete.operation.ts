import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { idField } from '../common.descriptions';
import { deleted, idParam } from '../helpers';

const properties: INodeProperties[] = [
	{
		...idField('userId', 'User ID', 'user'),
		description: 'The numeric ID of the user. Deleting a user removes all of their access.',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const userId = idParam(this, 'userId', 'User ID', itemIndex);
		await client.request({ method: 'DELETE', path: `/users/${userId}`, itemIndex });
		return deleted('User', userId);
	});
}
