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
		displayOptions: { show: { resource: ['membership'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get a membership plan', description: 'Get one membership plan by ID' },
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many membership plans',
				description: 'List the membership plans (recurring, prepaid, packs) the business offers',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
