/** Glofox lookups several operations share: members by email, a member's bookings, a member, the branch's time zone. */
import type { IDataObject } from 'n8n-workflow';

import { normaliseEmail } from '../../AccessRuleEvaluator/engine/email';
import type { ApiClient } from '../../shared/http';
import { InvalidInput } from '../../shared/validate';
import { bookingWindow, type GlofoxBooking } from '../mapping/profile';
import { isValidZone, msToUnix } from '../mapping/time';
import { branchIdOf, dataOf, listEnvelopeA, singleOf } from './index';

/** Glofox's "no such user" as HTTP 200 `{success: false, message_code: "USER_NOT_FOUND"}` (or MEMBER_…). */
function notFoundInBody(body: unknown): boolean {
	const code = (body as { message_code?: unknown; error_code?: unknown } | null) ?? {};
	return /^(USER|MEMBER)_NOT_FOUND$/.test(String(code.message_code ?? code.error_code ?? ''));
}

function sameEmail(a: unknown, b: string): boolean {
	return normaliseEmail(a) === b;
}

/**
 * Members of the credential's branch with this email (exact address, compared
 * case-insensitively), through `GET /2.1/branches/{branchId}/users?filters[email]=`. Glofox's
 * email search is reported to be case-sensitive, so the address is sent lower-cased first, then
 * as typed when that differs. Accepts a list (`data` array), a bare array or a single user;
 * "not found" as a 404 or as a 200 with `success: false` is no match.
 */
export async function findMembersByEmail(client: ApiClient, email: string, itemIndex?: number, onRequest?: () => void): Promise<IDataObject[]> {
	const typed = email.trim();
	const lower = typed.toLowerCase();
	const branchId = await branchIdOf(client);
	for (const candidate of lower === typed ? [lower] : [lower, typed]) {
		onRequest?.();
		const { status, body } = await client.request<IDataObject>({
			method: 'GET',
			path: `/2.1/branches/${branchId}/users`,
			qs: { 'filters[email]': candidate, page: 1, limit: 50 },
			itemIndex,
			expect: [404],
			expectInBody: notFoundInBody,
		});
		if (status === 404 || notFoundInBody(body)) continue;
		const list = dataOf(body);
		const users = list.length > 0 ? list : [singleOf(body)].filter((user) => user._id !== undefined);
		const matches = users.filter((user) => sameEmail(user.email, lower));
		if (matches.length > 0) return matches;
	}
	return [];
}

/**
 * One member's bookings whose session starts in [`fromMs`, `untilMs`), earliest first:
 * `GET /2.0/bookings` with the `branchId` and `user_id` Glofox's OpenAPI requires and the window
 * as `time_start` / `time_end`. The window is applied again here: integrators report Glofox
 * answering with the member's whole booking history, and a booking outside the window must never
 * reach a check-in or a listing. A booking whose start cannot be read is kept (the caller decides
 * what it is worth) rather than silently lost.
 */
export async function memberBookings(
	client: ApiClient,
	memberId: string,
	fromMs: number,
	untilMs: number,
	itemIndex?: number,
	onPage?: () => void,
): Promise<IDataObject[]> {
	const branchId = await branchIdOf(client);
	const found: IDataObject[] = [];
	await listEnvelopeA(
		client,
		'/2.0/bookings',
		{ branchId, user_id: memberId, time_start: msToUnix(fromMs), time_end: Math.ceil(untilMs / 1000) - 1, sort_by: 'time_start' },
		{
			itemIndex,
			onPage: (page) => {
				onPage?.();
				for (const booking of page) {
					if (booking.user_id !== undefined && booking.user_id !== null && String(booking.user_id) !== memberId) continue;
					const window = bookingWindow(booking as unknown as GlofoxBooking, 'UTC');
					if (!window || (window.startMs >= fromMs && window.startMs < untilMs)) found.push(booking);
				}
			},
		},
	);
	return found;
}

/** One member, bare (the spec) or wrapped in `data` (seen by one integrator): both accepted. */
export async function getMember(client: ApiClient, memberId: string, itemIndex?: number): Promise<IDataObject> {
	const { body } = await client.request({ method: 'GET', path: `/2.0/members/${memberId}`, itemIndex });
	return singleOf(body);
}

/**
 * One member, or null when Glofox has none with this id (404, or HTTP 200 with `USER_NOT_FOUND`).
 * Any other failure is thrown as usual.
 */
export async function findMember(client: ApiClient, memberId: string, itemIndex?: number): Promise<IDataObject | null> {
	const { status, body } = await client.request({
		method: 'GET',
		path: `/2.0/members/${memberId}`,
		itemIndex,
		expect: [404],
		expectInBody: notFoundInBody,
	});
	if (status === 404 || notFoundInBody(body)) return null;
	const member = singleOf(body);
	return member._id === undefined ? null : member;
}

/**
 * The branch's IANA time zone (`address.timezone_id` of `GET /2.0/branches/{branchId}`), needed
 * to read the branch-local times of `GET /2.2/branches/{id}/bookings`. Fails when Glofox does not
 * give a valid zone: guessing one would shift every booking by hours.
 */
export async function branchTimezone(client: ApiClient, itemIndex?: number): Promise<string> {
	const branchId = await branchIdOf(client);
	const { body } = await client.request({ method: 'GET', path: `/2.0/branches/${branchId}`, itemIndex });
	const branch = singleOf(body);
	const address = (branch.address && typeof branch.address === 'object' ? branch.address : {}) as IDataObject;
	const zone = [address.timezone_id, branch.timezone_id, address.timezone].find((candidate) => isValidZone(candidate));
	if (!isValidZone(zone)) {
		throw new InvalidInput(
			'Location ID',
			itemIndex ?? 0,
			`Glofox did not give the time zone of branch ${branchId} (address.timezone_id is ${JSON.stringify(address.timezone_id ?? null)}); set the branch address in Glofox`,
		);
	}
	return zone;
}
