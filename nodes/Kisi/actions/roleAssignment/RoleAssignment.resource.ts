import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteRoleAssignment from './delete.operation';
import * as getAll from './getAll.operation';

export const operations = { create, delete: deleteRoleAssignment, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['roleAssignment'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Assign a role on a group',
				description: "Give a user a role on a group (access to the group's doors), optionally for a time window",
			},
			{ name: 'Delete', value: 'delete', action: 'Delete a role assignment', description: 'Take away a role (the user stays)' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many role assignments', description: 'List role assignments by group, user or role' },
		],
		default: 'getAll',
	},
	...create.description,
	...deleteRoleAssignment.description,
	...getAll.description,
];
