import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { emailField } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { email as validEmail } from '../../../shared/validate';
import { findMembersByEmail } from '../../transport/lookups';

export const option = {
	name: 'Find by Email',
	value: 'findByEmail',
	action: 'Find members by email',
	description: 'Find the members of the branch with an exact email address',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	emailField(
		'The full email address (exact match, compared case-insensitively). Partial addresses find nothing. Outputs every member of the branch with this email, none when there is no such member.',
	),
];

export const description = updateDisplayOptions({ show: { resource: ['member'], operation: ['findByEmail'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const raw = this.getNodeParameter('email', itemIndex);
		validEmail(raw, 'Email', itemIndex);
		return await findMembersByEmail(client, String(raw), itemIndex);
	});
}
