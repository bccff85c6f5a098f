import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { groupLocator } from '../common.descriptions';
import { deleted } from '../helpers';

export const option = {
	name: 'Delete',
	value: 'delete',
	action: 'Delete a group',
	description: 'Delete a group and the access it gives',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [groupLocator];

export const description = updateDisplayOptions({ show: { resource: ['group'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const groupId = readId(this, 'groupId', 'Group', itemIndex, numericId);
		await client.request({ method: 'DELETE', path: `/groups/${groupId}`, itemIndex });
		return deleted('Group', groupId);
	});
}
