import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { idField } from '../common.descriptions';
import { readBack, requireSome } from '../helpers';
import { accessEnabledField, metadataField, nameField, notesField, userBody } from './fields';

export const option = {
	name: 'Update',
	value: 'update',
	action: 'Update a user',
	description: 'Change name, notes, metadata or whether access is enabled',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	idField('userId', 'User ID', 'user'),
	collection('updateFields', [accessEnabledField, metadataField, nameField, notesField], 'The email of a user cannot be changed'),
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const userId = readId(this, 'userId', 'User ID', itemIndex, numericId);
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		requireSome(fields, 'Update Fields', itemIndex);
		const path = `/users/${userId}`;
		const response = await client.request({
			method: 'PATCH',
			path,
			body: { user: userBody(fields, itemIndex, 'Update Fields') },
			itemIndex,
		});
		return await readBack(client, response, path, itemIndex);
	});
}
