/**
 * `/role_assignments`: group access as Kisi's group RoleAssignment (`group_basic`, `group_manager`)
 * and the organization and place roles (admins, owners, …) that are records of their own.
 */
import { type Ctx, type Route, readQuery, route } from '../service';
import { type HttpResult, isResult, json, noContent } from '../util';
import type { KisiStore } from '.';
import { filterAccess, grantAccess, parseValidity, patchAccess, userMatches } from './access';
import { ids, int, intOrMe, invalidIfAny, kisiError, list, validationError, wrapped } from './http';
import { roleAssignmentJson } from './json';
import type { Access, KisiPrincipal, Role } from './records';

const groupRole = (v: unknown): Access['role'] | undefined => (v === 'group_basic' ? 'basic' : v === 'group_manager' ? 'manager' : undefined);

export function roleAssignmentRoutes(k: KisiStore): Route<KisiPrincipal>[] {
	const find = (ctx: Ctx<unknown>) => k.access.get(Number(ctx.params.id)) ?? k.roles.get(Number(ctx.params.id));
	const notFound = () => kisiError(404, 'Role assignment not found');
	return [
		route('GET', '/role_assignments', (ctx) => {
			const groups = filterAccess(k, ctx, 'role_assignment');
			if (isResult(groups)) return groups;
			const roles = filterRoles(k, ctx);
			if (isResult(roles)) return roles;
			const items: (Access | Role)[] = [...groups, ...roles].sort((a, b) => a.id - b.id);
			return list(k, ctx, 'role_assignments', items, (x) => roleAssignmentJson(k, x));
		}),
		route('POST', '/role_assignments', (ctx) => createRoleAssignment(k, ctx)),
		route('GET', '/role_assignments/:id', (ctx) => {
			const x = find(ctx);
			return x ? json(200, roleAssignmentJson(k, x)) : notFound();
		}),
		route('PATCH', '/role_assignments/:id', (ctx) => {
			const id = Number(ctx.params.id);
			const body = wrapped(ctx, 'role_assignment');
			if (isResult(body)) return body;
			const a = k.access.get(id);
			if (a) return patchAccess(k, a, body, groupRole);
			const role = k.roles.get(id);
			if (!role) return notFound();
			if ('role_id' in body) {
				if (typeof body.role_id !== 'string' || body.role_id === '' || body.role_id.startsWith('group_'))
					return validationError({ role_id: ['is not included in the list'] });
				role.role_id = body.role_id;
			}
			if ('notify' in body) role.notify = body.notify === null ? null : Boolean(body.notify);
			role.updated_at = k.nowIso();
			return noContent();
		}),
		route('DELETE', '/role_assignments/:id', (ctx) => {
			const x = find(ctx);
			if (!x) return notFound();
			if ('group_id' in x) k.removeAccess(x);
			else k.removeRole(x);
			return noContent();
		}),
	];
}

/** Organization and place role assignments matching the list filters of `GET /role_assignments`. */
function filterRoles(k: KisiStore, ctx: Ctx<KisiPrincipal>): Role[] | HttpResult {
	if (ctx.query.group_id !== undefined) return [];
	const q = readQuery(ctx, { ids, user_id: intOrMe, assignee_id: int, applies_to_id: int, place_id: int });
	if (isResult(q)) return q;
	const appliesType = ctx.query.applies_to_type;
	const scope = ctx.query.scope;
	const text = ctx.query.query?.toLowerCase();
	if (ctx.query.assignee_type && ctx.query.assignee_type !== 'User') return [];
	return [...k.roles.values()].filter((r) => {
		if (q.ids && !q.ids.has(r.id)) return false;
		if (q.user_id !== undefined && r.user_id !== q.user_id) return false;
		if (q.assignee_id !== undefined && r.user_id !== q.assignee_id) return false;
		if (appliesType && r.applies_to_type !== appliesType) return false;
		if (q.applies_to_id !== undefined && r.applies_to_id !== q.applies_to_id) return false;
		if (q.place_id !== undefined && !(r.applies_to_type === 'Place' && r.applies_to_id === q.place_id)) return false;
		if (scope && scope !== r.applies_to_type.toLowerCase()) return false;
		if (ctx.query.role_id !== undefined && r.role_id !== ctx.query.role_id) return false;
		return !text || userMatches(k, r.user_id, text);
	});
}

