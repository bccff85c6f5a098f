import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { type Resources, route } from '../../shared/router';
import { teamUpClient } from '../transport';
import * as accessProfile from './accessProfile/AccessProfile.resource';
import * as attendance from './attendance/Attendance.resource';
import * as checkIn from './checkIn/CheckIn.resource';
import * as customer from './customer/Customer.resource';
import * as customerMembership from './customerMembership/CustomerMembership.resource';
import * as event from './event/Event.resource';
import * as membership from './membership/Membership.resource';
import * as venue from './venue/Venue.resource';

const resources: Resources = {
	accessProfile: accessProfile.operations,
	attendance: attendance.operations,
	checkIn: checkIn.operations,
	customer: customer.operations,
	customerMembership: customerMembership.operations,
	event: event.operations,
	membership: membership.operations,
	venue: venue.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, resources, teamUpClient);
}
