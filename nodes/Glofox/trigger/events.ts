/**
 * What the Glofox Trigger reads from a delivered webhook, apart from HTTP and the signature: the
 * envelope (in either key casing), the people it concerns, the delivery's stable id, and the
 * output items. Pure module: no n8n imports.
 *
 * Sources (docs/reference/glofox-api.md §8; README "Uncertain API facts" → Glofox): Glofox's OpenAPI 2.3.0
 * `webhooks` section and its `*Event` schemas (Zchasse63/potential-chainsaw @ 88e290c,
 * docs/glofox/openapi.json), and integrators who received them (SocialFitnessManchester/
 * n8n-automations, ivers9307-cyber/un1t-crm).
 * - Envelope: type, metadata `{trace_id, location_id, version}`, timestamp, payload. The schemas
 *   mix casings: `Type`/`Metadata`/`Timestamp`/`Payload` (membership, booking; live deliveries
 *   confirm PascalCase), a lowercase `type` (member, invoice) and all lowercase (service). Both
 *   spellings of every key are read; the PascalCase one wins when both are there.
 * - The person: MEMBER_* → `Payload.id` (and `email`, else `contact_email`); MEMBERSHIP_*,
 *   BOOKING_*, COURSE_BOOKING_*, MEMBER_ACCESS_INFO_*, EAGREEMENT_* → `Payload.user_id`;
 *   SERVICE_* → every id of `payload.member_ids`; INVOICE_UPDATED → `Payload.user.id` (and
 *   `user.email`). EVENT_* (a class) and PUSH_NOTIFICATION_* name nobody whose access can change.
 *   A type Glofox adds later is still a nudge when its payload has a `user_id`.
 * - Person ids are Glofox member ids (24 hexadecimal characters, the REST member's `_id`).
 */
import { createHash } from 'node:crypto';

import { normaliseEmail } from '../../AccessRuleEvaluator/engine/email';

export interface GlofoxEnvelope {
	/** The event type as sent, trimmed (the OpenAPI spells EAGREEMENT types with a stray comma: removed). */
	type: string;
	metadata: Record<string, unknown>;
	timestamp: unknown;
	payload: Record<string, unknown>;
	/** The whole body as received. */
	raw: Record<string, unknown>;
}

export interface AffectedPerson {
	/** The Glofox member id (`_id` in the REST API). */
	id: string;
	/** Lower-cased, when the payload carries it (member and invoice events); else null. */
	email: string | null;
}

const MEMBER_ID = /^[a-f0-9]{24}$/i;

