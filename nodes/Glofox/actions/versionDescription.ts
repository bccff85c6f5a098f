import type { INodeProperties } from 'n8n-workflow';

import * as accessProfile from './accessProfile/AccessProfile.resource';
import * as booking from './booking/Booking.resource';
import * as checkIn from './checkIn/CheckIn.resource';
import * as credit from './credit/Credit.resource';
import * as event from './event/Event.resource';
import * as member from './member/Member.resource';
import * as membership from './membership/Membership.resource';

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Access Profile', value: 'accessProfile' },
			{ name: 'Booking', value: 'booking' },
			{ name: 'Check In', value: 'checkIn' },
			{ name: 'Credit', value: 'credit' },
			{ name: 'Event', value: 'event' },
			{ name: 'Member', value: 'member' },
			{ name: 'Membership', value: 'membership' },
		],
		default: 'accessProfile',
	},
	...accessProfile.description,
	...booking.description,
	...checkIn.description,
	...credit.description,
	...event.description,
	...member.description,
	...membership.description,
];
