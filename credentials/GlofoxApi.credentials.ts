import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

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
			description: 'Glofox allows 10 requests per second on live accounts and 3 on sandbox accounts',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-glofox-branch-id': '={{$credentials.branchId}}',
				'x-api-key': '={{$credentials.apiKey}}',
				'x-glofox-api-token': '={{$credentials.apiToken}}',
				Accept: 'application/json',
				'Content-Type': 'application/json',
			},
		},
	};

	// Glofox answers some failures (wrong token or branch) with HTTP 200 and {"success": false}.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/2.0/members',
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'success',
					value: false,
					message: 'Glofox refused the API token or the Location ID (it answered success: false)',
				},
			},
		],
	};
}
