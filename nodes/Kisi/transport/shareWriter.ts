import type { IDataObject } from 'n8n-workflow';

import type { ApiClient } from '../../shared/http';
import type { ShareWriter } from '../sync/apply';
import type { KisiShare } from '../sync/types';
import { shareEmail } from './groupShares';

/**
 * A 422 to a create because the email already has a share in the group: `errors.email` says it is
 * taken or exists (Kisi's reference documents 422 with an `errors` object, not this wording).
 */
function isDuplicateShare(body: unknown): boolean {
	const errors = (body as { errors?: Record<string, unknown> } | undefined)?.errors;
	const email = errors?.email;
	return Array.isArray(email) && email.some((message) => /taken|exist/i.test(String(message)));
}

/** The sync's writes to one Kisi group, through the node's {@link ApiClient} (pacing, retries, errors). */
export function kisiShareWriter(client: ApiClient, groupId: number): ShareWriter {
	/** `PATCH /shares/{id}` with `{"share": body}`; the status, `expect` ones answered rather than thrown. */
	const patch = async (shareId: number | string, body: object, expect: number[]) =>
		(await client.request({ method: 'PATCH', path: `/shares/${String(shareId)}`, body: { share: body as IDataObject }, expect })).status;
	return {
		async create(request) {
			const response = await client.request<IDataObject>({
				method: 'POST',
				path: '/shares',
				body: { share: request as unknown as IDataObject },
				expect: [422],
			});
			if (response.status !== 422) return { id: response.body.id as number };
			if (isDuplicateShare(response.body)) return 'taken';
			throw new Error(`Kisi refused to share the group with ${request.email}: ${JSON.stringify(response.body)}`);
		},
		async find(email) {
			const { body } = await client.request<IDataObject[]>({
				method: 'GET',
				path: '/shares',
				qs: { group_id: groupId, query: email, limit: 250, offset: 0 },
			});
			const found = (Array.isArray(body) ? body : []).find((share) => shareEmail(share) === email);
			return (found as KisiShare | undefined) ?? null;
		},
		async get(shareId) {
			// [SPEC] GET /shares/{id}: 200 with the Share (created_at, updated_at among its required keys) or 404.
			const response = await client.request<IDataObject>({ method: 'GET', path: `/shares/${String(shareId)}`, expect: [404] });
			return response.status === 404 ? null : (response.body as unknown as KisiShare);
		},
		async update(shareId, validity) {
			return (await patch(shareId, validity, [404])) !== 404;
		},
		async end(shareId, request) {
			const status = await patch(shareId, request, [404, 422]);
			return status === 404 ? 'gone' : status === 422 ? 'refused' : 'ended';
		},
		async remove(shareId) {
			const response = await client.request({ method: 'DELETE', path: `/shares/${String(shareId)}`, expect: [404] });
			return response.status !== 404;
		},
	};
}
