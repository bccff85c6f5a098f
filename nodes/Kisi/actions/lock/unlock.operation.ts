import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { lockLocator } from '../common.descriptions';

export const option = { name: 'Unlock', value: 'unlock', action: 'Unlock a lock', description: 'Open a door now' } as const satisfies OperationOption;

const properties: INodeProperties[] = [
	{
		displayName: "The door opens as the API key's user: that user needs access to it",
		name: 'unlockNotice',
		type: 'notice',
		default: '',
	},
	lockLocator,
];

export const description = updateDisplayOptions({ show: { resource: ['lock'], operation: ['unlock'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const lockId = readId(this, 'lockId', 'Lock', itemIndex, numericId);
		const { body } = await client.request<IDataObject>({ method: 'POST', path: `/locks/${lockId}/unlock`, itemIndex });
		const message = body && typeof body === 'object' && typeof body.message === 'string' ? body.message : 'Unlocked!';
		return { lockId, unlocked: true, message };
	});
}
