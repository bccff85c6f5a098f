import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { membershipLocator, readId } from '../common.descriptions';

const properties: INodeProperties[] = [membershipLocator];

export const description = updateDisplayOptions({ show: { resource: ['membership'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = readId(this, 'membershipId', 'Membership', itemIndex);
		const { body } = await client.request({ method: 'GET', path: `/memberships/${id}`, itemIndex });
		return body as IDataObject;
	});
}
