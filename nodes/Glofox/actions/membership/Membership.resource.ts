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
			{ name: 'Get', value: 'get', action: 'Get a membership', description: 'Get one membership of the catalogue, with its plans' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many memberships', description: "List the branch's membership catalogue" },
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
