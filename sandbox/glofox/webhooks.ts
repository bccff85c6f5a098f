/**
 * Glofox's webhooks, as the sandbox's Glofox sends them (docs/reference/glofox-api.md §8; Glofox's
 * OpenAPI 2.3.0 `webhooks` and its `*Event` schemas, Zchasse63/potential-chainsaw @ 88e290c
 * docs/glofox/openapi.json).
 *
 * - Targets: Glofox has no API for them (its support sets them up on request); the sandbox stands
 *   in for support with `POST /__sandbox/glofox/webhooks` `{url, secret}`, `GET` (list) and
 *   `DELETE` (clear; `?url=` one). They are part of the scenario (`glofox.webhooks`).
 * - Events: a change to the state (`deliverChange`, called by `POST /__sandbox/change` with
 *   `service: "glofox"`) becomes the events Glofox documents for it. `members`: a member created →
 *   MEMBER_CREATED, changed → MEMBER_UPDATED, deleted → MEMBER_UPDATED with `active: false` (Glofox
 *   deletes softly and emits no MEMBER_DELETED); its `membership` added, changed or removed →
 *   MEMBERSHIP_CREATED / _UPDATED / _DELETED. `bookings`: BOOKING_CREATED / _UPDATED / _DELETED
 *   (a course booking: COURSE_BOOKING_CREATED / _DELETED, its cancellation a _DELETED). `events`:
 *   EVENT_CREATED / _UPDATED / _DELETED. The catalogue (`memberships`), credits and accesses have no
 *   documented event: nothing is sent.
 * - Envelope: `{Type, Metadata: {trace_id, location_id, version}, Timestamp, Payload}`, PascalCase
 *   at the top and lowercase inside, as integrators receive membership and booking events; the
 *   payload holds the fields of the event's schema and no others. The events of one change share
 *   one `trace_id` (a trace id names a request: Glofox does not say whether one request's events
 *   share it, and receivers must not lose the second one if they do). `version` is "1" (the OpenAPI
 *   gives no value).
 * - Delivery: HTTP POST of the JSON to every target, header `signature` = lower-case hex
 *   HMAC-SHA256 of the raw body keyed with the target's secret (Glofox does not define the string
 *   it signs; the raw body is the reading integrators implement). A receiver has 5 s to answer; a
 *   non-2xx answer or no answer is retried, up to three attempts in all ("retries up to three times
 *   in total"). `duplicate` delivers each event twice, the same bytes (at-least-once delivery).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ScenarioError, parseScenario } from '../scenario';
import { postToLoopback } from '../webhooks';
import type { GlofoxStore } from '.';
import { bookingKind, eventJson, membershipOf } from './json';
import type { Booking, Event, Member, Rec } from './records';

export interface GlofoxWebhookTarget {
	url: string;
	secret: string;
}

/** A change to one record of a `glofox` collection: the record before and after it (absent when created / deleted). */
export interface GlofoxChange {
	collection: string;
	before?: Rec;
	after?: Rec;
}

export interface GlofoxDelivery {
	url: string;
	/** The receiver's status on the last attempt; null when it could not be reached. */
	status: number | null;
	/** The event's Type and trace id. */
	event: string;
	traceId: string;
	attempts: number;
	error?: string;
}

/** Glofox's answer deadline ("within 5 seconds") and attempts ("up to three times in total"). */
export const GLOFOX_DELIVERY_TIMEOUT_MS = 5000;
export const GLOFOX_DELIVERY_ATTEMPTS = 3;
const RETRY_DELAY_MS = 100;

