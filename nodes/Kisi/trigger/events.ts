/**
 * What the Kisi Trigger does with a delivered event, apart from HTTP: reading its settings,
 * deciding whether the event starts the workflow, and shaping the output item.
 * Pure module: no n8n imports.
 */
import { normaliseEmail } from '../../AccessRuleEvaluator/engine/email';

/** Event types offered in the trigger (Kisi's `resource.action` strings). */
export const EVENT_TYPES: Array<{ name: string; value: string; description: string }> = [
	{ name: 'Group Created', value: 'group.create', description: 'A group was created' },
	{ name: 'Integration Disabled Due to Error', value: 'integration.disable_due_to_error', description: 'Kisi turned an integration off after repeated errors' },
	{ name: 'Lock Forced Open', value: 'lock.forced_open', description: 'A door was opened without an unlock (door sensor)' },
	{ name: 'Lock Held Open', value: 'lock.held_open', description: 'A door stayed open too long (door sensor)' },
	{ name: 'Lock Opened', value: 'lock.opened', description: 'A door was opened (door sensor)' },
	{ name: 'Lock Unlocked', value: 'lock.unlock', description: 'Someone unlocked a door, or tried to' },
	{ name: 'Member Created', value: 'member.create', description: 'A member was added (older API)' },
	{ name: 'Role Assignment Created', value: 'role_assignment.create', description: 'Someone was given a role (access)' },
	{ name: 'Role Assignment Deleted', value: 'role_assignment.destroy', description: 'A role (access) was taken away' },
	{ name: 'Share Created', value: 'share.create', description: 'Access was shared with someone' },
	{ name: 'Share Deleted', value: 'share.destroy', description: 'A share was removed' },
	{ name: 'User Created', value: 'user.create', description: 'A user was added to the organization' },
];

export interface KisiEvent {
	uuid: string;
	type: string;
	success?: boolean | null;
	actor_type?: string | null;
	actor_id?: number | string | null;
	actor_email?: string | null;
	object_type?: string | null;
	object_id?: number | string | null;
	place_id?: number | string | null;
	created_at?: string | null;
	[key: string]: unknown;
}

export interface EventFilter {
	events: string[];
	onlySuccessful: boolean;
	/** "Denied Unlocks Output": events that were not successful pass, to the second output ({@link outputOf}). */
	deniedOutput?: boolean;
	/** Empty: every place. */
	placeIds: number[];
	/** Empty: every lock. */
	lockIds: number[];
}

/** Thrown for a setting that is not a comma-separated list of numeric IDs. */
export class InvalidIdList extends Error {}

/** `"10, 11"` → `[10, 11]`; empty text → `[]`. */
export function parseIdList(value: unknown, field: string): number[] {
	if (Array.isArray(value)) return value.flatMap((entry) => parseIdList(entry, field));
	if (typeof value === 'number') value = String(value);
	if (value === undefined || value === null) return [];
	if (typeof value !== 'string') throw new InvalidIdList(`"${field}" must be numeric IDs separated by commas, like 10, 11`);
	const ids: number[] = [];
	for (const part of value.split(',')) {
		const text = part.trim();
		if (text === '') continue;
		if (!/^\d+$/.test(text) || Number(text) <= 0) {
			throw new InvalidIdList(`"${field}" must be numeric IDs separated by commas, like 10, 11 (got "${text}")`);
		}
		ids.push(Number(text));
	}
	return ids;
}

/** The delivered body as an event, or a reason why it is not one. */
export function parseEvent(body: unknown): { event: KisiEvent } | { problem: string } {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return { problem: 'the body is not a JSON object' };
	const event = body as KisiEvent;
	if (typeof event.type !== 'string' || event.type === '') return { problem: 'the event has no "type"' };
	if (typeof event.uuid !== 'string' || event.uuid === '') return { problem: 'the event has no "uuid"' };
	return { event };
}

function sameId(value: unknown, ids: number[]): boolean {
	const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
	return ids.includes(number);
}

/** Whether the event starts the workflow; when not, why (for the webhook's answer). */
export function filterEvent(event: KisiEvent, filter: EventFilter): { pass: true } | { pass: false; reason: string } {
	if (filter.events.length > 0 && !filter.events.includes(event.type)) {
		return { pass: false, reason: `event type ${event.type} is not selected` };
	}
	if (filter.onlySuccessful && !filter.deniedOutput && event.success === false) return { pass: false, reason: 'the event was not successful' };
	if (filter.placeIds.length > 0 && !sameId(event.place_id, filter.placeIds)) {
		return { pass: false, reason: 'the event is at another place' };
	}
	if (filter.lockIds.length > 0 && !(event.object_type === 'Lock' && sameId(event.object_id, filter.lockIds))) {
		return { pass: false, reason: 'the event is about another lock' };
	}
	return { pass: true };
}

/**
 * The output an event that passed comes out on: 1 ("Denied Unlocks") for an event Kisi reports as
 * not successful (`success: false`) when the trigger has that output, else 0. An event that does
 * not say (`success` missing) is not a denial.
 */
export function outputOf(event: KisiEvent, filter: Pick<EventFilter, 'deniedOutput'>): 0 | 1 {
	return filter.deniedOutput && event.success === false ? 1 : 0;
}

/** Who did it, if the event says (an email is what the check-in flows match on). */
export function actorEmail(event: KisiEvent): string | null {
	return normaliseEmail(event.actor_email) || null;
}

/** The actor's user ID, when the actor is a user whose email must be looked up. */
export function actorUserId(event: KisiEvent): number | null {
	if (event.actor_type !== undefined && event.actor_type !== null && event.actor_type !== 'User') return null;
	const id = event.actor_id;
	const number = typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : NaN;
	return Number.isInteger(number) && number > 0 ? number : null;
}

function toId(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
	return null;
}

/**
 * The output item: the event as Kisi sent it plus the fields the pack's flows use. `uuid` is
 * Kisi's ID of the event, the same on every delivery of it: what a node that acts on the event
 * deduplicates on across n8n processes.
 */
export function outputItem(event: KisiEvent, email: string | null, receivedAt: Date): Record<string, unknown> {
	const created = typeof event.created_at === 'string' ? new Date(event.created_at) : undefined;
	const occurredAt = created && !Number.isNaN(created.getTime()) ? created.toISOString() : receivedAt.toISOString();
	return {
		...event,
		uuid: event.uuid,
		email,
		lockId: event.object_type === 'Lock' ? toId(event.object_id) : null,
		placeId: toId(event.place_id),
		occurredAt,
	};
}
