import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations = { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customer'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get a customer', description: 'Get one customer by ID' },
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many customers',
				description: 'List or search customers (by text, or by exact email)',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
