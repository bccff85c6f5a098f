import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readLimit, readOptionalId, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { kisiList } from '../../transport';
import { groupFilter } from '../common.descriptions';
import { resolveUser } from './user';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many role assignments',
	description: 'List role assignments by group, user or role',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	...returnAllAndLimit(250),
	collection('filters', [
		groupFilter,
		{
			displayName: 'Role',
			name: 'role',
			type: 'string',
			default: '',
			placeholder: 'group_basic',
			description: 'Only assignments of this role ID, e.g. group_basic or group_manager',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			placeholder: 'ana@example.com or 987',
			description: "Only this user's assignments: their email address or numeric user ID",
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['roleAssignment'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = {};
		const groupId = readOptionalId(this, 'filters.groupId', 'Filters → Group', itemIndex, numericId);
		if (groupId !== undefined) {
			qs.applies_to_type = 'Group';
			qs.applies_to_id = groupId;
		}
		if (typeof filters.role === 'string' && filters.role.trim() !== '') qs.role_id = filters.role.trim();
		if (filters.user !== undefined && String(filters.user).trim() !== '') {
			const user = await resolveUser(this, client, filters.user, 'Filters → User', itemIndex);
			// Nobody has that email, so nobody has assignments.
			if (user.id === undefined) return [];
			qs.assignee_type = 'User';
			qs.assignee_id = user.id;
		}
		return await kisiList(client, '/role_assignments', qs, { limit, pageSize: 250, itemIndex });
	});
}
