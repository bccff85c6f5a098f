import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { accessProfileProperties, readAccessProfileParameters } from '../../../shared/accessProfileParameters';
import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { buildProfiles } from '../../mapping/profile';
import { fetchTeamUpData } from './fetch';

const properties = accessProfileProperties(
	{ people: 'customers', sessions: 'Registrations', relevant: 'customers with an active membership or a registration in the window' },
	[
		{
			displayName: 'Include Courses',
			name: 'includeCourses',
			type: 'boolean',
			default: false,
			description: 'Whether to also read course sessions and their attendances (kind "course"); two more lists',
		},
	],
);

export const description = updateDisplayOptions({ show: { resource: ['accessProfile'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	const warnings = new Set<string>();
	const output = await forEachItem(this, async (itemIndex) => {
		const { now, lookAheadHours, lookBackHours, includeInactive, limit, options } = readAccessProfileParameters(this, itemIndex);
		const { data, warnings: found } = await fetchTeamUpData(client, {
			now,
			lookAheadHours,
			lookBackHours,
			includeInactive,
			limit,
			includeCourses: options.includeCourses === true,
			itemIndex,
		});
		found.forEach((warning) => warnings.add(warning));
		const profiles = buildProfiles(data, { now, lookAheadHours, lookBackHours, includeInactive });
		return profiles as unknown as IDataObject[];
	});
	for (const message of warnings) this.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
	return output;
}
