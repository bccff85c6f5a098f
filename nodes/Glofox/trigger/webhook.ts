/**
 * One delivery from Glofox: verify the signature over the raw body, parse the envelope, find the
 * people it concerns, drop a repeat this process already accepted, start the workflow with one item
 * per person. Reads no state but the credential and writes none (no static data).
 *
 * Answers: 401 for a missing or invalid signature and 400 for a body that is not a Glofox event
 * (nothing started; Glofox retries them); 200 with `started: false` and a reason for an event that
 * names no member or repeats one already accepted (Glofox retries anything but a 2xx, so these are
 * acknowledged); 200 "Workflow was started" otherwise. Glofox waits 5 s for the answer: nothing here
 * calls an API.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { acceptDelivery, recentDeliveriesOf } from '../../shared/recent';
import { affectedPeople, deliveryId, outputItems, parseEnvelope } from './events';
import { webhookSecret } from './settings';
import { signatureHeader, verifyGlofoxSignature } from './signature';

function reject(ctx: IWebhookFunctions, status: number, error: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).json({ error });
	return { noWebhookResponse: true };
}

function ignored(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, started: false, reason } };
}

/** The body as JSON, from the bytes Glofox signed (a UTF-8 byte order mark is skipped). */
function parseRaw(rawBody: Buffer): { ok: true; value: unknown } | { ok: false } {
	const text = rawBody.toString('utf8');
	try {
		return { ok: true, value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) };
	} catch {
		return { ok: false };
	}
}

export async function receive(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject();
	const rawBody = (request as { rawBody?: Buffer }).rawBody;
	const secret = await webhookSecret(this);
	const header = signatureHeader(request.headers as Record<string, unknown>);
	const reading = verifyGlofoxSignature(rawBody, secret, header);
	if (!reading) {
		this.logger.warn(
			!secret
				? 'Glofox Trigger: refused a delivery (401): the Glofox credential has no Webhook Secret to check its signature with'
				: header === undefined
					? 'Glofox Trigger: refused a delivery without a signature header (401)'
					: 'Glofox Trigger: refused a delivery whose signature does not match the Webhook Secret (401). Check that the credential holds the secret Glofox gave with the API credentials.',
		);
		return reject(this, 401, 'Missing or invalid signature');
	}
	if (reading === 'hex bytes') this.logger.debug('Glofox Trigger: the signature was made with the hex-decoded secret as the key');

	// The signature verified `rawBody`, so it is there: parse exactly those bytes.
	const parsed = parseRaw(rawBody!);
	if (!parsed.ok) return reject(this, 400, 'The body is not valid JSON');
	const envelope = parseEnvelope(parsed.value);
	if ('problem' in envelope) return reject(this, 400, `Not a Glofox webhook event: ${envelope.problem}`);

	const found = affectedPeople(envelope.envelope);
	if ('none' in found) return ignored(found.none);

	const id = deliveryId(envelope.envelope, rawBody!);
	const node = this.getNode();
	const recent = recentDeliveriesOf(String(this.getWorkflow().id ?? ''), node.id || node.name, this.getMode());
	if (!acceptDelivery(recent, id, this.getResponseObject())) return ignored('duplicate delivery of this event');

	const items = outputItems(envelope.envelope, found.people, id, new Date());
	return { workflowData: [this.helpers.returnJsonArray(items as unknown as IDataObject[])] };
}
