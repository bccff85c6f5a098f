import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { readLimit, returnAllAndLimit } from '../../../shared/parameters';
import type { OperationOption } from '../../../shared/router';
import { msToUnix } from '../../mapping/time';
import { branchIdOf, GLOFOX_MAX_PAGE, listEnvelopeA } from '../../transport';
import { readTimeRange, timeRangeFields } from '../timeRange';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many events',
	description: 'List the events that start in a time range',
} as const satisfies OperationOption;

/** Node choice → Glofox's `filter` value. */
const FILTERS: Record<string, string> = { classes: 'event', courses: 'course', appointments: 'timeslot' };

const properties: INodeProperties[] = [
	...timeRangeFields('Events that start'),
	{
		displayName: 'Types',
		name: 'types',
		type: 'multiOptions',
		options: [
			{ name: 'Appointments', value: 'appointments', description: 'Appointment and facility time slots' },
			{ name: 'Classes', value: 'classes' },
			{ name: 'Courses', value: 'courses' },
		],
		default: ['classes'],
		description: 'Which kinds of events to list',
	},
	...returnAllAndLimit(GLOFOX_MAX_PAGE),
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const { start, end } = readTimeRange(this, itemIndex);
		const types = (this.getNodeParameter('types', itemIndex, ['classes']) as string[]).filter((t) => FILTERS[t]);
		const filter = (types.length > 0 ? types : ['classes']).map((t) => FILTERS[t]).join(',');
		const limit = readLimit(this, itemIndex);
		const branchId = await branchIdOf(client);
		return await listEnvelopeA(
			client,
			`/2.0/branches/${branchId}/events`,
			{ start: msToUnix(start), end: msToUnix(end), filter, sort_by: 'time_start' },
			{ limit, itemIndex },
		);
	});
}
