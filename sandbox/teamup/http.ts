/**
 * TeamUp's side of HTTP (Django REST framework): its error bodies, page-number paging
 * (`{count, next, previous, results}`), `fields` and `expand`, the query parameters its listings
 * share, and JSON or form request bodies.
 */
import { type Ctx, idSet, isObject, listed } from '../service';
import { type HttpResult, csv, isDateOnly, isInt, isResult, json } from '../util';
import type { TeamUpStore } from '.';
import type { Rec } from './records';

const DEFAULT_MESSAGES: Record<number, [string, string, string]> = {
	400: ['parameter_invalid', 'You request was invalid', 'invalid_request_error'],
	401: ['authentication_failed', 'Incorrect authentication credentials.', 'invalid_request_error'],
	403: ['permission_denied', 'You do not have permission to perform this action.', 'invalid_request_error'],
	404: ['not_found', 'Not found.', 'invalid_request_error'],
	405: ['method_not_allowed', 'Method not allowed.', 'invalid_request_error'],
	409: ['conflict', 'Conflict.', 'conflict'],
	415: ['unsupported_media_type', 'Unsupported media type in request.', 'invalid_request_error'],
	429: ['throttled', 'Request was throttled.', 'invalid_request_error'],
	500: ['server_error', 'A server error occurred.', 'api_error'],
	502: ['bad_gateway', 'Bad gateway.', 'api_error'],
	503: ['service_unavailable', 'Service temporarily unavailable, try again later.', 'api_error'],
	504: ['gateway_timeout', 'Gateway timeout.', 'api_error'],
};

export function teamupError(status: number, opts: { code?: string; message?: string; field_errors?: Record<string, string[]>; type?: string } = {}): HttpResult {
	const [code, message, type] = DEFAULT_MESSAGES[status] ?? ['error', 'Error.', 'invalid_request_error'];
	const body: Rec = { code: opts.code ?? code };
	if (opts.field_errors) body.field_errors = opts.field_errors;
	body.message = opts.message ?? message;
	body.type = opts.type ?? type;
	return json(status, body);
}

/** 400 `parameter_invalid` with `field_errors`. */
export const invalid = (field_errors: Record<string, string[]>): HttpResult => teamupError(400, { field_errors });

/** Django's answer to a value outside a filter's choices. */
export const notAChoice = (name: string, value: string): HttpResult =>
	invalid({ [name]: [`Select a valid choice. ${value} is not one of the available choices.`] });

// -------------------------------------------------------------------------------------------------
// Answers: pages, single objects, `fields`, `expand`

/** `expand=event,event.venue` as a tree. */
export type Expand = Map<string, Expand>;
export function parseExpand(value: string | undefined): Expand {
	const root: Expand = new Map();
	for (const path of csv(value) ?? []) {
		let node = root;
		for (const part of path.split('.')) {
			let next = node.get(part);
			if (!next) node.set(part, (next = new Map()));
			node = next;
		}
	}
	return root;
}
export const expandOf = (ctx: Ctx<unknown>): Expand => parseExpand(ctx.query.expand);

/** `fields=id,name`: only those top-level fields. */
function project(obj: Rec, fields: string[] | undefined): Rec {
	if (!fields) return obj;
	const out: Rec = {};
	for (const f of fields) {
		const top = f.split('.')[0];
		if (top in obj) out[top] = obj[top];
	}
	return out;
}

/** DRF page-number paging: `{count, next, previous, results}`. */
export function page<T>(
	t: TeamUpStore,
	ctx: Ctx<unknown>,
	source: T[] | (() => T[]),
	serialize: (t: T) => Rec,
	maxPageSize = 100,
	cacheExtra = '',
): HttpResult {
	let size = maxPageSize === 250 ? 100 : maxPageSize;
	if (ctx.query.page_size !== undefined) {
		if (!isInt(ctx.query.page_size) || Number(ctx.query.page_size) < 1)
			return invalid({ page_size: ['A valid integer greater than or equal to 1 is required.'] });
		size = Number(ctx.query.page_size);
		if (size > maxPageSize) return invalid({ page_size: [`Ensure this value is less than or equal to ${maxPageSize}.`] });
	}
	const items = listed(t, ctx, source, cacheExtra);
	const count = items.length;
	const pages = Math.max(1, Math.ceil(count / size));
	let page = 1;
	const raw = ctx.query.page;
	if (raw !== undefined) {
		if (raw === 'last') page = pages;
		else if (!isInt(raw) || Number(raw) < 1) return teamupError(404, { message: 'Invalid page.' });
		else page = Number(raw);
	}
	if (page > pages) return teamupError(404, { message: 'Invalid page.' });
	const link = (n: number | null): string | null => {
		if (n === null) return null;
		const params = new URLSearchParams(ctx.rawQuery);
		if (n === 1) params.delete('page');
		else params.set('page', String(n));
		const qs = params.toString();
		return `${ctx.origin}${t.prefix}${ctx.path}${qs ? `?${qs}` : ''}`;
	};
	const fields = csv(ctx.query.fields);
	const results = items.slice((page - 1) * size, page * size).map((t) => project(serialize(t), fields));
	return json(200, { count, next: link(page < pages ? page + 1 : null), previous: link(page > 1 ? page - 1 : null), results });
}

