import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { kisiList } from '../../transport';
import { placeFilter, returnAllAndLimit } from '../common.descriptions';
import { optionalLocatorId } from '../helpers';

const properties: INodeProperties[] = [
	...returnAllAndLimit('lock', 'getAll', 250),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			placeFilter,
			{
				displayName: 'Query',
				name: 'query',
				type: 'string',
				default: '',
				description: 'Only locks whose name contains this text',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['lock'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = {};
		if (typeof filters.query === 'string' && filters.query.trim() !== '') qs.query = filters.query.trim();
		const placeId = optionalLocatorId(this, 'filters.placeId', 'Filters → Place', itemIndex);
		if (placeId !== undefined) qs.place_id = placeId;
		return await kisiList(client, '/locks', qs, { limit, pageSize: 250, itemIndex });
	});
}
