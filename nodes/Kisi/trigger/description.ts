import type { INodeProperties } from 'n8n-workflow';

import { EVENT_TYPES } from './events';

/**
 * With "Denied Unlocks Output" the trigger has two outputs: the events (successful, or not telling)
 * and the denied ones (the node's `outputs` expression, KisiTrigger.node.ts).
 */
export function triggerOutputs(parameters: { deniedUnlocks?: unknown }) {
	return parameters.deniedUnlocks === true ? [{ type: 'main', displayName: 'Events' }, { type: 'main', displayName: 'Denied Unlocks' }] : [{ type: 'main' }];
}

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
		displayName: 'Denied Unlocks Output',
		name: 'deniedUnlocks',
		type: 'boolean',
		default: false,
		description:
			'Whether events Kisi reports as not successful (an unlock it denied: no access at that time or place) come out on a second output, "Denied Unlocks", for example to alert staff, instead of being ignored',
	},
	{
		displayName: 'Only Successful',
		name: 'onlySuccessful',
		type: 'boolean',
		default: true,
		description: 'Whether to ignore failed attempts (for example an unlock that Kisi denied)',
		displayOptions: { show: { deniedUnlocks: [false] } },
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
