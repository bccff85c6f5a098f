import type { INodeProperties } from 'n8n-workflow';

/** Resource locators for Kisi objects: pick from a searchable list, or give the numeric ID. */
function locator(name: string, displayName: string, searchListMethod: string, urlHint: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: `https://web.kisi.io/organization/1/${urlHint}/45274`,
				extractValue: { type: 'regex', regex: `/${urlHint}/(\\d+)` },
				validation: [
					{
						type: 'regex',
						properties: { regex: `.*/${urlHint}/\\d+.*`, errorMessage: `Not a Kisi ${urlHint} URL` },
					},
				],
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: '45274',
				validation: [{ type: 'regex', properties: { regex: '^\\d+$', errorMessage: 'Kisi IDs are numbers' } }],
			},
		],
	};
}

export const groupLocator = locator('groupId', 'Group', 'searchGroups', 'groups');
export const placeLocator = locator('placeId', 'Place', 'searchPlaces', 'places');
export const lockLocator = locator('lockId', 'Lock', 'searchLocks', 'locks');

export function returnAllAndLimit(resource: string, operation: string, maxPerPage: number): INodeProperties[] {
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
			description: `Max number of results to return (fetched ${maxPerPage} per request)`,
			displayOptions: { show: { resource: [resource], operation: [operation], returnAll: [false] } },
		},
	];
}
