/**
 * One delivery from Kisi: verify the signature, parse, filter, drop a repeat this process already
 * accepted (n8n answered it with a 2xx), add the actor's email, start the workflow. Reads no state
 * but the credential (the key is derived from it) and writes none.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { normaliseEmail } from '../../AccessRuleEvaluator/engine/email';
import { ApiClient } from '../../shared/http';
import { acceptDelivery, recentDeliveriesOf } from '../../shared/recent';
import { kisiApi } from '../transport';
import { actorEmail, actorUserId, filterEvent, outputItem, outputOf, parseEvent } from './events';
import { legacySignatureKey, signatureKey, triggerIdentity } from './keys';
import { readSettings } from './settings';
import { verifySignature } from './signature';

/** The email lookup runs while Kisi waits for the answer: retry briefly only. */
const LOOKUP_POLICY = { maxAttempts: 2, baseDelayMs: 250, maxDelayMs: 1000, maxRetryAfterMs: 2000 };

function reject(ctx: IWebhookFunctions, status: number, error: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).json({ error });
	return { noWebhookResponse: true };
}

function ignored(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, started: false, reason } };
}

async function lookUpEmail(ctx: IWebhookFunctions, userId: number | null): Promise<string | null> {
	if (userId === null) return null;
	try {
		const client = new ApiClient(ctx, kisiApi, LOOKUP_POLICY);
		const response = await client.request<IDataObject>({ method: 'GET', path: `/users/${userId}`, expect: [404] });
		const email = response.status === 404 ? undefined : response.body?.email;
		return normaliseEmail(email) || null;
	} catch (error) {
		// The event still starts the workflow; `email: null` is what the flows treat as unknown.
		ctx.logger.warn(`Kisi Trigger: could not look up the email of Kisi user ${userId}: ${(error as Error).message}`);
		return null;
	}
}

export async function receive(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject();
	const body = this.getBodyData() as unknown;
	const rawBody = (request as { rawBody?: Buffer }).rawBody;
	// The signature is over the bytes Kisi sent. Only when n8n kept no raw body, fall back to the
	// parsed body serialised again (same bytes for Kisi's compact JSON).
	const signed = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
	const header = request.headers['x-signature'];
	if (!verifySignature(signed, await signatureKey(this), header) && !verifySignature(signed, legacySignatureKey(this), header)) {
		// Also what Kisi gets after the credential's API key was replaced and before the workflow
		// was activated again (the key Kisi signs with is derived from the old API key).
		this.logger.warn(
			'Kisi Trigger: refused a delivery without a valid X-Signature (401). If the Kisi API key in the credential was changed, deactivate and activate the workflow once so that Kisi gets the new signature key.',
		);
		return reject(this, 401, 'Missing or invalid X-Signature');
	}

	let payload: unknown = body;
	if ((typeof payload !== 'object' || payload === null || Object.keys(payload).length === 0) && rawBody?.length) {
		try {
			payload = JSON.parse(rawBody.toString('utf8'));
		} catch {
			return reject(this, 400, 'The body is not valid JSON');
		}
	}
	const parsed = parseEvent(payload);
	if ('problem' in parsed) return reject(this, 400, `Not a Kisi event: ${parsed.problem}`);
	const { event } = parsed;

	const settings = readSettings(this);
	const verdict = filterEvent(event, settings);
	if (!verdict.pass) return ignored(verdict.reason);
	const { workflowId, nodeId } = triggerIdentity(this);
	const recent = recentDeliveriesOf(workflowId, nodeId, this.getMode());
	if (!acceptDelivery(recent, event.uuid, this.getResponseObject())) return ignored('duplicate delivery of this event');
	// Nothing below can fail (a failed lookup gives `email: null`): an accepted event starts the workflow.
	const email = actorEmail(event) ?? (await lookUpEmail(this, actorUserId(event)));
	const items = this.helpers.returnJsonArray([outputItem(event, email, new Date()) as IDataObject]);
	if (!settings.deniedOutput) return { workflowData: [items] };
	// Two outputs: the event on its own, nothing on the other.
	return { workflowData: outputOf(event, settings) === 1 ? [[], items] : [items, []] };
}
