import { defineResource } from '../../../shared/router';
import * as create from './create.operation';
import * as deleteUser from './delete.operation';
import * as findByEmail from './findByEmail.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const user = defineResource({
	name: 'User',
	operations: { create, delete: deleteUser, findByEmail, get, getAll, update },
	default: 'getAll',
});
