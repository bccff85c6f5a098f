import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { listEnvelopeA } from '../../transport';
import { returnAllAndLimit } from '../common.descriptions';

const properties: INodeProperties[] = [
	...returnAllAndLimit('membership', 'getAll'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Visibility',
				name: 'private',
				type: 'options',
				options: [
					{ name: 'Any', value: 'any', description: 'Public and private memberships' },
					{ name: 'Private Only', value: 'true' },
					{ name: 'Public Only', value: 'false', description: 'Glofox default' },
				],
				default: 'any',
				description: 'Which memberships to list by their "private" flag',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['membership'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = {};
		if (typeof filters.private === 'string' && filters.private !== '') qs.private = filters.private;
		return await listEnvelopeA(client, '/2.0/memberships', qs, { limit, itemIndex });
	});
}