function isObject(value: unknown): value is Record<string, unknown> {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** `body[Key] ?? body[key]`: Glofox's PascalCase spelling first, then the lowercase one. */
function either(body: Record<string, unknown>, pascal: string): unknown {
	const lower = pascal.toLowerCase();
	return body[pascal] !== undefined && body[pascal] !== null ? body[pascal] : body[lower];
}

/** The delivered body as an envelope, or why it is not one (the webhook answers 400). */
export function parseEnvelope(body: unknown): { envelope: GlofoxEnvelope } | { problem: string } {
	if (!isObject(body)) return { problem: 'the body is not a JSON object' };
	const type = either(body, 'Type');
	if (typeof type !== 'string' || type.trim().replace(/,+$/, '').trim() === '') return { problem: 'the event has no "Type"' };
	const metadata = either(body, 'Metadata');
	const payload = either(body, 'Payload');
	return {
		envelope: {
			type: type.trim().replace(/,+$/, '').trim(),
			metadata: isObject(metadata) ? metadata : {},
			timestamp: either(body, 'Timestamp'),
			payload: isObject(payload) ? payload : {},
			raw: body,
		},
	};
}

function memberId(value: unknown): string | null {
	const text = typeof value === 'string' ? value.trim() : '';
	return MEMBER_ID.test(text) ? text : null;
}

function emailOf(...values: unknown[]): string | null {
	for (const value of values) {
		const email = normaliseEmail(value);
		if (email && email.includes('@')) return email;
	}
	return null;
}

/** Domains whose payload names the person as `user_id` (checked before MEMBER_, which MEMBER_ACCESS_INFO_ also starts with). */
const USER_ID_DOMAINS = ['MEMBERSHIP_', 'BOOKING_', 'COURSE_BOOKING_', 'MEMBER_ACCESS_INFO_', 'EAGREEMENT_'];

/**
 * The people an event concerns, each once, in payload order; or, when there is none, why (the
 * webhook answers 200 with that reason and starts nothing: Glofox retries any other answer).
 */
export function affectedPeople(envelope: GlofoxEnvelope): { people: AffectedPerson[] } | { none: string } {
	const { type, payload } = envelope;
	const upper = type.toUpperCase();
	let people: AffectedPerson[] = [];
	let field: string;
	if (USER_ID_DOMAINS.some((prefix) => upper.startsWith(prefix))) {
		field = 'Payload.user_id';
		const id = memberId(payload.user_id);
		if (id) people = [{ id, email: null }];
	} else if (upper.startsWith('MEMBER_')) {
		field = 'Payload.id';
		const id = memberId(payload.id);
		if (id) people = [{ id, email: emailOf(payload.email, payload.contact_email) }];
	} else if (upper.startsWith('SERVICE_')) {
		field = 'payload.member_ids';
		const ids = Array.isArray(payload.member_ids) ? payload.member_ids : [];
		people = ids.map(memberId).filter((id): id is string => id !== null).map((id) => ({ id, email: null }));
	} else if (upper.startsWith('INVOICE_')) {
		field = 'Payload.user.id';
		const user = isObject(payload.user) ? payload.user : {};
		const id = memberId(user.id);
		if (id) people = [{ id, email: emailOf(user.email) }];
	} else if (upper.startsWith('EVENT_')) {
		return { none: `${type} is about a class, not a person` };
	} else if (upper.startsWith('PUSH_NOTIFICATION_')) {
		return { none: `${type} does not change anyone's access` };
	} else {
		field = 'Payload.user_id';
		const id = memberId(payload.user_id);
		if (id) people = [{ id, email: null }];
	}
	const seen = new Set<string>();
	people = people.filter((person) => !seen.has(person.id) && seen.add(person.id));
	if (people.length === 0) return { none: `the ${type} event has no member id in ${field}` };
	return { people };
}

/** SHA-256 of the raw body, hex: the id of a delivery that carries no trace id. */
export function bodyHash(rawBody: string | Buffer): string {
	return createHash('sha256').update(rawBody).digest('hex');
}

/**
 * The delivery's stable id, the same on every delivery of one event: Glofox's `Metadata.trace_id`
 * with the event type, the payload's `id` and its `modified` time (a trace id names a request, and
 * one request may emit several events: a membership bought can bring MEMBER_UPDATED,
 * MEMBERSHIP_CREATED and INVOICE_UPDATED, which must each start the workflow); without a trace id,
 * `sha256:` + the hash of the raw body (a retry resends the same bytes). Never the payload's id
 * alone: two updates of one membership are two events.
 */
export function deliveryId(envelope: GlofoxEnvelope, rawBody: string | Buffer): string {
	const trace = envelope.metadata.trace_id;
	if ((typeof trace === 'string' && trace.trim() !== '') || (typeof trace === 'number' && Number.isFinite(trace))) {
		const part = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
		return ['trace', String(trace).trim(), envelope.type, part(envelope.payload.id), part(envelope.payload.modified)].join(':');
	}
	return `sha256:${bodyHash(rawBody)}`;
}

/** The event's time (ISO UTC) from `Timestamp`, else when it was received. */
export function occurredAt(envelope: GlofoxEnvelope, receivedAt: Date): string {
	const value = envelope.timestamp;
	const parsed = typeof value === 'string' || typeof value === 'number' ? new Date(typeof value === 'number' && value < 1e11 ? value * 1000 : value) : undefined;
	return parsed && !Number.isNaN(parsed.getTime()) ? parsed.toISOString() : receivedAt.toISOString();
}

export interface TriggerItem {
	source: 'glofox';
	/** The member's Glofox id, for the next node to read that person again. */
	sourceId: string;
	email: string | null;
	event: string;
	occurredAt: string;
	/** The whole envelope as Glofox sent it. */
	raw: Record<string, unknown>;
	/** The same on every delivery of this event (see {@link deliveryId}). */
	deliveryId: string;
}

/** One item per affected person. */
export function outputItems(envelope: GlofoxEnvelope, people: AffectedPerson[], id: string, receivedAt: Date): TriggerItem[] {
	const at = occurredAt(envelope, receivedAt);
	return people.map((person) => ({
		source: 'glofox',
		sourceId: person.id,
		email: person.email,
		event: envelope.type,
		occurredAt: at,
		raw: envelope.raw,
		deliveryId: id,
	}));
}
