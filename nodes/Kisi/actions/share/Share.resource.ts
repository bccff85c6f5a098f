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
		// TODO: move this option into syncGroupAccess.operation.ts, where every other operation declares its own.
		syncGroupAccess: {
			...syncGroupAccess,
			option: {
				name: 'Sync Group Access',
				value: 'syncGroupAccess',
				action: 'Sync a group with access decisions',
				description: "Make a group's shares match the Access Rule Evaluator's decisions: create, update and remove shares",
			},
		},
		updateValidity,
	},
	default: 'getAll',
});
