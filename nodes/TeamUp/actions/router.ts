import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiClient } from '../../shared/http';
import { teamUpClient } from '../transport';
import * as accessProfile from './accessProfile/AccessProfile.resource';
import * as attendance from './attendance/Attendance.resource';
import * as checkIn from './checkIn/CheckIn.resource';
import * as customer from './customer/Customer.resource';
import * as customerMembership from './customerMembership/CustomerMembership.resource';
import * as event from './event/Event.resource';
import * as membership from './membership/Membership.resource';
import * as venue from './venue/Venue.resource';

type Operation = { execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> };

const resources: Record<string, Record<string, Operation>> = {
	accessProfile: accessProfile.operations,
	attendance: attendance.operations,
	checkIn: checkIn.operations,
	customer: customer.operations,
	customerMembership: customerMembership.operations,
	event: event.operations,
	membership: membership.operations,
	venue: venue.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler || typeof handler.execute !== 'function') {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for "${resource}"`);
	}
	const client = teamUpClient(this);
	const output = await handler.execute.call(this, client);
	this.addExecutionHints({ message: `Made ${client.requestCount} request(s) to TeamUp`, location: 'outputPane' });
	return [output];
}
