import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { nonEmpty, numericId } from '../../../shared/validate';
import { groupLocator } from '../common.descriptions';
import { readBack, requireSome } from '../helpers';
import { groupBody, groupSettings } from './fields';

export const option = {
	name: 'Update',
	value: 'update',
	action: 'Update a group',
	description: "Change a group's name, description or restrictions",
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	groupLocator,
	collection(
		'updateFields',
		[...groupSettings.slice(0, 4), { displayName: 'Name', name: 'name', type: 'string', default: '' }, ...groupSettings.slice(4)],
		'The place of a group cannot be changed',
	),
];

export const description = updateDisplayOptions({ show: { resource: ['group'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const groupId = readId(this, 'groupId', 'Group', itemIndex, numericId);
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		requireSome(fields, 'Update Fields', itemIndex);
		const group = groupBody(fields);
		if (fields.name !== undefined) group.name = nonEmpty(fields.name, 'Update Fields → Name', itemIndex);
		const path = `/groups/${groupId}`;
		const response = await client.request({ method: 'PATCH', path, body: { group }, itemIndex });
		return await readBack(client, response, path, itemIndex);
	});
}
