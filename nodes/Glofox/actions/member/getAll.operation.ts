import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { collection, readLimit, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { instant } from '../../../shared/validate';
import { msToUnix } from '../../mapping/time';
import { GLOFOX_MAX_PAGE, listEnvelopeA } from '../../transport';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many members',
	description: 'List the members (clients and leads) of the branch',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	...returnAllAndLimit(GLOFOX_MAX_PAGE),
	collection('filters', [
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
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['member'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const qs: IDataObject = { active: typeof filters.active === 'string' && filters.active !== '' ? filters.active : 'true' };
		if (filters.modifiedSince) {
			const since = instant(filters.modifiedSince, 'Modified Since', itemIndex, { zone: this.getTimezone() });
			qs.utc_modified_start_date = msToUnix(Date.parse(since));
		}
		return await listEnvelopeA(client, '/2.0/members', qs, { limit, itemIndex });
	});
}
