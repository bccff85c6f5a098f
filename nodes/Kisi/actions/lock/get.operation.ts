import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { lockLocator } from '../common.descriptions';

export const option = { name: 'Get', value: 'get', action: 'Get a lock', description: 'Get one lock (door)' } as const satisfies OperationOption;

const properties: INodeProperties[] = [lockLocator];

export const description = updateDisplayOptions({ show: { resource: ['lock'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const lockId = readId(this, 'lockId', 'Lock', itemIndex, numericId);
		const { body } = await client.request<IDataObject>({ method: 'GET', path: `/locks/${lockId}`, itemIndex });
		return body;
	});
}
