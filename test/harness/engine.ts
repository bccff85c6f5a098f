/**
 * Runs workflow JSON (n8n's export format) through n8n-core's WorkflowExecute in this process,
 * with this pack's node types, the core nodes of the pinned n8n release and real credential
 * injection. It is the engine users' workflows run on; only storage is in memory.
 */
import { randomUUID } from 'node:crypto';
import { CredentialTestContext, DataDeduplicationService, ExecutionLifecycleHooks, ExternalSecretsProxy, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IConnections,
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	IDataDeduplicator,
	IDataObject,
	IDeduplicationOutput,
	IExecuteWorkflowInfo,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeParameters,
	INodeListSearchResult,
	INodeType,
	INodeTypes,
	IRun,
	IRunData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, NodeHelpers, Workflow } from 'n8n-workflow';

import { loadCoreNodeTypes } from './core-nodes';
import { type StoredCredential, TestCredentialsHelper } from './credentials';
import { loadPackCredentialTypes, loadPackNodeTypes } from './package-types';

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IDataObject;
	staticData?: IDataObject | null;
	active?: boolean;
	[key: string]: unknown;
}

const coreNodeTypes: Record<string, INodeType> = loadCoreNodeTypes(); // loaded when first looked up
const packNodeTypes: Record<string, INodeType | IVersionedNodeType> = loadPackNodeTypes();
const nodeTypeOf = (type: string): INodeType | IVersionedNodeType | undefined => (Object.hasOwn(packNodeTypes, type) ? packNodeTypes[type] : coreNodeTypes[type]);
export const credentialTypes = loadPackCredentialTypes();

export const nodeTypes: INodeTypes = {
	getByName: (type) => {
		const found = nodeTypeOf(type);
		if (!found) throw new Error(`Unknown node type ${type}`);
		return found;
	},
	getByNameAndVersion: (type, version) => {
		const found = nodeTypeOf(type);
		if (!found) throw new Error(`Unknown node type ${type}`);
		return NodeHelpers.getVersionedNodeType(found, version);
	},
	getKnownTypes: () => ({}),
};

/** In-memory stand-in for n8n's database-backed deduplication store (same interface). */
class MemoryDeduplicator implements IDataDeduplicator {
	private readonly seen = new Map<string, DeduplicationItemTypes[]>();

	private key(scope: string, context: ICheckProcessedContextData): string {
		return `${context.workflow.id}:${scope === 'node' ? (context.node?.id ?? context.node?.name) : '*'}`;
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: 'node' | 'workflow',
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		const key = this.key(scope, context);
		const seen = this.seen.get(key) ?? [];
		const output: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			if (seen.includes(item)) output.processed.push(item);
			else {
				output.new.push(item);
				seen.push(item);
			}
		}
		if (options.maxEntries) seen.splice(0, Math.max(0, seen.length - options.maxEntries));
		this.seen.set(key, seen);
		return output;
	}

	async removeProcessed(items: DeduplicationItemTypes[], scope: 'node' | 'workflow', context: ICheckProcessedContextData): Promise<void> {
		const key = this.key(scope, context);
		this.seen.set(key, (this.seen.get(key) ?? []).filter((item) => !items.includes(item)));
	}

	async clearAllProcessedItems(scope: 'node' | 'workflow', context: ICheckProcessedContextData): Promise<void> {
		this.seen.delete(this.key(scope, context));
	}

	async getProcessedDataCount(scope: 'node' | 'workflow', context: ICheckProcessedContextData): Promise<number> {
		return (this.seen.get(this.key(scope, context)) ?? []).length;
	}
}

let deduplicationReady: Promise<void> | undefined;
function ensureDeduplication(): Promise<void> {
	deduplicationReady ??= DataDeduplicationService.init(new MemoryDeduplicator()).catch(() => undefined);
	return deduplicationReady;
}

export interface RunOptions {
	credentials: StoredCredential[];
	/** Start from this node (Manual Trigger style). Defaults to the first trigger/start node. */
	startNode?: string;
	/** Seed the start node with these items, as a schedule/webhook trigger would. */
	triggerItems?: IDataObject[];
	/** Seed the start node's outputs with these lists (a trigger with several outputs), instead of `triggerItems`. */
	triggerOutputs?: IDataObject[][];
	/**
	 * When an execution waits (a Wait node longer than 65 s puts it to wait, as in n8n), called with
	 * the instant it waits until; the execution then resumes as n8n's wait tracker resumes it, at
	 * once (no real waiting). Lets a test change the world between the two halves.
	 */
	onWait?: (waitTill: Date) => Promise<void> | void;
	mode?: WorkflowExecuteMode;
	/** Workflow static data; pass the same object to successive runs to persist it as n8n does. */
	staticData?: IDataObject;
	/** Called once the execution has started, with its "Stop" (n8n's cancel of the running execution). */
	onStart?: (execution: { stop(): void }) => void;
}

