/**
 * The TeamUp Trigger's reading of feed items (nodes/TeamUp/trigger/feed.ts) and its secret check
 * (secret.ts). TeamUp's guide documents only the start of a feed item (`object`, `id`, `timestamp`),
 * so every plausible place for the person is read, and none is filtered on its event name.
 */
import { deliveryIdOf, groupByCustomer, outputItem, parseDelivery, personOf } from '../../../nodes/TeamUp/trigger/feed';
import { baseOfUrl, sameSecret, urlWithSecret } from '../../../nodes/TeamUp/trigger/secret';

/** The documented start of a feed item (docs.goteamup.com/guides/webhooks), with `fields` added. */
const item = (fields: Record<string, unknown> = {}) => ({ object: 'feed_item', id: 13553027, timestamp: '2019-04-12T10:31:07Z', ...fields });

describe('the person a feed item names', () => {
	it.each([
		['resources.customer (id)', { resources: { customer: 4242, event: 777 } }],
		['resources.customer (digits)', { resources: { customer: '4242' } }],
		['resources.customer (expanded)', { resources: { customer: { id: 4242, object: 'customer' } } }],
		['customer at the top level', { customer: 4242 }],
		['customer_id at the top level', { customer_id: '4242' }],
		['data.customer', { data: { customer: 4242 } }],
		['payload.customer_id', { payload: { customer_id: 4242 } }],
		['data as an expanded customer', { data: { object: 'customer', id: 4242 } }],
		['data.object as an expanded customer', { data: { object: { object: 'customer', id: 4242 } } }],
		['an expanded membership carrying its customer', { resources: { customer_membership: { id: 991, customer: 4242 } } }],
	])('%s → customer 4242', (_where, fields) => {
		expect(personOf(item(fields))).toEqual({ kind: 'customer', id: '4242', email: null });
	});

	it('takes the e-mail of an expanded customer, lower-cased', () => {
		expect(personOf(item({ resources: { customer: { id: 1, email: ' Ana@Example.COM ' } } }))).toEqual({ kind: 'customer', id: '1', email: 'ana@example.com' });
	});

	it.each([
		['resources.customer_membership', { resources: { customer_membership: 991 } }, 'customer_membership'],
		['customermembership (the object name)', { customermembership: '991' }, 'customer_membership'],
		['data as an expanded membership without customer', { data: { object: 'customermembership', id: 991 } }, 'customer_membership'],
		['resources.attendance', { resources: { attendance: 991 } }, 'attendance'],
		['event_registration', { resources: { event_registration: 991 } }, 'attendance'],
		['data as an expanded attendance without customer', { data: { object: 'attendance', id: 991 } }, 'attendance'],
	])('%s → looked up by id', (_where, fields, kind) => {
		expect(personOf(item(fields))).toEqual({ kind, id: '991' });
	});

	it('a customer named anywhere wins over a record to look up', () => {
		expect(personOf(item({ resources: { customer_membership: 991 }, customer: 5 }))).toEqual({ kind: 'customer', id: '5', email: null });
	});

	it('names nobody: no person fields, a class only, ids that are not TeamUp ids; the feed item’s own id is never a customer', () => {
		for (const fields of [{}, { resources: { event: 777 } }, { resources: { customer: 'abc' } }, { customer: 0 }, { customer: -3 }, { resources: { customer: null } }]) {
			expect(personOf(item(fields))).toBeNull();
		}
	});
});

describe('a delivery', () => {
	it('is {"feed_items": [objects]}; anything else is refused with the reason', () => {
		expect(parseDelivery({ feed_items: [item()] })).toEqual({ items: [item()] });
		expect(parseDelivery({ feed_items: [] })).toEqual({ items: [] });
		expect(parseDelivery([item()])).toEqual({ problem: 'the body is not a JSON object' });
		expect(parseDelivery({ items: [] })).toEqual({ problem: 'the body has no "feed_items"' });
		expect(parseDelivery({ feed_items: {} })).toEqual({ problem: '"feed_items" is not a list' });
		expect(parseDelivery({ feed_items: [item(), 'x'] })).toEqual({ problem: '"feed_items" holds something that is not an object' });
	});

	it('is recognised by TEAMUP-WEBHOOK-ID, else by its feed item ids', () => {
		expect(deliveryIdOf(' abc ', [item()])).toBe('abc');
		expect(deliveryIdOf(['abc'], [])).toBe('abc');
		expect(deliveryIdOf(undefined, [item({ id: 1 }), item({ id: 2 })])).toBe('feed_items:1,2');
		expect(deliveryIdOf('', [{ object: 'feed_item' }])).toBeNull();
	});

	it('gives one output item per person; a burst keeps the latest item’s event and time and lists every item', () => {
		const first = item({ id: 1, type: 'customer_membership.created', timestamp: '2026-03-02T14:00:05Z' });
		const earlier = item({ id: 2, type: 'invoice.paid', timestamp: '2026-03-02T14:00:09+01:00' });
		const latest = item({ id: 3, type: 'customer.updated', timestamp: '2026-03-02T14:00:07Z' });
		const people = groupByCustomer([
			{ customerId: '7', email: null, item: first },
			{ customerId: '8', email: 'b@example.com', item: earlier },
			{ customerId: '7', email: 'a@example.com', item: latest },
		]);
		expect(people.map((p) => [p.customerId, p.email, p.items.length])).toEqual([
			['7', 'a@example.com', 2],
			['8', 'b@example.com', 1],
		]);
		expect(outputItem(people[0], 'd-1', new Date('2026-03-02T15:00:00Z'))).toEqual({
			source: 'teamup',
			sourceId: '7',
			email: 'a@example.com',
			event: 'customer.updated',
			occurredAt: '2026-03-02T14:00:07.000Z',
			raw: latest,
			deliveryId: 'd-1',
			feedItemIds: ['1', '3'],
		});
		// No type and no timestamp: event null, the time it was received.
		const bare = groupByCustomer([{ customerId: '9', email: null, item: { object: 'feed_item' } }]);
		expect(outputItem(bare[0], null, new Date('2026-03-02T15:00:00Z'))).toMatchObject({ event: null, occurredAt: '2026-03-02T15:00:00.000Z', feedItemIds: [] });
	});
});

describe('the secret', () => {
	it('matches only the exact value (constant-time, whatever the length)', () => {
		expect(sameSecret('s3cret', 's3cret')).toBe(true);
		expect(sameSecret(['s3cret'], 's3cret')).toBe(true);
		for (const wrong of ['s3cre', 's3cret ', 'S3CRET', '', undefined, null, 42, ['s3cret', 's3cret'], { value: 's3cret' }]) {
			expect(sameSecret(wrong, 's3cret')).toBe(false);
		}
		expect(sameSecret('', '')).toBe(false);
	});

	it('goes into the URL given to TeamUp, encoded; destinations are compared without it', () => {
		expect(urlWithSecret('https://n8n.example.com/webhook/abc/webhook', 'a b&c')).toBe('https://n8n.example.com/webhook/abc/webhook?secret=a%20b%26c');
		expect(urlWithSecret('https://n8n.example.com/webhook/abc/webhook', '')).toBe('https://n8n.example.com/webhook/abc/webhook');
		expect(baseOfUrl('HTTPS://N8N.example.com:443/webhook/abc/webhook?secret=x')).toBe('https://n8n.example.com/webhook/abc/webhook');
	});
});
