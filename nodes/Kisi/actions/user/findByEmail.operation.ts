import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { email } from '../../../shared/validate';
import { findUserByEmail } from '../helpers';

const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description: 'Exact email address (case does not matter)',
	},
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
