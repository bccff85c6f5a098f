import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getUsage from './getUsage.operation';

export const operations = { get, getAll, getUsage };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customerMembership'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a customer membership',
				description: "Get one customer's membership by ID",
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many customer memberships',
				description: 'List the memberships customers hold, by customer, status or type',
			},
			{
				name: 'Get Usage',
				value: 'getUsage',
				action: 'Get the usage of a customer membership',
				description: 'How many uses a membership (e.g. a class pack) has left',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
	...getUsage.description,
];
