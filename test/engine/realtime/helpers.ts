/**
 * The real-time templates (`workflows/*-kisi-realtime-access.json`) as the engine tests run them:
 * the template's trigger served by a TriggerEndpoint (n8n-core's hook and webhook contexts, then the
 * rest of the template through n8n's engine), the sandbox's demo gym delivering its webhooks for
 * changes made with `POST /__sandbox/change`, and a Mailbox that holds deliveries back so that a
 * test can hand them to the trigger later, in another order, or at the same moment as something else.
 * The changes themselves, per source, are test/harness/realtime.ts's.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject } from 'n8n-workflow';

import { buildDemoScenario, DEMO_NOW } from '../../../sandbox/scenarios/demo';
import type { ScenarioInput } from '../../../sandbox';
import { type Change, type Gym, realtimeGyms } from '../../harness/realtime';
import type { SandboxFixture } from '../../harness/sandbox';
import { evaluatedAt, loadTemplate, sandboxCredentials } from '../../harness/templates';
import { TriggerEndpoint } from '../reliability/trigger-endpoint';

export const NOW = new Date(DEMO_NOW);
export const WEBHOOK_SECRET = 'glofox-webhook-secret-for-the-realtime-tests';

/** The demo scenario without rate limits (the behaviour tests; the bench keeps them on), edited by `edit`. */
export function realtimeScenario(edit: (scenario: ScenarioInput & Record<string, never>) => void = () => undefined): ScenarioInput {
	const scenario = { ...buildDemoScenario(NOW), rateLimits: false } as ScenarioInput & Record<string, never>;
	edit(scenario);
	return scenario;
}

export type { Change, Gym };
export const { TEAMUP, GLOFOX, GYMS, classWindow } = realtimeGyms(NOW);

/** The credentials the templates reference, on the sandbox, Glofox with its Webhook Secret. */
export function credentials(sandbox: SandboxFixture) {
	return sandboxCredentials(sandbox.url, { glofox: { webhookSecret: WEBHOOK_SECRET } });
}

/**
 * The real-time template of `gym`, pinned to `at` (the instant its source and evaluator treat as
 * now), activated: the TeamUp Trigger registers its webhook destination in the sandbox's TeamUp;
 * for Glofox the test plays Glofox support and registers the URL with the secret. With `connected`
 * false the source does not call it (a Mailbox holds the deliveries instead).
 */
export async function activate(gym: Gym, sandbox: SandboxFixture, { at = NOW, connected = true }: { at?: Date; connected?: boolean } = {}): Promise<TriggerEndpoint> {
	const template = loadTemplate(gym.template);
	const endpoint = new TriggerEndpoint({ ...evaluatedAt(template, at), id: template.id }, credentials(sandbox));
	await endpoint.start();
	if (gym.source === 'glofox' && connected) await sandbox.control('POST', '/glofox/webhooks', { url: endpoint.url, secret: WEBHOOK_SECRET });
	if (gym.source === 'teamup' && !connected) {
		const destinations = sandbox.running.state.teamup.destinations;
		for (const [id, destination] of destinations) if (destination.url === endpoint.url) destinations.delete(id);
	}
	return endpoint;
}

/** Applies a change in the source; the source delivers its webhook(s) to whoever is registered. */
export async function change(sandbox: SandboxFixture, gym: Gym, body: Change, duplicate = false): Promise<{ delivered: Array<{ url: string; status: number | null }> }> {
	return await sandbox.control('POST', `/change${duplicate ? '?duplicate=1' : ''}`, { service: gym.source, ...body });
}

/** The group's shares in Kisi now. */
export async function groupShares(sandbox: SandboxFixture, gym: Gym): Promise<IDataObject[]> {
	return ((await sandbox.state()).kisi.shares as IDataObject[]).filter((share) => share.group_id === gym.groupId);
}

/** The person's shares in the group (more than one would be a duplicate). */
export async function sharesOf(sandbox: SandboxFixture, gym: Gym, email: string): Promise<IDataObject[]> {
	return (await groupShares(sandbox, gym)).filter((share) => String(share.email).toLowerCase() === email);
}

/** Kisi writes since the request log was cleared, as `METHOD path status`. */
export async function kisiWrites(sandbox: SandboxFixture): Promise<string[]> {
	return (await sandbox.requests({ service: 'kisi' })).filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path} ${request.status}`);
}

/** Freezes the sandbox clock at `at`: the shares it writes are stamped with it. */
export async function freezeClock(sandbox: SandboxFixture, at: Date = NOW): Promise<void> {
	await sandbox.control('POST', '/clock', { now: at.toISOString(), frozen: true });
}

export interface HeldDelivery {
	headers: IncomingHttpHeaders;
	body: string;
}

/**
 * A webhook receiver that only keeps what it gets (answers 200), registered in the source as n8n's
 * trigger would be: its deliveries are the source's own (headers, bytes, signature), to be handed to
 * the trigger later with `deliverTo`.
 */
export class Mailbox {
	readonly held: HeldDelivery[] = [];
	private server?: Server;
	url = '';

	async open(sandbox: SandboxFixture, gym: Gym): Promise<void> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				this.held.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end('{}');
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/held`;
		if (gym.source === 'glofox') await sandbox.control('POST', '/glofox/webhooks', { url: this.url, secret: WEBHOOK_SECRET });
		else {
			const destinations = sandbox.running.state.teamup.destinations;
			const id = Math.max(0, ...destinations.keys()) + 1;
			destinations.set(id, { id, url: this.url, active: true });
		}
	}

	/** Stops receiving: removes itself from the source and closes. */
	async close(sandbox: SandboxFixture, gym: Gym): Promise<void> {
		if (gym.source === 'glofox') await sandbox.control('DELETE', `/glofox/webhooks?url=${encodeURIComponent(this.url)}`);
		else {
			const destinations = sandbox.running.state.teamup.destinations;
			for (const [id, destination] of destinations) if (destination.url === this.url) destinations.delete(id);
		}
		const server = this.server;
		this.server = undefined;
		if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Takes the deliveries held so far (oldest first). */
	take(): HeldDelivery[] {
		return this.held.splice(0);
	}
}

/** Hands a held delivery to the trigger as the source sent it; answers the trigger's status. */
export async function deliverTo(trigger: TriggerEndpoint, delivery: HeldDelivery): Promise<number> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	for (const name of ['teamup-webhook-id', 'signature']) {
		const value = delivery.headers[name];
		if (typeof value === 'string') headers[name] = value;
	}
	const response = await fetch(trigger.url, { method: 'POST', headers, body: delivery.body });
	await response.text();
	return response.status;
}

/** The execution hints of a node in a run (n8n keeps them in the run data). */
export function hintsOf(run: { runData: Record<string, Array<{ hints?: Array<{ message: string }> }>> }, node: string): string[] {
	return (run.runData[node]?.[0]?.hints ?? []).map((hint) => hint.message);
}
