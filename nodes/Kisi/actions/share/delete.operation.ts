import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { idField } from '../common.descriptions';
import { deleted, idParam } from '../helpers';

const properties: INodeProperties[] = [
	{ ...idField('shareId', 'Share ID', 'share'), description: 'The numeric ID of the share. The user keeps existing; only this access goes.' },
];

export const description = updateDisplayOptions({ show: { resource: ['share'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const shareId = idParam(this, 'shareId', 'Share ID', itemIndex);
		await client.request({ method: 'DELETE', path: `/shares/${shareId}`, itemIndex });
		return deleted('Share', shareId);
	});
}
