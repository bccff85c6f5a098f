import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { objectId } from '../../../shared/validate';
import { memberIdField } from '../common.descriptions';
import { getMember } from '../shared';

const properties: INodeProperties[] = [memberIdField()];

export const description = updateDisplayOptions({ show: { resource: ['member'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const memberId = objectId(this.getNodeParameter('memberId', itemIndex), 'Member ID', itemIndex);
		return await getMember(client, memberId, itemIndex);
	});
}
