/** The Glofox Trigger's one setting that matters at run time: the credential's webhook secret. */
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export const MISSING_SECRET =
	'The Glofox credential has no Webhook Secret: the Glofox Trigger cannot check that a delivery comes from Glofox without it';
export const MISSING_SECRET_HELP =
	'Glofox signs every webhook with a secret it provides together with the API key and token. Paste it into the "Webhook Secret" field of the Glofox credential; if you did not get one, ask apiactivation@abcfitness.com for it when you request the webhooks.';

/** The credential's webhook secret, trimmed; undefined when it is empty. */
export async function webhookSecret(ctx: IHookFunctions | IWebhookFunctions): Promise<string | undefined> {
	const credentials = await ctx.getCredentials('glofoxApi');
	const secret = typeof credentials.webhookSecret === 'string' ? credentials.webhookSecret.trim() : '';
	return secret === '' ? undefined : secret;
}

/** Refuses activation (and the editor's test listener) without a webhook secret, naming the field. */
export async function requireWebhookSecret(ctx: IHookFunctions): Promise<void> {
	if (!(await webhookSecret(ctx))) throw new NodeOperationError(ctx.getNode(), MISSING_SECRET, { description: MISSING_SECRET_HELP });
}
