import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as unlock from './unlock.operation';

export const operations = { get, getAll, unlock };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['lock'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get a lock', description: 'Get one lock (door)' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many locks', description: 'List locks, by place or name' },
			{ name: 'Unlock', value: 'unlock', action: 'Unlock a lock', description: 'Open a door now' },
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
	...unlock.description,
];
