import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export const operations = { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['venue'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many venues',
				description: "List the business's venues (locations) with their time zones",
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
