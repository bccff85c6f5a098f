/**
 * Group access: one record per person and group, served both as a Share and as a group
 * RoleAssignment (one id space with the organization and place role assignments). The listing
 * filters, the validity rules and the writes both views share.
 */
import { type Ctx, readQuery } from '../service';
import { type HttpResult, isIsoInstant, isResult, noContent } from '../util';
import type { KisiStore } from '.';
import { ids, int, intOrMe, invalidIfAny } from './http';
import { type Access, type Group, type KisiPrincipal, type Rec, type User, normTime } from './records';

export type Validity = { valid_from?: string | null; valid_until?: string | null };

/** valid_from / valid_until of a write: `undefined` = not sent, `null` = cleared. */
export function parseValidity(
	body: Rec,
	errors: Record<string, string[]>,
	current?: { valid_from: string | null; valid_until: string | null },
): Validity {
	const out: Validity = {};
	for (const f of ['valid_from', 'valid_until'] as const) {
		if (!(f in body)) continue;
		const v = body[f];
		if (v === null || v === '') out[f] = null;
		else if (isIsoInstant(v)) out[f] = normTime(v);
		else errors[f] = ['is not a valid date-time'];
	}
	const from = out.valid_from !== undefined ? out.valid_from : (current?.valid_from ?? null);
	const until = out.valid_until !== undefined ? out.valid_until : (current?.valid_until ?? null);
	if (!errors.valid_from && !errors.valid_until && from && until && Date.parse(until) <= Date.parse(from))
		errors.valid_until = ['must be after valid_from'];
	return out;
}

/** Whether a user's email or name contains `q` (lower case). */
export function userMatches(k: KisiStore, userId: number, q: string): boolean {
	const u = k.users.get(userId)!;
	return u.email.toLowerCase().includes(q) || (u.name ?? '').toLowerCase().includes(q);
}

/** Group accesses matching the list filters of `GET /shares` and `GET /role_assignments`. */
export function filterAccess(k: KisiStore, ctx: Ctx<KisiPrincipal>, view: 'share' | 'role_assignment'): Access[] | HttpResult {
	const q = readQuery(ctx, { ids, group_id: int, place_id: int, user_id: intOrMe });
	if (isResult(q)) return q;
	let groupId = q.group_id;
	let userId = q.user_id;
	let role: string | undefined = ctx.query.role_id;
	if (view === 'role_assignment') {
		const r = readQuery(ctx, { assignee_id: int, applies_to_id: int });
		if (isResult(r)) return r;
		const appliesType = ctx.query.applies_to_type;
		const scope = ctx.query.scope;
		if (ctx.query.assignee_type && ctx.query.assignee_type !== 'User') return [];
		if ((appliesType && appliesType !== 'Group') || (scope && scope !== 'group')) return [];
		if (role !== undefined) {
			if (!role.startsWith('group_')) return [];
			role = role.slice('group_'.length);
		}
		for (const [a, b] of [
			[userId, r.assignee_id],
			[groupId, r.applies_to_id],
		]) {
			if (a !== undefined && b !== undefined && a !== b) return [];
		}
		userId = userId ?? r.assignee_id;
		groupId = groupId ?? r.applies_to_id;
	}
	let items: Access[];
	if (groupId !== undefined) items = k.accessByGroup.get(groupId);
	else if (userId !== undefined) items = k.accessByUser.get(userId);
	else items = [...k.access.values()];
	const text = ctx.query.query?.toLowerCase();
	return items
		.filter((a) => {
			if (q.ids && !q.ids.has(a.id)) return false;
			if (groupId !== undefined && a.group_id !== groupId) return false;
			if (userId !== undefined && a.user_id !== userId) return false;
			if (role !== undefined && a.role !== role) return false;
			if (q.place_id !== undefined && k.groups.get(a.group_id)!.place_id !== q.place_id) return false;
			return !text || userMatches(k, a.user_id, text);
		})
		.sort((a, b) => a.id - b.id);
}

/** Gives `user` access to `group`, created by the API key's user. */
export function grantAccess(
	k: KisiStore,
	ctx: Ctx<KisiPrincipal>,
	grant: { group: Group; user: User; role: Access['role']; body: Rec; validity: Validity; now: string },
): Access {
	const { group, user, role, body, validity, now } = grant;
	const access: Access = {
		id: k.nextAccessId(),
		group_id: group.id,
		user_id: user.id,
		role,
		notify: typeof body.notify === 'boolean' ? body.notify : false,
		valid_from: validity.valid_from ?? null,
		valid_until: validity.valid_until ?? null,
		created_by_type: 'User',
		created_by_id: ctx.principal.user.id,
		created_at: now,
		updated_at: now,
	};
	k.addAccess(access);
	return access;
}

/** `PATCH` of a share or group role assignment: role (in the view's spelling), notify, validity. */
export function patchAccess(k: KisiStore, a: Access, body: Rec, role: (v: unknown) => Access['role'] | undefined): HttpResult {
	const errors: Record<string, string[]> = {};
	let newRole: Access['role'] | undefined;
	if ('role_id' in body) {
		newRole = role(body.role_id);
		if (!newRole) errors.role_id = ['is not included in the list'];
	}
	const validity = parseValidity(body, errors, a);
	const invalid = invalidIfAny(errors);
	if (invalid) return invalid;
	if (newRole) a.role = newRole;
	if ('notify' in body) a.notify = body.notify === null ? null : Boolean(body.notify);
	if (validity.valid_from !== undefined) a.valid_from = validity.valid_from;
	if (validity.valid_until !== undefined) a.valid_until = validity.valid_until;
	a.updated_at = k.nowIso();
	return noContent();
}
