/**
 * TeamUp's push side: webhook destinations and the feed items delivered to them.
 *
 * Documented (docs.goteamup.com/guides/webhooks, docs/reference/teamup-api.md §7): feed items are
 * POSTed as `{"feed_items": [ … ]}` to every webhook destination, with a `TEAMUP-WEBHOOK-ID` header
 * that is the same across retries; no signature; a 2xx within 10 s; a destination that answers
 * 410 Gone is disabled for good. Each item starts `{"object": "feed_item", "id", "timestamp"}`.
 *
 * Not documented, and chosen here (sandbox/README.md, TeamUp → webhooks):
 * - the rest of a feed item: `type` (`<resource>.<created|updated|deleted>`, with `customer.created`
 *   and `event_registration.created` as a third-party design note names them) and `resources`, a
 *   map of resource name → id holding the `customer` the change is about (when it is about one)
 *   and the changed record's own id;
 * - the destinations' bodies (`GET`/`POST /webhook_destinations` are listed in TeamUp's reference,
 *   their pages are missing from the scraped copy): `{id, object, url, active, created_at}`,
 *   created from `{"url"}`; `DELETE /webhook_destinations/{id}` is served although the reference
 *   lists no DELETE;
 * - retries after 1, 3, 10 and 30 minutes are not emulated: each change is delivered once (twice
 *   with the same id when a test asks for a duplicate), and the answer's status is reported.
 */
import { randomUUID } from 'node:crypto';
import type { ChangeDelivery, ChangeRequest } from '../changes';
import { ScenarioError, parseScenario } from '../scenario';
import { type Route, route } from '../service';
import { isResult, json, nextId, noContent } from '../util';
import { DELIVERY_TIMEOUT_MS, postToLoopback } from '../webhooks';
import type { TeamUpStore } from '.';
import { body, byId, invalid, page, teamupError } from './http';
import type { Destination, Rec, TeamUpPrincipal } from './records';
import type { TeamUpScenario } from './schema';

function destinationJson(d: Destination): Rec {
	return { id: d.id, object: 'webhook_destination', url: d.url, active: d.active !== false, created_at: d.created_at ?? null };
}

function isHttpUrl(value: unknown): value is string {
	if (typeof value !== 'string' || value.trim() === '') return false;
	try {
		return /^https?:$/.test(new URL(value).protocol);
	} catch {
		return false;
	}
}

export function webhookDestinationRoutes(t: TeamUpStore): Route<TeamUpPrincipal>[] {
	return [
		route('GET', '/webhook_destinations', (ctx) => page(t, ctx, () => [...t.destinations.values()], destinationJson)),
		route('POST', '/webhook_destinations', (ctx) => {
			const b = body(ctx);
			if (isResult(b)) return b;
			if (b.url === undefined || b.url === null || b.url === '') return invalid({ url: ['This field is required.'] });
			if (!isHttpUrl(b.url)) return invalid({ url: ['Enter a valid URL.'] });
			const d: Destination = { id: nextId(t.destinations.keys(), 1), url: b.url, active: true, created_at: t.clock.nowIso() };
			t.destinations.set(d.id, d);
			return json(201, destinationJson(d));
		}),
		route('DELETE', '/webhook_destinations/:id', (ctx) => {
			const d = byId(t.destinations, ctx.params.id);
			if (!d) return teamupError(404);
			t.destinations.delete(d.id);
			return noContent();
		}),
	];
}

// -------------------------------------------------------------------------------------------------
// POST /__sandbox/change for TeamUp

type Collection = Exclude<keyof TeamUpScenario, 'tokens' | 'features' | 'provider_id' | 'provider' | 'customer_membership_usage' | 'webhook_destinations'>;

/** The collections a change may touch: the feed item's resource name and whose change it is. */
const COLLECTIONS: Record<Collection, { resource: string; typeName?: string; customerOf: (record: Rec) => unknown }> = {
	customers: { resource: 'customer', customerOf: (r) => r.id },
	customer_memberships: { resource: 'customer_membership', customerOf: (r) => r.customer },
	attendances: { resource: 'attendance', typeName: 'event_registration', customerOf: (r) => r.customer },
	customer_registration_blocks: { resource: 'customer_registration_block', customerOf: (r) => r.customer },
	invoices: { resource: 'invoice', customerOf: (r) => r.payer },
	checkins: { resource: 'checkin', customerOf: (r) => r.customer },
	payment_subscriptions: { resource: 'payment_subscription', customerOf: () => null },
	events: { resource: 'event', customerOf: () => null },
	memberships: { resource: 'membership', customerOf: () => null },
	venues: { resource: 'venue', customerOf: () => null },
};

