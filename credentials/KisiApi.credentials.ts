import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/** Who this integration is, for Kisi's `X-Kisi-Integration-Identifier`. */
const KISI_INTEGRATION_IDENTIFIER = 'n8n-nodes-gym-access';

/** The pack maintainers' address (package.json `author.email`): the default integration contact. */
const KISI_DEFAULT_CONTACT = 'n8n-nodes-gym-access@users.noreply.github.com';

/**
 * The headers every request to Kisi carries. Kisi requires integration partners to name
 * themselves and an e-mail address to reach them (docs.kisi.io "Add the necessary headers"); an
 * empty contact falls back to the maintainers' address rather than sending an empty header.
 */
function kisiHeaders(credentials: ICredentialDataDecryptedObject): Record<string, string> {
	const contact = String(credentials.integrationContact ?? '').trim() || KISI_DEFAULT_CONTACT;
	return {
		Authorization: `KISI-LOGIN ${String(credentials.apiKey ?? '')}`,
		Accept: 'application/json',
		'Content-Type': 'application/json',
		'X-Kisi-Integration-Identifier': KISI_INTEGRATION_IDENTIFIER,
		'X-Kisi-Integration-Contact': contact,
	};
}

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
			displayName: 'Integration Contact Email',
			name: 'integrationContact',
			type: 'string',
			placeholder: 'name@email.com',
			default: KISI_DEFAULT_CONTACT,
			description:
				"Kisi asks every integration to send an e-mail address where Kisi can reach whoever runs it (header X-Kisi-Integration-Contact, next to X-Kisi-Integration-Identifier: n8n-nodes-gym-access). Put your own address, so that Kisi can reach whoever runs this gym's integration. The default names this node pack, whose address receives no mail (its maintainers are reached through the pack's GitHub issues).",
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
				"Kisi allows 5 requests per second per user, shared by all of that user's API keys. Lower it if other tools use the same Kisi user. Each n8n process paces itself: if several (queue-mode workers) may use this Kisi user at once, set 5 divided by their number, rounded down (2 for two: a fraction lets a process send a request more within some seconds).",
		},
	];

	// A function rather than a generic block so that the contact falls back to the default when
	// the field is emptied, and so that the credential test sends exactly the same headers.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...((requestOptions.headers as Record<string, string>) ?? {}), ...kisiHeaders(credentials) },
		};
	}

	// The editor's "Test" is the Kisi and Kisi Trigger nodes' `kisiApiTest` (testedBy): a
	// declarative test could neither wait out a rate limit nor tell it from a wrong key.
}
