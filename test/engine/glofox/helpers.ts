/** Shared by the Glofox engine tests: a sandbox, the credential pointing at it, workflow JSON. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DEMO_CREDENTIALS, DEMO_NOW, type RunningSandbox, type ScenarioInput, buildDemoScenario, startSandbox } from '../../../sandbox';
import { type RunOptions, type RunResult, runWorkflow, type WorkflowJson } from '../../harness/engine';

export const G = DEMO_CREDENTIALS.glofox;
export const CREDENTIAL_NAME = 'Glofox demo gym';
export const NODE = 'Glofox';

/** The demo at DEMO_NOW; rate limits as the scenario says unless overridden. */
export function demoScenario(overrides: Partial<ScenarioInput> = {}): ScenarioInput {
	return { ...buildDemoScenario(new Date(DEMO_NOW)), ...overrides };
}

export async function start(scenario: unknown = demoScenario()): Promise<RunningSandbox> {
	return await startSandbox({ scenario, port: 0 });
}

export function credential(sb: RunningSandbox, data: IDataObject = {}) {
	return {
		id: 'glofox-1',
		name: CREDENTIAL_NAME,
		type: 'glofoxApi',
		data: { branchId: G.branchId, apiKey: G.apiKey, apiToken: G.apiToken, baseUrl: sb.glofoxUrl, requestsPerSecond: 10, ...data },
	};
}

export interface NodeOptions {
	continueOnFail?: boolean;
	/** Items fed to the Glofox node (through the start node). */
	items?: IDataObject[];
}

/** Start → Glofox, with the given node parameters. */
export function workflow(parameters: INodeParameters, options: NodeOptions = {}): WorkflowJson {
	return {
		name: 'Glofox test',
		nodes: [
			{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'glofox',
				name: NODE,
				type: 'n8n-nodes-gym-access.glofox',
				typeVersion: 1,
				position: [200, 0],
				parameters,
				credentials: { glofoxApi: { id: 'glofox-1', name: CREDENTIAL_NAME } },
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: { Start: { main: [[{ node: NODE, type: 'main', index: 0 }]] } },
	};
}

/** Runs Start → Glofox; `items` become the start node's output (as a trigger would give them). */
export async function run(
	sb: RunningSandbox,
	parameters: INodeParameters,
	options: NodeOptions & { credential?: IDataObject; staticData?: IDataObject; run?: Partial<RunOptions> } = {},
): Promise<RunResult> {
	return await runWorkflow(workflow(parameters, options), {
		credentials: [credential(sb, options.credential)],
		...(options.items ? { triggerItems: options.items, startNode: 'Start' } : {}),
		...(options.staticData ? { staticData: options.staticData } : {}),
		...options.run,
	});
}

/** The execution hints of the Glofox node's first run. */
export function hints(result: RunResult): string[] {
	return (result.runData[NODE]?.[0]?.hints ?? []).map((hint) => hint.message);
}

/** Total requests the node reported in its hint ("Made N request(s) to Glofox"). */
export function reportedRequests(result: RunResult): number {
	const message = hints(result).find((text) => /^Made \d+ request/.test(text));
	if (!message) throw new Error(`No request-count hint in ${JSON.stringify(hints(result))}`);
	return Number(/^Made (\d+)/.exec(message)![1]);
}

export async function requestLog(sb: RunningSandbox): Promise<Array<{ service: string; method: string; path: string; query: Record<string, string>; status: number }>> {
	const res = await fetch(`${sb.url}/__sandbox/requests`);
	const body = (await res.json()) as unknown;
	return (Array.isArray(body) ? body : ((body as { requests?: unknown[] }).requests ?? [])) as never;
}

export async function clearRequestLog(sb: RunningSandbox): Promise<void> {
	await fetch(`${sb.url}/__sandbox/requests`, { method: 'DELETE' });
}

export async function addFault(sb: RunningSandbox, fault: IDataObject): Promise<void> {
	const res = await fetch(`${sb.url}/__sandbox/faults`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ service: 'glofox', ...fault }),
	});
	if (!res.ok) throw new Error(`Fault refused: ${res.status} ${await res.text()}`);
}

export async function clearFaults(sb: RunningSandbox): Promise<void> {
	await fetch(`${sb.url}/__sandbox/faults`, { method: 'DELETE' });
}

export async function sandboxState(sb: RunningSandbox): Promise<{ glofox: { bookings: IDataObject[]; accesses: IDataObject[]; members: IDataObject[] } }> {
	const res = await fetch(`${sb.url}/__sandbox/state`);
	return (await res.json()) as never;
}

export { DEMO_NOW };
