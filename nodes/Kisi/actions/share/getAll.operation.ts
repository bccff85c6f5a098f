import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readLimit, readOptionalId, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { kisiList } from '../../transport';
import { groupFilter, queryFilter } from '../common.descriptions';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many shares',
	description: 'List shares, by group, user or email',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	...returnAllAndLimit(250),
	collection('filters', [
		groupFilter,
		queryFilter("Only shares whose user's email or name contains this text", 'ana@example.com'),
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
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['share'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = {};
		const groupId = readOptionalId(this, 'filters.groupId', 'Filters → Group', itemIndex, numericId);
		if (groupId !== undefined) qs.group_id = groupId;
		if (typeof filters.query === 'string' && filters.query.trim() !== '') qs.query = filters.query.trim();
		if (filters.role) qs.role_id = filters.role;
		if (filters.userId !== undefined && String(filters.userId).trim() !== '') {
			qs.user_id = numericId(filters.userId, 'Filters → User ID', itemIndex);
		}
		return await kisiList(client, '/shares', qs, { limit, pageSize: 250, itemIndex });
	});
}
