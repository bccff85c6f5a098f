import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { idField } from '../common.descriptions';
import { deleted } from '../helpers';

export const option = {
	name: 'Delete',
	value: 'delete',
	action: 'Delete a share',
	description: 'Take away access given by a share (the user stays)',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	idField('shareId', 'Share ID', 'share', 'The numeric ID of the share. The user keeps existing; only this access goes.'),
];

export const description = updateDisplayOptions({ show: { resource: ['share'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const shareId = readId(this, 'shareId', 'Share ID', itemIndex, numericId);
		await client.request({ method: 'DELETE', path: `/shares/${shareId}`, itemIndex });
		return deleted('Share', shareId);
	});
}
