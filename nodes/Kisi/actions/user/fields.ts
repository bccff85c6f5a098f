import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { nonEmpty } from '../../../shared/validate';
import { metadataObject } from '../helpers';

export const accessEnabledField: INodeProperties = {
	displayName: 'Access Enabled',
	name: 'access_enabled',
	type: 'boolean',
	default: true,
	description: 'Whether the user may open doors at all. Off suspends all access but keeps the user and their shares.',
};

export const metadataField: INodeProperties = {
	displayName: 'Metadata',
	name: 'metadata',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	placeholder: 'Add Metadata Field',
	description: 'Free key/value data stored with the user (at most 50 keys). On update it replaces the existing metadata.',
	options: [
		{
			displayName: 'Field',
			name: 'field',
			values: [
				{ displayName: 'Key', name: 'key', type: 'string', default: '' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
};

export const nameField: INodeProperties = { displayName: 'Name', name: 'name', type: 'string', default: '' };

export const notesField: INodeProperties = {
	displayName: 'Notes',
	name: 'notes',
	type: 'string',
	typeOptions: { rows: 2 },
	default: '',
};

/** Collection values as a Kisi user body (only what was set). */
export function userBody(fields: IDataObject, itemIndex: number, prefix: string): IDataObject {
	const user: IDataObject = {};
	if (fields.name !== undefined) user.name = nonEmpty(fields.name, `${prefix} → Name`, itemIndex);
	if (fields.notes !== undefined) user.notes = String(fields.notes);
	if (fields.access_enabled !== undefined) user.access_enabled = Boolean(fields.access_enabled);
	if (fields.metadata !== undefined) user.metadata = metadataObject(fields.metadata, itemIndex);
	for (const flag of ['send_emails', 'confirm']) if (fields[flag] !== undefined) user[flag] = Boolean(fields[flag]);
	return user;
}
