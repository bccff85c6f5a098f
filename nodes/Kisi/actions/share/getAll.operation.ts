import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { numericId } from '../../../shared/validate';
import { kisiList } from '../../transport';
import { groupFilter, returnAllAndLimit } from '../common.descriptions';
import { optionalLocatorId } from '../helpers';

const properties: INodeProperties[] = [
	...returnAllAndLimit('share', 'getAll', 250),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			groupFilter,
			{
				displayName: 'Query',
				name: 'query',
				type: 'string',
				default: '',
				placeholder: 'ana@example.com',
				description: "Only shares whose user's email or name contains this text",
			},
			{
				displayName: 'Role',
				name: 'role',
				type: 'options',
				default: 'basic',
				options: [
					{ name: 'Basic', value: 'basic' },
					{ name: 'Manager', value: 'manager' },
				],
			},
			{
				displayName: 'User ID',
				name: 'userId',
				type: 'string',
				default: '',
				description: 'Only shares of this Kisi user (numeric ID)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['share'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = {};
		const groupId = optionalLocatorId(this, 'filters.groupId', 'Filters → Group', itemIndex);
		if (groupId !== undefined) qs.group_id = groupId;
		if (typeof filters.query === 'string' && filters.query.trim() !== '') qs.query = filters.query.trim();
		if (filters.role) qs.role_id = filters.role;
		if (filters.userId !== undefined && String(filters.userId).trim() !== '') {
			qs.user_id = numericId(filters.userId, 'Filters → User ID', itemIndex);
		}
		return await kisiList(client, '/shares', qs, { limit, pageSize: 250, itemIndex });
	});
}
