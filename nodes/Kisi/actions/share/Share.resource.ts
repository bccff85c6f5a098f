import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteShare from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as syncGroupAccess from './syncGroupAccess.operation';
import * as updateValidity from './updateValidity.operation';

/**
 * To add an operation: import its module, add it to `operations` and its option to
 * `operationOptions` (kept in alphabetical order of `name`), and spread its `description` below.
 */
export const operations = { create, delete: deleteShare, get, getAll, syncGroupAccess, updateValidity };

const operationOptions: INodePropertyOptions[] = [
	{ name: 'Create', value: 'create', action: 'Create a share', description: 'Give an email access to a group, optionally for a time window' },
	{ name: 'Delete', value: 'delete', action: 'Delete a share', description: 'Take away access given by a share (the user stays)' },
	{ name: 'Get', value: 'get', action: 'Get a share', description: 'Get one share' },
	{ name: 'Get Many', value: 'getAll', action: 'Get many shares', description: 'List shares, by group, user or email' },
	{
		name: 'Sync Group Access',
		value: 'syncGroupAccess',
		action: 'Sync a group with access decisions',
		description: "Make a group's shares match the Access Rule Evaluator's decisions: create, update and remove shares",
	},
	{
		name: 'Update Validity',
		value: 'updateValidity',
		action: 'Update the validity of a share',
		description: 'Change when a share starts and stops opening doors',
	},
];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['share'] } },
		options: operationOptions,
		default: 'getAll',
	},
	...create.description,
	...deleteShare.description,
	...get.description,
	...getAll.description,
	...syncGroupAccess.description,
	...updateValidity.description,
];
