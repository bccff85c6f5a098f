/** `GET /user` (the API key's own user) and `/users`. */
import { type Route, isObject, readQuery, route } from '../service';
import { isResult, json, nextId, noContent } from '../util';
import type { KisiStore } from '.';
import { byId, ids, int, intOrMe, list, one, sortByName, validationError, wrapped } from './http';
import { currentUserJson, userJson } from './json';
import { EMAIL_RE, type KisiPrincipal, type User, normEmail } from './records';

/** The user fields a write may set beyond email, name and access_enabled. */
const USER_FIELDS = ['image', 'password_flow_enabled', 'metadata', 'notes'] as const;

export function userRoutes(k: KisiStore): Route<KisiPrincipal>[] {
	return [
		route('GET', '/user', (ctx) => json(200, currentUserJson(k, ctx.principal.user))),
		route('GET', '/users', (ctx) => {
			const q = readQuery(ctx, { ids, group_id: int, place_id: int, user_id: intOrMe });
			if (isResult(q)) return q;
			let items: User[];
			if (ctx.query.email !== undefined) {
				const u = k.usersByEmail.get(normEmail(ctx.query.email));
				items = u ? [u] : [];
			} else if (q.group_id !== undefined) {
				items = k.accessByGroup
					.get(q.group_id)
					.map((a) => k.users.get(a.user_id)!)
					.sort((a, b) => a.id - b.id);
			} else items = [...k.users.values()];
			const text = ctx.query.query?.toLowerCase();
			const placeGroups = q.place_id === undefined ? undefined : k.groupsWithLocksAt(q.place_id);
			items = items.filter(
				(u) =>
					(!q.ids || q.ids.has(u.id)) &&
					(q.user_id === undefined || u.id === q.user_id) &&
					(q.group_id === undefined || k.accessByPair.has(`${q.group_id}:${u.id}`)) &&
					(!placeGroups || k.accessByUser.get(u.id).some((a) => placeGroups.has(a.group_id))) &&
					(!text || [u.email, u.name, u.notes].some((f) => typeof f === 'string' && f.toLowerCase().includes(text))),
			);
			const sorted = sortByName(ctx, items);
			if (isResult(sorted)) return sorted;
			return list(k, ctx, 'users', sorted, (u) => userJson(k, u));
		}),
		route('POST', '/users', (ctx) => {
			const body = wrapped(ctx, 'user');
			if (isResult(body)) return body;
			const email = typeof body.email === 'string' ? body.email.trim() : '';
			if (!EMAIL_RE.test(email)) return validationError({ email: ["can't be blank or invalid"] });
			if (k.usersByEmail.has(normEmail(email))) return validationError({ email: ['has already been taken'] });
			const metadataProblem = 'metadata' in body ? metadataError(body.metadata) : undefined;
			if (metadataProblem) return validationError({ metadata: [metadataProblem] });
			const now = k.nowIso();
			const user: User = {
				id: nextId(k.users.keys(), 1),
				email: normEmail(email),
				name: typeof body.name === 'string' ? body.name : null,
				access_enabled: typeof body.access_enabled === 'boolean' ? body.access_enabled : true,
				created_at: now,
				updated_at: now,
			};
			for (const f of USER_FIELDS) if (f in body) user[f] = body[f];
			k.addUser(user);
			return json(200, userJson(k, user));
		}),
		route('GET', '/users/:id', (ctx) => one(k.users, ctx, 'User', (u) => userJson(k, u))),
		route('PATCH', '/users/:id', (ctx) => {
			const u = byId(k.users, ctx, 'User');
			if (isResult(u)) return u;
			const body = wrapped(ctx, 'user');
			if (isResult(body)) return body;
			if ('name' in body) u.name = body.name === null ? null : String(body.name);
			if ('access_enabled' in body) {
				if (typeof body.access_enabled !== 'boolean') return validationError({ access_enabled: ['must be true or false'] });
				u.access_enabled = body.access_enabled;
			}
			const metadataProblem = 'metadata' in body ? metadataError(body.metadata) : undefined;
			if (metadataProblem) return validationError({ metadata: [metadataProblem] });
			for (const f of USER_FIELDS) if (f in body) u[f] = body[f];
			u.updated_at = k.nowIso();
			return noContent();
		}),
		route('DELETE', '/users/:id', (ctx) => {
			const u = byId(k.users, ctx, 'User');
			if (isResult(u)) return u;
			if (u.id === ctx.principal.user.id) return validationError({ base: ['you cannot delete yourself'] });
			k.removeUser(u);
			return noContent();
		}),
	];
}

/**
 * Kisi's documented limits on user metadata: a flat object of at most 50 keys of at most 50
 * characters, values string, number, boolean or null of at most 500 characters.
 */
function metadataError(value: unknown): string | undefined {
	if (value === null) return undefined;
	if (!isObject(value)) return 'must be an object';
	const entries = Object.entries(value);
	if (entries.length > 50) return 'can have at most 50 keys';
	for (const [key, v] of entries) {
		if (key.length > 50) return `key ${key.slice(0, 20)}… is longer than 50 characters`;
		if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) return `value of ${key} must be a string, number, boolean or null`;
		if (String(v).length > 500) return `value of ${key} is longer than 500 characters`;
	}
	return undefined;
}
