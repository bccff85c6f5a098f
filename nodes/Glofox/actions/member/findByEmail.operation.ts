import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { email as validEmail } from '../../../shared/validate';
import { findMembersByEmail } from '../shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description:
			'The full email address (exact match, compared case-insensitively). Partial addresses find nothing. Outputs every member of the branch with this email, none when there is no such member.',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['member'], operation: ['findByEmail'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const raw = this.getNodeParameter('email', itemIndex);
		validEmail(raw, 'Email', itemIndex);
		return await findMembersByEmail(client, String(raw), itemIndex);
	});
}
