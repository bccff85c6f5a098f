import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiClient } from '../../shared/http';
import { glofoxClient } from '../transport';
import * as accessProfile from './accessProfile/AccessProfile.resource';
import * as booking from './booking/Booking.resource';
import * as checkIn from './checkIn/CheckIn.resource';
import * as credit from './credit/Credit.resource';
import * as event from './event/Event.resource';
import * as member from './member/Member.resource';
import * as membership from './membership/Membership.resource';

type Operation = { execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> };

const resources: Record<string, Record<string, Operation>> = {
	accessProfile: accessProfile.operations,
	booking: booking.operations,
	checkIn: checkIn.operations,
	credit: credit.operations,
	event: event.operations,
	member: member.operations,
	membership: membership.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler || typeof handler.execute !== 'function') {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for "${resource}"`);
	}
	const client = glofoxClient(this);
	const output = await handler.execute.call(this, client);
	this.addExecutionHints({ message: `Made ${client.requestCount} request(s) to Glofox`, location: 'outputPane' });
	return [output];
}
