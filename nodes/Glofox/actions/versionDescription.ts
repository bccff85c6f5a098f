import { nodeProperties, type Resources } from '../../shared/router';
import { accessProfile } from './accessProfile/AccessProfile.resource';
import { booking } from './booking/Booking.resource';
import { checkIn } from './checkIn/CheckIn.resource';
import { credit } from './credit/Credit.resource';
import { event } from './event/Event.resource';
import { member } from './member/Member.resource';
import { membership } from './membership/Membership.resource';

/** The node's resources under the values saved workflows store: its parameters and its router come from here. */
export const resources = { accessProfile, booking, checkIn, credit, event, member, membership } satisfies Resources;

export const properties = nodeProperties(resources, 'accessProfile');
