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
			{ name: 'Get', value: 'get', action: 'Get an event', description: 'Get one event (class, course session or appointment)' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many events', description: 'List the events that start in a time range' },
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
