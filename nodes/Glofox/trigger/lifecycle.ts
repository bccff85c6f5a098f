/**
 * Activation of the Glofox Trigger. Glofox has no API to register a webhook (its support sets one
 * up on request, see the node's notice), so there is nothing to create or delete: activation only
 * checks that the credential holds the webhook secret, and refuses without it. Nothing is stored.
 */
import type { IHookFunctions } from 'n8n-workflow';

import { requireWebhookSecret } from './settings';

/** Nothing is registered anywhere, so n8n always goes on to `create`, which does the check. */
export async function checkExists(this: IHookFunctions): Promise<boolean> {
	await requireWebhookSecret(this);
	return false;
}

export async function create(this: IHookFunctions): Promise<boolean> {
	await requireWebhookSecret(this);
	return true;
}

export async function deleteWebhook(this: IHookFunctions): Promise<boolean> {
	return true;
}
