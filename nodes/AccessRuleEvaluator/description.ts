import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_PARAMETERS, DISPLAY_NAMES, type EvaluatorParameters, MAX_GRACE_DAYS } from './engine';

/** A rule parameter as declared here: its name, display name and default come from engine/params.ts. */
type Declared = Omit<INodeProperties, 'name' | 'displayName' | 'default'>;

/**
 * The parameters of docs/spec/access-rules.md §2, under the names saved workflows use, in the order
 * the editor shows them. Each name is written once: display names and defaults come from the rules
 * engine (engine/params.ts), and a parameter of the engine missing here does not compile. The node
 * reads exactly these parameters, each falling back to its default when n8n dropped it as hidden.
 */
const RULE_PARAMETERS: Record<keyof EvaluatorParameters, Declared> = {
	grantOnMembership: {
		type: 'boolean',
		description: 'Whether a person with an active, allowed membership gets access',
	},
	allowedMemberships: {
		type: 'string',
		placeholder: 'Unlimited Monthly, 10 Class Pack, 4411',
		description:
			'Plan IDs or plan names (case-insensitive), comma-separated, that grant access. Empty: every membership. An expression may return an array.',
		displayOptions: { show: { grantOnMembership: [true] } },
	},
	allowBlockedMemberships: {
		type: 'boolean',
		description:
			'Whether a membership blocked for a failed or retrying payment, or by hand, still grants access (TeamUp\'s "Allow access with blocked memberships")',
		displayOptions: { show: { grantOnMembership: [true] } },
	},
	graceDays: {
		type: 'number',
		typeOptions: { minValue: 0, maxValue: MAX_GRACE_DAYS, numberPrecision: 0 },
		description:
			'A membership blocked only for a failed or retrying payment keeps access for this many days after the payment failed (calendar days in the gym\'s time zone); never for a block set by hand, or when the source does not say when the payment failed. 0: no grace.',
		displayOptions: { show: { grantOnMembership: [true], allowBlockedMemberships: [false] } },
	},
	grantOnRegistrations: {
		type: 'boolean',
		description:
			'Whether a registration (booking) grants access around its session — how pay-as-you-go and credit-pack members get in (Glofox "Bookings enabled")',
	},
	registrationKinds: {
		type: 'multiOptions',
		options: [
			{ name: 'Appointment', value: 'appointment' },
			{ name: 'Class', value: 'class' },
			{ name: 'Course', value: 'course' },
		],
		description: 'Which kinds of registration count',
		displayOptions: { show: { grantOnRegistrations: [true] } },
	},
	minutesBefore: {
		type: 'number',
		typeOptions: { minValue: 0 },
		description: 'Access opens this long before the session starts',
		displayOptions: { show: { grantOnRegistrations: [true] } },
	},
	minutesAfter: {
		type: 'number',
		typeOptions: { minValue: 0 },
		description: 'Access closes this long after the session ends',
		displayOptions: { show: { grantOnRegistrations: [true] } },
	},
	countWaitlisted: {
		type: 'boolean',
		description: 'Whether a waitlisted registration counts as registered',
		displayOptions: { show: { grantOnRegistrations: [true] } },
	},
	holdKeepsBookings: {
		type: 'boolean',
		description:
			'Whether a person whose membership is on hold (paused, frozen) still gets in for the sessions they booked. Off: while on hold, with no other active membership, their bookings do not open the door (REGISTRATION_DURING_HOLD).',
		displayOptions: { show: { grantOnRegistrations: [true] } },
	},
	denyList: {
		type: 'string',
		placeholder: 'banned@example.com, 812345',
		description:
			'E-mails or source IDs (TeamUp customer ID, Glofox member ID), comma-separated, who are always denied (DENY_LISTED) whatever their membership or bookings say: banned members, unsigned waivers, a missing induction. An expression may return an array.',
	},
	lookAheadHours: {
		type: 'number',
		typeOptions: { minValue: 0 },
		description:
			'Access that opens within this many hours is granted now with a future start (Kisi lets the person in at the exact minute); later windows wait for a later run',
	},
	evaluationTime: {
		type: 'string',
		placeholder: '2026-03-02T14:00:00Z',
		description: 'ISO-8601 instant to evaluate at, for previews and what-ifs. Empty: now.',
	},
	duplicateEmails: {
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
		description: 'Kisi identifies users by email: what to do when several people in the source share one',
	},
	onInvalidProfile: {
		type: 'options',
		options: [
			{ name: 'Deny That Person', value: 'deny', description: 'Deny with INVALID_PROFILE and carry on with the others' },
			{ name: 'Fail', value: 'fail', description: 'Stop the node, naming the item and the field' },
		],
	},
	output: {
		type: 'options',
		options: [
			{ name: 'Single', value: 'single', description: 'One output with every person' },
			{ name: 'Split', value: 'split', description: 'Two outputs: Allowed and Denied' },
		],
	},
};

export const properties: INodeProperties[] = [
	{
		displayName:
			'Expects one access profile per person (the TeamUp or Glofox node\'s "Access Profile → Get Many", or your own Code/Set node) and outputs one decision per email, with exact validity times and the reasons.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	...Object.entries(RULE_PARAMETERS).map(([name, declared]): INodeProperties => {
		const fallback = DEFAULT_PARAMETERS[name as keyof EvaluatorParameters];
		return {
			displayName: DISPLAY_NAMES[name as keyof EvaluatorParameters],
			name,
			default: Array.isArray(fallback) ? [...fallback] : fallback,
			...declared,
		};
	}),
];
