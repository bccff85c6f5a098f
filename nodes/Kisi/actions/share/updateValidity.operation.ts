import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { idField, validityFields } from '../common.descriptions';
import { readBack, validity } from '../helpers';

export const option = {
	name: 'Update Validity',
	value: 'updateValidity',
	action: 'Update the validity of a share',
	description: 'Change when a share starts and stops opening doors',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	idField('shareId', 'Share ID', 'share'),
	{
		displayName: 'Both dates are set as given: an empty date removes that limit',
		name: 'validityNotice',
		type: 'notice',
		default: '',
	},
	...validityFields('share'),
];

export const description = updateDisplayOptions({ show: { resource: ['share'], operation: ['updateValidity'] } }, properties);

/** PATCH answers 204: the output is the share as Kisi now holds it (read back). */
export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const shareId = readId(this, 'shareId', 'Share ID', itemIndex, numericId);
		const from = this.getNodeParameter('validFrom', itemIndex, '');
		const share = validity(from, this.getNodeParameter('validUntil', itemIndex, ''), itemIndex, this.getTimezone());
		const path = `/shares/${shareId}`;
		const response = await client.request({ method: 'PATCH', path, body: { share }, itemIndex });
		return await readBack(client, response, path, itemIndex);
	});
}
