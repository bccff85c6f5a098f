/**
 * Engine tests of one pack node on its own: a workflow Start (Manual Trigger) → the node, run through
 * n8n's engine with the node's credential pointing at a sandbox the test file starts. Each service's
 * suite configures it once (test/engine/glofox/helpers.ts, test/engine/teamup/helpers.ts) and gets
 * the same helpers: `run`, `workflow`, `credential`, the node's execution hints and request count,
 * and the sandbox's request log and faults for that service.
 *
 *   const kit = nodeTests({ service: 'teamup', node: 'TeamUp', type: 'n8n-nodes-gym-access.teamUp', credential: { … } });
 *   const result = await kit.run(sb, { resource: 'customer', operation: 'getAll' });
 */
import { randomUUID } from 'node:crypto';

import { DateTime } from 'luxon';
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { DEMO_NOW, type RunningSandbox, type ScenarioInput, buildDemoScenario, startSandbox } from '../../sandbox';
import type { StoredCredential } from './credentials';
import { type RunOptions, type RunResult, runWorkflow, type WorkflowJson } from './engine';
import { type FaultSpec, SandboxClient, type SandboxRequest } from './sandbox';

/** The demo gym at DEMO_NOW (the sandbox clock starts there); rate limits as the scenario says unless overridden. */
export function demoScenario(overrides: Partial<ScenarioInput> = {}): ScenarioInput {
	return { ...buildDemoScenario(new Date(DEMO_NOW)), ...overrides };
}

/** The demo's now plus `minutes`, as ISO UTC with milliseconds. */
export function demoInstant(minutes: number): string {
	return new Date(Date.parse(DEMO_NOW) + minutes * 60_000).toISOString();
}

/** Local midnight (Europe/London, the demo gym's zone) `days` from the demo's today, as ISO UTC with milliseconds. */
export function demoMidnight(days: number): string {
	return DateTime.fromMillis(Date.parse(DEMO_NOW), { zone: 'Europe/London' }).startOf('day').plus({ days }).toUTC().toISO()!;
}

/** Access Profile → Get Many over the demo's next 24 hours, inactive people included (TeamUp and Glofox take the same). */
export const ACCESS_PROFILES_PARAMS = {
	resource: 'accessProfile',
	operation: 'getAll',
	lookAheadHours: 24,
	includeInactive: true,
	options: { referenceTime: DEMO_NOW },
};

/** A sandbox on a free port; the test file closes it (`sb.close()`). */
export async function start(scenario: unknown = demoScenario()): Promise<RunningSandbox> {
	return await startSandbox({ scenario, port: 0 });
}

export interface NodeUnderTest {
	service: 'teamup' | 'glofox';
	/** The node's name in the test workflow (and in its hints: "Made N request(s) to <node>"). */
	node: string;
	/** The node type, `n8n-nodes-gym-access.<name>`. */
	type: string;
	credential: { id: string; name: string; type: string; data: (sb: RunningSandbox) => IDataObject };
}

export interface NodeOptions {
	continueOnFail?: boolean;
	/** Items fed to the node (through the start node). */
	items?: IDataObject[];
	/**
	 * The workflow's id. n8n keeps what a node remembers across executions (its deduplication store,
	 * e.g. the Check In cooldown) per workflow: runs given the same id are successive executions of
	 * one workflow; by default every run is a workflow of its own.
	 */
	workflowId?: string;
}

export type RunNodeOptions = NodeOptions & { credential?: IDataObject; staticData?: IDataObject; run?: Partial<RunOptions> };

export function nodeTests(spec: NodeUnderTest) {
	const { service, node } = spec;
	const sandbox = (sb: RunningSandbox) => new SandboxClient(sb.url);

	/** The stored credential, pointing at `sb`; `data` overrides fields. */
	function credential(sb: RunningSandbox, data: IDataObject = {}): StoredCredential {
		const { id, name, type } = spec.credential;
		return { id, name, type, data: { ...spec.credential.data(sb), ...data } as ICredentialDataDecryptedObject };
	}

	/** Start → the node, with the given node parameters. */
	function workflow(parameters: INodeParameters, options: NodeOptions = {}): WorkflowJson {
		return {
			id: options.workflowId ?? `${service}-${randomUUID()}`,
			name: `${node} test`,
			nodes: [
				{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: service,
					name: node,
					type: spec.type,
					typeVersion: 1,
					position: [200, 0],
					parameters,
					credentials: { [spec.credential.type]: { id: spec.credential.id, name: spec.credential.name } },
					...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
				},
			],
			connections: { Start: { main: [[{ node, type: 'main', index: 0 }]] } },
		};
	}

	/** Runs Start → the node; `items` become the start node's output (as a trigger would give them). */
	async function run(sb: RunningSandbox, parameters: INodeParameters, options: RunNodeOptions = {}): Promise<RunResult> {
		return await runWorkflow(workflow(parameters, options), {
			credentials: [credential(sb, options.credential)],
			...(options.items ? { triggerItems: options.items, startNode: 'Start' } : {}),
			...(options.staticData ? { staticData: options.staticData } : {}),
			...options.run,
		});
	}

	/** The execution hints of the node's first run (n8n keeps them in the run data). */
	function hints(result: RunResult): string[] {
		return (result.runData[node]?.[0]?.hints ?? []).map((hint) => hint.message);
	}

	/** Total requests the node reported in its hint ("Made N request(s) to <service>"). */
	function reportedRequests(result: RunResult): number {
		const message = hints(result).find((text) => /^Made \d+ request/.test(text));
		if (!message) throw new Error(`No request-count hint in ${JSON.stringify(hints(result))}`);
		return Number(/^Made (\d+)/.exec(message)![1]);
	}

	/** The requests the sandbox received for this service, oldest first. */
	async function requestLog(sb: RunningSandbox): Promise<SandboxRequest[]> {
		return await sandbox(sb).requests({ service });
	}

	async function clearRequestLog(sb: RunningSandbox): Promise<void> {
		await sandbox(sb).clearRequests();
	}

	/** Injects a fault on this service's API. */
	async function addFault(sb: RunningSandbox, fault: Omit<FaultSpec, 'service'> | IDataObject): Promise<void> {
		await sandbox(sb).fault({ service, ...fault } as FaultSpec);
	}

	async function clearFaults(sb: RunningSandbox): Promise<void> {
		await sandbox(sb).clearFaults();
	}

	return { credential, workflow, run, hints, reportedRequests, requestLog, clearRequestLog, addFault, clearFaults };
}
