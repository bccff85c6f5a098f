/**
 * Real PostgreSQL and Redis servers for the queue-mode tests: Debian's packages (installed by
 * scripts/ensure-queue-services.sh), each test run starting its own throw-away instance on a free
 * loopback port, in a temporary folder, removed on stop. No shared system service is touched.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './n8n-process';

const isRoot = process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root, its programs run as Debian's `postgres` user. */
function asPostgres(command: string, args: string[]): [string, string[]] {
	return isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function postgresBin(name: string): string {
	const base = '/usr/lib/postgresql';
	const versions = existsSync(base) ? readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
	for (const version of versions) {
		const file = join(base, version, 'bin', name);
		if (existsSync(file)) return file;
	}
	throw new Error(`PostgreSQL's ${name} is not installed: run scripts/ensure-queue-services.sh (apt-get install postgresql)`);
}

async function waitForPort(port: number, timeoutMs: number, what: string, log: string[]): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const open = await new Promise<boolean>((resolve) => {
			const socket = connect(port, '127.0.0.1');
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		if (open) return;
		if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port} in ${timeoutMs} ms:\n${log.slice(-20).join('\n')}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

function collect(child: ChildProcess, log: string[]): void {
	const add = (chunk: Buffer) => log.push(...chunk.toString().split('\n').filter(Boolean));
	child.stdout?.on('data', add);
	child.stderr?.on('data', add);
}

/** Stops `child` with `signal` (sent to `pid` when given: the server itself, not a wrapper), SIGKILL after 15 s. */
async function terminate(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM', pid?: number): Promise<void> {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	if (pid) process.kill(pid, signal);
	else child.kill(signal);
	const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
	await exited;
	clearTimeout(timer);
}

/** A throw-away PostgreSQL cluster with database `n8n`, user `n8n`, trust authentication on loopback. */
export class PostgresServer {
	readonly log: string[] = [];

	port = 0;

	readonly user = 'n8n';

	readonly database = 'n8n';

	private readonly dir = mkdtempSync(join(tmpdir(), 'gym-access-pg-'));

	private child?: ChildProcess;

	get dataDir(): string {
		return join(this.dir, 'data');
	}

	async start(): Promise<void> {
		if (!existsSync(this.dataDir)) {
			chmodSync(this.dir, 0o777);
			const [command, args] = asPostgres(postgresBin('initdb'), ['-D', this.dataDir, '-U', this.user, '--auth=trust', '--no-sync', '-E', 'UTF8']);
			execFileSync(command, args, { stdio: 'pipe' });
		}
		this.port ||= await freePort();
		await this.launch();
		const [psql, args] = asPostgres('psql', ['-h', '127.0.0.1', '-p', String(this.port), '-U', this.user, '-d', 'postgres', '-tAc', `SELECT 1 FROM pg_database WHERE datname = '${this.database}'`]);
		if (execFileSync(psql, args, { encoding: 'utf8' }).trim() !== '1') this.sql(`CREATE DATABASE ${this.database}`, 'postgres');
	}

	private async launch(): Promise<void> {
		const [command, args] = asPostgres(postgresBin('postgres'), [
			'-D', this.dataDir,
			'-p', String(this.port),
			'-k', this.dir,
			'-c', 'listen_addresses=127.0.0.1',
			'-c', 'fsync=off',
			'-c', 'synchronous_commit=off',
			'-c', 'full_page_writes=off',
			'-c', 'max_connections=200',
		]);
		this.child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		collect(this.child, this.log);
		await waitForPort(this.port, 30_000, 'PostgreSQL', this.log);
		// Listening is not yet accepting queries during recovery: wait for a query to pass.
		const deadline = Date.now() + 30_000;
		for (;;) {
			try {
				this.sql('SELECT 1', 'postgres');
				return;
			} catch (error) {
				if (Date.now() > deadline) throw error;
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
		}
	}

	/** Runs SQL with psql and returns its unaligned output (rows on lines, columns split by `|`). */
	sql(query: string, database = this.database): string {
		const [command, args] = asPostgres('psql', ['-h', '127.0.0.1', '-p', String(this.port), '-U', this.user, '-d', database, '-v', 'ON_ERROR_STOP=1', '-tAc', query]);
		return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
	}

	/** n8n's settings for this database. */
	get n8nEnv(): Record<string, string> {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.port),
			DB_POSTGRESDB_DATABASE: this.database,
			DB_POSTGRESDB_USER: this.user,
			DB_POSTGRESDB_PASSWORD: '',
		};
	}

	/**
	 * The postmaster's process id. As root the child is `runuser`, which does not pass SIGINT on:
	 * signals go to PostgreSQL itself, whose first line of `postmaster.pid` names it.
	 */
	private postmasterPid(): number | undefined {
		const file = join(this.dataDir, 'postmaster.pid');
		const pid = existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : Number.NaN;
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	}

	/** Stops the server (fast shutdown: open connections are closed), keeping the data: `restart()` brings it back on the same port. */
	async pause(): Promise<void> {
		await terminate(this.child, 'SIGINT', this.postmasterPid());
	}

	async restart(): Promise<void> {
		await this.launch();
	}

	async stop(): Promise<void> {
		await terminate(this.child, 'SIGINT', this.postmasterPid());
		rmSync(this.dir, { recursive: true, force: true });
	}
}

/** A throw-away Redis server on loopback, without persistence. */
export class RedisServer {
	readonly log: string[] = [];

	port = 0;

	private child?: ChildProcess;

	async start(): Promise<void> {
		if (!existsSync('/usr/bin/redis-server')) {
			throw new Error('redis-server is not installed: run scripts/ensure-queue-services.sh (apt-get install redis-server)');
		}
		this.port ||= await freePort();
		this.child = spawn('/usr/bin/redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		collect(this.child, this.log);
		await waitForPort(this.port, 15_000, 'Redis', this.log);
	}

	get n8nEnv(): Record<string, string> {
		return { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(this.port) };
	}

	/** Stops Redis (what it held is lost, as with a restart without persistence). */
	async pause(): Promise<void> {
		await terminate(this.child);
	}

	async restart(): Promise<void> {
		await this.start();
	}

	async stop(): Promise<void> {
		await terminate(this.child);
	}
}
