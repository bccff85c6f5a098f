/**
 * What the TeamUp Trigger reads in a delivery, apart from HTTP: the feed items, the person each one
 * is about, and the output item per person. Pure module: no n8n imports.
 *
 * TeamUp documents (docs.goteamup.com/guides/webhooks; see docs/reference/teamup-api.md §7 and
 * README "Uncertain API facts" → TeamUp):
 * - the body `{"feed_items": [...]}`, one item per delivery today, possibly several later;
 * - each item starts `{"object": "feed_item", "id": <int>, "timestamp": <ISO>, …}`.
 * The rest of the item (its type field, how it names the customer) is cut off in every copy of the
 * guide. So no event name is filtered on, and the person is read from every plausible place:
 * - a customer id, or an expanded customer object, under `resources.customer`, `customer`,
 *   `data.customer`, `payload.customer` (also `…customer_id`), or an item/`data`/`payload` that is
 *   itself an expanded customer (`object: "customer"`);
 * - else a customer membership or an attendance (registration) named the same ways (ids or
 *   expanded objects; `customer_membership`, `attendance`, `event_registration`, `registration`):
 *   an expanded one that carries its `customer` gives it; one given by id alone is looked up with
 *   TeamUp's documented `GET /customer_memberships/{id}` or `GET /attendances/{id}`.
 * An item naming none of these names nobody and gives no output item.
 */
import { normaliseEmail } from '../../AccessRuleEvaluator/engine/email';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** A TeamUp id (a positive integer), given as a number, digits, or an expanded object's `id`. */
export function teamUpId(value: unknown): string | null {
	if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
	if (typeof value === 'string' && /^\d+$/.test(value.trim()) && Number(value.trim()) > 0) return String(Number(value.trim()));
	if (isObject(value)) return teamUpId(value.id);
	return null;
}

function emailOf(value: unknown): string | null {
	const email = isObject(value) ? normaliseEmail(value.email) : null;
	return email?.includes('@') ? email : null;
}

/** Who a feed item is about: a customer, or a record that names one and must be looked up. */
export type PersonRef =
	| { kind: 'customer'; id: string; email: string | null }
	| { kind: 'customer_membership' | 'attendance'; id: string };

/** The objects of an item that may name the person, most specific first. */
function containers(item: Json): Json[] {
	const out: Json[] = [];
	for (const key of ['resources', 'data', 'payload']) {
		const value = item[key];
		if (isObject(value)) {
			out.push(value);
			// `data.object` (an expanded record, Stripe-style) is a container too.
			if (isObject(value.object)) out.push(value.object);
		}
	}
	out.push(item);
	return out;
}

const CUSTOMER_KEYS = ['customer', 'customer_id'];
const MEMBERSHIP_KEYS = ['customer_membership', 'customermembership', 'customer_membership_id'];
const ATTENDANCE_KEYS = ['attendance', 'event_registration', 'registration', 'attendance_id', 'event_registration_id'];
const MEMBERSHIP_OBJECTS = new Set(['customermembership', 'customer_membership']);
const ATTENDANCE_OBJECTS = new Set(['attendance', 'event_registration']);

function customerIn(container: Json): PersonRef | null {
	for (const key of CUSTOMER_KEYS) {
		const id = teamUpId(container[key]);
		if (id) return { kind: 'customer', id, email: emailOf(container[key]) };
	}
	return null;
}

/** A record (membership, attendance) named under `keys` or expanded as the container itself. */
function recordIn(container: Json, keys: string[], objects: Set<string>, isItem: boolean): { id: string; record?: Json } | null {
	for (const key of keys) {
		const value = container[key];
		const id = teamUpId(value);
		if (id) return { id, record: isObject(value) ? value : undefined };
	}
	// The item itself is a feed_item: only a nested container can be the record.
	if (!isItem && typeof container.object === 'string' && objects.has(container.object.toLowerCase())) {
		const id = teamUpId(container.id);
		if (id) return { id, record: container };
	}
	return null;
}

