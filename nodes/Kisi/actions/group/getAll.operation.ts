import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readLimit, readOptionalId, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { kisiList } from '../../transport';
import { placeFilter, queryFilter } from '../common.descriptions';

export const option = { name: 'Get Many', value: 'getAll', action: 'Get many groups', description: 'List groups' } as const satisfies OperationOption;

const properties: INodeProperties[] = [
	...returnAllAndLimit(250),
	collection('filters', [
		placeFilter,
		queryFilter('Only groups whose name contains this text'),
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'options',
			default: 'organization',
			options: [
				{ name: 'Organization', value: 'organization', description: 'Groups that may hold doors of several places' },
				{ name: 'Place', value: 'place', description: 'Groups scoped to one place' },
			],
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['group'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = {};
		if (typeof filters.query === 'string' && filters.query.trim() !== '') qs.query = filters.query.trim();
		if (filters.scope) qs.scope = filters.scope;
		const placeId = readOptionalId(this, 'filters.placeId', 'Filters → Place', itemIndex, numericId);
		if (placeId !== undefined) qs.place_id = placeId;
		return await kisiList(client, '/groups', qs, { limit, pageSize: 250, itemIndex });
	});
}
