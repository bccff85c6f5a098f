import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, emailField, readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { email, numericId } from '../../../shared/validate';
import { groupLocator, notifyField, validityFields } from '../common.descriptions';
import { validity } from '../helpers';

export const option = {
	name: 'Create',
	value: 'create',
	action: 'Create a share',
	description: 'Give an email access to a group, optionally for a time window',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	emailField('Who gets access. Kisi creates the user if there is none with this email.'),
	groupLocator,
	collection('additionalFields', [
		notifyField,
		{
			displayName: 'Role',
			name: 'role',
			type: 'options',
			default: 'basic',
			options: [
				{ name: 'Basic', value: 'basic', description: "May unlock the group's doors" },
				{ name: 'Manager', value: 'manager', description: 'May also manage the group' },
			],
		},
		...validityFields('share'),
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['share'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const address = email(this.getNodeParameter('email', itemIndex), 'Email', itemIndex);
		const groupId = readId(this, 'groupId', 'Group', itemIndex, numericId);
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const share: IDataObject = {
			email: address,
			group_id: groupId,
			role_id: fields.role ?? 'basic',
			notify: Boolean(fields.notify ?? false),
			...validity(fields.validFrom, fields.validUntil, itemIndex, this.getTimezone()),
		};
		const { body } = await client.request<IDataObject>({ method: 'POST', path: '/shares', body: { share }, itemIndex });
		return body;
	});
}