/** The `signature` header Glofox sends: lower-case hex HMAC-SHA256 of the raw body. */
export function signGlofoxPayload(rawBody: string | Buffer, secret: string): string {
	return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** A copy of the record `id` of `collection` as the store holds it (scenario format), or undefined. */
export function glofoxRecord(g: GlofoxStore, collection: string, id: string): Rec | undefined {
	const table: Record<string, Map<string, unknown>> = {
		members: g.members,
		memberships: g.memberships,
		credits: g.credits,
		events: g.events,
		bookings: g.bookings,
		accesses: g.accesses,
	};
	const found = table[collection]?.get(id);
	return found === undefined ? undefined : (structuredClone(found) as Rec);
}

// ---------------------------------------------------------------------------------------------
// Payloads: the fields of each event schema, values from the sandbox's records

const iso = (sec: unknown): string | null => (typeof sec === 'number' && Number.isFinite(sec) ? new Date(sec * 1000).toISOString() : null);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** A stable 24-hex id derived from `seed` (a membership the scenario gives no `user_membership_id`). */
function derivedId(seed: string): string {
	return createHash('sha256').update(seed).digest('hex').slice(0, 24);
}

/** MemberEvent payload. */
function memberPayload(g: GlofoxStore, m: Member, active: boolean, nowIso: string): Rec {
	return {
		id: m._id,
		first_name: m.first_name ?? '',
		last_name: m.last_name ?? '',
		email: m.email ?? null,
		home_location_id: g.branchId,
		gender: str(m.gender),
		birth: str(m.birth),
		phone: str(m.phone),
		role: 'MEMBER',
		active,
		emergency_contact: str(m.emergency_contact),
		namespace: g.namespace,
		parent_id: str(m.parent_id),
		contact_email: str(m.contact_email) ?? m.email ?? null,
		image_url: null,
		created: iso(m.created) ?? nowIso,
		modified: iso(m.modified) ?? nowIso,
	};
}

/** MembershipEvent payload for the member's current membership. */
function membershipPayload(g: GlofoxStore, m: Member, nowIso: string): Rec {
	const ms = (m.membership ?? {}) as Rec;
	const full = membershipOf(g, m) ?? {};
	const plan = ms.plan_code != null ? g.plans.get(Number(ms.plan_code)) : undefined;
	const start = iso(ms.start_date);
	const end = iso(ms.expiry_date);
	return {
		id: str(ms.user_membership_id) ?? derivedId(`${m._id}:membership`),
		user_id: m._id,
		membership_definition: {
			id: plan?.membership._id ?? null,
			name: plan?.membership.name ?? str(full.membership_name),
			plan_code: ms.plan_code == null ? null : String(ms.plan_code),
			plan_name: plan?.plan.name ?? str(full.plan_name),
			roaming_enabled: false,
			trial: false,
			starts_on: (plan?.plan.starts_on as string | undefined) ?? 'PURCHASE_DATE',
			type: ms.type ?? null,
			roaming_branches: [],
		},
		price: (plan?.plan.price as number | undefined) ?? 0,
		upfront_fee: (plan?.plan.upfront_fee as number | undefined) ?? 0,
		contract: { start_date: start, end_date: end, conclusion_date: null },
		cycle: { start_date: start, end_date: end, next_payment_date: null },
		status: (ms.status as string | undefined) ?? 'ACTIVE',
		group: { id: null, is_primary: true },
		created: iso(m.created) ?? nowIso,
		modified: iso(m.modified) ?? nowIso,
	};
}

/** BookingEvent payload (a class, appointment or facility booking). */
function bookingPayload(b: Booking, e: Event, nowIso: string): Rec {
	const start = (b.time_start as number | undefined) ?? e.time_start;
	const duration = (b.duration as number | undefined) ?? e.duration;
	const { kind, model20 } = bookingKind(e);
	return {
		id: b._id,
		user_id: b.user_id,
		status: b.status,
		time_start: iso(start),
		time_finish: iso(start + duration * 60),
		guest_bookings: b.guest_bookings ?? 0,
		model: model20,
		model_id: kind === 'timeslot' ? String(e.model_id ?? e._id) : e._id,
		paid: (b.paid as boolean | undefined) ?? true,
		attended: b.attended ?? false,
		course_session_id: null,
		created: iso(b.created) ?? nowIso,
		modified: iso(b.modified) ?? nowIso,
	};
}

/** CourseBookingEvent payload. */
function courseBookingPayload(b: Booking, e: Event, nowIso: string): Rec {
	const start = (b.time_start as number | undefined) ?? e.time_start;
	const duration = (b.duration as number | undefined) ?? e.duration;
	return {
		id: b._id,
		user_id: b.user_id,
		course_id: e._id,
		status: b.status === 'CANCELED' ? 'CANCELED' : 'BOOKED',
		date_start: iso(start)!.slice(0, 10),
		date_finish: iso(start + duration * 60)!.slice(0, 10),
		guest_bookings: b.guest_bookings ?? 0,
		paid: (b.paid as boolean | undefined) ?? true,
		schedule: [],
		created: iso(b.created) ?? nowIso,
		modified: iso(b.modified) ?? nowIso,
	};
}

/** EventEvent payload. */
function eventPayload(g: GlofoxStore, e: Event, nowIso: string): Rec {
	const served = eventJson(g, e);
	return {
		id: e._id,
		namespace: g.namespace,
		type: 'event',
		active: served.active ?? true,
		name: e.name,
		description: served.description ?? '',
		time_start: iso(e.time_start),
		time_finish: iso(e.time_start + e.duration * 60),
		is_online: served.is_online ?? false,
		size: served.size,
		private: served.private ?? false,
		booked: served.booked,
		waiting: served.waiting,
		program_id: served.program_id ?? null,
		level: served.level ?? null,
		facility: served.facility ?? null,
		trainers: served.trainers ?? [],
		status: served.status,
		model: served.model ?? null,
		model_id: served.model_id ?? null,
		created: iso(e.created) ?? nowIso,
		modified: iso(e.modified) ?? nowIso,
	};
}

function sameJson(a: unknown, b: unknown): boolean {
	return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The events Glofox sends for `change`, as `{Type, Payload}` (the envelope is added on delivery). */
export function glofoxWebhookEvents(g: GlofoxStore, change: GlofoxChange, nowIso: string): Array<{ Type: string; Payload: Rec }> {
	const before = change.before;
	const after = change.after;
	if (!before && !after) return [];
	switch (change.collection) {
		case 'members': {
			const events: Array<{ Type: string; Payload: Rec }> = [];
			const was = before as Member | undefined;
			const is = after as Member | undefined;
			// `modified` moves with any save: what changed is the rest.
			const { membership: msBefore, modified: _modifiedBefore, ...restBefore } = (was ?? {}) as Rec;
			const { membership: msAfter, modified: _modifiedAfter, ...restAfter } = (is ?? {}) as Rec;
			if (!was) events.push({ Type: 'MEMBER_CREATED', Payload: memberPayload(g, is!, is!.active ?? true, nowIso) });
			else if (!is) events.push({ Type: 'MEMBER_UPDATED', Payload: memberPayload(g, was, false, nowIso) });
			else if (!sameJson(restBefore, restAfter)) events.push({ Type: 'MEMBER_UPDATED', Payload: memberPayload(g, is, is.active ?? true, nowIso) });
			if (!msBefore && msAfter) events.push({ Type: 'MEMBERSHIP_CREATED', Payload: membershipPayload(g, is!, nowIso) });
			else if (msBefore && !msAfter) events.push({ Type: 'MEMBERSHIP_DELETED', Payload: membershipPayload(g, was!, nowIso) });
			else if (msBefore && msAfter && !sameJson(msBefore, msAfter)) {
				const renewed = str((msBefore as Rec).user_membership_id) !== str((msAfter as Rec).user_membership_id);
				events.push({ Type: renewed ? 'MEMBERSHIP_CREATED' : 'MEMBERSHIP_UPDATED', Payload: membershipPayload(g, is!, nowIso) });
			}
			return events;
		}
		case 'bookings': {
			const b = (after ?? before) as Booking;
			const e = g.events.get(b.event_id) ?? (before ? g.events.get((before as Booking).event_id) : undefined);
			if (!e) return [];
			if (bookingKind(e).kind === 'course') {
				if (!before) return [{ Type: 'COURSE_BOOKING_CREATED', Payload: courseBookingPayload(b, e, nowIso) }];
				if (!after || (after as Booking).status === 'CANCELED') return [{ Type: 'COURSE_BOOKING_DELETED', Payload: courseBookingPayload(b, e, nowIso) }];
				return [];
			}
			const type = !before ? 'BOOKING_CREATED' : !after ? 'BOOKING_DELETED' : 'BOOKING_UPDATED';
			return [{ Type: type, Payload: bookingPayload(b, e, nowIso) }];
		}
		case 'events': {
			const e = (after ?? before) as Event;
			const type = !before ? 'EVENT_CREATED' : !after ? 'EVENT_DELETED' : 'EVENT_UPDATED';
			return [{ Type: type, Payload: eventPayload(g, e, nowIso) }];
		}
		default:
			return [];
	}
}

// ---------------------------------------------------------------------------------------------
// Delivery

async function deliverOne(target: GlofoxWebhookTarget, rawBody: string, event: string, traceId: string): Promise<GlofoxDelivery> {
	const headers = { 'Content-Type': 'application/json', 'User-Agent': 'Glofox-Webhooks (sandbox)', signature: signGlofoxPayload(rawBody, target.secret) };
	let attempts = 0;
	for (;;) {
		attempts++;
		const result = await postToLoopback(target.url, rawBody, headers, GLOFOX_DELIVERY_TIMEOUT_MS);
		const ok = result.status !== null && result.status >= 200 && result.status < 300;
		const refused = result.error?.startsWith('not delivered') || result.error === 'invalid url';
		if (ok || refused || attempts >= GLOFOX_DELIVERY_ATTEMPTS) {
			return { url: target.url, status: result.status, event, traceId, attempts, ...(result.error ? { error: result.error } : {}) };
		}
		await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempts));
	}
}

