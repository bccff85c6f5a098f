import type { INodeProperties } from 'n8n-workflow';

import * as accessProfile from './accessProfile/AccessProfile.resource';
import * as attendance from './attendance/Attendance.resource';
import * as checkIn from './checkIn/CheckIn.resource';
import * as customer from './customer/Customer.resource';
import * as customerMembership from './customerMembership/CustomerMembership.resource';
import * as event from './event/Event.resource';
import * as membership from './membership/Membership.resource';
import * as venue from './venue/Venue.resource';

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Access Profile', value: 'accessProfile' },
			{ name: 'Attendance', value: 'attendance' },
			{ name: 'Check In', value: 'checkIn' },
			{ name: 'Customer', value: 'customer' },
			{ name: 'Customer Membership', value: 'customerMembership' },
			{ name: 'Event', value: 'event' },
			{ name: 'Membership', value: 'membership' },
			{ name: 'Venue', value: 'venue' },
		],
		default: 'accessProfile',
	},
	...accessProfile.description,
	...attendance.description,
	...checkIn.description,
	...customer.description,
	...customerMembership.description,
	...event.description,
	...membership.description,
	...venue.description,
];
