/**
 * Kisi's objects as the API serves them: each has exactly the keys Kisi's OpenAPI lists for it, in
 * its order (docs/reference/kisi-api.md; the key lists are checked in test/sandbox/kisi-shapes.test.ts
 * against test/fixtures/vendor/kisi/documented-keys.json). Scenario fields beyond them are kept in
 * the state but not served.
 */
import type { KisiStore } from '.';
import type { Access, Group, GroupLock, Integration, Lock, Place, Rec, Role, User } from './records';

/** A share's `member_id`: the member wrapping the user (the sandbox does not emulate members). */
export const MEMBER_ID_OFFSET = 1_000_000;

/** A user's `name` is a string in every Kisi schema; Kisi's own example of a user created without one shows the email. */
export function displayName(u: User): string {
	return u.name ?? u.email;
}
function organizationRef(k: KisiStore): Rec {
	const o = k.organization;
	return { id: o.id, resource_type: 'Organization', name: o.name, domain: typeof o.domain === 'string' ? o.domain : 'sandbox' };
}
function placeRef(k: KisiStore, id: number | null): Rec | undefined {
	const p = id === null ? undefined : k.places.get(id);
	return p ? { id: p.id, resource_type: 'Place', name: p.name } : undefined;
}
function groupRef(g: Group): Rec {
	return { id: g.id, resource_type: 'Group', name: g.name };
}
function userRef(k: KisiStore, id: number | null): Rec | undefined {
	const u = id === null ? undefined : k.users.get(id);
	return u ? { id: u.id, resource_type: 'User', email: u.email, name: displayName(u) } : undefined;
}
/** The deprecated members API is not emulated; a share's member is its user's, with an id of its own. */
function memberRef(u: User): Rec {
	return { id: MEMBER_ID_OFFSET + u.id, resource_type: 'Member', name: displayName(u) };
}
function createdByRef(k: KisiStore, type: string | null, id: number | null): Rec | undefined {
	if (type === 'User') return userRef(k, id);
	if (type === 'MarketplaceInstallation' && id !== null) return { id, resource_type: 'MarketplaceInstallation' };
	return undefined;
}
function groupUserCount(k: KisiStore, groupId: number): number {
	return k.accessByGroup.count(groupId);
}

