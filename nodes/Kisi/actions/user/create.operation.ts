import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, emailField } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { email } from '../../../shared/validate';
import { accessEnabledField, metadataField, nameField, notesField, userBody } from './fields';

export const option = {
	name: 'Create',
	value: 'create',
	action: 'Create a user',
	description: 'Add a person to the organization',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	emailField(),
	collection('additionalFields', [
		accessEnabledField,
		{
			displayName: 'Confirm',
			name: 'confirm',
			type: 'boolean',
			default: false,
			description: 'Whether the user is confirmed right away (managed users: together with Send Emails off)',
		},
		metadataField,
		nameField,
		notesField,
		{
			displayName: 'Send Emails',
			name: 'send_emails',
			type: 'boolean',
			default: true,
			description: 'Whether Kisi sends emails to this user. Off creates a managed user.',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const address = email(this.getNodeParameter('email', itemIndex), 'Email', itemIndex);
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const user = { email: address, ...userBody(fields, itemIndex, 'Additional Fields') };
		const { body } = await client.request<IDataObject>({ method: 'POST', path: '/users', body: { user }, itemIndex });
		return body;
	});
}
