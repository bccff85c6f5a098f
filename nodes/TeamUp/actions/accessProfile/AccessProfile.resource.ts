import { defineResource } from '../../../shared/router';
import * as getAll from './getAll.operation';

export const accessProfile = defineResource({
	name: 'Access Profile',
	operations: {
		// TODO: move this option into getAll.operation.ts, where every other operation declares its own.
		getAll: {
			...getAll,
			option: {
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many access profiles',
				description: 'One item per customer with memberships and registrations, ready for the Access Rule Evaluator',
			},
		},
	},
	default: 'getAll',
});
