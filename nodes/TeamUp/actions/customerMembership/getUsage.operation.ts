import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { InvalidInput, numericId } from '../../../shared/validate';
import { remainingUsesOf } from '../../mapping/profile';
import { idField } from '../common.descriptions';

export const option = {
	name: 'Get Usage',
	value: 'getUsage',
	action: 'Get the usage of a customer membership',
	description: 'How many uses a membership (e.g. a class pack) has left',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	idField('customerMembershipId', 'Customer Membership ID', 'The ID of the customer membership (not of the plan)'),
	collection('options', [
		{
			displayName: 'On Date',
			name: 'date',
			type: 'string',
			default: '',
			placeholder: '2026-03-02',
			description: 'The day (YYYY-MM-DD) whose usage period to read; empty = today',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customerMembership'], operation: ['getUsage'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = readId(this, 'customerMembershipId', 'Customer Membership ID', itemIndex, numericId);
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const date = typeof options.date === 'string' ? options.date.trim() : '';
		if (date !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
			throw new InvalidInput('On Date', itemIndex, `Item ${itemIndex}: "On Date" must be a date like 2026-03-02 (got "${date}")`);
		}
		const { body } = await client.request<IDataObject>({
			method: 'GET',
			path: `/customer_memberships/${id}/usage`,
			qs: date ? { date } : undefined,
			itemIndex,
		});
		const today = date || new Date().toISOString().slice(0, 10);
		const remaining = remainingUsesOf(body, today);
		return { customerMembershipId: id, remainingUses: remaining ?? null, ...(body ?? {}) };
	});
}
