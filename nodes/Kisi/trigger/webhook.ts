/**
 * One delivery from Kisi: verify the signature, parse, filter, drop duplicates, add the actor's
 * email, start the workflow.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { ApiClient } from '../../shared/http';
import { kisiApi } from '../transport';
import { alreadyDelivered } from './dedup';
import { actorEmail, actorUserId, filterEvent, outputItem, parseEvent } from './events';
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
		return typeof email === 'string' && email.trim() !== '' ? email.trim().toLowerCase() : null;
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
	const key = this.getWorkflowStaticData('node').signatureKey as string | undefined;
	if (!verifySignature(signed, key, request.headers['x-signature'])) {
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

	const verdict = filterEvent(event, readSettings(this));
	if (!verdict.pass) return ignored(verdict.reason);
	if (await alreadyDelivered(this, event.uuid)) return ignored('duplicate delivery of this event');

	const email = actorEmail(event) ?? (await lookUpEmail(this, actorUserId(event)));
	return { workflowData: [this.helpers.returnJsonArray([outputItem(event, email, new Date()) as IDataObject])] };
}
