/**
 * One delivery from TeamUp: check the secret, parse the feed items, drop a repeat this process
 * already accepted, find the person each item is about, start the workflow with one item per
 * person. Reads no state but the node's parameters and writes none.
 *
 * TeamUp waits 10 seconds for a 2xx (docs.goteamup.com/guides/webhooks), so the only requests made
 * here are the lookups an item needs to name its customer (a customer membership or an attendance
 * given by id alone), briefly retried, a few at a time.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { ApiClient } from '../../shared/http';
import { recentDeliveriesOf } from '../../shared/recent';
import { teamUpApi } from '../transport';
import { readSettings } from './description';
import { deliveryIdOf, groupByCustomer, type Json, outputItem, parseDelivery, type PersonRef, personOf, teamUpId } from './feed';
import { SECRET_QUERY, sameSecret } from './secret';

/** Lookups run while TeamUp waits: two attempts, short waits, a short timeout each. */
const LOOKUP_POLICY = { maxAttempts: 2, baseDelayMs: 250, maxDelayMs: 1000, maxRetryAfterMs: 2000 };
const LOOKUP_TIMEOUT_MS = 3000;
/** Lookups in flight at once. */
const LOOKUP_CONCURRENCY = 4;

const LOOKUP_PATHS = { customer_membership: '/customer_memberships', attendance: '/attendances' } as const;

function reject(ctx: IWebhookFunctions, status: number, error: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).json({ error });
	return { noWebhookResponse: true };
}

function ignored(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, started: false, reason } };
}

/** The parsed body; when n8n did not parse it (no JSON content type), the raw bytes as JSON. */
function bodyOf(ctx: IWebhookFunctions): { value: unknown } | { problem: string } {
	const body = ctx.getBodyData() as unknown;
	const rawBody = (ctx.getRequestObject() as { rawBody?: Buffer }).rawBody;
	const empty = body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0);
	const text = typeof body === 'string' ? body : empty && rawBody?.length ? rawBody.toString('utf8') : undefined;
	if (text === undefined) return { value: body };
	try {
		return { value: JSON.parse(text) };
	} catch {
		return { problem: 'The body is not valid JSON' };
	}
}

/**
 * The customer of a membership or attendance given by id: its `customer` field, read with
 * TeamUp's documented retrieve call. `customer: null` when TeamUp no longer has the record (404)
 * or does not let the credential read it (403, logged): that item names nobody. `failed` for a
 * failure that may pass (network, 429, 5xx), so that TeamUp is asked to retry the delivery.
 */
async function customerOf(
	ctx: IWebhookFunctions,
	client: ApiClient,
	ref: Exclude<PersonRef, { kind: 'customer' }>,
): Promise<{ customer: string | null } | { failed: string }> {
	const path = `${LOOKUP_PATHS[ref.kind]}/${ref.id}`;
	let answer;
	try {
		answer = await client.request<IDataObject>({ method: 'GET', path, expect: [400, 403, 404], timeoutMs: LOOKUP_TIMEOUT_MS });
	} catch (error) {
		return { failed: `GET ${path}: ${(error as Error).message}` };
	}
	if (answer.status === 403) {
		ctx.logger.warn(`TeamUp Trigger: TeamUp did not let the credential read ${path} (403), so a feed item naming it starts nothing. Give the token the customers permission.`);
		return { customer: null };
	}
	if (answer.status === 400 || answer.status === 404) return { customer: null };
	return { customer: teamUpId(answer.body?.customer) };
}

/** Runs `work` over `values`, `limit` at a time, keeping their order. */
async function mapLimited<T, R>(values: T[], limit: number, work: (value: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(values.length);
	let next = 0;
	const lanes = Array.from({ length: Math.min(limit, values.length) }, async () => {
		while (next < values.length) {
			const index = next++;
			results[index] = await work(values[index]);
		}
	});
	await Promise.all(lanes);
	return results;
}

export async function receive(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const { secret, headerName } = readSettings(this);
	if (secret !== '') {
		const query = this.getQueryData() as IDataObject;
		const headers = this.getHeaderData() as IDataObject;
		const given = [query?.[SECRET_QUERY], headerName ? headers?.[headerName] : undefined];
		if (!given.some((value) => sameSecret(value, secret))) {
			this.logger.warn('TeamUp Trigger: refused a delivery without the right secret (401)');
			return reject(this, 401, 'Missing or wrong secret');
		}
	}

	const body = bodyOf(this);
	if ('problem' in body) return reject(this, 400, body.problem);
	const parsed = parseDelivery(body.value);
	if ('problem' in parsed) return reject(this, 400, `Not a TeamUp delivery: ${parsed.problem}`);
	const { items } = parsed;

	const deliveryId = deliveryIdOf(this.getHeaderData()['teamup-webhook-id'], items);
	const node = this.getNode();
	const recent = recentDeliveriesOf(String(this.getWorkflow().id ?? ''), node.id || node.name, this.getMode());
	if (deliveryId !== null && !recent.accept(deliveryId)) return ignored('repeated delivery (the same TEAMUP-WEBHOOK-ID was accepted before)');

	const refs = items.map((item) => ({ item, ref: personOf(item) }));
	const lookups = [...new Map(refs.flatMap(({ ref }) => (ref && ref.kind !== 'customer' ? [[`${ref.kind}:${ref.id}`, ref] as const] : []))).values()];
	const resolved = new Map<string, string | null>();
	if (lookups.length > 0) {
		const client = new ApiClient(this, teamUpApi, LOOKUP_POLICY);
		const answers = await mapLimited(lookups, LOOKUP_CONCURRENCY, async (ref) => await customerOf(this, client, ref as Exclude<PersonRef, { kind: 'customer' }>));
		const failure = answers.find((answer) => 'failed' in answer);
		if (failure && 'failed' in failure) {
			// Nothing started: TeamUp retries the delivery (after 1, 3, 10 and 30 minutes), and the
			// retry must not be taken for a repeat.
			if (deliveryId !== null) recent.forget(deliveryId);
			this.logger.warn(`TeamUp Trigger: could not find the person a feed item is about (${failure.failed}); answered 503 so that TeamUp retries`);
			return reject(this, 503, 'TeamUp could not be asked who the feed item is about; please retry');
		}
		lookups.forEach((ref, index) => {
			const answer = answers[index];
			resolved.set(`${ref.kind}:${ref.id}`, 'customer' in answer ? answer.customer : null);
		});
	}

	const found: Array<{ customerId: string; email: string | null; item: Json }> = [];
	for (const { item, ref } of refs) {
		if (!ref) continue;
		const customerId = ref.kind === 'customer' ? ref.id : resolved.get(`${ref.kind}:${ref.id}`);
		if (customerId) found.push({ customerId, email: ref.kind === 'customer' ? ref.email : null, item });
	}
	if (found.length === 0) {
		this.logger.info(`TeamUp Trigger: a delivery of ${items.length} feed item(s) named no customer; nothing started`);
		return ignored(items.length === 0 ? 'the delivery has no feed items' : 'no feed item names a customer');
	}
	const receivedAt = new Date();
	const output = groupByCustomer(found).map((person) => outputItem(person, deliveryId, receivedAt) as IDataObject);
	return { workflowData: [this.helpers.returnJsonArray(output)] };
}
