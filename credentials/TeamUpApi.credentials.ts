import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export class TeamUpApi implements ICredentialType {
	name = 'teamUpApi';

	displayName = 'TeamUp API';

	icon: Icon = { light: 'file:../icons/teamup.svg', dark: 'file:../icons/teamup.dark.svg' };

	documentationUrl = 'https://docs.goteamup.com/api-reference/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A machine-to-machine (M2M) token: TeamUp dashboard → Settings → Integrations → API Integration → your application → M2M Tokens → Add',
		},
		{
			displayName: 'Auth Scheme',
			name: 'authScheme',
			type: 'options',
			options: [
				{ name: 'Bearer', value: 'Bearer' },
				{ name: 'Token', value: 'Token' },
			],
			default: 'Bearer',
			description:
				"How the token is sent in the Authorization header. TeamUp's guides use Bearer; its endpoint reference says Token. Switch if TeamUp answers 401.",
		},
		{
			displayName: 'Provider ID',
			name: 'providerId',
			type: 'string',
			default: '',
			description:
				'The TeamUp business ID, sent as TeamUp-Provider-ID. Required when the token can reach several businesses (franchises, several locations).',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://goteamup.com/api/v2',
			description: 'Change only to use a proxy or the local sandbox',
		},
		{
			displayName: 'Max Requests per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 250,
			description:
				'TeamUp allows 250 requests per minute per caller. Lower it if other tools share the token. Each n8n process paces itself: if several (queue-mode workers) may use this token at once, set 250 divided by their number (125 for two).',
		},
	];

	// A function rather than a generic block so that an empty Provider ID sends no header at all:
	// TeamUp rejects an empty TeamUp-Provider-ID as invalid.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const scheme = credentials.authScheme === 'Token' ? 'Token' : 'Bearer';
		const headers: Record<string, string> = {
			...((requestOptions.headers as Record<string, string>) ?? {}),
			Authorization: `${scheme} ${String(credentials.token ?? '')}`,
			'TeamUp-Request-Mode': 'provider',
			Accept: 'application/json',
		};
		const providerId = String(credentials.providerId ?? '').trim();
		if (providerId !== '') headers['TeamUp-Provider-ID'] = providerId;
		return { ...requestOptions, headers };
	}

	// The editor's "Test" is the TeamUp node's `teamUpApiTest` (testedBy): it tells a rate limit
	// from a refused token and waits a rate limit out briefly.
}
