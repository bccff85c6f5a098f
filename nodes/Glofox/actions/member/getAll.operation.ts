import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { listEnvelopeA } from '../../transport';
import { msToUnix } from '../../mapping/time';
import { returnAllAndLimit } from '../common.descriptions';
import { dateTimeParameter } from '../shared';

const properties: INodeProperties[] = [
	...returnAllAndLimit('member', 'getAll'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Active',
				name: 'active',
				type: 'options',
				options: [
					{ name: 'Active Only', value: 'true', description: 'Members not deactivated (Glofox default)' },
					{ name: 'Any', value: 'any', description: 'Active and deactivated members' },
					{ name: 'Inactive Only', value: 'false', description: 'Deactivated (deleted) members' },
				],
				default: 'true',
				description: 'Which members to list by their Glofox "active" flag',
			},
			{
				displayName: 'Modified Since',
				name: 'modifiedSince',
				type: 'dateTime',
				default: '',
				description: 'Only members changed at or after this time (for incremental syncs)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['member'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = { active: typeof filters.active === 'string' && filters.active !== '' ? filters.active : 'true' };
		if (filters.modifiedSince) {
			qs.utc_modified_start_date = msToUnix(dateTimeParameter(this, filters.modifiedSince, 'Modified Since', itemIndex));
		}
		return await listEnvelopeA(client, '/2.0/members', qs, { limit, itemIndex });
	});
}
