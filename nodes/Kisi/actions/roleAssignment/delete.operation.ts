import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { idField } from '../common.descriptions';
import { deleted, idParam } from '../helpers';

const properties: INodeProperties[] = [
	{
		...idField('roleAssignmentId', 'Role Assignment ID', 'role assignment'),
		description: 'The numeric ID of the role assignment. The user keeps existing; only this access goes.',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['roleAssignment'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = idParam(this, 'roleAssignmentId', 'Role Assignment ID', itemIndex);
		await client.request({ method: 'DELETE', path: `/role_assignments/${id}`, itemIndex });
		return deleted('RoleAssignment', id);
	});
}
