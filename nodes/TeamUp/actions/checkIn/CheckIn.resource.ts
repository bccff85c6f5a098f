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
					'Record a check-in at the venue of the registration whose window contains the entry time (confirming it where TeamUp allows), or at the front desk',
			},
		],
		default: 'checkIn',
	},
	...checkIn.description,
];
