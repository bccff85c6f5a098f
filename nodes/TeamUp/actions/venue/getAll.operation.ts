import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readLimit, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { teamUpList } from '../../transport';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many venues',
	description: "List the business's venues (locations) with their time zones",
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	...returnAllAndLimit(),
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Active', value: 'active' },
			{ name: 'Any', value: '' },
			{ name: 'Archived', value: 'archived' },
		],
		default: 'active',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['venue'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		const status = this.getNodeParameter('status', itemIndex, 'active') as string;
		return await teamUpList(client, '/venues', status ? { status } : {}, { limit, itemIndex });
	});
}
