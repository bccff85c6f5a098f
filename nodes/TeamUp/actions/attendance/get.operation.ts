import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { idField, readId } from '../common.descriptions';

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
		const id = readId(this, 'attendanceId', 'Attendance ID', itemIndex);
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
