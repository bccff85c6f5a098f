import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import { syncOutputs } from './actions/share/syncGroupAccess.operation';
import { properties } from './actions/versionDescription';
import { listSearch } from './methods';
import { kisiApiTest } from './transport/credentialTest';

export class Kisi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kisi',
		name: 'kisi',
		icon: { light: 'file:../../icons/kisi.svg', dark: 'file:../../icons/kisi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Manage Kisi door access: groups, shares, users, places and locks, and sync a group with access decisions',
		defaults: { name: 'Kisi' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// Sync Group Access with "On Mass Revocation: Re-Check After a Wait" has a second output.
		outputs: `={{(${syncOutputs})($parameter)}}`,
		credentials: [{ name: 'kisiApi', required: true, testedBy: 'kisiApiTest' }],
		properties,
	};

	methods = { listSearch, credentialTest: { kisiApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
