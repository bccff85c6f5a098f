import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readLimit, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericIds } from '../../../shared/validate';
import { membershipStatus } from '../../mapping/profile';
import { idList, teamUpList } from '../../transport';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many customer memberships',
	description: 'List the memberships customers hold, by customer, status or type',
} as const satisfies OperationOption;

/** TeamUp's filter spells "completed" as `complete` (its responses say `completed`). */
const STATUS_FILTER: Record<string, string> = { active: 'active', hold: 'hold', completed: 'complete', cancelled: 'cancelled' };

const properties: INodeProperties[] = [
	...returnAllAndLimit(),
	collection('filters', [
		{
			displayName: 'Customer IDs',
			name: 'customer',
			type: 'string',
			default: '',
			placeholder: '812345, 812346',
			description: 'Only memberships of these customers (comma-separated IDs)',
		},
		{
			displayName: 'Include Payment Subscription',
			name: 'expandPaymentSubscription',
			type: 'boolean',
			default: true,
			description: 'Whether to include the payment subscription (with its retry count) instead of its ID',
		},
		{
			displayName: 'Membership Plan IDs',
			name: 'membership',
			type: 'string',
			default: '',
			placeholder: '4411',
			description: 'Only memberships of these plans (comma-separated IDs)',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: [
				{ name: 'Active', value: 'active' },
				{ name: 'Cancelled', value: 'cancelled' },
				{ name: 'Completed', value: 'completed', description: 'Expired, or a pack fully used' },
				{ name: 'On Hold', value: 'hold' },
			],
			default: 'active',
		},
		{
			displayName: 'Type',
			name: 'membershipType',
			type: 'options',
			options: [
				{ name: 'Pack', value: 'pack' },
				{ name: 'Prepaid', value: 'prepaid' },
				{ name: 'Recurring', value: 'recurring' },
			],
			default: 'recurring',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customerMembership'], operation: ['getAll'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = {};
		if (filters.customer) qs.customer = idList(numericIds(filters.customer, 'Customer IDs', itemIndex));
		if (filters.membership) qs.membership = idList(numericIds(filters.membership, 'Membership Plan IDs', itemIndex));
		if (typeof filters.membershipType === 'string' && filters.membershipType) qs.membership_type = filters.membershipType;
		const status = typeof filters.status === 'string' && filters.status ? filters.status : undefined;
		if (status) qs.status = STATUS_FILTER[status] ?? status;
		if (filters.expandPaymentSubscription === true) qs.expand = 'payment_subscription';
		// Also filtered here, whichever spelling TeamUp's filter understood.
		const keep = status ? (cm: IDataObject) => membershipStatus(cm.status) === status : undefined;
		return await teamUpList(client, '/customer_memberships', qs, { limit, itemIndex, keep });
	});
}
