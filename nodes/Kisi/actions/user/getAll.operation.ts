import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readLimit, readOptionalId, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { kisiList } from '../../transport';
import { groupFilter, placeFilter, queryFilter } from '../common.descriptions';

export const option = { name: 'Get Many', value: 'getAll', action: 'Get many users', description: 'List users' } as const satisfies OperationOption;

const properties: INodeProperties[] = [
	...returnAllAndLimit(100),
	collection('filters', [
		{ ...groupFilter, description: 'Only users with access through this group' },
		{ ...placeFilter, description: 'Only users with access to doors of this place' },
		queryFilter('Only users whose email, name or notes contain this text'),
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = {};
		if (typeof filters.query === 'string' && filters.query.trim() !== '') qs.query = filters.query.trim();
		const groupId = readOptionalId(this, 'filters.groupId', 'Filters → Group', itemIndex, numericId);
		if (groupId !== undefined) qs.group_id = groupId;
		const placeId = readOptionalId(this, 'filters.placeId', 'Filters → Place', itemIndex, numericId);
		if (placeId !== undefined) qs.place_id = placeId;
		return await kisiList(client, '/users', qs, { limit, pageSize: 100, itemIndex });
	});
}
