import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { optionalInstant } from '../../../shared/validate';
import { buildProfiles } from '../../mapping/profile';
import { nonNegative } from '../common.descriptions';
import { fetchTeamUpData } from './fetch';

const properties: INodeProperties[] = [
	{
		displayName: 'Look Ahead Hours',
		name: 'lookAheadHours',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 24,
		description: 'Registrations whose session starts before now + this many hours are included, with those already running',
	},
	{
		displayName: 'Include Inactive',
		name: 'includeInactive',
		type: 'boolean',
		default: true,
		description:
			'Whether to include every customer, so that the Access Rule Evaluator can explain why someone is denied. Off: only customers with an active membership or a registration in the window.',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: true,
		description: 'Whether to return all customers or only up to a given limit (for previews; a sync needs all)',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Courses',
				name: 'includeCourses',
				type: 'boolean',
				default: false,
				description: 'Whether to also read course sessions and their attendances (kind "course"); two more lists',
			},
			{
				displayName: 'Look Back Hours',
				name: 'lookBackHours',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 6,
				description:
					'Registrations whose session ended less than this many hours ago are included too, so that access windows that close after the session still count',
			},
			{
				displayName: 'Reference Time',
				name: 'referenceTime',
				type: 'string',
				default: '',
				placeholder: '2026-03-02T14:00:00Z',
				description: 'The instant to treat as now (ISO-8601 with a time zone), for previews and tests; empty = now',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['accessProfile'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	const warnings = new Set<string>();
	const output = await forEachItem(this, async (itemIndex) => {
		const lookAheadHours = nonNegative(this.getNodeParameter('lookAheadHours', itemIndex, 24), 'Look Ahead Hours', itemIndex);
		const includeInactive = this.getNodeParameter('includeInactive', itemIndex, true) as boolean;
		const returnAll = this.getNodeParameter('returnAll', itemIndex, true) as boolean;
		const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const lookBackHours = nonNegative(options.lookBackHours ?? 6, 'Look Back Hours', itemIndex);
		const referenceTime = optionalInstant(options.referenceTime, 'Reference Time', itemIndex);
		const now = referenceTime ? Date.parse(referenceTime) : Date.now();
		const fallbackZone = this.getTimezone();

		const { data, warnings: found } = await fetchTeamUpData(client, {
			now,
			lookAheadHours,
			lookBackHours,
			includeInactive,
			limit,
			includeCourses: options.includeCourses === true,
			fallbackZone,
			itemIndex,
		});
		found.forEach((warning) => warnings.add(warning));
		const profiles = buildProfiles(data, { now, lookAheadHours, lookBackHours, includeInactive, fallbackZone });
		return profiles as unknown as IDataObject[];
	});
	for (const message of warnings) this.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
	return output;
}
