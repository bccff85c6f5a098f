import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { optionalEmail } from '../../../shared/validate';
import { teamUpList } from '../../transport';
import { readLimit, returnAllAndLimit, setIf } from '../common.descriptions';

const properties: INodeProperties[] = [
	...returnAllAndLimit(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Email (Exact)',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description:
					'Only the customer(s) with exactly this email, compared case-insensitively. TeamUp has no exact email filter, so the node searches for it and keeps exact matches.',
			},
			{
				displayName: 'Search',
				name: 'query',
				type: 'string',
				default: '',
				description: "Free text that TeamUp matches against customers' names and emails",
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const email = optionalEmail(filters.email, 'Email (Exact)', itemIndex);
		const qs: IDataObject = {};
		setIf(qs, 'query', typeof filters.query === 'string' ? filters.query.trim() : undefined);
		if (email && qs.query === undefined) qs.query = email;
		const keep = email
			? (customer: IDataObject) => typeof customer.email === 'string' && customer.email.trim().toLowerCase() === email
			: undefined;
		return await teamUpList(client, '/customers', qs, { limit, itemIndex, keep });
	});
}
