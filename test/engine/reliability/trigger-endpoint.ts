/**
 * A Kisi Trigger workflow served the way n8n serves it, in this process: activation through
 * n8n-core's HookContext (the trigger registers its signed Event Webhook in the sandbox's Kisi),
 * and a loopback HTTP endpoint that handles each delivery like n8n's webhook server does (raw body
 * kept; `application/json` that does not parse → 422 "Failed to parse request body"; `text/plain`
 * → a string body; other types → `{}`), runs the node's `webhook()` in n8n-core's WebhookContext,
 * answers as the trigger says (its own 401/400, or 200), and then runs the rest of the workflow
 * through n8n's engine with the items it emitted. So the sandbox's Kisi can deliver real signed
 * events to it and tests can send hostile ones.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HookContext, WebhookContext } from 'n8n-core';
import type { IDataObject, INode, INodeType, IWebhookData, IWebhookDescription, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { type StoredCredential, TestCredentialsHelper } from '../../harness/credentials';
import { credentialTypes, nodeTypes, type RunResult, runWorkflow, type WorkflowJson } from '../../harness/engine';
import type { SandboxClient } from '../../harness/sandbox';

export interface Delivery {
	status: number;
	body: unknown;
	/** Whether the trigger started the workflow. */
	started: boolean;
}

/** The pack's webhook triggers this endpoint serves (the workflow's first node of one of these types). */
const TRIGGER_TYPES = ['n8n-nodes-gym-access.kisiTrigger', 'n8n-nodes-gym-access.teamUpTrigger', 'n8n-nodes-gym-access.glofoxTrigger'];

/**
 * The key Kisi signs deliveries to `url` with. Kisi's API never returns it; the sandbox's state
 * shows what Kisi holds, which is what a test signs with to play Kisi.
 */
export async function keyInKisi(sandbox: SandboxClient, url: string): Promise<string> {
	const integrations = (await sandbox.state()).kisi.integrations as IDataObject[];
	const integration = integrations.find((candidate) => candidate.type === 'event_webhook' && candidate.url === url);
	if (typeof integration?.signature_key !== 'string') throw new Error(`Kisi has no signed event webhook calling ${url}`);
	return integration.signature_key;
}

export class TriggerEndpoint {
	/**
	 * The workflow's static data (n8n keeps it in its database, and in queue mode a worker saves its
	 * copy after each execution). The Kisi Trigger keeps nothing here; the Check In nodes do.
	 */
	readonly staticData: IDataObject = {};
	/** The key Kisi signs with, once a test has read it with `keyInKisi` (to send genuine requests). */
	signatureKey?: string;
	/** Executions the trigger started, in order. */
	readonly executions: RunResult[] = [];
	/** Every answer given, in order. */
	readonly deliveries: Delivery[] = [];
	private readonly pending = new Set<Promise<unknown>>();
	private server?: Server;
	private baseUrl = '';

	constructor(
		readonly template: WorkflowJson & { id: string },
		private readonly credentials: StoredCredential[],
	) {}

	get trigger(): INode {
		const node = this.template.nodes.find((candidate) => TRIGGER_TYPES.includes(candidate.type));
		if (!node) throw new Error('The workflow has no Kisi, TeamUp or Glofox Trigger');
		return node;
	}

	/** The production webhook URL, as n8n builds it. */
	get url(): string {
		return `${this.baseUrl}/webhook/${this.trigger.webhookId}/webhook`;
	}

	private nodeType(): INodeType {
		return nodeTypes.getByNameAndVersion(this.trigger.type, this.trigger.typeVersion) as INodeType;
	}

	private workflow(): Workflow {
		const json = this.template;
		return new Workflow({
			id: json.id,
			name: json.name ?? 'Workflow',
			nodes: json.nodes,
			connections: json.connections,
			active: true,
			nodeTypes,
			staticData: this.staticData,
			settings: json.settings,
		});
	}