export function userJson(k: KisiStore, u: User): Rec {
	return {
		id: u.id,
		resource_type: 'User',
		name: displayName(u),
		email: u.email,
		created_at: u.created_at,
		updated_at: u.updated_at,
		metadata: u.metadata ?? {},
		image: u.image ?? null,
		otp_required_for_login: u.otp_required_for_login ?? false,
		password_flow_enabled: u.password_flow_enabled ?? false,
		access_enabled: u.access_enabled,
		last_accessed_at: u.last_accessed_at ?? null,
		// "always true if the user is not managed by SCIM" (the sandbox has no SCIM)
		scim_access_enabled: u.scim_access_enabled ?? true,
		notes: u.notes ?? null,
		organization_id: k.organization.id,
		confirmed: u.confirmed ?? true,
		groups_count: k.accessByUser.count(u.id),
	};
}
/** `GET /user`: the key's own user, a shape of its own (no access fields, the organization embedded). */
export function currentUserJson(k: KisiStore, u: User): Rec {
	return {
		id: u.id,
		resource_type: 'User',
		name: displayName(u),
		email: u.email,
		image: u.image ?? null,
		locale: u.locale ?? null,
		notifications_unread_count: u.notifications_unread_count ?? 0,
		otp_required_for_login: u.otp_required_for_login ?? false,
		otp_enabled_at: u.otp_enabled_at ?? null,
		primary_login_exists: u.primary_login_exists ?? false,
		created_at: u.created_at,
		updated_at: u.updated_at,
		announcements_last_seen_at: u.announcements_last_seen_at ?? null,
		last_read_at: u.last_read_at ?? null,
		notes: u.notes ?? null,
		organization_id: k.organization.id,
		organization: organizationRef(k),
	};
}
export function groupJson(k: KisiStore, g: Group): Rec {
	const users = groupUserCount(k, g.id);
	const place = placeRef(k, g.place_id);
	return {
		id: g.id,
		resource_type: 'Group',
		name: g.name,
		description: g.description,
		created_at: g.created_at,
		updated_at: g.updated_at,
		geofence_restriction_enabled: g.geofence_restriction_enabled ?? false,
		geofence_restriction_radius: g.geofence_restriction_radius ?? 100,
		primary_device_restriction_enabled: g.primary_device_restriction_enabled ?? false,
		managed_device_restriction_enabled: g.managed_device_restriction_enabled ?? false,
		reader_restriction_enabled: g.reader_restriction_enabled ?? false,
		time_restriction_enabled: g.time_restriction_enabled ?? false,
		tap_to_access_restriction_enabled: g.tap_to_access_restriction_enabled ?? false,
		login_enabled: g.login_enabled ?? true,
		users_count: users,
		locks_count: k.groupLocksByGroup.count(g.id),
		elevator_stops_count: 0,
		place_id: g.place_id,
		...(place ? { place } : {}),
		time_restriction_time_zone: g.time_restriction_time_zone ?? null,
		members_count: users,
	};
}
export function placeJson(k: KisiStore, p: Place): Rec {
	let locks = 0;
	for (const l of k.locks.values()) if (l.place_id === p.id) locks++;
	let integrations = 0;
	for (const it of k.integrations.values()) if (it.place_id === p.id) integrations++;
	const groups = k.groupsWithLocksAt(p.id);
	const members = new Set<number>();
	for (const groupId of groups) for (const a of k.accessByGroup.get(groupId)) members.add(a.user_id);
	return {
		id: p.id,
		resource_type: 'Place',
		name: p.name,
		description: p.description ?? null,
		created_at: p.created_at,
		updated_at: p.updated_at,
		latitude: p.latitude ?? null,
		longitude: p.longitude ?? null,
		// Required when a place is created, so always a string.
		address: p.address ?? '',
		image: p.image ?? null,
		time_zone: p.time_zone ?? 'UTC',
		tz_time_zone: p.time_zone ?? 'UTC',
		locks_count: locks,
		integrations_count: integrations,
		locked_down: p.locked_down ?? false,
		locked_down_since: p.locked_down_since ?? null,
		occupancy_rate: p.occupancy_rate ?? null,
		organization_id: k.organization.id,
		organization: organizationRef(k),
		color: p.color ?? null,
		logo: p.logo ?? null,
		user_id: null,
		members_count: members.size,
	};
}
export function lockJson(k: KisiStore, l: Lock): Rec {
	const place = k.places.get(l.place_id);
	return {
		id: l.id,
		resource_type: 'Lock',
		created_at: l.created_at,
		updated_at: l.updated_at,
		configured: l.configured ?? true,
		description: l.description ?? null,
		first_to_arrive_required_until: l.first_to_arrive_required_until ?? null,
		first_to_arrive_satisfied: l.first_to_arrive_satisfied ?? false,
		latitude: l.latitude ?? null,
		locked_down: l.locked_down ?? false,
		locked_down_since: l.locked_down_since ?? null,
		longitude: l.longitude ?? null,
		name: l.name,
		on_scheduled_unlock: l.on_scheduled_unlock ?? false,
		online: l.online === undefined ? true : l.online,
		open: l.open ?? false,
		order_id: l.order_id ?? null,
		unlocked: l.unlocked ?? false,
		geofence_restriction_enabled: l.geofence_restriction_enabled === undefined ? false : l.geofence_restriction_enabled,
		geofence_restriction_radius: l.geofence_restriction_radius ?? 100,
		reader_restriction_enabled: l.reader_restriction_enabled === undefined ? false : l.reader_restriction_enabled,
		time_restriction_enabled: l.time_restriction_enabled === undefined ? false : l.time_restriction_enabled,
		time_restriction_time_zone: l.time_restriction_time_zone ?? null,
		place_id: l.place_id,
		place: place
			? { id: place.id, name: place.name, latitude: place.latitude ?? null, longitude: place.longitude ?? null }
			: { id: l.place_id, name: '', latitude: null, longitude: null },
		floor_id: l.floor_id ?? null,
		groups_count: k.groupLocksByLock.count(l.id),
		unlocked_until: l.unlocked_until ?? null,
	};
}
export function shareJson(k: KisiStore, a: Access): Rec {
	const group = k.groups.get(a.group_id)!;
	const user = k.users.get(a.user_id)!;
	const place = placeRef(k, group.place_id);
	const createdBy = createdByRef(k, a.created_by_type, a.created_by_id);
	const issuedBy = a.created_by_type === 'User' ? userRef(k, a.created_by_id) : undefined;
	return {
		id: a.id,
		resource_type: 'Share',
		created_at: a.created_at,
		updated_at: a.updated_at,
		email: user.email,
		notify: a.notify,
		role_id: a.role,
		valid_from: a.valid_from,
		valid_until: a.valid_until,
		group_id: a.group_id,
		group: groupRef(group),
		member_id: MEMBER_ID_OFFSET + user.id,
		member: memberRef(user),
		place_id: group.place_id,
		...(place ? { place } : {}),
		user_id: a.user_id,
		user: userRef(k, a.user_id),
		created_by_type: a.created_by_type,
		created_by_id: a.created_by_id,
		...(createdBy ? { created_by: createdBy } : {}),
		lock_id: null,
		apply_to_place: false,
		role: a.legacy_role !== undefined ? a.legacy_role : a.role,
		issued_to_id: a.user_id,
		issued_to_email: user.email,
		issued_by_id: a.created_by_type === 'User' ? a.created_by_id : null,
		...(issuedBy ? { issued_by: issuedBy } : {}),
	};
}
export function roleAssignmentJson(k: KisiStore, x: Access | Role): Rec {
	const user = userRef(k, x.user_id);
	const isGroup = 'group_id' in x;
	const appliesToType = isGroup ? 'Group' : x.applies_to_type;
	const group = isGroup ? k.groups.get(x.group_id)! : undefined;
	const appliesTo =
		appliesToType === 'Group' ? groupRef(group!) : appliesToType === 'Place' ? placeRef(k, (x as Role).applies_to_id) : organizationRef(k);
	const head: Rec = {
		id: x.id,
		resource_type: 'RoleAssignment',
		created_at: x.created_at,
		updated_at: x.updated_at,
		role_id: isGroup ? `group_${x.role}` : x.role_id,
		notify: x.notify ?? false,
		applies_to_type: appliesToType,
		applies_to_id: isGroup ? x.group_id : x.applies_to_id,
		applies_to: appliesTo,
		assignee_type: 'User',
		assignee_id: x.user_id,
		assignee: user,
		created_by_type: x.created_by_type,
		created_by_id: x.created_by_id,
		user_id: x.user_id,
		user,
		assignee_team_id: null,
		guest_id: null,
		issued_by_id: x.created_by_type === 'User' ? x.created_by_id : null,
		type: appliesToType.toLowerCase(),
		scope: appliesToType.toLowerCase(),
	};
	if (isGroup) return { ...head, group_id: x.group_id, group: groupRef(group!), valid_from: x.valid_from, valid_until: x.valid_until };
	if (appliesToType === 'Place') return { ...head, place_id: x.applies_to_id, place: appliesTo };
	return { ...head, organization_id: k.organization.id, organization: organizationRef(k) };
}
/**
 * The fields every integration type has, plus the Event Webhook's `url` and `enabled_events`.
 * `signature_key` is write-only (stored, never returned).
 */