export interface RunResult {
	run: IRun;
	status: IRun['status'];
	runData: IRunData;
	error?: Error & { description?: string; node?: INode };
	/** JSON of the items a node emitted on an output (first run of the node, unless `runIndex`). */
	output(nodeName: string, outputIndex?: number, runIndex?: number): IDataObject[];
	items(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/**
	 * What n8n's save hook (`workflowExecuteAfter`) got first, copied then: on a stopped execution n8n
	 * saves at the instant of the stop, before the running node returns.
	 */
	saved?: { status: IRun['status']; metadata: Record<string, string>; nodes: string[] };
	/** The sub-workflows this execution ran (Execute Workflow nodes), in order. */
	subRuns: RunResult[];
	/** How many times the node ran in this execution. */
	runs(nodeName: string): number;
	ran(nodeName: string): boolean;
}

/** What n8n-core needs around a run (or a list search): credentials with their `authenticate` applied, URLs. */
function makeAdditionalData(
	credentials: RunOptions['credentials'],
	run: { hooks?: ExecutionLifecycleHooks; executionId?: string; workflowId: string },
	subRuns: RunResult[] = [],
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper(credentialTypes, credentials),
		externalSecretsProxy: new ExternalSecretsProxy(),
		...run,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		formBaseUrl: 'http://localhost:5678/form',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		// A sub-workflow defined in the calling node (Execute Workflow's "Define Below"), run as n8n
		// runs it: its own execution ('integrated' mode), the last node's output handed back.
		executeWorkflow: async (info: IExecuteWorkflowInfo, _data: unknown, options: { inputData?: INodeExecutionData[] }) => {
			if (!info.code) throw new Error('In-process runs only run sub-workflows defined in the calling node');
			const child = await runWorkflow(
				{ ...(info.code as unknown as WorkflowJson), id: run.workflowId },
				{ credentials, mode: 'integrated', triggerItems: (options.inputData ?? [{ json: {} }]).map((item) => item.json) },
			);
			subRuns.push(child);
			if (child.status !== 'success') throw child.error ?? new Error(`The sub-workflow ended ${child.status}`);
			const last = child.run.data.resultData.lastNodeExecuted;
			const data = last ? (child.runData[last]?.[0]?.data?.main ?? []) : [];
			return { executionId: randomUUID(), data: data.map((items) => items ?? []) };
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('The Code node needs a task runner; in-process runs do not start one');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export async function runWorkflow(json: WorkflowJson, options: RunOptions): Promise<RunResult> {
	await ensureDeduplication();
	const executionId = randomUUID();
	const mode: WorkflowExecuteMode = options.mode ?? (options.triggerItems || options.triggerOutputs ? 'trigger' : 'manual');
	const workflowId = json.id ?? 'test-workflow';
	const workflow = new Workflow({
		id: workflowId,
		name: json.name ?? 'Test workflow',
		nodes: json.nodes,
		connections: json.connections,
		active: json.active ?? false,
		nodeTypes,
		staticData: options.staticData ?? (json.staticData as IDataObject | undefined) ?? {},
		settings: json.settings,
	});
	const workflowData = { ...json, id: workflowId, active: json.active ?? false } as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	let saved: RunResult['saved'];
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => {
		const { metadata, runData } = fullRunData.data.resultData;
		saved ??= { status: fullRunData.status, metadata: { ...(metadata ?? {}) }, nodes: Object.keys(runData) };
	});
	const subRuns: RunResult[] = [];
	const additionalData = makeAdditionalData(options.credentials, { hooks, executionId, workflowId }, subRuns);

	const startName = options.startNode ?? defaultStartNode(json);
	const startNode = workflow.getNode(startName);
	if (!startNode) throw new Error(`Start node "${startName}" not found`);

	let run: IRun;
	const seeded = options.triggerOutputs ?? (options.triggerItems ? [options.triggerItems] : undefined);
	if (seeded) {
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node: startNode, data: { main: seeded.map((items) => items.map((json) => ({ json }))) }, source: null }],
			},
		});
		const running = new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
		options.onStart?.({ stop: () => running.cancel() });
		run = await running;
	} else {
		const running = new WorkflowExecute(additionalData, mode).run({ workflow, startNode });
		options.onStart?.({ stop: () => running.cancel() });
		run = await running;
	}
	// A waiting execution resumes as n8n's wait tracker resumes it: the saved execution data run on
	// by a new WorkflowExecute (which lets the Wait node pass its items on). n8n reloads that data
	// from its database; the copies of the stack's nodes stand for that, so that the Wait node it
	// marks as passed is not the workflow's own.
	for (let resumes = 0; run.status === 'waiting'; resumes++) {
		if (resumes === 10) throw new Error('The execution waited more than 10 times');
		await options.onWait?.(new Date(run.waitTill ?? Date.now()));
		const stack = run.data.executionData?.nodeExecutionStack ?? [];
		for (const entry of stack) entry.node = { ...entry.node };
		run = await new WorkflowExecute(additionalData, mode, run.data).processRunExecutionData(workflow);
	}

	const runData = run.data.resultData.runData;
	const items = (nodeName: string, outputIndex = 0, runIndex = 0) => runData[nodeName]?.[runIndex]?.data?.main?.[outputIndex] ?? [];
	return {
		run,
		status: run.status,
		runData,
		error: run.data.resultData.error as RunResult['error'],
		items,
		output: (nodeName, outputIndex, runIndex) => items(nodeName, outputIndex, runIndex).map((item) => item.json),
		saved,
		subRuns,
		ran: (nodeName) => runData[nodeName] !== undefined,
		runs: (nodeName) => runData[nodeName]?.length ?? 0,
	};
}

