import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readLimit, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { kisiList } from '../../transport';
import { queryFilter } from '../common.descriptions';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many places',
	description: 'List the places of the organization',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	...returnAllAndLimit(250),
	collection('filters', [queryFilter('Only places whose name contains this text')]),
];

export const description = updateDisplayOptions({ show: { resource: ['place'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = {};
		if (filters.query) qs.query = filters.query;
		return await kisiList(client, '/places', qs, { limit, pageSize: 250, itemIndex });
	});
}
