import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { idField } from '../common.descriptions';

export const option = { name: 'Get', value: 'get', action: 'Get a share', description: 'Get one share' } as const satisfies OperationOption;

const properties: INodeProperties[] = [idField('shareId', 'Share ID', 'share')];

export const description = updateDisplayOptions({ show: { resource: ['share'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const shareId = readId(this, 'shareId', 'Share ID', itemIndex, numericId);
		const { body } = await client.request<IDataObject>({ method: 'GET', path: `/shares/${shareId}`, itemIndex });
		return body;
	});
}
