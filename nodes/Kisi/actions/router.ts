import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiClient } from '../../shared/http';
import { kisiClient } from '../transport';
import * as group from './group/Group.resource';
import * as lock from './lock/Lock.resource';
import * as place from './place/Place.resource';
import * as roleAssignment from './roleAssignment/RoleAssignment.resource';
import * as share from './share/Share.resource';
import * as user from './user/User.resource';

type Operation = { execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> };

const resources: Record<string, Record<string, Operation>> = {
	group: group.operations,
	lock: lock.operations,
	place: place.operations,
	roleAssignment: roleAssignment.operations,
	share: share.operations,
	user: user.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler || typeof handler.execute !== 'function') {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for "${resource}"`);
	}
	const client = kisiClient(this);
	const output = await handler.execute.call(this, client);
	this.addExecutionHints({ message: `Made ${client.requestCount} request(s) to Kisi`, location: 'outputPane' });
	return [output];
}
