import { defineResource } from '../../../shared/router';
import * as getAll from './getAll.operation';

export const accessProfile = defineResource({
	name: 'Access Profile',
	operations: {
		getAll,
	},
	default: 'getAll',
});
