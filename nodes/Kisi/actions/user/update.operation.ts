import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { idField } from '../common.descriptions';
import { idParam, readBack, requireSome } from '../helpers';
import { accessEnabledField, metadataField, nameField, notesField, userBody } from './fields';

const properties: INodeProperties[] = [
	idField('userId', 'User ID', 'user'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'The email of a user cannot be changed',
		options: [accessEnabledField, metadataField, nameField, notesField],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const userId = idParam(this, 'userId', 'User ID', itemIndex);
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
