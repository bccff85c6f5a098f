import { nodeProperties, type Resources } from '../../shared/router';
import { accessProfile } from './accessProfile/AccessProfile.resource';
import { attendance } from './attendance/Attendance.resource';
import { checkIn } from './checkIn/CheckIn.resource';
import { customer } from './customer/Customer.resource';
import { customerMembership } from './customerMembership/CustomerMembership.resource';
import { event } from './event/Event.resource';
import { membership } from './membership/Membership.resource';
import { venue } from './venue/Venue.resource';

/** The node's resources under the values saved workflows store: its parameters and its router come from here. */
export const resources = {
	accessProfile,
	attendance,
	checkIn,
	customer,
	customerMembership,
	event,
	membership,
	venue,
} satisfies Resources;

export const properties = nodeProperties(resources, 'accessProfile');
