import { defineResource } from '../../../shared/router';
import * as create from './create.operation';
import * as deleteShare from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as syncGroupAccess from './syncGroupAccess.operation';
import * as updateValidity from './updateValidity.operation';

export const share = defineResource({
	name: 'Share',
	operations: {
		create,
		delete: deleteShare,
		get,
		getAll,
		syncGroupAccess,
		updateValidity,
	},
	default: 'getAll',
});
