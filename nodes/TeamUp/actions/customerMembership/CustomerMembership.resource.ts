import { defineResource } from '../../../shared/router';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getUsage from './getUsage.operation';

export const customerMembership = defineResource({
	name: 'Customer Membership',
	operations: { get, getAll, getUsage },
	default: 'getAll',
});