/**
 * Sends the webhooks of a change already applied (`before` / `after`) to every registered target,
 * each event to the targets in turn; resolves when every delivery is answered. `duplicate`: each
 * event twice, the same bytes.
 */
export async function deliverEvents(g: GlofoxStore, change: GlofoxChange, options: { duplicate?: boolean } = {}): Promise<GlofoxDelivery[]> {
	const nowIso = g.clock.nowIso();
	const events = glofoxWebhookEvents(g, change, nowIso);
	const traceId = randomBytes(16).toString('hex');
	const deliveries: GlofoxDelivery[] = [];
	for (const event of events) {
		const rawBody = JSON.stringify({
			Type: event.Type,
			Metadata: { trace_id: traceId, location_id: g.branchId, version: '1' },
			Timestamp: nowIso,
			Payload: event.Payload,
		});
		for (let time = 0; time < (options.duplicate ? 2 : 1); time++) {
			for (const target of [...g.webhookTargets]) deliveries.push(await deliverOne(target, rawBody, event.Type, traceId));
		}
	}
	return deliveries;
}

// ---------------------------------------------------------------------------------------------
// POST /__sandbox/change for Glofox

/** `POST /__sandbox/change`'s body for Glofox (the shape of `ChangeRequest` in sandbox/changes.ts). */
export interface GlofoxChangeRequest {
	collection: string;
	upsert?: unknown;
	delete?: unknown;
}

