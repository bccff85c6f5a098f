import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { glofoxApiTest } from './transport/credentialTest';
import { properties } from './trigger/description';
import { checkExists, create, deleteWebhook } from './trigger/lifecycle';
import { receive } from './trigger/webhook';

export class GlofoxTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Glofox Trigger',
		name: 'glofoxTrigger',
		icon: { light: 'file:../../icons/glofox.svg', dark: 'file:../../icons/glofox.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Member, membership and booking events',
		description:
			"Starts the workflow when a Glofox member's access may have changed (member, membership and booking events), from Glofox's signed webhooks",
		defaults: { name: 'Glofox Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'glofoxApi', required: true, testedBy: 'glofoxApiTest' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties,
	};

	methods = { credentialTest: { glofoxApiTest } };

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
