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
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get an event', description: 'Get one class or appointment by ID' },
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many events',
				description: 'List classes and appointments by date range, venue or type',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
