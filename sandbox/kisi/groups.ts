/** `/groups` and `/group_locks` (which locks a group opens). */
import { type Route, readQuery, route } from '../service';
import { isResult, json, nextId, noContent, pick } from '../util';
import type { KisiStore } from '.';
import { byId, ids, inScope, int, list, one, requiredInt, scope, sortByName, validationError, wrapped } from './http';
import { groupJson, groupLockJson } from './json';
import type { Group, GroupLock, KisiPrincipal } from './records';

/** The group settings a write may set beyond name and description. */
const GROUP_FIELDS = [
	'login_enabled',
	'geofence_restriction_enabled',
	'primary_device_restriction_enabled',
	'managed_device_restriction_enabled',
	'reader_restriction_enabled',
	'time_restriction_enabled',
	'tap_to_access_restriction_enabled',
	'time_restriction_time_zone',
];

export function groupRoutes(k: KisiStore): Route<KisiPrincipal>[] {
	return [
		route('GET', '/groups', (ctx) => {
			const q = readQuery(ctx, { ids, place_id: int, lock_id: int, scope });
			if (isResult(q)) return q;
			const text = ctx.query.query?.toLowerCase();
			const items = [...k.groups.values()].filter(
				(g) =>
					(!q.ids || q.ids.has(g.id)) &&
					(q.place_id === undefined || g.place_id === q.place_id) &&
					inScope(q.scope, g.place_id) &&
					(q.lock_id === undefined || k.groupLocksByGroup.get(g.id).some((gl) => gl.lock_id === q.lock_id)) &&
					(!text || g.name.toLowerCase().includes(text)),
			);
			const sorted = sortByName(ctx, items);
			if (isResult(sorted)) return sorted;
			return list(k, ctx, 'groups', sorted, (g) => groupJson(k, g));
		}),
		route('POST', '/groups', (ctx) => {
			const body = wrapped(ctx, 'group');
			if (isResult(body)) return body;
			if (typeof body.name !== 'string' || body.name.trim() === '') return validationError({ name: ["can't be blank"] });
			const placeId = body.place_id ?? null;
			if (placeId !== null && (typeof placeId !== 'number' || !k.places.has(placeId))) return validationError({ place: ['must exist'] });
			const now = k.nowIso();
			const group: Group = {
				...pick(body, GROUP_FIELDS),
				id: nextId(k.groups.keys(), 1),
				name: body.name,
				description: typeof body.description === 'string' ? body.description : null,
				place_id: placeId as number | null,
				created_at: now,
				updated_at: now,
			};
			k.groups.set(group.id, group);
			return json(200, groupJson(k, group));
		}),
		route('GET', '/groups/:id', (ctx) => one(k.groups, ctx, 'Group', (g) => groupJson(k, g))),
		route('PATCH', '/groups/:id', (ctx) => {
			const g = byId(k.groups, ctx, 'Group');
			if (isResult(g)) return g;
			const body = wrapped(ctx, 'group');
			if (isResult(body)) return body;
			if ('name' in body && (typeof body.name !== 'string' || body.name.trim() === '')) return validationError({ name: ["can't be blank"] });
			Object.assign(g, pick(body, GROUP_FIELDS));
			if (typeof body.name === 'string') g.name = body.name;
			if ('description' in body) g.description = body.description === null ? null : String(body.description);
			g.updated_at = k.nowIso();
			return noContent();
		}),
		route('DELETE', '/groups/:id', (ctx) => {
			const g = byId(k.groups, ctx, 'Group');
			if (isResult(g)) return g;
			for (const a of k.accessByGroup.get(g.id)) k.removeAccess(a);
			for (const gl of k.groupLocksByGroup.get(g.id)) k.removeGroupLock(gl);
			k.groups.delete(g.id);
			return noContent();
		}),

		route('GET', '/group_locks', (ctx) => {
			const q = readQuery(ctx, { group_id: requiredInt, ids, lock_id: int });
			if (isResult(q)) return q;
			const text = ctx.query.query?.toLowerCase();
			const items = k.groupLocksByGroup
				.get(q.group_id)
				.filter(
					(gl) =>
						(!q.ids || q.ids.has(gl.id)) &&
						(q.lock_id === undefined || gl.lock_id === q.lock_id) &&
						(!text || k.locks.get(gl.lock_id)!.name.toLowerCase().includes(text)),
				)
				.sort((a, b) => a.id - b.id);
			return list(k, ctx, 'group_locks', items, (gl) => groupLockJson(k, gl));
		}),
		route('POST', '/group_locks', (ctx) => {
			const body = wrapped(ctx, 'group_lock');
			if (isResult(body)) return body;
			const group = typeof body.group_id === 'number' ? k.groups.get(body.group_id) : undefined;
			const lock = typeof body.lock_id === 'number' ? k.locks.get(body.lock_id) : undefined;
			if (!group) return validationError({ group: ['must exist'] });
			if (!lock) return validationError({ lock: ['must exist'] });
			if (group.place_id !== null && group.place_id !== lock.place_id) return validationError({ lock: ['must belong to the place of the group'] });
			if (k.groupLocksByGroup.get(group.id).some((gl) => gl.lock_id === lock.id)) return validationError({ lock_id: ['has already been taken'] });
			const now = k.nowIso();
			const gl: GroupLock = { id: nextId(k.groupLocks.keys(), 1), group_id: group.id, lock_id: lock.id, created_at: now, updated_at: now };
			k.addGroupLock(gl);
			return json(200, groupLockJson(k, gl));
		}),
		route('GET', '/group_locks/:id', (ctx) => one(k.groupLocks, ctx, 'Group lock', (gl) => groupLockJson(k, gl))),
		route('DELETE', '/group_locks/:id', (ctx) => {
			const gl = byId(k.groupLocks, ctx, 'Group lock');
			if (isResult(gl)) return gl;
			k.removeGroupLock(gl);
			return noContent();
		}),
	];
}
