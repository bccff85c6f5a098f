/**
 * The parameters both Access Profile → Get Many operations (TeamUp, Glofox) share, with one set of
 * ranges and checks: Look Ahead Hours, Include Inactive, Return All / Limit, and in Options Look
 * Back Hours and Reference Time. Each service adds its own options (TeamUp Include Courses, Glofox
 * Member Status) and its own nouns to the descriptions.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllAndLimit } from './parameters';
import { InvalidInput, optionalInstant } from './validate';

/** The longest window either way: a leap year of hours. */
export const MAX_HOURS = 24 * 366;

export const ACCESS_PROFILE_DEFAULTS = {
	lookAheadHours: 24,
	lookBackHours: 6,
	includeInactive: true,
	returnAll: true,
} as const;

export interface AccessProfileWording {
	/** The people listed, plural: `customers`, `members`. */
	people: string;
	/** What a session is booked with, plural and capitalised: `Registrations`, `Bookings`. */
	sessions: string;
	/** Who Include Inactive off keeps, e.g. `customers with an active membership or a registration in the window`. */
	relevant: string;
}

function hoursParameter(name: string, displayName: string, defaultValue: number, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'number',
		typeOptions: { minValue: 0, maxValue: MAX_HOURS },
		default: defaultValue,
		description,
	};
}

/**
 * The operation's parameters, top level first, then Options with the service's own `options`
 * (sorted by display name, as n8n lists collection options).
 */
export function accessProfileProperties(wording: AccessProfileWording, options: INodeProperties[] = []): INodeProperties[] {
	const [returnAll, limit] = returnAllAndLimit();
	const sharedOptions: INodeProperties[] = [
		hoursParameter(
			'lookBackHours',
			'Look Back Hours',
			ACCESS_PROFILE_DEFAULTS.lookBackHours,
			`${wording.sessions} whose session ended less than this many hours ago are included too, so that access windows that close after the session still count (0 to ${MAX_HOURS})`,
		),
		{
			displayName: 'Reference Time',
			name: 'referenceTime',
			type: 'string',
			default: '',
			placeholder: '2026-03-02T14:00:00Z',
			description: 'The instant to treat as now (ISO-8601 with a time zone), for previews, what-if and tests; empty = now',
		},
	];
	return [
		hoursParameter(
			'lookAheadHours',
			'Look Ahead Hours',
			ACCESS_PROFILE_DEFAULTS.lookAheadHours,
			`${wording.sessions} whose session starts before now + this many hours are included, with those already running (0 to ${MAX_HOURS})`,
		),
		{
			displayName: 'Include Inactive',
			name: 'includeInactive',
			type: 'boolean',
			// ACCESS_PROFILE_DEFAULTS.includeInactive, written as a literal: n8n's lint reads only literal boolean defaults
			default: true,
			description: `Whether to output every one of the ${wording.people}, so that the Access Rule Evaluator can explain a denial (and a sync can remove access). Off: only ${wording.relevant}.`,
		},
		{
			...returnAll,
			default: ACCESS_PROFILE_DEFAULTS.returnAll,
			description: `Whether to return all ${wording.people} or only up to a given limit (for previews; a sync needs all)`,
		},
		limit,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [...sharedOptions, ...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
		},
	];
}

export interface AccessProfileParameters {
	lookAheadHours: number;
	lookBackHours: number;
	includeInactive: boolean;
	/** Max people to output; undefined = all (Return All). */
	limit: number | undefined;
	/** "Now" (Reference Time, else the current time), epoch ms. */
	now: number;
	/** The Options collection as given, for the service's own options. */
	options: IDataObject;
}

/** A number of hours from 0 to {@link MAX_HOURS} (fractions allowed), named in the error when it is not. */
export function hours(value: unknown, field: string, itemIndex: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || number > MAX_HOURS) {
		throw new InvalidInput(field, itemIndex, `Item ${itemIndex}: "${field}" must be a number of hours from 0 to ${MAX_HOURS} (got ${JSON.stringify(value) ?? 'nothing'})`);
	}
	return number;
}

/**
 * Reads the shared parameters of one item. Every parameter is read with its default, so a hidden
 * one (Limit under Return All) takes the value n8n would give it.
 */
export function readAccessProfileParameters(ctx: IExecuteFunctions, itemIndex: number): AccessProfileParameters {
	const d = ACCESS_PROFILE_DEFAULTS;
	const lookAheadHours = hours(ctx.getNodeParameter('lookAheadHours', itemIndex, d.lookAheadHours), 'Look Ahead Hours', itemIndex);
	const includeInactive = Boolean(ctx.getNodeParameter('includeInactive', itemIndex, d.includeInactive));
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const lookBackHours = hours(options.lookBackHours ?? d.lookBackHours, 'Look Back Hours', itemIndex);
	const referenceTime = optionalInstant(options.referenceTime, 'Reference Time', itemIndex);
	return {
		lookAheadHours,
		lookBackHours,
		includeInactive,
		limit: readLimit(ctx, itemIndex, { returnAll: d.returnAll }),
		now: referenceTime ? Date.parse(referenceTime) : Date.now(),
		options,
	};
}
