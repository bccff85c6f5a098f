import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/** The headers every request to Glofox carries (the credential test sends the same). */
function glofoxHeaders(credentials: ICredentialDataDecryptedObject): Record<string, string> {
	return {
		'x-glofox-branch-id': String(credentials.branchId ?? ''),
		'x-api-key': String(credentials.apiKey ?? ''),
		'x-glofox-api-token': String(credentials.apiToken ?? ''),
		Accept: 'application/json',
		'Content-Type': 'application/json',
	};
}

export class GlofoxApi implements ICredentialType {
	name = 'glofoxApi';

	displayName = 'Glofox API';

	icon: Icon = { light: 'file:../icons/glofox.svg', dark: 'file:../icons/glofox.dark.svg' };

	documentationUrl = 'https://apidocs-plat.aws.glofox.com/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Location ID (Branch ID)',
			name: 'branchId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '6213afed9ead8f3e7b0e3574',
			description:
				"The 24-character ID of the Glofox location (branch) to work on, sent as x-glofox-branch-id. It is the same ID Kisi's Glofox integration calls the Location ID.",
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The integration API key Glofox issued (sent as x-api-key)',
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The integration API token Glofox issued (sent as x-glofox-api-token)',
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the Glofox Trigger: the secret Glofox signs its webhooks with (the signature header). Glofox provides it with the API credentials; if you did not get one, ask apiactivation@abcfitness.com.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://gf-api.aws.glofox.com/prod',
			description: 'Change only to use a proxy or the local sandbox',
		},
		{
			displayName: 'Max Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0.1 },
			default: 10,
			description:
				'Glofox allows 10 requests per second on live accounts and 3 on sandbox accounts. Each n8n process paces itself: if several (queue-mode workers) may use this key at once, set the rate divided by their number (5 for two on a live account).',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...((requestOptions.headers as Record<string, string>) ?? {}), ...glofoxHeaders(credentials) },
		};
	}

	// The editor's "Test" is the Glofox node's `glofoxApiTest` (testedBy): it tells a rate limit
	// from a refused token, waits a rate limit out briefly, and reads Glofox's HTTP 200
	// `{"success": false}` answer to a wrong token or Location ID as a refusal.
}
