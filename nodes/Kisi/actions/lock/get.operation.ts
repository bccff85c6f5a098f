import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { lockLocator } from '../common.descriptions';
import { locatorId } from '../helpers';

const properties: INodeProperties[] = [lockLocator];

export const description = updateDisplayOptions({ show: { resource: ['lock'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const lockId = locatorId(this, 'lockId', 'Lock', itemIndex);
		const { body } = await client.request<IDataObject>({ method: 'GET', path: `/locks/${lockId}`, itemIndex });
		return body;
	});
}
