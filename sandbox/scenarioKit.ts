/**
 * What every service's scenario schema is built from: the zod primitives of the three APIs' field
 * types, and the helpers that check invariants across objects (unique ids, references), naming the
 * offending object (`kisi.shares[3] (id 9004)`).
 */
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { refined } from './fastcheck';
import { HEX24, isDateOnly, isIsoInstant } from './util';

export const int = z.number().int();
export const instant = refined(z.string(), isIsoInstant, 'must be an ISO-8601 date-time with a UTC offset');
export const dateOnly = refined(z.string(), isDateOnly, 'must be a date YYYY-MM-DD');
export const zone = refined(z.string(), (s) => IANAZone.isValidZone(s), 'must be an IANA time zone');
export const hex24 = z.string().regex(HEX24, 'must be a 24-hex id');
export const unixSec = z.number().int();

/** `kisi.shares[3] (id 9004)`: an object of a scenario list, by position and id. */
export function label(section: string, list: string, index: number, obj: { id?: unknown; _id?: unknown }): string {
	if (obj._id !== undefined) return `${section}.${list}[${index}] (_id ${String(obj._id)})`;
	if (obj.id !== undefined) return `${section}.${list}[${index}] (id ${String(obj.id)})`;
	return `${section}.${list}[${index}]`;
}

/** Duplicate ids within one list; the list indexed by id. */
export function checkUnique<T extends { id?: unknown; _id?: unknown }>(
	problems: string[],
	section: string,
	list: string,
	items: T[],
): Map<unknown, T> {
	const seen = new Map<unknown, T>();
	for (let index = 0; index < items.length; index++) {
		const item = items[index];
		const k = item._id ?? item.id;
		if (k === undefined) continue;
		const prev = seen.get(k);
		if (prev) problems.push(`${label(section, list, index, item)}: duplicate id (also ${section}.${list}[${items.indexOf(prev)}])`);
		else seen.set(k, item);
	}
	return seen;
}

/** `<object>: <field> <value> does not exist` when a reference names no object of `known`. */
export function checkRef(problems: string[], l: string, field: string, value: unknown, known: ReadonlyMap<unknown, unknown>): void {
	if (!known.has(value)) problems.push(`${l}: ${field} ${String(value)} does not exist`);
}
