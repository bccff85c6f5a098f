/**
 * The trigger's Event Webhook in Kisi: created on activation, checked (and repaired) when n8n
 * asks whether it still exists, deleted on deactivation. Nothing is stored: the integration is
 * found in Kisi by this node's webhook URL, and the signature key is derived from the credential
 * (./keys). In queue mode a worker saving its copy of the workflow's static data therefore
 * cannot make the trigger forget its key or its integration.
 */
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import type { ApiClient } from '../../shared/http';
import { kisiClient, kisiList } from '../transport';
import { signatureKey } from './keys';
import { readSettings } from './settings';

/** Kisi's documented maximum page size for `GET /integrations`. */
const INTEGRATIONS_PAGE = 250;

/**
 * The Event Webhook integrations in Kisi that call `url`: this node's, since n8n gives each
 * trigger node its own webhook URL. An integration with another URL is never touched, even one
 * this node created before n8n's address changed (it may belong to another n8n instance running
 * a copy of the workflow).
 */
async function registered(client: ApiClient, url: string): Promise<IDataObject[]> {
	const integrations = await kisiList(client, '/integrations', {}, { pageSize: INTEGRATIONS_PAGE });
	const wanted = normalUrl(url);
	return integrations.filter((integration) => integration.type === 'event_webhook' && typeof integration.url === 'string' && normalUrl(integration.url) === wanted);
}

/**
 * The URL as a browser writes it (scheme and host in lower case, no default port), in case Kisi
 * stores it that way rather than as sent: its reference does not say.
 */
function normalUrl(url: string): string {
	try {
		return new URL(url.trim()).href;
	} catch {
		return url.trim();
	}
}

function integrationName(ctx: IHookFunctions): string {
	const workflow = ctx.getWorkflow();
	return `n8n – ${workflow.name || `workflow ${workflow.id ?? ''}`.trim()}`;
}

/**
 * Whether this node's integration exists in Kisi. When it does, it is brought up to date in one
 * PATCH: URL, enabled (Kisi turns an integration off after repeated failed deliveries), the
 * selected events and the signature key. Kisi never returns the key, so it is sent every time:
 * that is what repairs the trigger after the credential's API key was replaced. Further
 * integrations calling the same URL (left by an earlier activation) are deleted, so that each
 * event is delivered once.
 */
export async function checkExists(this: IHookFunctions): Promise<boolean> {
	const { events } = readSettings(this);
	const url = this.getNodeWebhookUrl('default') as string;
	const client = kisiClient(this);
	const [integration, ...extra] = await registered(client, url);
	if (!integration) return false;
	await client.request({
		method: 'PATCH',
		path: `/integrations/${String(integration.id)}`,
		body: {
			integration: { name: integrationName(this), url, enabled: true, enabled_events: events, signature_key: await signatureKey(this) },
		},
	});
	for (const duplicate of extra) {
		await client.request({ method: 'DELETE', path: `/integrations/${String(duplicate.id)}`, expect: [404] });
	}
	return true;
}

export async function create(this: IHookFunctions): Promise<boolean> {
	const { events } = readSettings(this);
	const url = this.getNodeWebhookUrl('default') as string;
	await kisiClient(this).request<IDataObject>({
		method: 'POST',
		path: '/integrations',
		body: {
			integration: {
				type: 'event_webhook',
				name: integrationName(this),
				enabled: true,
				url,
				enabled_events: events,
				signature_key: await signatureKey(this),
			},
		},
	});
	return true;
}

/** Deletes every integration calling this node's URL; one already gone (404) is what we want. */
export async function deleteWebhook(this: IHookFunctions): Promise<boolean> {
	const client = kisiClient(this);
	const url = this.getNodeWebhookUrl('default') as string;
	for (const integration of await registered(client, url)) {
		await client.request({ method: 'DELETE', path: `/integrations/${String(integration.id)}`, expect: [404] });
	}
	return true;
}
