import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { groupLocator, validityFields } from '../common.descriptions';
import { checkWindow, dateTimeParam, locatorId } from '../helpers';
import { resolveUser, userField } from './user';

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
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Notify',
				name: 'notify',
				type: 'boolean',
				default: false,
				description: 'Whether Kisi emails the person about the new access',
			},
			...validityFields('access'),
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['roleAssignment'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const groupId = locatorId(this, 'groupId', 'Group', itemIndex);
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const validFrom = dateTimeParam(this, fields.validFrom, 'Valid From', itemIndex);
		const validUntil = dateTimeParam(this, fields.validUntil, 'Valid Until', itemIndex);
		checkWindow(validFrom, validUntil, itemIndex);
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
			valid_from: validFrom,
			valid_until: validUntil,
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
