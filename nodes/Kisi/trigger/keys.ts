/**
 * The trigger's signature key, derived (never stored) from the Kisi credential and the trigger's
 * identity, the same in every n8n process. See `deriveSignatureKey` in ./signature.
 */
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { deriveSignatureKey } from './signature';

type TriggerContext = IHookFunctions | IWebhookFunctions;

/** What makes one trigger node's key (and its memory of recent events) its own. */
export function triggerIdentity(ctx: TriggerContext): { workflowId: string; nodeId: string } {
	const node = ctx.getNode();
	return { workflowId: String(ctx.getWorkflow().id ?? ''), nodeId: node.id || node.name };
}

/** The key this trigger gives Kisi and checks deliveries with, from the credential's API key. */
export async function signatureKey(ctx: TriggerContext): Promise<string> {
	const credentials = await ctx.getCredentials('kisiApi');
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
	if (apiKey === '') throw new NodeOperationError(ctx.getNode(), 'The Kisi credential has no API key: paste one into "API Key"');
	const { workflowId, nodeId } = triggerIdentity(ctx);
	return deriveSignatureKey(apiKey, workflowId, nodeId);
}

/**
 * The random key an earlier version of this trigger generated and kept in the workflow's static
 * data, if it is still there. Accepted for deliveries during the move to derived keys; only read
 * (reading creates an empty entry, which n8n does not count as a change to save).
 */
export function legacySignatureKey(ctx: IWebhookFunctions): string | undefined {
	const key = ctx.getWorkflowStaticData('node').signatureKey;
	return typeof key === 'string' && key !== '' ? key : undefined;
}
