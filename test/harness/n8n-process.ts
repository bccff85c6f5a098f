/**
 * A real n8n process for end-to-end tests: the pinned release from tools/n8n on Node 24, its
 * embedded SQLite in a temporary user folder, free ports, and this pack installed the way users
 * install it (the packed tarball under the user folder's `.n8n/nodes`). Credentials and
 * workflows go in with n8n's own CLI.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PACKAGE_NAME, ROOT } from './package-types';

export const N8N_BIN = join(ROOT, 'tools', 'n8n', 'node_modules', 'n8n', 'bin', 'n8n');
const NODE_BIN = join(ROOT, 'node_modules', '.bin', 'node');
const NPM_CLI = process.env.npm_execpath;

export const OWNER = { email: 'owner@demo.gym', password: 'Demo-password-1', firstName: 'Demo', lastName: 'Owner' };

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

export async function portIsFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

let tarball: string | undefined;

/** `npm pack` of the built pack, once per test process. */
export function packTarball(): string {
	if (tarball && existsSync(tarball)) return tarball;
	if (!existsSync(join(ROOT, 'dist', 'nodes'))) {
		execFileSync(NODE_BIN, [join(ROOT, 'node_modules', 'gulp', 'bin', 'gulp.js'), 'build'], { cwd: ROOT, stdio: 'ignore' });
	}
	const dir = mkdtempSync(join(tmpdir(), 'gym-access-pack-'));
	npm(['pack', '--pack-destination', dir], ROOT);
	const file = readdirSync(dir).find((name) => name.endsWith('.tgz'));
	if (!file) throw new Error('npm pack produced no tarball');
	tarball = join(dir, file);
	return tarball;
}

/**
 * Installs the packed pack into `nodesDir` (e.g. a user folder's `.n8n/nodes`) the way n8n's
 * community-package installer and the README's manual install do; the peer dependency
 * n8n-workflow is n8n's own, so it is not installed.
 */
