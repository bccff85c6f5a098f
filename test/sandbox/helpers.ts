/** Shared by the sandbox tests: a sandbox on a free port and fetch wrappers with each API's headers. */
import { DEMO_CREDENTIALS, DEMO_NOW, type RunningSandbox, type ScenarioInput, buildDemoScenario, startSandbox } from '../../sandbox';

export const D = DEMO_CREDENTIALS;

/** The demo at DEMO_NOW, rate limits off unless asked. */
export function demo(overrides: Partial<ScenarioInput> = {}): ScenarioInput {
	return { ...buildDemoScenario(new Date(DEMO_NOW)), rateLimits: false, ...overrides };
}

export async function start(scenario: unknown = demo()): Promise<RunningSandbox> {
	return startSandbox({ scenario, port: 0 });
}

/** JSON answers of the emulated APIs, read loosely in the tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Res<T = Json> {
	status: number;
	headers: Headers;
	body: T;
	text: string;
}

async function call<T = Json>(url: string, init: RequestInit): Promise<Res<T>> {
	const res = await fetch(url, init);
	const text = await res.text();
	let body: unknown = undefined;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		body = undefined;
	}
	return { status: res.status, headers: res.headers, body: body as T, text };
}

type Opts = { method?: string; body?: unknown; headers?: Record<string, string> };

function init(opts: Opts, headers: Record<string, string>): RequestInit {
	const h: Record<string, string> = { Accept: 'application/json', ...headers, ...opts.headers };
	const out: RequestInit = { method: opts.method ?? 'GET', headers: h };
	if (opts.body !== undefined) {
		h['Content-Type'] ??= 'application/json';
		out.body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
	}
	return out;
}

export const kisi = (sb: RunningSandbox, path: string, opts: Opts & { key?: string | null } = {}) =>
	call(`${sb.kisiUrl}${path}`, init(opts, opts.key === null ? {} : { Authorization: `KISI-LOGIN ${opts.key ?? D.kisi.apiKey}` }));

export const teamup = (sb: RunningSandbox, path: string, opts: Opts & { auth?: string | null } = {}) =>
	call(path.startsWith('http') ? path : `${sb.teamupUrl}${path}`, init(opts, opts.auth === null ? {} : { Authorization: opts.auth ?? `Token ${D.teamup.token}` }));

export const glofoxHeaders = {
	'x-api-key': D.glofox.apiKey,
	'x-glofox-api-token': D.glofox.apiToken,
	'x-glofox-branch-id': D.glofox.branchId,
};
export const glofox = (sb: RunningSandbox, path: string, opts: Opts = {}) => call(`${sb.glofoxUrl}${path}`, init(opts, glofoxHeaders));

export const control = (sb: RunningSandbox, path: string, opts: Opts = {}) => call(`${sb.url}/__sandbox${path}`, init(opts, {}));

export const B = D.glofox.branchId;
export const NOW_SEC = Date.parse(DEMO_NOW) / 1000;