export function integrationJson(k: KisiStore, it: Integration): Rec {
	const place = placeRef(k, it.place_id);
	return {
		id: it.id,
		resource_type: 'Integration',
		name: it.name,
		type: it.type,
		enabled: it.enabled,
		disabled_due_to_error: it.disabled_due_to_error ?? false,
		disabled_due_to_error_at: it.disabled_due_to_error_at ?? null,
		created_at: it.created_at,
		updated_at: it.updated_at,
		organization_id: k.organization.id,
		organization: organizationRef(k),
		place_id: it.place_id,
		...(place ? { place } : {}),
		...(it.type === 'event_webhook' ? { url: it.url, enabled_events: it.enabled_events ?? [] } : {}),
	};
}
export function groupLockJson(k: KisiStore, gl: GroupLock): Rec {
	const group = k.groups.get(gl.group_id)!;
	const lock = k.locks.get(gl.lock_id)!;
	return {
		id: gl.id,
		resource_type: 'GroupLock',
		created_at: gl.created_at,
		updated_at: gl.updated_at,
		group_id: gl.group_id,
		group: groupRef(group),
		lock_id: gl.lock_id,
		lock: { id: lock.id, description: lock.description ?? null, name: lock.name },
		place_id: lock.place_id,
		place: placeRef(k, lock.place_id) ?? { id: lock.place_id, resource_type: 'Place', name: '' },
	};
}
