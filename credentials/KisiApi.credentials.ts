import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class KisiApi implements ICredentialType {
	name = 'kisiApi';

	displayName = 'Kisi API';

	icon: Icon = { light: 'file:../icons/kisi.svg', dark: 'file:../icons/kisi.dark.svg' };

	documentationUrl = 'https://docs.kisi.io/api/get_started/create_login';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"Kisi → My Account → API → Add API key. Create it from the organization owner's account: a key stops working when its user loses admin rights.",
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.kisi.io',
			description: 'Change only to use a proxy or the local sandbox',
		},
		{
			displayName: 'Max Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0.1 },
			default: 5,
			description:
				"Kisi allows 5 requests per second per user, shared by all of that user's API keys. Lower it if other tools use the same Kisi user.",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=KISI-LOGIN {{$credentials.apiKey}}',
				Accept: 'application/json',
				'Content-Type': 'application/json',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/user',
		},
	};
}
