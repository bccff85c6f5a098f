/**
 * Unlocks and their events: whether a door opens for a user now (Kisi's denial codes when not), the
 * `lock.unlock` Event every attempt records, and its signed delivery to Event Webhook integrations.
 */
import { randomUUID } from 'node:crypto';
import { type DeliveryResult, deliverWebhook } from '../webhooks';
import type { KisiStore } from '.';
import { displayName } from './json';
import { type Access, type KisiEvent, type Lock, type Rec, type Role, type UnlockOutcome, type User, type WebhookPayload, isAdminRole } from './records';

/** Unlock denials: Kisi's codes; the HTTP statuses are the sandbox's choice. */
export const UNLOCK_DENIALS = {
	lockedDown: { status: 403, code: 'fad001', message: 'The door is locked down' },
	placeLockedDown: { status: 403, code: 'fad002', message: 'The place is locked down' },
	offline: { status: 503, code: 'fac001', message: 'The controller is unavailable' },
	disabled: { status: 403, code: 'fcd8ff', message: 'Access is disabled for this user' },
	notYetValid: { status: 403, code: 'f358de', message: 'Access is not yet valid' },
	expired: { status: 403, code: 'f35ade', message: 'Access is no longer valid' },
	denied: { status: 403, code: 'afc496', message: 'Access denied' },
} as const;
export type Denial = (typeof UNLOCK_DENIALS)[keyof typeof UNLOCK_DENIALS];
export type UnlockDecision = { ok: true; via: Access | Role | null } | { ok: false; denial: Denial };

/** The Event Webhook payload of Kisi's sample ("Track unlocks using webhooks", docs.kisi.io): these keys, in this order. */
const DOCUMENTED_WEBHOOK_KEYS = [
	'uuid',
	'actor_type',
	'actor_id',
	'actor_name',
	'object_type',
	'object_id',
	'object_name',
	'organization_id',
	'place_id',
	'success',
	'type',
	'error_code',
	'error_message',
	'created_at',
] as const;

export function documentedPayload(event: KisiEvent): Rec {
	const out: Rec = {};
	for (const key of DOCUMENTED_WEBHOOK_KEYS) out[key] = event[key] ?? null;
	return out;
}

function isAdmin(k: KisiStore, user: User, lock?: Lock): boolean {
	return k.rolesByUser
		.get(user.id)
		.some((r) => isAdminRole(r.role_id) && (r.applies_to_type === 'Organization' || (lock && r.applies_to_id === lock.place_id)));
}

/** Whether `user` may open `lock` now; the denial when not. */
export function unlockDecision(k: KisiStore, user: User, lock: Lock, asAdmin: boolean): UnlockDecision {
	const place = k.places.get(lock.place_id);
	if (lock.locked_down) return { ok: false, denial: UNLOCK_DENIALS.lockedDown };
	if (place?.locked_down) return { ok: false, denial: UNLOCK_DENIALS.placeLockedDown };
	if (lock.online === false) return { ok: false, denial: UNLOCK_DENIALS.offline };
	if (!user.access_enabled) return { ok: false, denial: UNLOCK_DENIALS.disabled };
	if (asAdmin || isAdmin(k, user, lock)) {
		const role = k.rolesByUser.get(user.id).find((r) => isAdminRole(r.role_id)) ?? null;
		return { ok: true, via: role };
	}
	const now = k.clock.now();
	let future = false;
	let past = false;
	for (const a of k.accessByUser.get(user.id)) {
		if (!k.groupLocksByGroup.get(a.group_id).some((gl) => gl.lock_id === lock.id)) continue;
		const from = a.valid_from ? Date.parse(a.valid_from) : -Infinity;
		const until = a.valid_until ? Date.parse(a.valid_until) : Infinity;
		if (from <= now && now < until) return { ok: true, via: a };
		if (now < from) future = true;
		else past = true;
	}
	return { ok: false, denial: future ? UNLOCK_DENIALS.notYetValid : past ? UNLOCK_DENIALS.expired : UNLOCK_DENIALS.denied };
}

export interface UnlockAttempt {
	user: User;
	lock: Lock;
	success: boolean;
	errorCode?: string | null;
	errorMessage?: string | null;
	authenticatedBy: { type: string; id: number | null };
	via?: Access | Role | null;
	times?: number;
	payload?: WebhookPayload;
}

/** Records a `lock.unlock` event and delivers it to the matching webhooks (`times` deliveries each). */
export function recordUnlock(k: KisiStore, opts: UnlockAttempt): UnlockOutcome {
	const { user, lock, success } = opts;
	const via = opts.via ?? null;
	const authorized =
		!success || !via
			? { type: null, id: null, role: null }
			: 'group_id' in via
				? { type: 'Group', id: via.group_id, role: `group_${via.role}` }
				: { type: via.applies_to_type, id: via.applies_to_id, role: via.role_id };
	const actorName = displayName(user);
	const event: KisiEvent = {
		uuid: randomUUID(),
		type: 'lock.unlock',
		action: 'unlock',
		actor_type: 'User',
		actor_id: user.id,
		actor_name: actorName,
		actor_email: user.email,
		authenticated_by_type: opts.authenticatedBy.type,
		authenticated_by_id: opts.authenticatedBy.id,
		authorized_by_type: authorized.type,
		authorized_by_id: authorized.id,
		authorized_by_role_id: authorized.role,
		object_type: 'Lock',
		object_id: lock.id,
		object_name: lock.name,
		object: { id: lock.id, resource_type: 'Lock', name: lock.name },
		organization_id: k.organization.id,
		place_id: lock.place_id,
		success,
		code: success ? null : (opts.errorCode ?? UNLOCK_DENIALS.denied.code),
		message: success ? `${actorName} unlocked ${lock.name}` : `${actorName} failed to unlock ${lock.name}`,
		error_code: success ? null : (opts.errorCode ?? UNLOCK_DENIALS.denied.code),
		error_message: success ? null : (opts.errorMessage ?? UNLOCK_DENIALS.denied.message),
		sequence: k.sequence++,
		created_at: k.nowIso(),
	};
	k.events.push(event);
	const deliveries = deliver(k, event, opts.times ?? 1, opts.payload);
	return { event, deliveries };
}

/** Delivers an event to every enabled event_webhook whose enabled_events (null = all) include its type. */
export function deliver(k: KisiStore, event: KisiEvent, times = 1, payload: WebhookPayload = k.webhookPayload): Promise<DeliveryResult[]> {
	const targets = [...k.integrations.values()].filter(
		(it) =>
			it.type === 'event_webhook' &&
			it.enabled &&
			it.url &&
			(it.enabled_events === null || it.enabled_events.includes(event.type)) &&
			(it.place_id === null || it.place_id === event.place_id),
	);
	const body = JSON.stringify(payload === 'event' ? event : documentedPayload(event));
	const run = (async () => {
		const results: DeliveryResult[] = [];
		for (let i = 0; i < times; i++) {
			results.push(...(await Promise.all(targets.map((it) => deliverWebhook(it.id, it.url!, body, it.signature_key)))));
		}
		const list = k.deliveries.get(event.uuid) ?? [];
		list.push(...results);
		k.deliveries.set(event.uuid, list);
		return results;
	})();
	k.pending.add(run);
	void run.finally(() => k.pending.delete(run));
	return run;
}
