import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readLimit, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { teamUpList } from '../../transport';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many membership plans',
	description: 'List the membership plans (recurring, prepaid, packs) the business offers',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	...returnAllAndLimit(),
	collection('filters', [
		{
			displayName: 'For Sale',
			name: 'for_sale',
			type: 'boolean',
			default: true,
			description: 'Whether to return only plans that are (true) or are not (false) for sale',
		},
		{
			displayName: 'Type',
			name: 'type',
			type: 'options',
			options: [
				{ name: 'Pack', value: 'pack' },
				{ name: 'Prepaid Plan', value: 'prepaid_plan' },
				{ name: 'Recurring Plan', value: 'recurring_plan' },
			],
			default: 'recurring_plan',
			description: 'Only plans of this type (filtered by the node)',
		},
		{
			displayName: 'Visible to Customers',
			name: 'visible_to_customers',
			type: 'boolean',
			default: true,
			description: 'Whether to return only plans customers can (true) or cannot (false) see',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['membership'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = {};
		for (const key of ['for_sale', 'visible_to_customers']) {
			if (typeof filters[key] === 'boolean') qs[key] = filters[key];
		}
		const type = typeof filters.type === 'string' ? filters.type : undefined;
		const keep = type ? (plan: IDataObject) => plan.type === type : undefined;
		return await teamUpList(client, '/memberships', qs, { limit, itemIndex, keep });
	});
}