/**
 * `POST /role_assignments`, in the current form (`assignee_*`, `applies_to_*`) or the legacy one
 * (`user_id` with `group_id`, `place_id` or `organization_id`): a group access or a role.
 */
function createRoleAssignment(k: KisiStore, ctx: Ctx<KisiPrincipal>): HttpResult {
	const body = wrapped(ctx, 'role_assignment');
	if (isResult(body)) return body;
	const legacy = body.applies_to_type === undefined && body.assignee_id === undefined;
	const userField = legacy ? 'user_id' : 'assignee_id';
	const userId = legacy ? body.user_id : body.assignee_id;
	const type = legacy ? (body.group_id != null ? 'Group' : body.place_id != null ? 'Place' : 'Organization') : body.applies_to_type;
	const targetId = legacy ? (type === 'Group' ? body.group_id : type === 'Place' ? body.place_id : (body.organization_id ?? k.organization.id)) : body.applies_to_id;
	const errors: Record<string, string[]> = {};
	const user = typeof userId === 'number' ? k.users.get(userId) : undefined;
	if (!legacy && body.assignee_type !== undefined && body.assignee_type !== 'User') errors.assignee_type = ['is not supported by the sandbox (only User)'];
	if (!user) errors[legacy ? 'user' : 'assignee'] = ['must exist'];
	if (typeof body.role_id !== 'string' || body.role_id === '') errors.role_id = ["can't be blank"];
	if (type !== 'Group' && type !== 'Place' && type !== 'Organization') errors.applies_to_type = ['is not included in the list'];
	const now = k.nowIso();
	if (type === 'Group') {
		const group = typeof targetId === 'number' ? k.groups.get(targetId) : undefined;
		if (!group) errors[legacy ? 'group' : 'applies_to'] = ['must exist'];
		if (typeof body.role_id === 'string' && !groupRole(body.role_id)) errors.role_id = ['is not included in the list'];
		const validity = parseValidity(body, errors);
		const invalid = invalidIfAny(errors);
		if (invalid) return invalid;
		if (k.accessByPair.has(`${group!.id}:${user!.id}`)) return validationError({ [userField]: ['has already been taken'] });
		const access = grantAccess(k, ctx, { group: group!, user: user!, role: groupRole(body.role_id)!, body, validity, now });
		return json(200, roleAssignmentJson(k, access));
	}
	if (type === 'Place' && (typeof targetId !== 'number' || !k.places.has(targetId))) errors[legacy ? 'place' : 'applies_to'] = ['must exist'];
	if (type === 'Organization' && targetId !== k.organization.id) errors[legacy ? 'organization' : 'applies_to'] = ['must exist'];
	if (typeof body.role_id === 'string' && body.role_id.startsWith('group_')) errors.role_id = ['is not included in the list'];
	const invalid = invalidIfAny(errors);
	if (invalid) return invalid;
	if (k.rolesByUser.get(user!.id).some((r) => r.applies_to_type === type && r.applies_to_id === targetId))
		return validationError({ [userField]: ['has already been taken'] });
	const role: Role = {
		id: k.nextAccessId(),
		role_id: body.role_id as string,
		applies_to_type: type as 'Place' | 'Organization',
		applies_to_id: targetId as number,
		user_id: user!.id,
		notify: typeof body.notify === 'boolean' ? body.notify : false,
		created_by_type: 'User',
		created_by_id: ctx.principal.user.id,
		created_at: now,
		updated_at: now,
	};
	k.addRole(role);
	return json(200, roleAssignmentJson(k, role));
}
