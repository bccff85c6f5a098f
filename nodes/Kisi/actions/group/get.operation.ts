import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { groupLocator } from '../common.descriptions';
import { locatorId } from '../helpers';

const properties: INodeProperties[] = [groupLocator];

export const description = updateDisplayOptions({ show: { resource: ['group'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const groupId = locatorId(this, 'groupId', 'Group', itemIndex);
		const { body } = await client.request<IDataObject>({ method: 'GET', path: `/groups/${groupId}`, itemIndex });
		return body;
	});
}
