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
		displayOptions: { show: { resource: ['place'] } },
		options: [
			{ name: 'Get', value: 'get', action: 'Get a place', description: 'Get one place (a site with doors)' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many places', description: 'List the places of the organization' },
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
