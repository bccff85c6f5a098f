import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { objectId } from '../../../shared/validate';
import { singleOf } from '../../transport';
import { membershipLocator } from '../common.descriptions';

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get a membership',
	description: 'Get one membership of the catalogue, with its plans',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [membershipLocator];

export const description = updateDisplayOptions({ show: { resource: ['membership'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const membershipId = readId(this, 'membershipId', 'Membership', itemIndex, objectId);
		const { body } = await client.request({ method: 'GET', path: `/2.0/memberships/${membershipId}`, itemIndex });
		return singleOf(body);
	});
}
