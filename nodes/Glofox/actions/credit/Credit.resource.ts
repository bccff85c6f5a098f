import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export const operations = { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['credit'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many credits',
				description: "List a member's credits (class packs, appointment credits)",
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
