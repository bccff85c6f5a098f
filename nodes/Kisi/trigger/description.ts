import type { INodeProperties } from 'n8n-workflow';

import { EVENT_TYPES } from './events';

export const properties: INodeProperties[] = [
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: EVENT_TYPES,
		default: ['lock.unlock'],
		required: true,
		description: 'The Kisi events that start the workflow',
	},
	{
		displayName: 'Only Successful',
		name: 'onlySuccessful',
		type: 'boolean',
		default: true,
		description: 'Whether to ignore failed attempts (for example an unlock that Kisi denied)',
	},
	{
		displayName: 'Place IDs',
		name: 'placeIds',
		type: 'string',
		default: '',
		placeholder: '10, 11',
		description: 'Only events at these places (numeric IDs, separated by commas). Empty: every place.',
	},
	{
		displayName: 'Lock IDs',
		name: 'lockIds',
		type: 'string',
		default: '',
		placeholder: '1001, 1002',
		description: 'Only events about these locks (numeric IDs, separated by commas). Empty: every lock.',
	},
];
