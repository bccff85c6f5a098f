import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export const operations = { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['booking'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many bookings',
				description: 'List bookings whose session starts in a time range, for the branch or one member',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
