import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { type Resources, route } from '../../shared/router';
import { glofoxClient } from '../transport';
import * as accessProfile from './accessProfile/AccessProfile.resource';
import * as booking from './booking/Booking.resource';
import * as checkIn from './checkIn/CheckIn.resource';
import * as credit from './credit/Credit.resource';
import * as event from './event/Event.resource';
import * as member from './member/Member.resource';
import * as membership from './membership/Membership.resource';

const resources: Resources = {
	accessProfile: accessProfile.operations,
	booking: booking.operations,
	checkIn: checkIn.operations,
	credit: credit.operations,
	event: event.operations,
	member: member.operations,
	membership: membership.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route(this, resources, glofoxClient);
}
