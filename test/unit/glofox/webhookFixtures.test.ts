/**
 * Glofox webhook deliveries as its OpenAPI's event schemas spell them (test/fixtures/vendor/glofox/
 * webhook-*.json: the schemas' keys and casings, our values; Glofox publishes no example delivery)
 * through the Glofox Trigger's reading of them, and the sandbox's events against the same schemas.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { affectedPeople, deliveryId, occurredAt, parseEnvelope } from '../../../nodes/Glofox/trigger/events';
import { signatureHeader, verifyGlofoxSignature } from '../../../nodes/Glofox/trigger/signature';
import { Clock, DEMO_NOW, buildDemoScenario, parseScenario } from '../../../sandbox';
import { GlofoxStore, glofoxWebhookEvents, signGlofoxPayload } from '../../../sandbox/glofox';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DIR = join(__dirname, '../../fixtures/vendor/glofox');
function fixture(name: string): Json {
	const file = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as { _source: Json; payload: Json };
	expect(file._source.repository).toBe('Zchasse63/potential-chainsaw');
	return file.payload;
}

const USER = '6563a9f34436a34ba2093eee';

describe("the Glofox Trigger's reading of the event schemas", () => {
	it.each([
		['webhook-booking-event', 'BOOKING_UPDATED', [{ id: USER, email: null }], '2025-01-16T15:02:11.000Z'],
		['webhook-membership-event', 'MEMBERSHIP_UPDATED', [{ id: USER, email: null }], '2025-01-16T15:02:11.000Z'],
		// MemberEvent spells its type `type`, the rest PascalCase.
		['webhook-member-event', 'MEMBER_UPDATED', [{ id: USER, email: 'jane.doe@example.com' }], '2025-01-16T15:02:11.000Z'],
		// ServiceEvent is all lowercase, and names several members.
		['webhook-service-event', 'SERVICE_UPDATED', [{ id: USER, email: null }, { id: '6563a9f34436a34ba2093eef', email: null }], '2025-01-16T15:02:11.000Z'],
		['webhook-invoice-event', 'INVOICE_UPDATED', [{ id: USER, email: 'jane.doe@example.com' }], '2025-01-16T15:02:11.000Z'],
	])('%s: %s, its people, its time and a trace-based delivery id', (name, type, people, at) => {
		const body = fixture(name);
		const raw = JSON.stringify(body);
		const parsed = parseEnvelope(body);
		if (!('envelope' in parsed)) throw new Error(parsed.problem);
		expect(parsed.envelope.type).toBe(type);
		expect(affectedPeople(parsed.envelope)).toEqual({ people });
		expect(occurredAt(parsed.envelope, new Date(0))).toBe(at);
		const trace = (body.Metadata ?? body.metadata).trace_id as string;
		expect(deliveryId(parsed.envelope, raw)).toMatch(new RegExp(`^trace:${trace}:${type}:`));
		// Signed as Glofox documents it (hex HMAC-SHA256 of the raw body), under its header.
		const header = signatureHeader({ signature: signGlofoxPayload(raw, 'the secret') });
		expect(verifyGlofoxSignature(Buffer.from(raw), 'the secret', header)).toBe('text');
		expect(verifyGlofoxSignature(Buffer.from(raw), 'another secret', header)).toBeNull();
	});
});

describe("the sandbox's events carry the schemas' fields", () => {
	const scenario = parseScenario(buildDemoScenario(new Date(DEMO_NOW)));
	const clock = new Clock(Date.parse(DEMO_NOW));
	const store = new GlofoxStore(scenario.glofox, clock);
	const ana = scenario.glofox!.members.find((m) => m.email === 'ana.ruiz@example.com')!;
	const booking = scenario.glofox!.bookings.find((b) => scenario.glofox!.events.find((e) => e._id === b.event_id)?.type !== 'course')!;

	/** Keys of an object and of the objects in it, as paths. */
	const keys = (value: unknown, prefix = ''): string[] =>
		value && typeof value === 'object' && !Array.isArray(value)
			? Object.entries(value).flatMap(([key, inner]) => [`${prefix}${key}`, ...keys(inner, `${prefix}${key}.`)])
			: [];

	it.each([
		['webhook-membership-event', { collection: 'members', before: { ...ana, membership: { ...ana.membership, status: 'ACTIVE' } }, after: { ...ana, membership: { ...ana.membership, status: 'PAUSED' } } }],
		['webhook-member-event', { collection: 'members', before: ana, after: { ...ana, last_name: 'Renamed' } }],
		['webhook-booking-event', { collection: 'bookings', before: booking, after: { ...booking, attended: true } }],
	])('%s', (name, change) => {
		const expected = fixture(name);
		const [event] = glofoxWebhookEvents(store, change as never, clock.nowIso());
		expect(event.Type).toBe(expected.type ?? expected.Type);
		expect(keys(event.Payload).sort()).toEqual(keys(expected.Payload).sort());
	});
});
