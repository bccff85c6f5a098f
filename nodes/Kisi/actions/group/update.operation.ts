import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { nonEmpty } from '../../../shared/validate';
import { groupLocator } from '../common.descriptions';
import { locatorId, readBack, requireSome } from '../helpers';
import { groupBody, groupSettings } from './fields';

const properties: INodeProperties[] = [
	groupLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'The place of a group cannot be changed',
		options: [
			...groupSettings.slice(0, 4),
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			...groupSettings.slice(4),
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['group'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const groupId = locatorId(this, 'groupId', 'Group', itemIndex);
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		requireSome(fields, 'Update Fields', itemIndex);
		const group = groupBody(fields);
		if (fields.name !== undefined) group.name = nonEmpty(fields.name, 'Update Fields → Name', itemIndex);
		const path = `/groups/${groupId}`;
		const response = await client.request({ method: 'PATCH', path, body: { group }, itemIndex });
		return await readBack(client, response, path, itemIndex);
	});
}