/** The record a path's `:id` names (a positive integer). */
export const byId = <T>(map: ReadonlyMap<number, T>, id: string): T | undefined => (/^\d+$/.test(id) ? map.get(Number(id)) : undefined);

/** `GET /<resource>/{id}`: the record a path's `:id` names, serialized (with `fields`), or 404. */
export function one<T>(map: ReadonlyMap<number, T>, ctx: Ctx<unknown>, serialize: (t: T) => Rec): HttpResult {
	const found = byId(map, ctx.params.id);
	return found ? json(200, project(serialize(found), csv(ctx.query.fields))) : teamupError(404);
}

// -------------------------------------------------------------------------------------------------
// Query parameters (readers for `readQuery`)

/** Comma-separated integers (`customer=1,2`): a set. */
export const ids = idSet((name) => invalid({ [name]: ['Enter a whole number.'] }));

/** A date-time (a date alone is midnight UTC, no offset is UTC): epoch milliseconds. */
export function instant(ctx: Ctx<unknown>, name: string): number | undefined | HttpResult {
	const v = ctx.query[name];
	if (v === undefined || v === '') return undefined;
	const s = isDateOnly(v) ? `${v}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`;
	const ms = Date.parse(s);
	if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(v)) return invalid({ [name]: ['Enter a valid date/time.'] });
	return ms;
}

/** A filter on a date field that TeamUp types `date-time` (customer memberships): a date or a date-time, compared by its date. */
export function date(ctx: Ctx<unknown>, name: string): string | undefined | HttpResult {
	const v = ctx.query[name];
	if (v === undefined || v === '') return undefined;
	if (isDateOnly(v)) return v;
	const ms = instant(ctx, name);
	if (isResult(ms)) return invalid({ [name]: ['Enter a valid date/time.'] });
	return new Date(ms!).toISOString().slice(0, 10);
}

export function bool(ctx: Ctx<unknown>, name: string): boolean | undefined | HttpResult {
	const v = ctx.query[name];
	if (v === undefined || v === '') return undefined;
	if (/^(true|1|True)$/.test(v)) return true;
	if (/^(false|0|False)$/.test(v)) return false;
	return invalid({ [name]: ['Must be a valid boolean.'] });
}

/** A comma list of values out of `allowed`. */
export const choices =
	(allowed: readonly string[]) =>
	(ctx: Ctx<unknown>, name: string): string[] | undefined | HttpResult => {
		const values = csv(ctx.query[name]);
		if (!values) return undefined;
		const bad = values.find((v) => !allowed.includes(v));
		if (bad !== undefined) return notAChoice(name, bad);
		return values;
	};

/** One value out of `allowed` (an empty value is not one of them). */
export const oneOf =
	(allowed: readonly string[]) =>
	(ctx: Ctx<unknown>, name: string): string | undefined | HttpResult => {
		const v = ctx.query[name];
		return v !== undefined && !allowed.includes(v) ? notAChoice(name, v) : v;
	};

// -------------------------------------------------------------------------------------------------
// Request bodies

/** JSON or form body (DRF parsers); 415 for other content types. */
export function body(ctx: Ctx<unknown>): Rec | HttpResult {
	const raw = ctx.rawBody;
	if (raw === undefined || raw.trim() === '') return {};
	const type = String(ctx.headers['content-type'] ?? '').toLowerCase();
	if (type.includes('json')) {
		try {
			const v = JSON.parse(raw);
			return isObject(v) ? v : invalid({ non_field_errors: ['Invalid data. Expected a dictionary.'] });
		} catch (e) {
			return teamupError(400, { code: 'parse_error', message: `JSON parse error - ${(e as Error).message}` });
		}
	}
	if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
	return teamupError(415, { message: `Unsupported media type "${type || 'none'}" in request.` });
}

/** Django REST framework's BooleanField: booleans, and the usual spellings in form bodies. */
export function drfBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	if (typeof value === 'string') {
		if (['true', 'True', 'TRUE', '1', 'yes', 'on'].includes(value)) return true;
		if (['false', 'False', 'FALSE', '0', 'no', 'off'].includes(value)) return false;
	}
	return undefined;
}

/** A primary-key field of a body: the record it names, or its DRF error in `errors`. */
export function pk<T>(value: unknown, map: Map<number, T>, field: string, errors: Record<string, string[]>): T | undefined {
	if (value === undefined || value === null || value === '') {
		errors[field] = ['This field is required.'];
		return undefined;
	}
	const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
	if (!Number.isInteger(n)) {
		errors[field] = [`Incorrect type. Expected pk value, received ${typeof value}.`];
		return undefined;
	}
	const found = map.get(n);
	if (!found) errors[field] = [`Invalid pk "${n}" - object does not exist.`];
	return found;
}
