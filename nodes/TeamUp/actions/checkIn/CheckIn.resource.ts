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
				action: 'Check in a customer by email',
				description:
					'Confirm attendance of the registration whose window contains the entry time, or record a front-desk check-in',
			},
		],
		default: 'checkIn',
	},
	...checkIn.description,
];
