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
				action: 'Check in a customer by email',
				description:
					'Record a check-in at the venue of the registration whose window contains the entry time (confirming it where TeamUp allows), or at the front desk',
			},
		},
	},
	default: 'checkIn',
});
