import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteGroup from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const operations = { create, delete: deleteGroup, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['group'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a group', description: 'Create a group of people with access to the same doors' },
			{ name: 'Delete', value: 'delete', action: 'Delete a group', description: 'Delete a group and the access it gives' },
			{ name: 'Get', value: 'get', action: 'Get a group', description: 'Get one group' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many groups', description: 'List groups' },
			{ name: 'Update', value: 'update', action: 'Update a group', description: "Change a group's name, description or restrictions" },
		],
		default: 'getAll',
	},
	...create.description,
	...deleteGroup.description,
	...get.description,
	...getAll.description,
	...update.description,
];
