import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiClient } from './http';

/**
 * The registry of a node's resources and operations. Each `actions/<resource>/<op>.operation.ts`
 * exports its `option` (its entry in the Operation parameter), `description` (its parameters) and
 * `execute`; each `<Resource>.resource.ts` lists its operation modules with {@link defineResource};
 * `actions/versionDescription.ts` lists the resources in one `resources` object, from which the
 * Resource and Operation parameters ({@link nodeProperties}) and the router ({@link route}) are
 * derived. An operation is added by writing its module and naming it in its resource: nothing else
 * lists it, so nothing else can forget it.
 */

/** An operation's entry in the Operation parameter. `value` is what saved workflows store. */
export interface OperationOption<Value extends string = string> {
	name: string;
	value: Value;
	action: string;
	description: string;
}

/**
 * The items of an operation whose node shows more than one output for it (the node's `outputs`
 * expression decides how many): one list per output, in order.
 */
export class Branches {
	constructor(readonly outputs: INodeExecutionData[][]) {}
}

/** An operation module: `actions/<resource>/<operation>.operation.ts`. */
export interface Operation<Value extends string = string> {
	option: OperationOption<Value>;
	/** Its parameters, shown for its resource and operation only (`updateDisplayOptions`). */
	description: INodeProperties[];
	/** The items of the node's one output, or {@link Branches} when its parameters give the node several. */
	execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[] | Branches>;
}

/**
 * Operation modules under the value of their option, e.g. `{ delete: deleteShare }`: an operation
 * registered under another key than its option's value does not compile.
 */
export type Operations<Ops> = { [Key in keyof Ops]: Operation<Key & string> };

/** A resource as its `<Resource>.resource.ts` declares it, checked by {@link defineResource}. */
export interface ResourceDefinition<Ops extends Operations<Ops>> {
	/** The name the Resource parameter shows. */
	name: string;
	/** The operations, in the order the Operation parameter lists them. */
	operations: Ops;
	/** The operation picked when the resource is picked. */
	default: keyof Ops & string;
}

export interface Resource {
	name: string;
	operations: Record<string, Operation>;
	default: string;
}

/** A resource's operations, checked: each under its option's value, the default one of them. */
export function defineResource<Ops extends Operations<Ops>>(resource: ResourceDefinition<Ops>): Resource {
	return resource as unknown as Resource;
}

/** A node's resources under the value the Resource parameter stores, in the order it lists them. */
export type Resources = Record<string, Resource>;

/**
 * The node's parameters: Resource, then per resource its Operation parameter and its operations'
 * parameters, as n8n's editor shows them.
 */
export function nodeProperties<R extends Resources>(resources: R, defaultResource: keyof R & string): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: Object.entries(resources).map(([value, resource]) => ({ name: resource.name, value })),
			default: defaultResource,
		},
	];
	for (const [value, resource] of Object.entries(resources)) {
		const operations: Operation[] = Object.values(resource.operations);
		const defaultOperation = resource.default;
		properties.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [value] } },
			options: operations.map((operation) => operation.option),
			default: defaultOperation,
		});
		for (const operation of operations) properties.push(...operation.description);
	}
	return properties;
}

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
	const handler = Object.hasOwn(resources, resource) ? (resources[resource].operations[operation] as Operation | undefined) : undefined;
	if (!handler || typeof handler.execute !== 'function') {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" is not supported for "${resource}"`);
	}
	const client = createClient(ctx);
	const output = await handler.execute.call(ctx, client);
	ctx.addExecutionHints({ message: `Made ${client.requestCount} request(s) to ${client.api.service}`, location: 'outputPane' });
	return output instanceof Branches ? output.outputs : [output];
}