/** The collections a change may touch (the scenario's), and whether a change bumps `modified`. */
const COLLECTIONS = ['members', 'bookings', 'events', 'memberships', 'credits', 'accesses'] as const;
const STAMPED = new Set(['members', 'bookings', 'events', 'credits']);

const isRec = (value: unknown): value is Rec => !!value && typeof value === 'object' && !Array.isArray(value);

/**
 * Applies a change to Glofox's state (the whole section checked as a scenario would be: shapes,
 * references) and delivers the events Glofox sends for it to every registered target. An upsert
 * merges into the record with that `_id` (or adds it), stamping `modified` with the sandbox clock
 * unless given; a delete removes it. Throws ScenarioError for a change the state refuses.
 */
export async function deliverChange(
	g: GlofoxStore,
	change: GlofoxChangeRequest,
	options: { duplicate?: boolean } = {},
): Promise<{ delivered: GlofoxDelivery[]; events: string[] }> {
	const collection = change.collection as (typeof COLLECTIONS)[number];
	if (!COLLECTIONS.includes(collection)) throw new ScenarioError([`collection: "${change.collection}" is not one of ${COLLECTIONS.join(', ')}`]);
	const hasUpsert = change.upsert !== undefined;
	const hasDelete = change.delete !== undefined;
	if (hasUpsert === hasDelete) throw new ScenarioError(['send exactly one of "upsert" (an object with its _id) and "delete" (an _id)']);
	const section = g.toScenario();
	if (!section) throw new ScenarioError(['the scenario has no glofox section']);
	const list = section[collection] as unknown as Rec[];
	let before: Rec | undefined;
	let id: string;
	if (hasUpsert) {
		if (!isRec(change.upsert)) throw new ScenarioError(['upsert: must be an object in scenario format']);
		if (typeof change.upsert._id !== 'string') throw new ScenarioError(['upsert: needs the object\'s "_id" (24 hexadecimal characters)']);
		id = change.upsert._id;
		const index = list.findIndex((r) => r._id === id);
		before = index === -1 ? undefined : structuredClone(list[index]);
		const stamp = STAMPED.has(collection) && change.upsert.modified === undefined ? { modified: g.clock.nowSec() } : {};
		const record = { ...(index === -1 ? {} : list[index]), ...change.upsert, ...stamp };
		if (index === -1) list.push(record);
		else list[index] = record;
	} else {
		if (typeof change.delete !== 'string') throw new ScenarioError(['delete: must be an _id (24 hexadecimal characters)']);
		id = change.delete;
		const index = list.findIndex((r) => r._id === id);
		if (index === -1) throw new ScenarioError([`glofox.${collection}: no object with _id ${id}`]);
		before = structuredClone(list[index]);
		list.splice(index, 1);
	}
	const checked = parseScenario({ now: g.clock.nowIso(), glofox: section }).glofox!;
	g.replaceData(checked);
	const after = glofoxRecord(g, collection, id);
	const delivered = await deliverEvents(g, { collection, before, after }, options);
	return { delivered, events: [...new Set(delivered.map((d) => d.event))] };
}

