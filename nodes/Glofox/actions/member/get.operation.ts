import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { objectId } from '../../../shared/validate';
import { getMember } from '../../transport/lookups';
import { memberIdField } from '../common.descriptions';

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get a member',
	description: 'Get one member with the full membership',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [memberIdField()];

export const description = updateDisplayOptions({ show: { resource: ['member'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const memberId = readId(this, 'memberId', 'Member ID', itemIndex, objectId);
		return await getMember(client, memberId, itemIndex);
	});
}
