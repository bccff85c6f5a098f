import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { emailField } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { email } from '../../../shared/validate';
import { findUserByEmail } from '../helpers';

export const option = {
	name: 'Find by Email',
	value: 'findByEmail',
	action: 'Find a user by email',
	description: 'Find the user with exactly this email',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	emailField('Exact email address (case does not matter)'),
	{
		displayName: 'Error If Not Found',
		name: 'errorIfNotFound',
		type: 'boolean',
		default: false,
		description: 'Whether an unknown email fails the item. Off: the item outputs nothing (use the node setting Always Output Data to continue anyway).',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['findByEmail'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const address = email(this.getNodeParameter('email', itemIndex), 'Email', itemIndex);
		const user = await findUserByEmail(client, address, itemIndex);
		if (user) return user;
		if (this.getNodeParameter('errorIfNotFound', itemIndex, false)) {
			throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: Kisi has no user with the email ${address}`, { itemIndex });
		}
		return [];
	});
}
