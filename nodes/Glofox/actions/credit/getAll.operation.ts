import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { objectId } from '../../../shared/validate';
import { listEnvelopeA } from '../../transport';
import { memberIdField, returnAllAndLimit } from '../common.descriptions';

const properties: INodeProperties[] = [
	memberIdField('The 24-character Glofox ID of the member whose credits to list (Glofox lists credits per member only)'),
	...returnAllAndLimit('credit', 'getAll'),
];

export const description = updateDisplayOptions({ show: { resource: ['credit'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const memberId = objectId(this.getNodeParameter('memberId', itemIndex), 'Member ID', itemIndex);
		const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
		return await listEnvelopeA(client, '/2.0/credits', { user_id: memberId }, { limit, itemIndex });
	});
}
