import type { IDataObject, INodeProperties } from 'n8n-workflow';

/** Group settings shared by Create (Additional Fields) and Update (Update Fields). */
export const groupSettings: INodeProperties[] = [
	{
		displayName: 'App Access (Login Enabled)',
		name: 'login_enabled',
		type: 'boolean',
		default: true,
		description: 'Whether members of the group may unlock with the Kisi app',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
	},
	{
		displayName: 'Geofence Restriction',
		name: 'geofence_restriction_enabled',
		type: 'boolean',
		default: false,
		description: 'Whether members must be near the door to unlock from the app',
	},
	{
		displayName: 'Managed Device Restriction',
		name: 'managed_device_restriction_enabled',
		type: 'boolean',
		default: false,
		description: 'Whether only managed devices may unlock',
	},
	{
		displayName: 'Primary Device Restriction',
		name: 'primary_device_restriction_enabled',
		type: 'boolean',
		default: false,
		description: "Whether only a member's primary device may unlock",
	},
	{
		displayName: 'Reader Restriction',
		name: 'reader_restriction_enabled',
		type: 'boolean',
		default: false,
		description: 'Whether members must tap a reader to unlock',
	},
	{
		displayName: 'Tap to Access Restriction',
		name: 'tap_to_access_restriction_enabled',
		type: 'boolean',
		default: false,
		description: 'Whether tap to access is required',
	},
	{
		displayName: 'Time Restriction',
		name: 'time_restriction_enabled',
		type: 'boolean',
		default: false,
		description: "Whether the group's schedule restricts when members may unlock",
	},
];

const BOOLEAN_SETTINGS = groupSettings.filter((field) => field.type === 'boolean').map((field) => field.name);

/** The collection's values as a Kisi group body (only what was set). */
export function groupBody(fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	for (const name of BOOLEAN_SETTINGS) if (fields[name] !== undefined) body[name] = Boolean(fields[name]);
	if (fields.description !== undefined) {
		const text = String(fields.description).trim();
		body.description = text === '' ? null : text;
	}
	return body;
}
