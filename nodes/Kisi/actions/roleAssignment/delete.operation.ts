import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { idField } from '../common.descriptions';
import { deleted } from '../helpers';

export const option = {
	name: 'Delete',
	value: 'delete',
	action: 'Delete a role assignment',
	description: 'Take away a role (the user stays)',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	idField(
		'roleAssignmentId',
		'Role Assignment ID',
		'role assignment',
		'The numeric ID of the role assignment. The user keeps existing; only this access goes.',
	),
];

export const description = updateDisplayOptions({ show: { resource: ['roleAssignment'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = readId(this, 'roleAssignmentId', 'Role Assignment ID', itemIndex, numericId);
		await client.request({ method: 'DELETE', path: `/role_assignments/${id}`, itemIndex });
		return deleted('RoleAssignment', id);
	});
}
