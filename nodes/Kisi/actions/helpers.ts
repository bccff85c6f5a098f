/**
 * Small pieces the Kisi operations share: reading validity dates, finding a user by email,
 * answering the 204s of PATCH/DELETE with something useful.
 */
import type { IDataObject } from 'n8n-workflow';

import { normaliseEmail } from '../../AccessRuleEvaluator/engine/email';
import type { ApiClient, ApiResponse } from '../../shared/http';
import { InvalidInput, optionalInstant } from '../../shared/validate';
import { kisiList } from '../transport';

/** Kisi writes instants in whole seconds without a fraction: `2026-03-02T14:00:00Z`. */
function kisiTime(iso: string | null): string | null {
	return iso === null ? null : iso.replace(/\.000Z$/, 'Z');
}

/**
 * Valid From / Valid Until as Kisi takes them: ISO UTC, null for no limit. A value without an
 * offset (n8n's date picker gives `2026-03-02T15:00:00`) and a plain date are read in `timeZone`,
 * the workflow's zone, like n8n's own nodes do. Refuses a window that ends before it starts.
 * Pure: no n8n call.
 */
export function validity(
	validFrom: unknown,
	validUntil: unknown,
	itemIndex: number,
	timeZone: string,
): { valid_from: string | null; valid_until: string | null } {
	const from = kisiTime(optionalInstant(validFrom, 'Valid From', itemIndex, { zone: timeZone }));
	const until = kisiTime(optionalInstant(validUntil, 'Valid Until', itemIndex, { zone: timeZone }));
	checkWindow(from, until, itemIndex);
	return { valid_from: from, valid_until: until };
}

/** Refuses a validity window that ends before it starts (Kisi would answer 422). */
export function checkWindow(validFrom: string | null, validUntil: string | null, itemIndex: number): void {
	if (validFrom && validUntil && Date.parse(validUntil) <= Date.parse(validFrom)) {
		throw new InvalidInput(
			'Valid Until',
			itemIndex,
			`Item ${itemIndex}: "Valid Until" (${validUntil}) must be after "Valid From" (${validFrom})`,
		);
	}
}

/** Picks the user whose email is exactly `email` (case-insensitive) from a list. Pure. */
export function exactEmailMatch(users: readonly IDataObject[], email: string): IDataObject | undefined {
	const wanted = normaliseEmail(email);
	return users.find((user) => normaliseEmail(user.email) === wanted);
}

/**
 * Finds a Kisi user by email. `GET /users?email=` is documented as a filter but not as exact, and
 * some accounts may ignore it: the answer is matched exactly on our side, and when it holds no
 * match the free-text `query` search is tried the same way.
 */
export async function findUserByEmail(client: ApiClient, email: string, itemIndex?: number): Promise<IDataObject | undefined> {
	const byFilter = await kisiList(client, '/users', { email }, { limit: 100, pageSize: 100, itemIndex });
	const found = exactEmailMatch(byFilter, email);
	if (found) return found;
	const byQuery = await kisiList(client, '/users', { query: email }, { limit: 100, pageSize: 100, itemIndex });
	return exactEmailMatch(byQuery, email);
}

/**
 * Kisi answers PATCH with 204 and no body: the caller gets the object as it is now, read back with
 * `GET path`. Should Kisi ever answer with the object itself, that is used and no request is made.
 */
export async function readBack(client: ApiClient, response: ApiResponse, path: string, itemIndex: number): Promise<IDataObject> {
	const body = response.body;
	if (body && typeof body === 'object' && !Array.isArray(body) && 'id' in body) return body as IDataObject;
	const { body: current } = await client.request<IDataObject>({ method: 'GET', path, itemIndex });
	return current;
}

/** Output of a DELETE (204 No Content). */
export function deleted(resource: string, id: number): IDataObject {
	return { id, resource_type: resource, deleted: true };
}

/** Update operations need at least one field; says which collection to fill in. */
export function requireSome(fields: IDataObject, label: string, itemIndex: number): void {
	if (Object.keys(fields).length === 0) {
		throw new InvalidInput(label, itemIndex, `Item ${itemIndex}: "${label}" is empty: add at least one field to change`);
	}
}

/** `{ field: [{ key, value }] }` of a key/value fixedCollection as Kisi's flat metadata object. */
export function metadataObject(value: unknown, itemIndex: number): IDataObject {
	const entries = ((value as { field?: Array<{ key?: unknown; value?: unknown }> } | undefined)?.field ?? []).filter(
		(entry) => String(entry.key ?? '').trim() !== '',
	);
	if (entries.length > 50) {
		throw new InvalidInput('Metadata', itemIndex, `Item ${itemIndex}: "Metadata" may hold at most 50 keys (got ${entries.length})`);
	}
	const metadata: IDataObject = {};
	for (const entry of entries) {
		const key = String(entry.key).trim();
		const text = entry.value === undefined || entry.value === null ? '' : String(entry.value);
		if (key.length > 50) {
			throw new InvalidInput('Metadata', itemIndex, `Item ${itemIndex}: "Metadata" key "${key.slice(0, 20)}…" is longer than 50 characters`);
		}
		if (text.length > 500) {
			throw new InvalidInput('Metadata', itemIndex, `Item ${itemIndex}: "Metadata" value of "${key}" is longer than 500 characters`);
		}
		metadata[key] = text;
	}
	return metadata;
}
