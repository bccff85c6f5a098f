import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readLimit, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { GLOFOX_MAX_PAGE, listEnvelopeA } from '../../transport';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many memberships',
	description: "List the branch's membership catalogue",
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	...returnAllAndLimit(GLOFOX_MAX_PAGE),
	collection('filters', [
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
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['membership'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = {};
		if (typeof filters.private === 'string' && filters.private !== '') qs.private = filters.private;
		return await listEnvelopeA(client, '/2.0/memberships', qs, { limit, itemIndex });
	});
}