// ---------------------------------------------------------------------------------------------
// Control endpoints: what Glofox support sets up

function bodyOf(req: FastifyRequest): unknown {
	if (typeof req.body !== 'string' || req.body.trim() === '') return {};
	try {
		return JSON.parse(req.body);
	} catch {
		return undefined;
	}
}

/** `POST|GET|DELETE /__sandbox/glofox/webhooks` on the current Glofox store. */
export function registerGlofoxWebhookControl(app: FastifyInstance, store: () => GlofoxStore): void {
	const list = () => ({ webhooks: store().webhookTargets.map((target) => ({ ...target })) });
	app.get('/__sandbox/glofox/webhooks', async () => list());
	app.post('/__sandbox/glofox/webhooks', async (req, reply) => {
		const body = bodyOf(req) as { url?: unknown; secret?: unknown } | undefined;
		if (body === undefined) return reply.code(400).send({ error: 'body is not valid JSON' });
		let url: URL | undefined;
		try {
			url = typeof body.url === 'string' ? new URL(body.url) : undefined;
		} catch {
			url = undefined;
		}
		if (!url || !/^https?:$/.test(url.protocol)) return reply.code(400).send({ error: 'url must be an http(s) URL' });
		if (typeof body.secret !== 'string' || body.secret === '') return reply.code(400).send({ error: 'secret must be a non-empty string' });
		const targets = store().webhookTargets;
		const existing = targets.find((target) => target.url === body.url);
		if (existing) existing.secret = body.secret;
		else targets.push({ url: body.url as string, secret: body.secret });
		return list();
	});
	app.delete('/__sandbox/glofox/webhooks', async (req) => {
		const url = (req.query as Record<string, string>).url;
		const targets = store().webhookTargets;
		const kept = url === undefined ? [] : targets.filter((target) => target.url !== url);
		const cleared = targets.length - kept.length;
		targets.splice(0, targets.length, ...kept);
		return { cleared };
	});
}
