/** Small helpers shared by the sandbox's services. No dependencies beyond Node built-ins. */
import { createHash } from 'node:crypto';

/** What a route handler answers; the dispatcher turns it into an HTTP response. */
export interface HttpResult {
	status: number;
	/** JSON body (omitted for 204). */
	body?: unknown;
	/** A body sent verbatim (e.g. a malformed-JSON fault). */
	raw?: string;
	headers?: Record<string, string>;
}

/** The answers made by `json` and `noContent`: only they count as answers (`isResult`), never request data. */
const RESULTS = new WeakSet<HttpResult>();
const answer = (result: HttpResult): HttpResult => {
	RESULTS.add(result);
	return result;
};

export const json = (status: number, body: unknown, headers?: Record<string, string>): HttpResult => answer({ status, body, headers });
export const noContent = (): HttpResult => answer({ status: 204 });

/**
 * Whether a value is an answer rather than what was asked for: the helpers that read a request
 * (query parameters, bodies, lookups) return either their value or the API's error answer.
 */
export function isResult(v: unknown): v is HttpResult {
	return typeof v === 'object' && v !== null && RESULTS.has(v as HttpResult);
}

/** `rec` with the listed `keys` only, in that order (keys it lacks, or holds as `undefined`, stay absent). */
export function pick(rec: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const key of keys) if (rec[key] !== undefined) out[key] = rec[key];
	return out;
}

/** Query parameters as the request sent them (the last value wins for repeated keys). */
export type Query = Record<string, string>;

export function splitUrl(url: string, prefix: string): { path: string; query: Query; rawQuery: string } {
	const q = url.indexOf('?');
	const rawPath = q === -1 ? url : url.slice(0, q);
	const rawQuery = q === -1 ? '' : url.slice(q + 1);
	let path = rawPath.slice(prefix.length) || '/';
	try {
		path = decodeURIComponent(path);
	} catch {
		// keep the raw path: a malformed escape simply matches no route
	}
	if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
	const query: Query = {};
	for (const [k, v] of new URLSearchParams(rawQuery)) query[k] = v;
	return { path, query, rawQuery };
}

/** A deterministic PRNG (mulberry32): same seed, same sequence. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A stable 24-hex id (Mongo ObjectId look-alike) derived from a label. */
export function hexId(label: string): string {
	return createHash('sha1').update(label).digest('hex').slice(0, 24);
}

export const HEX24 = /^[a-f0-9]{24}$/;
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoInstant(s: unknown): s is string {
	return typeof s === 'string' && ISO_INSTANT.test(s) && !Number.isNaN(Date.parse(s));
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isDateOnly(s: unknown): s is string {
	if (typeof s !== 'string' || s.length !== 10 || !DATE_ONLY.test(s)) return false;
	const y = Number(s.slice(0, 4));
	const m = Number(s.slice(5, 7));
	const d = Number(s.slice(8, 10));
	if (m < 1 || m > 12 || d < 1 || d > DAYS_IN_MONTH[m - 1]) return false;
	return m !== 2 || d < 29 || (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0));
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const unix = (ms: number): number => Math.floor(ms / 1000);

/** A multi-map: key → set of values, for the indexes (by group, by customer, by email…). */
export class MultiIndex<K, V> {
	private readonly map = new Map<K, Set<V>>();
	add(key: K, value: V): void {
		let set = this.map.get(key);
		if (!set) this.map.set(key, (set = new Set()));
		set.add(value);
	}
	remove(key: K, value: V): void {
		const set = this.map.get(key);
		if (!set) return;
		set.delete(value);
		if (set.size === 0) this.map.delete(key);
	}
	get(key: K): V[] {
		const set = this.map.get(key);
		return set ? [...set] : [];
	}
	count(key: K): number {
		return this.map.get(key)?.size ?? 0;
	}
	clear(): void {
		this.map.clear();
	}
}

/** Comma-separated list parameter (`ids=1,2,3`), empty items dropped. */
export function csv(value: string | undefined): string[] | undefined {
	if (value === undefined) return undefined;
	return value
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

/** Comma-separated integers; `null` when one of them is not an integer. */
export function csvInts(value: string | undefined): number[] | null | undefined {
	const items = csv(value);
	if (!items) return undefined;
	const out: number[] = [];
	for (const item of items) {
		if (!/^-?\d+$/.test(item)) return null;
		out.push(Number(item));
	}
	return out;
}

export const isInt = (s: string | undefined): s is string => s !== undefined && /^-?\d+$/.test(s);

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The next free integer id of a table (max + 1, at least `floor`). */
export function nextId(ids: Iterable<number>, floor = 1): number {
	let max = floor - 1;
	for (const id of ids) if (id > max) max = id;
	return max + 1;
}

export function isLoopbackHost(host: string): boolean {
	const h = host.replace(/^\[|\]$/g, '').toLowerCase();
	return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * Filtered lists kept between the pages of one listing: a full paged listing of 50,000 records
 * filters once instead of once per page. Any write to the service (`bump`) empties it.
 */
export class ListCache {
	private version = 0;
	private readonly entries = new Map<string, { version: number; items: unknown[] }>();
	bump(): void {
		this.version++;
		this.entries.clear();
	}
	get<T>(key: string, compute: () => T[]): T[] {
		const hit = this.entries.get(key);
		if (hit && hit.version === this.version) return hit.items as T[];
		const items = compute();
		this.entries.set(key, { version: this.version, items });
		if (this.entries.size > 32) this.entries.delete(this.entries.keys().next().value!);
		return items;
	}
}

const PAGING_KEYS = new Set(['page', 'page_size', 'limit', 'offset', 'fields', 'expand', 'format']);

/** The cache key of a listing: path and filters, without the paging and presentation parameters. */
export function listKey(path: string, query: Query, extra = ''): string {
	const parts = Object.keys(query)
		.filter((k) => !PAGING_KEYS.has(k))
		.sort()
		.map((k) => `${k}=${query[k]}`);
	return `${path}?${parts.join('&')}#${extra}`;
}
