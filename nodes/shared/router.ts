import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiClient } from './http';

/** An operation module: `actions/<resource>/<operation>.operation.ts`. */
export interface Operation {
	execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]>;
}

export type Resources = Record<string, Record<string, Operation>>;

/**
 * Dispatches to the chosen resource's operation with one API client for the whole execution,
 * and reports how many requests it made (as an execution hint in the output pane).
 */
export async function route(
	ctx: IExecuteFunctions,
	resources: Resources,
	createClient: (ctx: IExecuteFunctions) => ApiClient,
): Promise<INodeExecutionData[][]> {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler || typeof handler.execute !== 'function') {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" is not supported for "${resource}"`);
	}
	const client = createClient(ctx);
	const output = await handler.execute.call(ctx, client);
	ctx.addExecutionHints({ message: `Made ${client.requestCount} request(s) to ${client.api.service}`, location: 'outputPane' });
	return [output];
}