/** The person a feed item names, or null when it names nobody this trigger can find. */
export function personOf(item: Json): PersonRef | null {
	const all = containers(item);
	for (const container of all) {
		const customer = customerIn(container);
		if (customer) return customer;
		const isItem = container === item;
		if (!isItem && typeof container.object === 'string' && container.object.toLowerCase() === 'customer') {
			const id = teamUpId(container.id);
			if (id) return { kind: 'customer', id, email: emailOf(container) };
		}
	}
	for (const [kind, keys, objects] of [
		['customer_membership', MEMBERSHIP_KEYS, MEMBERSHIP_OBJECTS],
		['attendance', ATTENDANCE_KEYS, ATTENDANCE_OBJECTS],
	] as const) {
		for (const container of all) {
			const found = recordIn(container, keys, objects, container === item);
			if (!found) continue;
			// An expanded record that names its customer needs no lookup.
			const customer = found.record ? customerIn(found.record) : null;
			return customer ?? { kind, id: found.id };
		}
	}
	return null;
}

/** The delivered body as feed items, or why it is not a TeamUp delivery (answered 400). */
export function parseDelivery(body: unknown): { items: Json[] } | { problem: string } {
	if (!isObject(body)) return { problem: 'the body is not a JSON object' };
	if (!('feed_items' in body)) return { problem: 'the body has no "feed_items"' };
	if (!Array.isArray(body.feed_items)) return { problem: '"feed_items" is not a list' };
	const items = body.feed_items.filter(isObject);
	if (items.length < body.feed_items.length) return { problem: '"feed_items" holds something that is not an object' };
	return { items };
}

/** The feed item's type (any vocabulary: none is documented), or null. */
export function eventOf(item: Json): string | null {
	for (const key of ['type', 'event', 'event_type', 'action', 'verb']) {
		const value = item[key];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
	}
	return null;
}

/** The item's `timestamp` as ISO UTC, or null when absent or unreadable. */
export function timestampOf(item: Json): string | null {
	for (const key of ['timestamp', 'created_at', 'created']) {
		const value = item[key];
		if (typeof value !== 'string' || value.trim() === '') continue;
		const ms = Date.parse(value.trim());
		if (Number.isFinite(ms)) return new Date(ms).toISOString();
	}
	return null;
}

/**
 * The delivery's id for duplicate detection: `TEAMUP-WEBHOOK-ID` (the same across TeamUp's
 * retries), else the feed item ids, else null (nothing to recognise a repeat by).
 */
export function deliveryIdOf(header: unknown, items: Json[]): string | null {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	const ids = items.map((item) => teamUpId(item.id)).filter((id): id is string => id !== null);
	return ids.length > 0 ? `feed_items:${ids.join(',')}` : null;
}

/** One person's share of a delivery: every item about them, in delivery order. */
export interface PersonItems {
	customerId: string;
	email: string | null;
	items: Json[];
}

/** Items grouped by customer, in the order each customer first appears. */
export function groupByCustomer(found: Array<{ customerId: string; email: string | null; item: Json }>): PersonItems[] {
	const groups = new Map<string, PersonItems>();
	for (const { customerId, email, item } of found) {
		const group = groups.get(customerId);
		if (group) {
			group.items.push(item);
			group.email ??= email;
		} else {
			groups.set(customerId, { customerId, email, items: [item] });
		}
	}
	return [...groups.values()];
}

/**
 * The output item for one person. With several feed items about them in one delivery (a burst),
 * `event`, `occurredAt` and `raw` are those of the latest by timestamp (the last when equal), and
 * `feedItemIds` lists them all.
 */
export function outputItem(person: PersonItems, deliveryId: string | null, receivedAt: Date): Json {
	let latest = person.items[0];
	for (const item of person.items) {
		const at = Date.parse(timestampOf(item) ?? '');
		const best = Date.parse(timestampOf(latest) ?? '');
		if (!(at < best)) latest = item;
	}
	return {
		source: 'teamup',
		sourceId: person.customerId,
		email: person.email,
		event: eventOf(latest),
		occurredAt: timestampOf(latest) ?? receivedAt.toISOString(),
		raw: latest,
		deliveryId,
		feedItemIds: person.items.map((item) => teamUpId(item.id)).filter((id): id is string => id !== null),
	};
}