export function installTarball(nodesDir: string): void {
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
	npm(['install', packTarball(), '--legacy-peer-deps', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'], nodesDir);
}

function npm(args: string[], cwd: string): string {
	const [command, prefix] = NPM_CLI ? [NODE_BIN, [NPM_CLI]] : ['npm', []];
	return execFileSync(command, [...prefix, ...args, '--loglevel=error'], {
		cwd,
		encoding: 'utf8',
		env: { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` },
	});
}

export interface N8nOptions {
	/** Extra environment for the n8n process. */
	env?: Record<string, string>;
	/** Credentials to import: `[{ id, name, type, data }]` with plain-text data. */
	credentials?: unknown[];
	/** Workflow JSON objects to import (each needs an `id`). */
	workflows?: Array<{ id: string; [key: string]: unknown }>;
	/** Ids of imported workflows to publish (activate) before start. */
	publish?: string[];
	/** Where to keep the user folder (default: a temporary one, removed on stop). */
	userFolder?: string;
	/** Preferred port (default: any free one); a busy port falls back to a free one. */
	port?: number;
	/**
	 * Which n8n process this is: `start` (the main process: editor, API, schedules, activation),
	 * or, in queue mode, `worker` (runs executions from Redis) or `webhook` (a webhook processor).
	 * Workers and webhook processors need the main's database and Redis in `env`.
	 */
	role?: 'start' | 'worker' | 'webhook';
	/** Extra command-line arguments (e.g. `--concurrency=5` for a worker). */
	args?: string[];
	/** How long to wait for the process to answer its readiness check (default 90 s). */
	readyTimeoutMs?: number;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished?: boolean;
	startedAt: string;
	stoppedAt?: string | null;
	[key: string]: unknown;
}

export class N8nInstance {
	readonly userFolder: string;

	port = 0;

	private brokerPort = 0;

	private process?: ChildProcess;

	private cookie = '';

	readonly log: string[] = [];

	private readonly ownsFolder: boolean;

	constructor(private readonly options: N8nOptions = {}) {
		this.ownsFolder = !options.userFolder;
		this.userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'gym-access-n8n-e2e-'));
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get role(): 'start' | 'worker' | 'webhook' {
		return this.options.role ?? 'start';
	}

	/** The process id of the running n8n (for tests that kill it mid-run). */
	get pid(): number | undefined {
		return this.process?.pid;
	}

	private env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		return {
			PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
			HOME: process.env.HOME ?? tmpdir(),
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: 'gym-access-test-encryption-key',
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `${this.url}/`,
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			GENERIC_TIMEZONE: 'UTC',
			TZ: 'UTC',
			// A worker answers health checks on its own port (what orchestrators probe).
			...(this.role === 'worker' ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(this.port) } : {}),
			...this.options.env,
			...extra,
		};
	}

	/** Runs an n8n CLI command against this instance's database. */
	async cli(args: string[]): Promise<string> {
		if (!this.brokerPort) this.brokerPort = await freePort();
		const runnerPort = await freePort();
		return execFileSync(NODE_BIN, [N8N_BIN, ...args], {
			env: this.env({ N8N_RUNNERS_BROKER_PORT: String(runnerPort) }),
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024,
		});
	}

	installPack(): void {
		installTarball(join(this.userFolder, '.n8n', 'nodes'));
	}

	async start(): Promise<void> {
		this.port = this.options.port && (await portIsFree(this.options.port)) ? this.options.port : await freePort();
		this.brokerPort = await freePort();
		this.installPack();
		const inputs = join(this.userFolder, 'inputs');
		mkdirSync(inputs, { recursive: true });
		if (this.options.credentials?.length) {
			writeFileSync(join(inputs, 'credentials.json'), JSON.stringify(this.options.credentials));
			await this.cli(['import:credentials', `--input=${join(inputs, 'credentials.json')}`]);
		}
		if (this.options.workflows?.length) {
			const dir = join(inputs, 'workflows');
			mkdirSync(dir, { recursive: true });
			for (const workflow of this.options.workflows) writeFileSync(join(dir, `${workflow.id}.json`), JSON.stringify(workflow));
			await this.cli(['import:workflow', '--separate', `--input=${dir}`]);
		}
		for (const id of this.options.publish ?? []) await this.cli(['publish:workflow', `--id=${id}`]);
		await this.launch();
	}

	/** Starts the n8n process itself (again, after `kill`), keeping its user folder and database. */
	async launch(): Promise<void> {
		this.process = spawn(NODE_BIN, [N8N_BIN, this.role, ...(this.options.args ?? [])], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
		const collect = (chunk: Buffer) => this.log.push(...chunk.toString().split('\n').filter(Boolean));
		this.process.stdout?.on('data', collect);
		this.process.stderr?.on('data', collect);
		await this.waitUntilReady(this.options.readyTimeoutMs);
		if (this.role === 'start') await this.setUpOwner();
	}

	/** Kills the process at once (SIGKILL), as a crash or an out-of-memory kill would. */
	async kill(): Promise<void> {
		const child = this.process;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGKILL');
		await exited;
	}

	private async waitUntilReady(timeoutMs = 90_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.process?.exitCode !== null && this.process?.exitCode !== undefined) {
				throw new Error(`n8n exited with ${this.process.exitCode}:\n${this.log.slice(-30).join('\n')}`);
			}
			try {
				const response = await fetch(`${this.url}/healthz/readiness`);
				if (response.ok) return;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error(`n8n did not become ready in ${timeoutMs} ms:\n${this.log.slice(-30).join('\n')}`);
	}

	private async setUpOwner(): Promise<void> {
		const setup = await fetch(`${this.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		const response = setup.ok
			? setup
			: await fetch(`${this.url}/rest/login`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
				});
		if (!response.ok) throw new Error(`Could not set up or log in the n8n owner: ${response.status} ${await response.text()}`);
		this.cookie = (response.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
	}

	/** Calls n8n's internal REST API as the owner (what the editor does). */
	async rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}/rest${path}`, {
			method,
			headers: { cookie: this.cookie, 'content-type': 'application/json', 'browser-id': 'gym-access-tests' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n ${method} /rest${path} → ${response.status}: ${text.slice(0, 500)}`);
		const parsed = text ? JSON.parse(text) : undefined;
		return (parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed) as T;
	}

	/**
	 * The executions of a workflow, newest first (what the editor's Executions list shows), via
	 * `GET /rest/executions?filter={"workflowId":…}`.
	 */
	async executions(workflowId: string, limit = 100): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const page = await this.rest<{ results: ExecutionSummary[] }>('GET', `/executions?filter=${filter}&limit=${limit}`);
		return page.results;
	}

	/** Every execution of a workflow with an id above `firstId` (n8n sends at most 100 a page), newest first. */
	async executionsAfter(workflowId: string, firstId: string): Promise<ExecutionSummary[]> {
		const all: ExecutionSummary[] = [];
		// Execution ids are PostgreSQL integers: start below the largest.
		for (let lastId = String(2 ** 31 - 1); ; ) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			const page = await this.rest<{ results: ExecutionSummary[] }>('GET', `/executions?filter=${filter}&limit=100&firstId=${firstId}&lastId=${lastId}`);
			all.push(...page.results);
			if (page.results.length < 100) return all;
			lastId = page.results[page.results.length - 1].id;
		}
	}

	/** Waits until a workflow has at least `count` finished executions; returns them, newest first. */
	async waitForExecutions(workflowId: string, count: number, timeoutMs = 30_000): Promise<ExecutionSummary[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const executions = (await this.executions(workflowId)).filter((execution) => execution.finished || execution.stoppedAt);
			if (executions.length >= count) return executions;
			if (Date.now() > deadline) {
				throw new Error(`Workflow ${workflowId} has ${executions.length} finished execution(s), expected ${count}, after ${timeoutMs} ms`);
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/**
	 * Waits until no execution of a workflow is under way. A published template's schedule may fire
	 * while a test runs it by hand; the manual run then reports "still running" and writes nothing,
	 * and the group is only complete once the scheduled run has finished.
	 */
	async waitUntilIdle(workflowId: string, timeoutMs = 120_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const running = (await this.executions(workflowId)).filter((execution) => !execution.stoppedAt && ['new', 'running'].includes(execution.status));
			if (running.length === 0) return;
			if (Date.now() > deadline) throw new Error(`Workflow ${workflowId} still has execution(s) ${running.map((execution) => execution.id).join(', ')} running after ${timeoutMs} ms`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/**
	 * One execution with its run data decoded (n8n stores it in `flatted` form): `runData[node][run]
	 * .data.main[output]` holds the items.
	 */
	async execution(id: string): Promise<ExecutionSummary & { runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>> }> {
		const execution = await this.rest<ExecutionSummary & { data: string }>('GET', `/executions/${id}`);
		// n8n's own copy of flatted, the format's producer.
		const flatted = require(join(ROOT, 'tools', 'n8n', 'node_modules', 'flatted')) as { parse(text: string): unknown };
		const data = (typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data) as {
			resultData?: { runData?: Record<string, never> };
		};
		return { ...execution, runData: data?.resultData?.runData ?? {} };
	}

	/**
	 * Runs a workflow from one of its triggers, as the editor's "Execute workflow" button does,
	 * and waits for it to finish. Returns the execution with its run data.
	 */
	async runManually(workflowId: string, triggerName: string, timeoutMs = 120_000): Promise<Awaited<ReturnType<N8nInstance['execution']>>> {
		return await this.waitForExecution(await this.startManually(workflowId, triggerName), timeoutMs);
	}

	/** Starts a workflow from one of its triggers (the editor's "Execute workflow") without waiting; returns the execution id. */
	async startManually(workflowId: string, triggerName: string): Promise<string> {
		const started = await this.rest<{ executionId?: string }>('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: triggerName } });
		if (!started?.executionId) throw new Error(`n8n did not start workflow ${workflowId}: ${JSON.stringify(started)}`);
		return started.executionId;
	}

	/** Waits until an execution has finished (whatever its outcome); returns it with its run data. */
	async waitForExecution(id: string, timeoutMs = 120_000): Promise<Awaited<ReturnType<N8nInstance['execution']>>> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const execution = await this.execution(id);
			if (execution.stoppedAt || ['success', 'error', 'crashed', 'canceled'].includes(execution.status)) return execution;
			if (Date.now() > deadline) throw new Error(`Execution ${id} did not finish in ${timeoutMs} ms`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/** A workflow as the running instance holds it (`GET /rest/workflows/:id`): nodes, settings, `active`. */
	async workflow(workflowId: string): Promise<{ active: boolean; nodes: Array<{ type: string; parameters: Record<string, unknown> }>; settings?: { timezone?: string } }> {
		return await this.rest('GET', `/workflows/${workflowId}`);
	}

	/** The editor's "Test" button on a credential (`POST /rest/credentials/test`): `{status: 'OK' | 'Error', message}`. */
	async testCredential(credential: { id: string; name: string; type: string; data: Record<string, unknown> }): Promise<{ status: string; message: string }> {
		return await this.rest('POST', '/credentials/test', { credentials: credential });
	}

	/** Unpublishes (deactivates) a workflow in the running instance, as the editor's toggle does. */
	async deactivate(workflowId: string): Promise<void> {
		await this.rest('POST', `/workflows/${workflowId}/deactivate`, {});
	}

	async nodeTypeNames(): Promise<string[]> {
		const response = await fetch(`${this.url}/types/nodes.json`, { headers: { cookie: this.cookie } });
		const types = (await response.json()) as Array<{ name: string }>;
		return types.map((type) => type.name);
	}

	async stop(): Promise<void> {
		const child = this.process;
		if (child && child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
			await exited;
			clearTimeout(timer);
		}
		if (this.ownsFolder) rmSync(this.userFolder, { recursive: true, force: true });
	}
}

export const PACK_NODE_TYPE = (name: string) => `${PACKAGE_NAME}.${name}`;
