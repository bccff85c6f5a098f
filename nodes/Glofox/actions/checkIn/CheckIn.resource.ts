import { defineResource } from '../../../shared/router';
import * as checkInOperation from './checkIn.operation';

export const checkIn = defineResource({
	name: 'Check In',
	operations: {
		// TODO: move this option into checkIn.operation.ts, where every other operation declares its own.
		checkIn: {
			...checkInOperation,
			option: {
				name: 'Check In',
				value: 'checkIn',
				action: 'Check in a member by email',
				description:
					"Record a member's entry in Glofox: Glofox says whether it was valid and marks a booking within the hour attended",
			},
		},
	},
	default: 'checkIn',
});
