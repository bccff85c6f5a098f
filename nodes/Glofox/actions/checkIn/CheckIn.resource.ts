import { defineResource } from '../../../shared/router';
import * as checkInOperation from './checkIn.operation';

export const checkIn = defineResource({
	name: 'Check In',
	operations: {
		checkIn: checkInOperation,
	},
	default: 'checkIn',
});
