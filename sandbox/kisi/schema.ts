/**
 * The `kisi` section of a scenario: Kisi's objects with the API's field names (sandbox/README.md,
 * "Scenario format"), and the invariants the API keeps across them.
 */
import { z } from 'zod';
import { checkRef, checkUnique, instant, int, label, zone } from '../scenarioKit';

const kisiTimes = { created_at: instant.optional(), updated_at: instant.optional() };
const kisiUser = z
	.object({
		id: int,
		email: z.string().min(1),
		name: z.string().nullable().optional(),
		access_enabled: z.boolean().optional(),
		...kisiTimes,
	})
	.passthrough();
const kisiPlace = z
	.object({ id: int, name: z.string(), time_zone: zone.nullable().optional(), ...kisiTimes })
	.passthrough();
const kisiLock = z
	.object({
		id: int,
		name: z.string(),
		place_id: int,
		locked_down: z.boolean().optional(),
		online: z.boolean().nullable().optional(),
		...kisiTimes,
	})
	.passthrough();
const kisiGroup = z
	.object({
		id: int,
		name: z.string(),
		place_id: int.nullable().optional(),
		description: z.string().nullable().optional(),
		...kisiTimes,
	})
	.passthrough();
const kisiGroupLock = z.object({ id: int.optional(), group_id: int, lock_id: int, ...kisiTimes }).passthrough();
const validity = { valid_from: instant.nullable().optional(), valid_until: instant.nullable().optional() };
const createdBy = {
	created_by_type: z.enum(['User', 'MarketplaceInstallation']).nullable().optional(),
	created_by_id: int.nullable().optional(),
};
const kisiShare = z
	.object({
		id: int,
		group_id: int,
		email: z.string().optional(),
		user_id: int.optional(),
		role_id: z.enum(['basic', 'manager']).optional(),
		notify: z.boolean().nullable().optional(),
		...validity,
		...createdBy,
		...kisiTimes,
	})
	.passthrough();
const kisiRoleAssignment = z
	.object({
		id: int,
		role_id: z.string().min(1),
		applies_to_type: z.enum(['Organization', 'Place', 'Group']).optional(),
		applies_to_id: int.optional(),
		assignee_type: z.enum(['User']).optional(),
		assignee_id: int.optional(),
		user_id: int.optional(),
		group_id: int.nullable().optional(),
		place_id: int.nullable().optional(),
		notify: z.boolean().nullable().optional(),
		...validity,
		...createdBy,
		...kisiTimes,
	})
	.passthrough();
const kisiIntegration = z
	.object({
		id: int,
		type: z.string().min(1),
		name: z.string(),
		url: z.string().nullable().optional(),
		enabled: z.boolean().optional(),
		enabled_events: z.array(z.string()).nullable().optional(),
		signature_key: z.string().nullable().optional(),
		place_id: int.nullable().optional(),
		...kisiTimes,
	})
	.passthrough();

export const kisiSchema = z
	.object({
		apiKeys: z
			.array(z.object({ key: z.string().min(1), user_id: int, id: int.optional(), name: z.string().optional() }).passthrough())
			.default([]),
		organization: z
			.object({ id: int, name: z.string(), domain: z.string().nullable().optional() })
			.passthrough()
			.default({ id: 1, name: 'Sandbox Organization' }),
		users: z.array(kisiUser).default([]),
		places: z.array(kisiPlace).default([]),
		locks: z.array(kisiLock).default([]),
		groups: z.array(kisiGroup).default([]),
		/** Absent: every group holds every lock of its place (all locks for organization groups). */
		group_locks: z.array(kisiGroupLock).optional(),
		shares: z.array(kisiShare).default([]),
		role_assignments: z.array(kisiRoleAssignment).default([]),
		integrations: z.array(kisiIntegration).default([]),
		/** Events recorded so far (unlocks), newest last. */
		events: z.array(z.object({ uuid: z.string(), type: z.string() }).passthrough()).default([]),
		/** Largest accepted `offset` (Kisi: 20000). */
		offsetMax: int.positive().optional(),
		/** What an Event Webhook delivery carries: Kisi's documented sample fields (default) or the whole Event object. */
		webhookPayload: z.enum(['documented', 'event']).optional(),
	})
	.strict();


export type KisiScenario = z.output<typeof kisiSchema>;

