import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { teamUpApiTest } from './transport/credentialTest';
import { properties } from './trigger/description';
import { checkExists, create, deleteWebhook } from './trigger/lifecycle';
import { receive } from './trigger/webhook';

export class TeamUpTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TeamUp Trigger',
		name: 'teamUpTrigger',
		icon: { light: 'file:../../icons/teamup.svg', dark: 'file:../../icons/teamup.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Customer, membership and registration changes',
		description:
			'Starts the workflow when a TeamUp customer’s access may have changed (membership, registration, customer), one item per person, through a webhook destination it registers itself',
		defaults: { name: 'TeamUp Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'teamUpApi', required: true, testedBy: 'teamUpApiTest' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties,
	};

	methods = { credentialTest: { teamUpApiTest } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteWebhook.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receive.call(this);
	}
}
