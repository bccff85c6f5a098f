/**
 * Parameters that operations of several nodes share, each written once with its reader: Return
 * All / Limit, ID fields, resource locators, the e-mail field and the usual collections (Filters,
 * Additional Fields, Update Fields, Options). A node fixes its own values (placeholders, ID format,
 * page size) in `actions/common.descriptions.ts`; values are checked with `./validate`.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { integer } from './validate';

/** Return All and Limit of a list operation; `perRequest` (the page size) is said in Limit's description. */
export function returnAllAndLimit(perRequest?: number): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			...(perRequest ? { hint: `Fetched ${perRequest} per request` } : {}),
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

/**
 * Return All / Limit as the list helpers' `limit`: undefined for all, else a whole number of at
 * least 1. `returnAll`: Return All's default where an operation changed it (Access Profiles: on).
 */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number, { returnAll = false } = {}): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, returnAll)) return undefined;
	return integer(ctx.getNodeParameter('limit', itemIndex, 50), 'Limit', itemIndex, { min: 1 });
}

/** A check of `./validate` (`numericId`, `objectId`): the value, or an error naming field and item. */
export type Check<T> = (value: unknown, field: string, itemIndex: number) => T;

/** An ID typed in (or mapped from an earlier node). */
export function idField(field: { name: string; displayName: string; placeholder: string; description: string }): INodeProperties {
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'string',
		required: true,
		default: '',
		placeholder: field.placeholder,
		description: field.description,
	};
}

/** How a service's IDs look, for the ID mode of its resource locators. */
export interface IdFormat {
	placeholder: string;
	regex: string;
	errorMessage: string;
}

export interface LocatorOptions {
	name: string;
	displayName: string;
	/** The list search method of the "From List" mode (the mode a new node starts in). */
	searchListMethod: string;
	id: IdFormat;
	/** A "By URL" mode: the address shown as placeholder, the regex whose first group is the ID, the regex a URL must match. */
	url?: { placeholder: string; extract: string; match: string; errorMessage: string };
	required?: boolean;
	description?: string;
}

/** A resource locator: pick from a searchable list, (optionally) paste a web address, or give the ID. */
export function resourceLocator(options: LocatorOptions): INodeProperties {
	const { url, id } = options;
	// The modes are written out under `modes`, where n8n's lint knows a mode takes no default.
	const locator: INodeProperties = {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required ?? true,
		...(options.description ? { description: options.description } : {}),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: url?.placeholder ?? '',
				extractValue: { type: 'regex', regex: url?.extract ?? '' },
				validation: [{ type: 'regex', properties: { regex: url?.match ?? '', errorMessage: url?.errorMessage ?? '' } }],
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: id.placeholder,
				validation: [{ type: 'regex', properties: { regex: id.regex, errorMessage: id.errorMessage } }],
			},
		],
	};
	// A service whose records have no web address has no "By URL" mode.
	if (!url) locator.modes = locator.modes?.filter((mode) => mode.name !== 'url');
	return locator;
}

/** The ID in an ID field or a resource locator (whichever mode), checked by `check`. */
export function readId<T>(ctx: IExecuteFunctions, name: string, field: string, itemIndex: number, check: Check<T>): T {
	return check(ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }), field, itemIndex);
}

/** The same for an optional one (e.g. `filters.groupId`): undefined when left empty. */
export function readOptionalId<T>(ctx: IExecuteFunctions, name: string, field: string, itemIndex: number, check: Check<T>): T | undefined {
	const value = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'object' && (value as { value?: unknown }).value === '') return undefined;
	return check(value, field, itemIndex);
}

/** A person's e-mail address, typed in or mapped. */
export function emailField(description?: string): INodeProperties {
	return {
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		...(description ? { description } : {}),
	};
}

const COLLECTIONS = {
	filters: { displayName: 'Filters', placeholder: 'Add Filter' },
	additionalFields: { displayName: 'Additional Fields', placeholder: 'Add Field' },
	updateFields: { displayName: 'Update Fields', placeholder: 'Add Field' },
	options: { displayName: 'Options', placeholder: 'Add Option' },
};

/** One of the usual collections: Filters, Additional Fields, Update Fields or Options. */
export function collection(name: keyof typeof COLLECTIONS, options: INodeProperties[], description?: string): INodeProperties {
	const { displayName, placeholder } = COLLECTIONS[name];
	return {
		displayName,
		name,
		type: 'collection',
		placeholder,
		default: {},
		...(description ? { description } : {}),
		options,
	};
}
