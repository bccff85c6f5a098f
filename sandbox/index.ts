/**
 * The sandbox: one local HTTP server emulating the subset of the Kisi, TeamUp and Glofox REST APIs
 * the nodes use. A development tool; nothing under nodes/ or credentials/ may import it.
 *
 *   const sb = await startSandbox({ scenario: buildDemoScenario(new Date()), port: 0 });
 *   fetch(`${sb.kisiUrl}/user`, { headers: { Authorization: 'KISI-LOGIN kisi-demo-key' } });
 *   await sb.close();
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildDemoScenario } from './scenarios/demo';
import { readScenarioFile } from './scenario';
import { buildServer } from './server';
import { SandboxState } from './state';
import { isLoopbackHost } from './util';

export interface StartOptions {
	/** A scenario object, a path to a scenario JSON file, or `"demo"` (the demo built for the real current time). */
	scenario: unknown;
	/** 0 (default) = a free port. */
	port?: number;
	/** Loopback only: `127.0.0.1` (default), `::1` or `localhost`. */
	host?: string;
	/** fastify's request logging (default off). */
	logger?: boolean;
}

export interface RunningSandbox {
	/** e.g. `http://127.0.0.1:4010` */
	url: string;
	port: number;
	/** `${url}/kisi` */
	kisiUrl: string;
	/** `${url}/teamup/api/v2` */
	teamupUrl: string;
	/** `${url}/glofox/prod` */
	glofoxUrl: string;
	/** The live state (clock, services, faults, request log); tests may read and change it directly. */
	state: SandboxState;
	app: FastifyInstance;
	close(): Promise<void>;
}

export async function startSandbox(opts: StartOptions): Promise<RunningSandbox> {
	const host = opts.host ?? '127.0.0.1';
	if (!isLoopbackHost(host)) throw new Error(`The sandbox binds loopback addresses only, not ${host}`);
	const scenario =
		opts.scenario === 'demo' ? buildDemoScenario(new Date()) : typeof opts.scenario === 'string' ? readScenarioFile(opts.scenario) : opts.scenario;
	const state = new SandboxState(scenario);
	const app = buildServer(state, { logger: opts.logger });
	await app.listen({ port: opts.port ?? 0, host });
	const port = (app.server.address() as AddressInfo).port;
	const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
	return {
		url,
		port,
		kisiUrl: `${url}/kisi`,
		teamupUrl: `${url}/teamup/api/v2`,
		glofoxUrl: `${url}/glofox/prod`,
		state,
		app,
		async close() {
			// Give webhook deliveries still under way a moment; never hang on a dead receiver.
			await Promise.race([state.kisi.drain(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
			await app.close();
		},
	};
}

export { SandboxState, type RequestLogEntry } from './state';
export { buildServer, setQuiet } from './server';
export { Clock } from './clock';
export {
	parseScenario,
	readScenarioFile,
	shiftScenario,
	ScenarioError,
	scenarioSchema,
	type Scenario,
	type ScenarioInput,
	type RateLimitsConfig,
} from './scenario';
export { signKisiPayload, verifyKisiSignature, type DeliveryResult } from './webhooks';
export { DEFAULT_LIMITS, resolveLimits } from './ratelimit';
export { type FaultSpec } from './faults';
export { buildDemoScenario, demoExpectations, DEMO_CREDENTIALS, DEMO_NOW } from './scenarios/demo';
export { generateScenario, type GenerateOptions } from './generate';
