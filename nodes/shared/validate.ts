import { DateTime } from 'luxon';

import { isValidEmail, normaliseEmail } from '../AccessRuleEvaluator/engine/email';

/**
 * Checks of free-text parameters. Each failure names the field and the item, says what was
 * received and what is expected. Pure module: the caller wraps the message in an n8n error.
 */
export class InvalidInput extends Error {
	constructor(
		readonly field: string,
		readonly itemIndex: number,
		message: string,
	) {
		super(message);
		this.name = 'InvalidInput';
	}
}

function show(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
	return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function fail(field: string, itemIndex: number, expected: string, value: unknown): never {
	throw new InvalidInput(field, itemIndex, `Item ${itemIndex}: "${field}" must be ${expected} (got ${show(value)})`);
}

/**
 * Trimmed, lower-cased email, as Kisi and the gym systems match people. The check is the pack's one
 * e-mail check, the Access Rule Evaluator's (engine/email.ts), so every node accepts the same addresses.
 */
export function email(value: unknown, field: string, itemIndex: number): string {
	const text = normaliseEmail(value) ?? '';
	if (!isValidEmail(text)) fail(field, itemIndex, 'an email address like ana@example.com', value);
	return text;
}

export function optionalEmail(value: unknown, field: string, itemIndex: number): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
	return email(value, field, itemIndex);
}

/** An ISO-8601 date-time with an offset (or Z), returned as an ISO UTC string. */
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
/** A date, or a date and time, without an offset: n8n's date picker gives `2026-03-02T15:00:00`. */
const WALL_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

export interface InstantOptions {
	/**
	 * The time zone a date or date-time without an offset is read in: the workflow's, for date-time
	 * parameters (as n8n's own nodes read them). Without it, only values with an offset are accepted.
	 */
	zone?: string;
}

/**
 * The one date-time reader: an instant as an ISO UTC string (`2026-03-02T14:00:00.000Z`). Takes
 * ISO-8601 with an offset, JS Dates and luxon DateTimes (n8n's `{{ $now }}`), and with `zone`
 * also dates and date-times without an offset. Callers convert at their edge (epoch ms, an API's
 * own format).
 */
export function instant(value: unknown, field: string, itemIndex: number, { zone }: InstantOptions = {}): string {
	if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
	// n8n hands over luxon DateTimes from expressions such as {{ $now }}.
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		const iso = (value as { toISO: () => string | null }).toISO();
		if (iso) return new Date(iso).toISOString();
	}
	const text = typeof value === 'string' ? value.trim() : '';
	// luxon, unlike Date, refuses impossible calendar dates such as 30 February.
	const at = WITH_OFFSET.test(text)
		? DateTime.fromISO(text, { setZone: true })
		: zone !== undefined && WALL_TIME.test(text)
			? DateTime.fromISO(text, { zone })
			: undefined;
	if (at?.isValid) return at.toUTC().toISO()!;
	return fail(field, itemIndex, 'an ISO-8601 date-time with a time zone, like 2026-03-02T15:00:00Z', value);
}

export function optionalInstant(value: unknown, field: string, itemIndex: number, options: InstantOptions = {}): string | null {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return null;
	return instant(value, field, itemIndex, options);
}

export function integer(value: unknown, field: string, itemIndex: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
		const range = max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
		fail(field, itemIndex, range, value);
	}
	return number as number;
}

/** A numeric id (Kisi, TeamUp) given as a number or digits. */
export function numericId(value: unknown, field: string, itemIndex: number): number {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d+$/.test(text) || Number(text) <= 0) fail(field, itemIndex, 'a numeric ID like 501', value);
	return Number(text);
}

/** A Glofox object id: 24 hexadecimal characters. */
export function objectId(value: unknown, field: string, itemIndex: number): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!/^[a-f\d]{24}$/i.test(text)) fail(field, itemIndex, 'a 24-character Glofox ID like 62d9e7d8e803e136a87b7367', value);
	return text.toLowerCase();
}

export function nonEmpty(value: unknown, field: string, itemIndex: number): string {
	const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	if (text === '') fail(field, itemIndex, 'filled in', value);
	return text;
}

/** A number of at least 0 (hours, minutes), fractions allowed. */
export function nonNegative(value: unknown, field: string, itemIndex: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) fail(field, itemIndex, 'a number of at least 0', value);
	return number;
}

/** Numeric IDs given as a comma-separated list (`1, 2,3`) or an array; empty entries are skipped. */
export function numericIds(value: unknown, field: string, itemIndex: number): number[] {
	const parts = (Array.isArray(value) ? value.map(String) : String(value ?? '').split(','))
		.map((part) => part.trim())
		.filter((part) => part !== '');
	return parts.map((part) => numericId(part, field, itemIndex));
}
