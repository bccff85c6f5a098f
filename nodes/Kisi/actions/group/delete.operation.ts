import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { groupLocator } from '../common.descriptions';
import { deleted, locatorId } from '../helpers';

const properties: INodeProperties[] = [groupLocator];

export const description = updateDisplayOptions({ show: { resource: ['group'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const groupId = locatorId(this, 'groupId', 'Group', itemIndex);
		await client.request({ method: 'DELETE', path: `/groups/${groupId}`, itemIndex });
		return deleted('Group', groupId);
	});
}
