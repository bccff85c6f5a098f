import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { groupLocator, notifyField, validityFields } from '../common.descriptions';
import { validity } from '../helpers';
import { resolveUser, userField } from './user';

export const option = {
	name: 'Create',
	value: 'create',
	action: 'Assign a role on a group',
	description: "Give a user a role on a group (access to the group's doors), optionally for a time window",
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	userField,
	groupLocator,
	{
		displayName: 'Role',
		name: 'role',
		type: 'options',
		default: 'group_basic',
		options: [
			{ name: 'Group Basic', value: 'group_basic', description: "May unlock the group's doors" },
			{ name: 'Group Manager', value: 'group_manager', description: 'May also manage the group' },
		],
	},
	collection('additionalFields', [notifyField, ...validityFields('access')]),
];

export const description = updateDisplayOptions({ show: { resource: ['roleAssignment'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const groupId = readId(this, 'groupId', 'Group', itemIndex, numericId);
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const window = validity(fields.validFrom, fields.validUntil, itemIndex, this.getTimezone());
		const user = await resolveUser(this, client, this.getNodeParameter('user', itemIndex), 'User', itemIndex);
		if (user.id === undefined) {
			throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: Kisi has no user with the email ${user.email}`, {
				itemIndex,
				description: 'Create the user first (User → Create), or give access by email with Share → Create, which creates the user.',
			});
		}
		const roleAssignment: IDataObject = {
			applies_to_type: 'Group',
			applies_to_id: groupId,
			assignee_type: 'User',
			assignee_id: user.id,
			role_id: this.getNodeParameter('role', itemIndex, 'group_basic'),
			notify: Boolean(fields.notify ?? false),
			...window,
		};
		const { body } = await client.request<IDataObject>({
			method: 'POST',
			path: '/role_assignments',
			body: { role_assignment: roleAssignment },
			itemIndex,
		});
		return body;
	});
}
