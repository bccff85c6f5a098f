import type { INodeProperties } from 'n8n-workflow';

import * as checkIn from './checkIn.operation';

export const operations = { checkIn };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['checkIn'] } },
		options: [
			{
				name: 'Check In',
				value: 'checkIn',
				action: 'Check in a member by email',
				description:
					"Record a member's entry in Glofox: Glofox says whether it was valid and marks a booking within the hour attended",
			},
		],
		default: 'checkIn',
	},
	...checkIn.description,
];
