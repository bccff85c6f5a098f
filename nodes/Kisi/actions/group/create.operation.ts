import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { nonEmpty, numericId } from '../../../shared/validate';
import { placeLocator } from '../common.descriptions';
import { groupBody, groupSettings } from './fields';

export const option = {
	name: 'Create',
	value: 'create',
	action: 'Create a group',
	description: 'Create a group of people with access to the same doors',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Members',
	},
	{
		displayName: 'Scope to a Place',
		name: 'scopeToPlace',
		type: 'boolean',
		default: false,
		description:
			'Whether the group holds doors of one place only. Cannot be changed later. Leave off for groups that Sync Group Access or user-import integrations fill: they work on organization groups only.',
	},
	{ ...placeLocator, displayOptions: { show: { scopeToPlace: [true] } } },
	collection('additionalFields', groupSettings),
];

export const description = updateDisplayOptions({ show: { resource: ['group'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const name = nonEmpty(this.getNodeParameter('name', itemIndex), 'Name', itemIndex);
		const scoped = this.getNodeParameter('scopeToPlace', itemIndex, false) as boolean;
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const group: IDataObject = { name, ...groupBody(fields) };
		if (scoped) group.place_id = readId(this, 'placeId', 'Place', itemIndex, numericId);
		const { body } = await client.request<IDataObject>({ method: 'POST', path: '/groups', body: { group }, itemIndex });
		return body;
	});
}
