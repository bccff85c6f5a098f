import { defineResource } from '../../../shared/router';
import * as create from './create.operation';
import * as deleteRoleAssignment from './delete.operation';
import * as getAll from './getAll.operation';

export const roleAssignment = defineResource({
	name: 'Role Assignment',
	operations: { create, delete: deleteRoleAssignment, getAll },
	default: 'getAll',
});
