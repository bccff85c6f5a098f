import { defineResource } from '../../../shared/router';
import * as create from './create.operation';
import * as deleteGroup from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const group = defineResource({
	name: 'Group',
	operations: { create, delete: deleteGroup, get, getAll, update },
	default: 'getAll',
});
