import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import { properties } from './actions/versionDescription';
import { listSearch } from './methods';
import { teamUpApiTest } from './transport/credentialTest';

export class TeamUp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TeamUp',
		name: 'teamUp',
		icon: { light: 'file:../../icons/teamup.svg', dark: 'file:../../icons/teamup.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Read TeamUp customers, memberships, events and registrations, build access profiles for door access, and check people in',
		defaults: { name: 'TeamUp' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'teamUpApi', required: true, testedBy: 'teamUpApiTest' }],
		properties,
	};

	methods = { listSearch, credentialTest: { teamUpApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
