import type { INodeProperties } from 'n8n-workflow';

import { GLOFOX_MAX_PAGE } from '../transport';

export function returnAllAndLimit(resource: string, operation: string): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show: { resource: [resource], operation: [operation] } },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: `Max number of results to return (fetched ${GLOFOX_MAX_PAGE} per request)`,
			displayOptions: { show: { resource: [resource], operation: [operation], returnAll: [false] } },
		},
	];
}

/** A Glofox member (user) `_id`. */
export function memberIdField(description = 'The 24-character Glofox ID of the member (its `_id`)'): INodeProperties {
	return {
		displayName: 'Member ID',
		name: 'memberId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '62d9e7d8e803e136a87b7367',
		description,
	};
}

/** Membership catalogue entry: pick from the list or give the `_id`. */
export const membershipLocator: INodeProperties = {
	displayName: 'Membership',
	name: 'membershipId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchMemberships', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: '69d808cffb6642d8430406d7',
			validation: [
				{ type: 'regex', properties: { regex: '^[a-fA-F0-9]{24}$', errorMessage: 'Glofox IDs are 24 hexadecimal characters' } },
			],
		},
	],
};