/** The problems of a `kisi` section, each naming its object. */
export function checkKisi(k: KisiScenario, problems: string[]): void {
	const S = 'kisi';
	const users = checkUnique(problems, S, 'users', k.users);
	const emails = new Map<string, number>();
	k.users.forEach((u, i) => {
		const e = u.email.trim().toLowerCase();
		const prev = emails.get(e);
		if (prev !== undefined) problems.push(`${label(S, 'users', i, u)}: email ${u.email} is already used by kisi.users[${prev}]`);
		else emails.set(e, i);
	});
	k.apiKeys.forEach((key, i) => {
		checkRef(problems, `kisi.apiKeys[${i}]`, 'user_id', key.user_id, users);
	});
	const keys = new Set<string>();
	k.apiKeys.forEach((key, i) => {
		if (keys.has(key.key)) problems.push(`kisi.apiKeys[${i}]: duplicate key`);
		keys.add(key.key);
	});
	const places = checkUnique(problems, S, 'places', k.places);
	const locks = checkUnique(problems, S, 'locks', k.locks);
	k.locks.forEach((l, i) => {
		checkRef(problems, label(S, 'locks', i, l), 'place_id', l.place_id, places);
	});
	const groups = checkUnique(problems, S, 'groups', k.groups);
	k.groups.forEach((g, i) => {
		if (g.place_id != null) checkRef(problems, label(S, 'groups', i, g), 'place_id', g.place_id, places);
	});
	if (k.group_locks) {
		checkUnique(problems, S, 'group_locks', k.group_locks);
		const pairs = new Set<string>();
		k.group_locks.forEach((gl, i) => {
			const l = label(S, 'group_locks', i, gl);
			const group = groups.get(gl.group_id);
			const lock = locks.get(gl.lock_id);
			checkRef(problems, l, 'group_id', gl.group_id, groups);
			checkRef(problems, l, 'lock_id', gl.lock_id, locks);
			if (group && lock && group.place_id != null && group.place_id !== lock.place_id)
				problems.push(`${l}: lock ${lock.id} is not in place ${group.place_id} of the place-scoped group ${group.id}`);
			const pair = `${gl.group_id}:${gl.lock_id}`;
			if (pairs.has(pair)) problems.push(`${l}: lock ${gl.lock_id} is already in group ${gl.group_id}`);
			pairs.add(pair);
		});
	}
	// Shares and group role assignments are one kind of record ("group access"): one id space,
	// one access per user and group.
	const accessIds = new Map<number, string>();
	const pairs = new Map<string, string>();
	const checkAccess = (l: string, id: number, groupId: number | null | undefined, userId: number | undefined, email: string | undefined) => {
		const prevId = accessIds.get(id);
		if (prevId) problems.push(`${l}: duplicate id (also ${prevId})`);
		else accessIds.set(id, l);
		if (groupId == null || !groups.has(groupId)) problems.push(`${l}: group_id ${groupId} does not exist`);
		if (userId !== undefined) checkRef(problems, l, 'user_id', userId, users);
		if (userId === undefined && !email) problems.push(`${l}: needs an email or a user_id`);
		if (userId !== undefined && email && users.get(userId)!.email.trim().toLowerCase() !== email.trim().toLowerCase())
			problems.push(`${l}: email ${email} is not the email of user ${userId}`);
		const normEmail = email?.trim().toLowerCase() ?? '';
		const known = emails.get(normEmail);
		const userKey = userId ?? (known !== undefined ? k.users[known].id : `new:${normEmail}`);
		const pair = `${groupId}:${userKey}`;
		const prevPair = pairs.get(pair);
		if (prevPair) problems.push(`${l}: the user already has access to group ${groupId} (${prevPair})`);
		else pairs.set(pair, l);
	};
	k.shares.forEach((s, i) => {
		const l = label(S, 'shares', i, s);
		checkAccess(l, s.id, s.group_id, s.user_id, s.email);
		if (s.created_by_id != null && (s.created_by_type ?? 'User') === 'User') checkRef(problems, l, 'created_by_id', s.created_by_id, users);
		checkValidity(problems, l, s.valid_from, s.valid_until);
	});
	k.role_assignments.forEach((r, i) => {
		const l = label(S, 'role_assignments', i, r);
		const type = r.applies_to_type ?? (r.group_id != null ? 'Group' : r.place_id != null ? 'Place' : 'Organization');
		const userId = r.assignee_id ?? r.user_id;
		if (userId === undefined) {
			problems.push(`${l}: needs an assignee_id (or user_id)`);
			return;
		}
		if (type === 'Group') {
			if (!/^group_(basic|manager)$/.test(r.role_id)) problems.push(`${l}: role_id ${r.role_id} is not a group role (group_basic, group_manager)`);
			checkAccess(l, r.id, r.applies_to_id ?? r.group_id, userId, undefined);
			checkValidity(problems, l, r.valid_from, r.valid_until);
		} else {
			const prevId = accessIds.get(r.id);
			if (prevId) problems.push(`${l}: duplicate id (also ${prevId})`);
			else accessIds.set(r.id, l);
			checkRef(problems, l, 'user', userId, users);
			const target = r.applies_to_id ?? (type === 'Place' ? r.place_id : k.organization.id);
			if (type === 'Place' && (target == null || !places.has(target))) problems.push(`${l}: place ${target} does not exist`);
			if (type === 'Organization' && target !== k.organization.id)
				problems.push(`${l}: organization ${target} is not the scenario's organization ${k.organization.id}`);
		}
	});
	checkUnique(problems, S, 'integrations', k.integrations);
	k.integrations.forEach((it, i) => {
		if (it.type === 'event_webhook' && !it.url) problems.push(`${label(S, 'integrations', i, it)}: an event_webhook needs a url`);
		if (it.place_id != null) checkRef(problems, label(S, 'integrations', i, it), 'place_id', it.place_id, places);
	});
}

function checkValidity(problems: string[], l: string, from?: string | null, until?: string | null): void {
	if (from && until && Date.parse(until) < Date.parse(from)) problems.push(`${l}: valid_until ${until} is before valid_from ${from}`);
}
