import type { IHookFunctions, INodeProperties, IWebhookFunctions } from 'n8n-workflow';

import { collection } from '../../shared/parameters';

export const properties: INodeProperties[] = [
	{
		displayName:
			'TeamUp calls this trigger through a webhook destination. When the workflow is activated the node adds it in TeamUp itself if the token may (TeamUp answers otherwise: see the n8n log). To add it by hand: in TeamUp go to Settings → Integrations → API Integration → your application → Add Webhook Destination, and paste the Production URL above (all event types). With a Secret set below, paste the URL with ?secret= and the secret appended. Deactivating removes the destination when TeamUp allows it; otherwise remove it there.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Secret',
		name: 'secret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'TeamUp does not sign its deliveries. With a secret, only deliveries that carry it are accepted (in the URL as ?secret=…, or in the header named below); others get 401 and start nothing. Empty: anyone who knows the URL can start the workflow.',
	},
	collection('options', [
		{
			displayName: 'Secret Header',
			name: 'headerName',
			type: 'string',
			default: '',
			placeholder: 'X-Webhook-Secret',
			description: 'A request header that may carry the secret instead of the URL (for a proxy in front of n8n that adds it)',
		},
	]),
];

export interface TriggerSettings {
	/** Empty: no secret is asked for. */
	secret: string;
	/** Lower case; empty: the secret is read from the URL only. */
	headerName: string;
}

/** The trigger's parameters, each read with its default. */
export function readSettings(ctx: IHookFunctions | IWebhookFunctions): TriggerSettings {
	const secret = ctx.getNodeParameter('secret', '');
	const options = ctx.getNodeParameter('options', {}) as { headerName?: unknown };
	return {
		secret: typeof secret === 'string' ? secret.trim() : '',
		headerName: typeof options.headerName === 'string' ? options.headerName.trim().toLowerCase() : '',
	};
}
