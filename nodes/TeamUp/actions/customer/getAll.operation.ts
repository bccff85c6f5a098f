import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { normaliseEmail } from '../../../AccessRuleEvaluator/engine/email';
import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readLimit, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { optionalEmail } from '../../../shared/validate';
import { teamUpList } from '../../transport';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many customers',
	description: 'List or search customers (by text, or by exact email)',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	...returnAllAndLimit(),
	collection('filters', [
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
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const email = optionalEmail(filters.email, 'Email (Exact)', itemIndex);
		const qs: IDataObject = {};
		const query = typeof filters.query === 'string' ? filters.query.trim() : '';
		if (query !== '') qs.query = query;
		if (email && qs.query === undefined) qs.query = email;
		const keep = email ? (customer: IDataObject) => normaliseEmail(customer.email) === email : undefined;
		return await teamUpList(client, '/customers', qs, { limit, itemIndex, keep });
	});
}
