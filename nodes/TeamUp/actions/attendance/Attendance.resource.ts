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
		displayOptions: { show: { resource: ['attendance'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get an attendance', description: 'Get one registration by ID' },
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many attendances',
				description: 'List registrations by customer, event, date range or status',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
