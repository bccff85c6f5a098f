import type { INodeProperties } from 'n8n-workflow';

import * as place from './place/Place.resource';

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Place', value: 'place' }],
		default: 'place',
	},
	...place.description,
];