	private additionalData(extra: Partial<IWorkflowExecuteAdditionalData> = {}): IWorkflowExecuteAdditionalData {
		return {
			credentialsHelper: new TestCredentialsHelper(credentialTypes, this.credentials),
			executionId: 'webhook',
			currentNodeExecutionIndex: 0,
			variables: {},
			restApiUrl: `${this.baseUrl}/rest`,
			instanceBaseUrl: this.baseUrl,
			webhookBaseUrl: `${this.baseUrl}/webhook`,
			webhookTestBaseUrl: `${this.baseUrl}/webhook-test`,
			webhookWaitingBaseUrl: `${this.baseUrl}/webhook-waiting`,
			formBaseUrl: `${this.baseUrl}/form`,
			formTestBaseUrl: `${this.baseUrl}/form-test`,
			formWaitingBaseUrl: `${this.baseUrl}/form-waiting`,
			...extra,
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	private webhookData(additionalData: IWorkflowExecuteAdditionalData): IWebhookData {
		const description = (this.nodeType().description.webhooks ?? [])[0] as IWebhookDescription;
		return {
			httpMethod: 'POST',
			node: this.trigger.name,
			path: 'webhook',
			webhookDescription: description,
			workflowId: this.template.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.trigger.webhookId,
		};
	}

	private hookMethods() {
		const methods = this.nodeType().webhookMethods?.default;
		if (!methods?.create || !methods.delete || !methods.checkExists) throw new Error(`The ${this.trigger.type} node has no webhook methods`);
		return methods as Required<typeof methods>;
	}

	private hookContext(activation: 'activate' | 'manual' = 'activate'): HookContext {
		const additionalData = this.additionalData();
		return new HookContext(this.workflow(), this.trigger, additionalData, 'trigger', activation, this.webhookData(additionalData));
	}

	/** Listens on a free loopback port and activates the workflow (the trigger registers its webhook). */
	async start(): Promise<void> {
		this.server = createServer((req, res) => {
			const work = this.handle(req)
				.then((answer) => {
					res.writeHead(answer.status, { 'content-type': 'application/json' });
					res.end(JSON.stringify(answer.body ?? {}));
				})
				.catch((error: unknown) => {
					res.writeHead(500, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ message: (error as Error).message }));
				});
			this.track(work);
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		await this.activate();
	}

	/** What n8n does on activation (again, as after a restart): create the webhook unless it exists. */
	async activate(): Promise<void> {
		const ctx = this.hookContext();
		if (!(await this.hookMethods().checkExists.call(ctx))) await this.hookMethods().create.call(ctx);
	}

	/** Deactivates (the trigger removes its webhook) and stops listening. Once; later calls do nothing. */
	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		await this.settle();
		if (this.baseUrl) await this.hookMethods().delete.call(this.hookContext());
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Waits for the answers and the executions started so far. */
	async settle(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
	}

	private track(promise: Promise<unknown>): void {
		this.pending.add(promise);
		void promise.finally(() => this.pending.delete(promise));
	}

	private async handle(req: IncomingMessage): Promise<Delivery> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks);
		const contentType = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		let body: unknown = {};
		if (rawBody.length > 0) {
			if (contentType === 'application/json') {
				try {
					body = JSON.parse(rawBody.toString('utf8'));
				} catch {
					return this.answer({ status: 422, body: { code: 422, message: 'Failed to parse request body' }, started: false });
				}
			} else if (contentType === 'text/plain') {
				body = rawBody.toString('utf8');
			}
		}
		const response: { status?: number; body?: unknown } = {};
		const res = {
			status(code: number) {
				response.status = code;
				return res;
			},
			json(value: unknown) {
				response.body = value;
				return res;
			},
			send(value: unknown) {
				response.body = value;
				return res;
			},
			end() {
				return res;
			},
		};
		const query = Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
		const httpRequest = { body, rawBody, headers: req.headers, query, params: {}, method: req.method, url: req.url, contentType };
		const additionalData = this.additionalData({ httpRequest, httpResponse: res } as unknown as Partial<IWorkflowExecuteAdditionalData>);
		const ctx = new WebhookContext(this.workflow(), this.trigger, additionalData, 'webhook', this.webhookData(additionalData), [], null);
		const result = await this.nodeType().webhook!.call(ctx);

		if (result.noWebhookResponse) return this.answer({ status: response.status ?? 200, body: response.body, started: false });
		if (!result.workflowData) return this.answer({ status: 200, body: result.webhookResponse ?? {}, started: false });
		// One list per output of the trigger (the Kisi Trigger's "Denied Unlocks" is its second), as n8n starts the run.
		const outputs = result.workflowData.map((items) => items.map((item) => item.json));
		this.track(
			runWorkflow(this.template, { credentials: this.credentials, startNode: this.trigger.name, triggerOutputs: outputs, mode: 'webhook', staticData: this.staticData }).then(
				(run) => this.executions.push(run),
			),
		);
		return this.answer({ status: 200, body: { message: 'Workflow was started' }, started: true });
	}

	private answer(delivery: Delivery): Delivery {
		this.deliveries.push(delivery);
		return delivery;
	}
}