function defaultStartNode(json: WorkflowJson): string {
	const trigger = json.nodes.find((node) => /trigger|webhook/i.test(node.type) && !node.disabled);
	if (trigger) return trigger.name;
	const targets = new Set(
		Object.values(json.connections).flatMap((outputs) =>
			Object.values(outputs).flatMap((lists) => (lists ?? []).flatMap((list) => (list ?? []).map((c) => c.node))),
		),
	);
	const first = json.nodes.find((node) => !targets.has(node.name) && !node.type.endsWith('stickyNote'));
	if (!first) throw new Error('Workflow has no start node');
	return first.name;
}

/**
 * A node's searchable list (resource locator) as the editor calls it: the node type's
 * `methods.listSearch[method]` with n8n-core's own LoadOptionsContext and the test credentials.
 */
export async function searchList(
	node: WorkflowJson['nodes'][number],
	method: string,
	credentials: RunOptions['credentials'],
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const workflow = new Workflow({ id: 'list-search', nodes: [node], connections: {}, active: false, nodeTypes, staticData: {} });
	const context = new LoadOptionsContext(workflow, node, makeAdditionalData(credentials, { workflowId: 'list-search' }), 'parameters');
	const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
	const search = type.methods?.listSearch?.[method];
	if (!search) throw new Error(`${node.type} has no list search "${method}"`);
	return await search.call(context, filter, paginationToken);
}

/**
 * The editor's "Test" on a credential, the way n8n's CredentialsTester runs it for this pack: the
 * credential type has no declarative `test`, so the function a node names in `testedBy` is looked
 * up in its `methods.credentialTest` and called with n8n-core's own CredentialTestContext, the
 * credential's data completed with its type's defaults (as n8n does before testing).
 */
export async function testCredential(credential: StoredCredential): Promise<INodeCredentialTestResult> {
	const type = credentialTypes[credential.type];
	if (!type) throw new Error(`Unknown credential type ${credential.type}`);
	if (type.test) throw new Error(`${credential.type} has a declarative test: n8n would run that instead of a testedBy function`);
	let test: ICredentialTestFunction | undefined;
	for (const nodeType of Object.values(packNodeTypes)) {
		const node = nodeType as INodeType;
		const testedBy = node.description?.credentials?.find((entry) => entry.name === credential.type)?.testedBy;
		if (typeof testedBy === 'string') test ??= node.methods?.credentialTest?.[testedBy];
	}
	if (!test) throw new Error(`No node tests ${credential.type} (testedBy)`);
	const data = NodeHelpers.getNodeParameters(type.properties, credential.data as INodeParameters, true, false, null, null) as ICredentialDataDecryptedObject;
	const context = new CredentialTestContext(makeAdditionalData([credential], { workflowId: 'credential-test' }));
	return await test.call(context, { id: credential.id, name: credential.name, type: credential.type, data });
}
