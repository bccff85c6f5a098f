/**
 * The trigger's Event Webhook in Kisi: created on activation with a fresh signature key, checked
 * (and repaired) when n8n asks whether it still exists, deleted on deactivation. The integration
 * ID and the key live in the node's static data; the key is never logged or output.
 */
import { randomBytes } from 'node:crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { kisiClient } from '../transport';
import { readSettings } from './settings';

interface TriggerState extends IDataObject {
	integrationId?: number;
	signatureKey?: string;
}

function state(ctx: IHookFunctions): TriggerState {
	return ctx.getWorkflowStaticData('node') as TriggerState;
}

function forget(data: TriggerState): void {
	delete data.integrationId;
	delete data.signatureKey;
}

function sameEvents(a: unknown, b: string[]): boolean {
	if (!Array.isArray(a)) return false;
	const left = [...(a as string[])].sort();
	const right = [...b].sort();
	return left.length === right.length && left.every((event, index) => event === right[index]);
}

export async function checkExists(this: IHookFunctions): Promise<boolean> {
	const data = state(this);
	if (!data.integrationId || !data.signatureKey) {
		forget(data);
		return false;
	}
	const client = kisiClient(this);
	const path = `/integrations/${data.integrationId}`;
	const response = await client.request<IDataObject>({ method: 'GET', path, expect: [404] });
	if (response.status === 404) {
		forget(data);
		return false;
	}
	// Still there: make sure it calls this webhook for the selected events (the workflow may have
	// moved or its events changed while the integration stayed).
	const { events } = readSettings(this);
	const url = this.getNodeWebhookUrl('default');
	const integration = response.body ?? {};
	if (integration.url !== url || integration.enabled === false || !sameEvents(integration.enabled_events, events)) {
		await client.request({
			method: 'PATCH',
			path,
			body: { integration: { url, enabled: true, enabled_events: events } },
		});
	}
	return true;
}

export async function create(this: IHookFunctions): Promise<boolean> {
	const { events } = readSettings(this);
	const url = this.getNodeWebhookUrl('default');
	const workflow = this.getWorkflow();
	const signatureKey = randomBytes(32).toString('hex');
	const { body } = await kisiClient(this).request<IDataObject>({
		method: 'POST',
		path: '/integrations',
		body: {
			integration: {
				type: 'event_webhook',
				name: `n8n – ${workflow.name || `workflow ${workflow.id ?? ''}`.trim()}`,
				enabled: true,
				url,
				enabled_events: events,
				signature_key: signatureKey,
			},
		},
	});
	const data = state(this);
	data.integrationId = Number(body.id);
	data.signatureKey = signatureKey;
	return true;
}

export async function deleteWebhook(this: IHookFunctions): Promise<boolean> {
	const data = state(this);
	if (data.integrationId) {
		// 404: already gone (deleted in Kisi's dashboard), which is what we want.
		await kisiClient(this).request({ method: 'DELETE', path: `/integrations/${data.integrationId}`, expect: [404] });
	}
	forget(data);
	return true;
}
