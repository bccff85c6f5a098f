import type { INodeProperties } from 'n8n-workflow';

import { idField, resourceLocator } from '../../shared/parameters';

/** A Glofox member (user) `_id`. */
export function memberIdField(description = 'The 24-character Glofox ID of the member (its `_id`)'): INodeProperties {
	return idField({ name: 'memberId', displayName: 'Member ID', placeholder: '62d9e7d8e803e136a87b7367', description });
}

/** Membership catalogue entry: pick from the list or give the `_id`. */
export const membershipLocator = resourceLocator({
	name: 'membershipId',
	displayName: 'Membership',
	searchListMethod: 'searchMemberships',
	id: { placeholder: '69d808cffb6642d8430406d7', regex: '^[a-fA-F0-9]{24}$', errorMessage: 'Glofox IDs are 24 hexadecimal characters' },
});