const isRec = (value: unknown): value is Rec => !!value && typeof value === 'object' && !Array.isArray(value);
const asId = (value: unknown): number | null =>
	typeof value === 'number' && Number.isSafeInteger(value) ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null;

/**
 * Applies a change to TeamUp's state (the whole section checked as a scenario would be) and
 * delivers its feed item to every active webhook destination; `duplicate` delivers it twice with
 * the same `TEAMUP-WEBHOOK-ID`. Throws ScenarioError for a change the state refuses.
 */
export async function deliverChange(t: TeamUpStore, change: ChangeRequest, options: { duplicate: boolean }): Promise<{ delivered: ChangeDelivery[]; feedItem: Rec }> {
	const spec = COLLECTIONS[change.collection as Collection];
	if (!spec) throw new ScenarioError([`collection: "${change.collection}" is not one of ${Object.keys(COLLECTIONS).join(', ')}`]);
	const hasUpsert = change.upsert !== undefined;
	const hasDelete = change.delete !== undefined;
	if (hasUpsert === hasDelete) throw new ScenarioError(['send exactly one of "upsert" (an object with its id) and "delete" (an id)']);

	const section = t.toScenario();
	const list = section[change.collection as Collection] as unknown as Rec[];
	let record: Rec;
	let action: 'created' | 'updated' | 'deleted';
	if (hasUpsert) {
		if (!isRec(change.upsert)) throw new ScenarioError(['upsert: must be an object in scenario format']);
		const id = asId(change.upsert.id);
		if (id === null) throw new ScenarioError(['upsert: needs the object\'s "id" (an integer)']);
		const index = list.findIndex((r) => r.id === id);
		record = index === -1 ? { ...change.upsert, id } : { ...list[index], ...change.upsert, id };
		action = index === -1 ? 'created' : 'updated';
		if (index === -1) list.push(record);
		else list[index] = record;
	} else {
		const id = asId(change.delete);
		if (id === null) throw new ScenarioError(['delete: must be an id (an integer)']);
		const index = list.findIndex((r) => r.id === id);
		if (index === -1) throw new ScenarioError([`teamup.${change.collection}: no object with id ${id}`]);
		record = list[index];
		action = 'deleted';
		list.splice(index, 1);
	}
	const checked = parseScenario({ now: t.clock.nowIso(), teamup: section }).teamup!;
	t.replaceData(checked);

	const resources: Rec = {};
	const customer = asId(spec.customerOf(record));
	if (customer !== null) resources.customer = customer;
	resources[spec.resource] = record.id;
	t.feedItemCount += 1;
	const feedItem: Rec = {
		object: 'feed_item',
		id: t.feedItemCount,
		timestamp: t.clock.nowIso(),
		type: `${spec.typeName ?? spec.resource}.${action}`,
		resources,
	};
	const rawBody = JSON.stringify({ feed_items: [feedItem] });
	const targets = [...t.destinations.values()].filter((d) => d.active !== false);
	const perTarget = await Promise.all(
		targets.map(async (destination) => {
			const headers = { 'Content-Type': 'application/json', 'TEAMUP-WEBHOOK-ID': randomUUID() };
			const results: ChangeDelivery[] = [];
			for (let attempt = 0; attempt < (options.duplicate ? 2 : 1); attempt++) {
				const result = await postToLoopback(destination.url, rawBody, headers, DELIVERY_TIMEOUT_MS);
				results.push({ url: result.url, status: result.status, ...(result.error ? { error: result.error } : {}) });
				// "Responding with 410 Gone will disable the webhook destination permanently."
				if (result.status === 410) {
					destination.active = false;
					break;
				}
			}
			return results;
		}),
	);
	return { delivered: perTarget.flat(), feedItem };
}
