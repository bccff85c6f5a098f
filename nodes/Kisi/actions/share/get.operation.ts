import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { idField } from '../common.descriptions';
import { idParam } from '../helpers';

const properties: INodeProperties[] = [idField('shareId', 'Share ID', 'share')];

export const description = updateDisplayOptions({ show: { resource: ['share'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const shareId = idParam(this, 'shareId', 'Share ID', itemIndex);
		const { body } = await client.request<IDataObject>({ method: 'GET', path: `/shares/${shareId}`, itemIndex });
		return body;
	});
}
