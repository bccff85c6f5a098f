/**
 * n8n in queue mode, as operators who outgrow one process run it: a main process (editor, API,
 * schedules, activation), Redis, several workers, webhook processors behind a round-robin load
 * balancer, all on PostgreSQL. Every process is the pinned n8n release with this pack installed
 * from its tarball into its own user folder (`~/.n8n/nodes`), as the README tells users to do on
 * every process.
 */
import { createServer, request, type Server } from 'node:http';

import { freePort, N8nInstance, type N8nOptions } from './n8n-process';
import { PostgresServer, RedisServer } from './services';

export interface QueueClusterOptions extends Pick<N8nOptions, 'credentials' | 'workflows' | 'publish'> {
	workers?: number;
	/** Executions a worker runs at once (n8n's `--concurrency`, default 10). */
	concurrency?: number;
	webhookProcessors?: number;
	env?: Record<string, string>;
}

/** A plain round-robin HTTP balancer (what nginx or a cloud load balancer does in front of webhook processors). */
class RoundRobin {
	port = 0;

	private next = 0;

	private server?: Server;

	constructor(private readonly targets: () => number[]) {}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	async start(): Promise<void> {
		this.port = await freePort();
		this.server = createServer((incoming, outgoing) => {
			const ports = this.targets();
			const port = ports[this.next++ % ports.length];
			const forward = request(
				{ host: '127.0.0.1', port, method: incoming.method, path: incoming.url, headers: incoming.headers },
				(answer) => {
					outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(outgoing);
				},
			);
			forward.on('error', () => {
				if (!outgoing.headersSent) outgoing.writeHead(502);
				outgoing.end();
			});
			incoming.pipe(forward);
		});
		await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
	}

	async stop(): Promise<void> {
		await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
	}
}

/**
 * Workers and webhook processors start together and take n8n's database migration lock one after
 * another before they answer their readiness check: on a busy 2-core machine that takes minutes.
 */
const READY_MS = 240_000;

export class N8nQueueCluster {
	readonly postgres = new PostgresServer();

	readonly redis = new RedisServer();

	main!: N8nInstance;

	readonly workers: N8nInstance[] = [];

	readonly webhookProcessors: N8nInstance[] = [];

	readonly balancer = new RoundRobin(() => this.webhookProcessors.map((processor) => processor.port));

	constructor(private readonly options: QueueClusterOptions = {}) {}

	/** The environment every process shares: queue mode, the database, Redis, one encryption key. */
	private get env(): Record<string, string> {
		return {
			EXECUTIONS_MODE: 'queue',
			...this.postgres.n8nEnv,
			...this.redis.n8nEnv,
			// Production webhooks go to the webhook processors (through the balancer), not the main.
			WEBHOOK_URL: `${this.balancer.url}/`,
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			...this.options.env,
		};
	}

	async start(): Promise<void> {
		await Promise.all([this.postgres.start(), this.redis.start(), this.balancer.start()]);
		this.main = new N8nInstance({
			env: this.env,
			credentials: this.options.credentials,
			workflows: this.options.workflows,
			publish: this.options.publish,
		});
		await this.main.start();
		for (let i = 0; i < (this.options.workers ?? 2); i++) this.workers.push(this.newWorker());
		for (let i = 0; i < (this.options.webhookProcessors ?? 1); i++) {
			this.webhookProcessors.push(new N8nInstance({ role: 'webhook', env: this.env, readyTimeoutMs: READY_MS }));
		}
		await Promise.all([...this.workers, ...this.webhookProcessors].map(async (process) => await process.start()));
	}

	private newWorker(): N8nInstance {
		return new N8nInstance({ role: 'worker', args: [`--concurrency=${this.options.concurrency ?? 10}`], env: this.env, readyTimeoutMs: READY_MS });
	}

	/** Starts one more worker (an operator scaling out); resolves once it takes jobs. */
	async addWorker(): Promise<N8nInstance> {
		const worker = this.newWorker();
		this.workers.push(worker);
		await worker.start();
		return worker;
	}

	/** Every process's log, for a failure message. */
	logs(lines = 40): string {
		const all = [this.main, ...this.workers, ...this.webhookProcessors].filter(Boolean);
		return all.map((process, i) => `--- ${process.role} ${i}\n${process.log.slice(-lines).join('\n')}`).join('\n');
	}

	async stop(): Promise<void> {
		await Promise.all([...this.webhookProcessors, ...this.workers].map(async (process) => await process.stop()));
		await this.main?.stop();
		await this.balancer.stop();
		await Promise.all([this.redis.stop(), this.postgres.stop()]);
	}
}
