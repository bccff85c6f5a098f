import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { email } from '../../../shared/validate';
import { groupLocator, validityFields } from '../common.descriptions';
import { checkWindow, dateTimeParam, locatorId } from '../helpers';

const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description: 'Who gets access. Kisi creates the user if there is none with this email.',
	},
	groupLocator,
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
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['share'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const address = email(this.getNodeParameter('email', itemIndex), 'Email', itemIndex);
		const groupId = locatorId(this, 'groupId', 'Group', itemIndex);
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const validFrom = dateTimeParam(this, fields.validFrom, 'Valid From', itemIndex);
		const validUntil = dateTimeParam(this, fields.validUntil, 'Valid Until', itemIndex);
		checkWindow(validFrom, validUntil, itemIndex);
		const share: IDataObject = {
			email: address,
			group_id: groupId,
			role_id: fields.role ?? 'basic',
			notify: Boolean(fields.notify ?? false),
			valid_from: validFrom,
			valid_until: validUntil,
		};
		const { body } = await client.request<IDataObject>({ method: 'POST', path: '/shares', body: { share }, itemIndex });
		return body;
	});
}
