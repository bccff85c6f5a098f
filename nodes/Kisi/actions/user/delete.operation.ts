import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { idField } from '../common.descriptions';
import { deleted } from '../helpers';

export const option = {
	name: 'Delete',
	value: 'delete',
	action: 'Delete a user',
	description: 'Remove a person and all of their access',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	idField('userId', 'User ID', 'user', 'The numeric ID of the user. Deleting a user removes all of their access.'),
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const userId = readId(this, 'userId', 'User ID', itemIndex, numericId);
		await client.request({ method: 'DELETE', path: `/users/${userId}`, itemIndex });
		return deleted('User', userId);
	});
}
