import type { INodeProperties } from 'n8n-workflow';

import * as findByEmail from './findByEmail.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations = { findByEmail, get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['member'] } },
		options: [
			{
				name: 'Find by Email',
				value: 'findByEmail',
				action: 'Find members by email',
				description: 'Find the members of the branch with an exact email address',
			},
			{ name: 'Get', value: 'get', action: 'Get a member', description: 'Get one member with the full membership' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many members', description: 'List the members (clients and leads) of the branch' },
		],
		default: 'getAll',
	},
	...findByEmail.description,
	...get.description,
	...getAll.description,
];
