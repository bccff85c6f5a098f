import type { INodeProperties } from 'n8n-workflow';

import { idField as sharedIdField, resourceLocator } from '../../shared/parameters';

/** Resource locators for TeamUp objects: pick from a searchable list, or give the numeric ID. */
function locator(name: string, displayName: string, searchListMethod: string, description: string): INodeProperties {
	return resourceLocator({
		name,
		displayName,
		searchListMethod,
		id: { placeholder: '812345', regex: '^\\s*\\d+\\s*$', errorMessage: 'TeamUp IDs are numbers' },
		description,
	});
}

export const customerLocator = locator('customerId', 'Customer', 'searchCustomers', 'The TeamUp customer');
export const membershipLocator = locator('membershipId', 'Membership', 'searchMemberships', 'The membership plan');

/** A plain numeric ID parameter (customer memberships, events, attendances). */
export function idField(name: string, displayName: string, description: string): INodeProperties {
	return sharedIdField({ name, displayName, placeholder: '991', description });
}
