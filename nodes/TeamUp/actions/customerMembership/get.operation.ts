import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { idField, readId } from '../common.descriptions';

const properties: INodeProperties[] = [
	idField('customerMembershipId', 'Customer Membership ID', 'The ID of the customer membership (not of the plan)'),
];

export const description = updateDisplayOptions({ show: { resource: ['customerMembership'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = readId(this, 'customerMembershipId', 'Customer Membership ID', itemIndex);
		const { body } = await client.request({ method: 'GET', path: `/customer_memberships/${id}`, itemIndex });
		return body as IDataObject;
	});
}
