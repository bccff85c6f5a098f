import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export const operations = { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['accessProfile'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many access profiles',
				description:
					'One item per customer with memberships and registrations, ready for the Access Rule Evaluator',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
