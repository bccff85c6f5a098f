import type { INodeProperties } from 'n8n-workflow';

import { idField as sharedIdField, resourceLocator } from '../../shared/parameters';

/** How Kisi's IDs look: numbers. */
const KISI_ID = { placeholder: '45274', regex: '^\\d+$', errorMessage: 'Kisi IDs are numbers' };

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
	return resourceLocator({
		name,
		displayName,
		searchListMethod,
		url: {
			placeholder: URL_PLACEHOLDERS[urlHint],
			extract: `/${urlHint}/(\\d+)`,
			match: `.*/${urlHint}/\\d+.*`,
			errorMessage: `Not a Kisi ${urlHint} URL`,
		},
		id: KISI_ID,
		required,
		description,
	});
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
export function idField(name: string, displayName: string, what: string, description = `The numeric ID of the ${what}`): INodeProperties {
	return sharedIdField({ name, displayName, placeholder: '9001', description });
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

/** The free-text Query filter of a list. */
export function queryFilter(description: string, placeholder?: string): INodeProperties {
	return { displayName: 'Query', name: 'query', type: 'string', default: '', ...(placeholder ? { placeholder } : {}), description };
}

/** Whether Kisi e-mails the person about new access (Share and Role Assignment → Create). */
export const notifyField: INodeProperties = {
	displayName: 'Notify',
	name: 'notify',
	type: 'boolean',
	default: false,
	description: 'Whether Kisi emails the person about the new access',
};
