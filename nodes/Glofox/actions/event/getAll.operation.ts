import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { InvalidInput } from '../../../shared/validate';
import { msToUnix } from '../../mapping/time';
import { branchIdOf, listEnvelopeA } from '../../transport';
import { returnAllAndLimit } from '../common.descriptions';
import { dateTimeParameter } from '../shared';

/** Node choice → Glofox's `filter` value. */
const FILTERS: Record<string, string> = { classes: 'event', courses: 'course', appointments: 'timeslot' };

const properties: INodeProperties[] = [
	{
		displayName: 'Starts After',
		name: 'start',
		type: 'dateTime',
		required: true,
		default: '={{ $now.startOf("day").toISO() }}',
		description: 'Events that start at or after this time',
	},
	{
		displayName: 'Starts Before',
		name: 'end',
		type: 'dateTime',
		required: true,
		default: '={{ $now.startOf("day").plus({ days: 1 }).toISO() }}',
		description: 'Events that start before this time',
	},
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
	...returnAllAndLimit('event', 'getAll'),
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const start = dateTimeParameter(this, this.getNodeParameter('start', itemIndex), 'Starts After', itemIndex);
		const end = dateTimeParameter(this, this.getNodeParameter('end', itemIndex), 'Starts Before', itemIndex);
		if (end <= start) throw new InvalidInput('Starts Before', itemIndex, `Item ${itemIndex}: "Starts Before" must be later than "Starts After"`);
		const types = (this.getNodeParameter('types', itemIndex, ['classes']) as string[]).filter((t) => FILTERS[t]);
		const filter = (types.length > 0 ? types : ['classes']).map((t) => FILTERS[t]).join(',');
		const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
		const branchId = await branchIdOf(client);
		return await listEnvelopeA(
			client,
			`/2.0/branches/${branchId}/events`,
			{ start: msToUnix(start), end: msToUnix(end), filter, sort_by: 'time_start' },
			{ limit, itemIndex },
		);
	});
}
