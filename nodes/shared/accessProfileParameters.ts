/**
 * The parameters both Access Profile → Get Many operations (TeamUp, Glofox) share, with one set of
 * ranges and checks: Look Ahead Hours, Include Inactive, Return All / Limit, and in Options Look
 * Back Hours and Reference Time. Each service adds its own options (TeamUp Include Courses, Glofox
 * Member Status) and its own nouns to the descriptions.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isValidEmail, normaliseEmail } from '../AccessRuleEvaluator/engine/email';
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

// ---------------------------------------------------------------------------------------------
// "For These People" (docs/spec/contracts.md, Additions 2026-12)

/**
 * The `people` option (in Options): profiles for these people only. `ids` names the service's IDs
 * for the description, e.g. `Glofox member IDs`.
 */
export function peopleOption(ids: string): INodeProperties {
	return {
		displayName: 'For These People',
		name: 'people',
		type: 'string',
		default: '',
		placeholder: 'ana@example.com, {{ $json.sourceId }}',
		description: `Only these people: ${ids} or e-mail addresses, separated by commas, or a list from an expression, such as a trigger's sourceId (its person; see the placeholder). A few requests per person instead of reading everyone; someone not found gets no profile (an execution hint names them). Empty: everyone.`,
	};
}

export interface PeopleList {
	/** Distinct IDs, as given (trimmed). */
	ids: string[];
	/** Distinct e-mails, lower-cased. */
	emails: string[];
	/** Entries that are neither an ID (`isId`) nor an e-mail address. */
	rejected: string[];
}

/**
 * The people of a `people` value: a string of entries separated by commas, semicolons or white
 * space, a JSON array written as a string, or an array (nested arrays and numbers too), as an
 * expression gives them. Repeats are dropped.
 */
export function parsePeople(value: unknown, isId: (text: string) => boolean): PeopleList {
	const entries: string[] = [];
	const collect = (entry: unknown): void => {
		if (Array.isArray(entry)) entry.forEach(collect);
		else if (typeof entry === 'number' && Number.isFinite(entry)) entries.push(String(entry));
		else if (typeof entry === 'string') {
			const text = entry.trim();
			if (text.startsWith('[')) {
				try {
					const parsed: unknown = JSON.parse(text);
					if (Array.isArray(parsed)) return collect(parsed);
				} catch {
					// Not JSON: read as a list of entries.
				}
			}
			entries.push(...text.split(/[\s,;[\]"']+/).filter((part) => part !== ''));
		} else if (entry !== undefined && entry !== null && entry !== '') entries.push(String(entry));
	};
	collect(value);
	const list: PeopleList = { ids: [], emails: [], rejected: [] };
	for (const entry of entries) {
		const email = normaliseEmail(entry) ?? '';
		if (entry.includes('@')) (isValidEmail(email) ? list.emails : list.rejected).push(email);
		else (isId(entry) ? list.ids : list.rejected).push(entry);
	}
	return { ids: [...new Set(list.ids)], emails: [...new Set(list.emails)], rejected: [...new Set(list.rejected)] };
}

/**
 * This item's `people`, or undefined when the option is not in use (absent, or added and left
 * empty: the whole listing). An expression that gives nobody (a trigger item without the field)
 * is in use: it asks for no one, never for everyone.
 */
export function readPeople(ctx: IExecuteFunctions, itemIndex: number, isId: (text: string) => boolean): PeopleList | undefined {
	const raw = ((ctx.getNode().parameters.options ?? {}) as IDataObject).people;
	const isExpression = typeof raw === 'string' && raw.startsWith('=');
	if (raw === undefined || raw === null || (!isExpression && String(raw).trim() === '')) return undefined;
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return parsePeople(options.people, isId);
}
