import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { objectId } from '../../../shared/validate';
import { singleOf } from '../../transport';
import { membershipLocator } from '../common.descriptions';

const properties: INodeProperties[] = [membershipLocator];

export const description = updateDisplayOptions({ show: { resource: ['membership'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const membershipId = objectId(
			this.getNodeParameter('membershipId', itemIndex, '', { extractValue: true }),
			'Membership',
			itemIndex,
		);
		const { body } = await client.request({ method: 'GET', path: `/2.0/memberships/${membershipId}`, itemIndex });
		return singleOf(body);
	});
}
