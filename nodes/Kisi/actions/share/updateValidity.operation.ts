import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { idField, validityFields } from '../common.descriptions';
import { checkWindow, dateTimeParam, idParam, readBack } from '../helpers';

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
		const shareId = idParam(this, 'shareId', 'Share ID', itemIndex);
		const validFrom = dateTimeParam(this, this.getNodeParameter('validFrom', itemIndex, ''), 'Valid From', itemIndex);
		const validUntil = dateTimeParam(this, this.getNodeParameter('validUntil', itemIndex, ''), 'Valid Until', itemIndex);
		checkWindow(validFrom, validUntil, itemIndex);
		const path = `/shares/${shareId}`;
		const response = await client.request({
			method: 'PATCH',
			path,
			body: { share: { valid_from: validFrom, valid_until: validUntil } },
			itemIndex,
		});
		return await readBack(client, response, path, itemIndex);
	});
}
