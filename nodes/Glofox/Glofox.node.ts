import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import { properties } from './actions/versionDescription';
import { listSearch } from './methods';
import { glofoxApiTest } from './transport/credentialTest';

export class Glofox implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Glofox',
		name: 'glofox',
		icon: { light: 'file:../../icons/glofox.svg', dark: 'file:../../icons/glofox.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Read Glofox members, memberships, credits, events and bookings, build access profiles for door access, and check members in',
		defaults: { name: 'Glofox' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'glofoxApi', required: true, testedBy: 'glofoxApiTest' }],
		properties,
	};

	methods = { listSearch, credentialTest: { glofoxApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
