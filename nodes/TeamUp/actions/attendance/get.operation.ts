import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readId } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { numericId } from '../../../shared/validate';
import { idField } from '../common.descriptions';

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get an attendance',
	description: 'Get one registration by ID',
} as const satisfies OperationOption;

const properties: INodeProperties[] = [
	idField('attendanceId', 'Attendance ID', 'The ID of the registration (attendance)'),
	{
		displayName: 'Include Event',
		name: 'includeEvent',
		type: 'boolean',
		default: true,
		description: 'Whether to include the event (name, start, end) instead of its ID',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['attendance'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = readId(this, 'attendanceId', 'Attendance ID', itemIndex, numericId);
		const includeEvent = this.getNodeParameter('includeEvent', itemIndex, true) as boolean;
		const { body } = await client.request({
			method: 'GET',
			path: `/attendances/${id}`,
			qs: includeEvent ? { expand: 'event' } : undefined,
			itemIndex,
		});
		return body as IDataObject;
	});
}
