import type { INodeProperties } from 'n8n-workflow';

/**
 * Where a Kisi object's page is in Kisi's web app, as the "By URL" placeholder shows it. Only the
 * group page's address is documented (Kisi: "45274 is the group ID of
 * https://web.kisi.io/organization/3289/groups/45274"); for places and locks the placeholder only
 * says which part of the address is read.
 */
const URL_PLACEHOLDERS: Record<string, string> = {
	groups: 'https://web.kisi.io/organization/3289/groups/45274',
	places: "The place's address in Kisi's web app (…/places/<ID>…)",
	locks: "The door's address in Kisi's web app (…/locks/<ID>…)",
};

/**
 * Resource locators for Kisi objects: pick from a searchable list, paste a web app address, or
 * give the numeric ID. The ID mode has no link: a link to a group needs the organization's id,
 * which the ID alone does not give (picked from the list, an entry carries its full link).
 */
function locator(
	name: string,
	displayName: string,
	searchListMethod: string,
	urlHint: string,
	{ required = true, description }: { required?: boolean; description?: string } = {},
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required,
		...(description ? { description } : {}),
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
				placeholder: URL_PLACEHOLDERS[urlHint],
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

/** The same locators as optional list filters (inside a Filters collection). */
export const groupFilter = locator('groupId', 'Group', 'searchGroups', 'groups', {
	required: false,
	description: 'Only results of this group',
});
export const placeFilter = locator('placeId', 'Place', 'searchPlaces', 'places', {
	required: false,
	description: 'Only results at this place',
});

/** A numeric Kisi ID typed in (or mapped from an earlier node). */
export function idField(name: string, displayName: string, what: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		required: true,
		default: '',
		placeholder: '9001',
		description: `The numeric ID of the ${what}`,
	};
}

export function validityFields(kind: string): INodeProperties[] {
	return [
		{
			displayName: 'Valid From',
			name: 'validFrom',
			type: 'dateTime',
			default: '',
			description: `When the ${kind} starts to open doors. Empty: right away. A date without a time zone is read in the workflow's time zone.`,
		},
		{
			displayName: 'Valid Until',
			name: 'validUntil',
			type: 'dateTime',
			default: '',
			description: `When the ${kind} stops opening doors. Empty: no end. A date without a time zone is read in the workflow's time zone.`,
		},
	];
}

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
