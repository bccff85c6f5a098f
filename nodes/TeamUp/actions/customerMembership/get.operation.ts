import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { idField } from '../common.descriptions';

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get a customer membership',
	description: "Get one customer's membership by ID",
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	idField('customerMembershipId', 'Customer Membership ID', 'The ID of the customer membership (not of the plan)'),
];

export const description = updateDisplayOptions({ show: { resource: ['customerMembership'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = readId(this, 'customerMembershipId', 'Customer Membership ID', itemIndex, numericId);
		const { body } = await client.request({ method: 'GET', path: `/customer_memberships/${id}`, itemIndex });
		return body as IDataObject;
	});
}
