/**
 * The sandbox as a jest fixture: `withSandbox(scenario)` starts it before the file's tests and
 * closes it after; the returned object talks to it only through its HTTP control endpoints (what
 * any client, n8n included, sees). Generic: usable for Kisi, TeamUp and Glofox tests.
 *
 *   const sandbox = withSandbox(() => myScenario);
 *   it('…', async () => { …; expect((await sandbox.state()).kisi.shares).toHaveLength(3); });
 */
import { type RunningSandbox, startSandbox } from '../../sandbox';

export interface SandboxRequest {
	service: string;
	method: string;
	path: string;
	query: Record<string, string>;
	status: number;
	at: string;
	[key: string]: unknown;
}

export interface FaultSpec {
	service: 'kisi' | 'teamup' | 'glofox';
	method?: string;
	path?: string;
	status?: number;
	times?: number;
	rate?: number;
	delayMs?: number;
	body?: string;
	headers?: Record<string, string>;
	reset?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export class SandboxClient {
	constructor(readonly url: string) {}

	get kisiUrl(): string {
		return `${this.url}/kisi`;
	}

	get teamupUrl(): string {
		return `${this.url}/teamup/api/v2`;
	}

	get glofoxUrl(): string {
		return `${this.url}/glofox/prod`;
	}

	/** Calls a control endpoint (`/__sandbox…`); throws on a non-2xx answer. */
	async control<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}/__sandbox${path}`, {
			method,
			headers: body === undefined ? undefined : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`sandbox ${method} /__sandbox${path} → ${response.status}: ${text.slice(0, 500)}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** The whole current state, in scenario format. */
	async state(): Promise<Json> {
		return await this.control('GET', '/state');
	}

	/** Replaces the state with a scenario. */
	async load(scenario: unknown): Promise<void> {
		await this.control('POST', '/scenario', scenario);
	}

	async requests(filter: { service?: string; method?: string; path?: string } = {}): Promise<SandboxRequest[]> {
		const qs = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as Array<[string, string]>);
		return await this.control('GET', `/requests${qs.size ? `?${qs}` : ''}`);
	}

	async clearRequests(): Promise<void> {
		await this.control('DELETE', '/requests');
	}

	async fault(spec: FaultSpec): Promise<{ id: number }> {
		return await this.control('POST', '/faults', spec);
	}

	async clearFaults(): Promise<void> {
		await this.control('DELETE', '/faults');
	}

	/** Kisi: records a `lock.unlock` and delivers it to the registered event webhooks; `success: 'auto'` lets the shares decide. */
	async kisiUnlock(body: { lock_id: number; user_id?: number; email?: string; success?: boolean | 'auto' }, duplicate = false): Promise<Json> {
		return await this.control('POST', `/kisi/unlock${duplicate ? '?duplicate=1' : ''}`, body);
	}

	/** Whether the lock opens for this person now: the sandbox Kisi's own verdict from their shares (recorded as an unlock). */
	async doorOpens(email: string, lockId: number): Promise<boolean> {
		const { event } = (await this.kisiUnlock({ email, lock_id: lockId, success: 'auto' })) as { event: { success?: unknown } };
		return event.success === true;
	}
}

export interface SandboxFixture extends SandboxClient {
	/** The running sandbox (in-process access to its state, for what HTTP does not show). */
	readonly running: RunningSandbox;
}

/**
 * Starts a sandbox with `scenario` (an object, a factory, a file path or `"demo"`) in `beforeAll`
 * and closes it in `afterAll`. Each test starts with no faults and an empty request log.
 */
export function withSandbox(scenario: unknown | (() => unknown)): SandboxFixture {
	let running: RunningSandbox | undefined;
	let client: SandboxClient | undefined;
	const started = () => {
		if (!running || !client) throw new Error('The sandbox is not started yet: use it inside tests or hooks');
		return client;
	};
	beforeAll(async () => {
		running = await startSandbox({ scenario: typeof scenario === 'function' ? (scenario as () => unknown)() : scenario, port: 0 });
		client = new SandboxClient(running.url);
	});
	afterAll(async () => {
		await running?.close();
	});
	beforeEach(async () => {
		await started().clearFaults();
		await started().clearRequests();
	});
	return new Proxy({} as SandboxFixture, {
		get(_target, property) {
			if (property === 'running') {
				started();
				return running;
			}
			const target = started();
			const value = (target as unknown as Record<PropertyKey, unknown>)[property];
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
}
