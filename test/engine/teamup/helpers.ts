/** Shared by the TeamUp engine tests: a sandbox, the credential pointing at it, workflow JSON. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DEMO_CREDENTIALS, DEMO_NOW, type RunningSandbox, type ScenarioInput, buildDemoScenario, startSandbox } from '../../../sandbox';
import { type RunOptions, type RunResult, runWorkflow, type WorkflowJson } from '../../harness/engine';

export const T = DEMO_CREDENTIALS.teamup;
export const CREDENTIAL_NAME = 'TeamUp demo gym';
export const NODE = 'TeamUp';

/** The demo at DEMO_NOW (the sandbox clock starts there); rate limits as the scenario says unless overridden. */
export function demoScenario(overrides: Partial<ScenarioInput> = {}): ScenarioInput {
	return { ...buildDemoScenario(new Date(DEMO_NOW)), ...overrides };
}

export async function start(scenario: unknown = demoScenario()): Promise<RunningSandbox> {
	return await startSandbox({ scenario, port: 0 });
}

export function credential(sb: RunningSandbox, data: IDataObject = {}) {
	return {
		id: 'teamup-1',
		name: CREDENTIAL_NAME,
		type: 'teamUpApi',
		data: { token: T.token, authScheme: 'Bearer', providerId: String(T.providerId), baseUrl: sb.teamupUrl, ...data },
	};
}

export interface NodeOptions {
	continueOnFail?: boolean;
	/** Items fed to the TeamUp node (through the start node). */
	items?: IDataObject[];
}

/** Start → TeamUp, with the given node parameters. */
export function workflow(parameters: INodeParameters, options: NodeOptions = {}): WorkflowJson {
	return {
		name: 'TeamUp test',
		nodes: [
			{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'teamup',
				name: NODE,
				type: 'n8n-nodes-gym-access.teamUp',
				typeVersion: 1,
				position: [200, 0],
				parameters,
				credentials: { teamUpApi: { id: 'teamup-1', name: CREDENTIAL_NAME } },
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: { Start: { main: [[{ node: NODE, type: 'main', index: 0 }]] } },
	};
}

/** Runs Start → TeamUp; `items` become the start node's output (as a trigger would give them). */
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

/** The execution hints of the TeamUp node's first run (n8n keeps them in the run data). */
export function hints(result: RunResult): string[] {
	return (result.runData[NODE]?.[0]?.hints ?? []).map((hint) => hint.message);
}

/** Total requests the node reported in its hint ("Made N request(s) to TeamUp"). */
export function reportedRequests(result: RunResult): number {
	const message = hints(result).find((text) => /^Made \d+ request/.test(text));
	if (!message) throw new Error(`No request-count hint in ${JSON.stringify(hints(result))}`);
	return Number(/^Made (\d+)/.exec(message)![1]);
}

export interface LoggedRequest {
	service: string;
	method: string;
	path: string;
	query: Record<string, string>;
	status: number;
}

export async function requestLog(sb: RunningSandbox): Promise<LoggedRequest[]> {
	const res = await fetch(`${sb.url}/__sandbox/requests`);
	const body = (await res.json()) as unknown;
	const all = (Array.isArray(body) ? body : ((body as { requests?: unknown[] }).requests ?? [])) as LoggedRequest[];
	return all.filter((entry) => entry.service === 'teamup');
}

export async function clearRequestLog(sb: RunningSandbox): Promise<void> {
	await fetch(`${sb.url}/__sandbox/requests`, { method: 'DELETE' });
}

export async function addFault(sb: RunningSandbox, fault: IDataObject): Promise<void> {
	const res = await fetch(`${sb.url}/__sandbox/faults`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ service: 'teamup', ...fault }),
	});
	if (!res.ok) throw new Error(`Fault refused: ${res.status} ${await res.text()}`);
}

export async function clearFaults(sb: RunningSandbox): Promise<void> {
	await fetch(`${sb.url}/__sandbox/faults`, { method: 'DELETE' });
}

export async function teamupState(sb: RunningSandbox): Promise<{ attendances: IDataObject[]; checkins: IDataObject[]; customers: IDataObject[] }> {
	const res = await fetch(`${sb.url}/__sandbox/state`);
	return ((await res.json()) as { teamup: never }).teamup;
}

export { DEMO_NOW };
