import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { kisiApiTest } from './transport/credentialTest';
import { properties, triggerOutputs } from './trigger/description';
import { checkExists, create, deleteWebhook } from './trigger/lifecycle';
import { receive } from './trigger/webhook';

export class KisiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kisi Trigger',
		name: 'kisiTrigger',
		icon: { light: 'file:../../icons/kisi.svg', dark: 'file:../../icons/kisi.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description: 'Starts the workflow on Kisi events such as door unlocks, through a signed Event Webhook it registers itself',
		defaults: { name: 'Kisi Trigger' },
		inputs: [],
		// "Denied Unlocks Output" adds a second output.
		outputs: `={{(${triggerOutputs})($parameter)}}`,
		credentials: [{ name: 'kisiApi', required: true, testedBy: 'kisiApiTest' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties,
	};

	methods = { credentialTest: { kisiApiTest } };

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
