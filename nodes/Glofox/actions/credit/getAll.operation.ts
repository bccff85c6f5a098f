import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId, readLimit, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { objectId } from '../../../shared/validate';
import { GLOFOX_MAX_PAGE, listEnvelopeA } from '../../transport';
import { memberIdField } from '../common.descriptions';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many credits',
	description: "List a member's credits (class packs, appointment credits)",
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	memberIdField('The 24-character Glofox ID of the member whose credits to list (Glofox lists credits per member only)'),
	...returnAllAndLimit(GLOFOX_MAX_PAGE),
];

export const description = updateDisplayOptions({ show: { resource: ['credit'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const memberId = readId(this, 'memberId', 'Member ID', itemIndex, objectId);
		const limit = readLimit(this, itemIndex);
		return await listEnvelopeA(client, '/2.0/credits', { user_id: memberId }, { limit, itemIndex });
	});
}
