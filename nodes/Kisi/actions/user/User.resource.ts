import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteUser from './delete.operation';
import * as findByEmail from './findByEmail.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const operations = { create, delete: deleteUser, findByEmail, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a user', description: 'Add a person to the organization' },
			{ name: 'Delete', value: 'delete', action: 'Delete a user', description: 'Remove a person and all of their access' },
			{ name: 'Find by Email', value: 'findByEmail', action: 'Find a user by email', description: 'Find the user with exactly this email' },
			{ name: 'Get', value: 'get', action: 'Get a user', description: 'Get one user by ID' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many users', description: 'List users' },
			{ name: 'Update', value: 'update', action: 'Update a user', description: 'Change name, notes, metadata or whether access is enabled' },
		],
		default: 'getAll',
	},
	...create.description,
	...deleteUser.description,
	...findByEmail.description,
	...get.description,
	...getAll.description,
	...update.description,
];
