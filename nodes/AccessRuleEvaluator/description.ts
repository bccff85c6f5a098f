import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_PARAMETERS, DISPLAY_NAMES } from './engine';

/**
 * The parameters of docs/spec/access-rules.md §2, under the names saved workflows use. Display names
 * and defaults come from the rules engine (engine/params.ts); the node reads exactly these
 * parameters, each falling back to its default here when n8n dropped it as hidden.
 */
export const properties: INodeProperties[] = [
	{
		displayName:
			'Expects one access profile per person (the TeamUp or Glofox node\'s "Access Profile → Get Many", or your own Code/Set node) and outputs one decision per email, with exact validity times and the reasons.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: DISPLAY_NAMES.grantOnMembership,
		name: 'grantOnMembership',
		type: 'boolean',
		default: DEFAULT_PARAMETERS.grantOnMembership,
		description: 'Whether a person with an active, allowed membership gets access',
	},
	{
		displayName: DISPLAY_NAMES.allowedMemberships,
		name: 'allowedMemberships',
		type: 'string',
		default: DEFAULT_PARAMETERS.allowedMemberships,
		placeholder: 'Unlimited Monthly, 10 Class Pack, 4411',
		description:
			'Plan IDs or plan names (case-insensitive), comma-separated, that grant access. Empty: every membership. An expression may return an array.',
		displayOptions: { show: { grantOnMembership: [true] } },
	},
	{
		displayName: DISPLAY_NAMES.allowBlockedMemberships,
		name: 'allowBlockedMemberships',
		type: 'boolean',
		default: DEFAULT_PARAMETERS.allowBlockedMemberships,
		description:
			'Whether a membership blocked for a failed or retrying payment, or by hand, still grants access (TeamUp\'s "Allow access with blocked memberships")',
		displayOptions: { show: { grantOnMembership: [true] } },
	},
	{
		displayName: DISPLAY_NAMES.grantOnRegistrations,
		name: 'grantOnRegistrations',
		type: 'boolean',
		default: DEFAULT_PARAMETERS.grantOnRegistrations,
		description:
			'Whether a registration (booking) grants access around its session — how pay-as-you-go and credit-pack members get in (Glofox "Bookings enabled")',
	},
	{
		displayName: DISPLAY_NAMES.registrationKinds,
		name: 'registrationKinds',
		type: 'multiOptions',
		options: [
			{ name: 'Appointment', value: 'appointment' },
			{ name: 'Class', value: 'class' },
			{ name: 'Course', value: 'course' },
		],
		default: [...DEFAULT_PARAMETERS.registrationKinds],
		description: 'Which kinds of registration count',
		displayOptions: { show: { grantOnRegistrations: [true] } },
	},
	{
		displayName: DISPLAY_NAMES.minutesBefore,
		name: 'minutesBefore',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULT_PARAMETERS.minutesBefore,
		description: 'Access opens this long before the session starts',
		displayOptions: { show: { grantOnRegistrations: [true] } },
	},
	{
		displayName: DISPLAY_NAMES.minutesAfter,
		name: 'minutesAfter',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULT_PARAMETERS.minutesAfter,
		description: 'Access closes this long after the session ends',
		displayOptions: { show: { grantOnRegistrations: [true] } },
	},
	{
		displayName: DISPLAY_NAMES.countWaitlisted,
		name: 'countWaitlisted',
		type: 'boolean',
		default: DEFAULT_PARAMETERS.countWaitlisted,
		description: 'Whether a waitlisted registration counts as registered',
		displayOptions: { show: { grantOnRegistrations: [true] } },
	},
	{
		displayName: DISPLAY_NAMES.lookAheadHours,
		name: 'lookAheadHours',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULT_PARAMETERS.lookAheadHours,
		description:
			'Access that opens within this many hours is granted now with a future start (Kisi lets the person in at the exact minute); later windows wait for a later run',
	},
	{
		displayName: DISPLAY_NAMES.evaluationTime,
		name: 'evaluationTime',
		type: 'string',
		default: DEFAULT_PARAMETERS.evaluationTime,
		placeholder: '2026-03-02T14:00:00Z',
		description: 'ISO-8601 instant to evaluate at, for previews and what-ifs. Empty: now.',
	},
	{
		displayName: DISPLAY_NAMES.duplicateEmails,
		name: 'duplicateEmails',
		type: 'options',
		options: [
			{
				name: 'Deny All of Them',
				value: 'deny',
				description: 'People sharing an email are all denied with DUPLICATE_EMAIL until the source is fixed',
			},
			{
				name: 'Merge',
				value: 'merge',
				description: 'People sharing an email are one Kisi user; access is the union of theirs',
			},
		],
		default: DEFAULT_PARAMETERS.duplicateEmails,
		description: 'Kisi identifies users by email: what to do when several people in the source share one',
	},
	{
		displayName: DISPLAY_NAMES.onInvalidProfile,
		name: 'onInvalidProfile',
		type: 'options',
		options: [
			{ name: 'Deny That Person', value: 'deny', description: 'Deny with INVALID_PROFILE and carry on with the others' },
			{ name: 'Fail', value: 'fail', description: 'Stop the node, naming the item and the field' },
		],
		default: DEFAULT_PARAMETERS.onInvalidProfile,
	},
	{
		displayName: DISPLAY_NAMES.output,
		name: 'output',
		type: 'options',
		options: [
			{ name: 'Single', value: 'single', description: 'One output with every person' },
			{ name: 'Split', value: 'split', description: 'Two outputs: Allowed and Denied' },
		],
		default: DEFAULT_PARAMETERS.output,
	},
];
