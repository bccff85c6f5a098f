import { DateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InvalidInput, numericId } from '../../shared/validate';

/** Resource locators for TeamUp objects: pick from a searchable list, or give the numeric ID. */
function locator(name: string, displayName: string, searchListMethod: string | undefined, description: string): INodeProperties {
	const idMode = {
		displayName: 'ID',
		name: 'id',
		type: 'string' as const,
		placeholder: '812345',
		validation: [{ type: 'regex' as const, properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'TeamUp IDs are numbers' } }],
	};
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: searchListMethod ? 'list' : 'id', value: '' },
		required: true,
		description,
		modes: searchListMethod
			? [
					{
						displayName: 'From List',
						name: 'list',
						type: 'list',
						typeOptions: { searchListMethod, searchable: true },
					},
					idMode,
				]
			: [idMode],
	};
}

export const customerLocator = locator('customerId', 'Customer', 'searchCustomers', 'The TeamUp customer');
export const membershipLocator = locator('membershipId', 'Membership', 'searchMemberships', 'The membership plan');
export const venueLocator = locator('venueId', 'Venue', 'searchVenues', 'The venue (location)');

/** A plain numeric ID parameter (customer memberships, events, attendances). */
export function idField(name: string, displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		default: '',
		required: true,
		placeholder: '991',
		description,
	};
}

export function returnAllAndLimit(): INodeProperties[] {
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
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

/** Reads Return All / Limit as the list helper's `limit` (undefined = all). */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll ? undefined : (ctx.getNodeParameter('limit', itemIndex, 50) as number);
}

/** A resource locator's (or plain field's) numeric ID. */
export function readId(ctx: IExecuteFunctions, name: string, field: string, itemIndex: number): number {
	const value = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	return numericId(value, field, itemIndex);
}

/** Comma-separated numeric IDs (`1, 2,3`) as TeamUp's comma list; throws naming the field. */
export function readIdList(value: unknown, field: string, itemIndex: number): string {
	const parts = (Array.isArray(value) ? value.map(String) : String(value ?? '').split(','))
		.map((part) => part.trim())
		.filter((part) => part !== '');
	return parts.map((part) => String(numericId(part, field, itemIndex))).join(',');
}

export function setIf(qs: IDataObject, key: string, value: unknown): void {
	if (value === undefined || value === null || value === '') return;
	qs[key] = value;
}

/**
 * A date-time parameter as ISO UTC. n8n's date pickers give local wall time without an offset,
 * meant in the workflow's time zone; strings with an offset are taken as they are.
 */
export function dateTimeParameter(value: unknown, zone: string, field: string, itemIndex: number): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return new Date((value as { toMillis: () => number }).toMillis()).toISOString();
	}
	const raw = String(value).trim();
	const hasOffset = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/.test(raw) && /T/.test(raw);
	const parsed = hasOffset ? DateTime.fromISO(raw, { setZone: true }) : DateTime.fromISO(raw, { zone });
	if (!parsed.isValid) {
		throw new InvalidInput(field, itemIndex, `Item ${itemIndex}: "${field}" must be a date-time like 2026-03-02T15:00:00Z (got "${raw}")`);
	}
	return new Date(parsed.toMillis()).toISOString();
}

/** A number of at least 0 (hours, minutes), named in the error when it is not. */
export function nonNegative(value: unknown, field: string, itemIndex: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
		throw new InvalidInput(field, itemIndex, `Item ${itemIndex}: "${field}" must be a number of at least 0 (got ${JSON.stringify(value) ?? 'nothing'})`);
	}
	return number;
}
