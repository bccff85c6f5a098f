/**
 * `POST /__sandbox/change` (docs/spec/sandbox.md, "Additions"): a change to one service's state,
 * checked like a scenario, then that service's webhook for it, delivered as the service does. Each
 * service module exports its own `deliverChange`; a service without one here is refused (400).
 */
import { ScenarioError } from './scenario';
import type { SandboxState } from './state';
import { deliverChange as deliverGlofoxChange } from './glofox';
import { deliverChange as deliverTeamUpChange } from './teamup';

export interface ChangeRequest {
	collection: string;
	upsert?: unknown;
	delete?: unknown;
}

export interface ChangeDelivery {
	url: string;
	/** The receiver's answer; null when it could not be reached. */
	status: number | null;
	error?: string;
}

export interface ChangeOutcome {
	delivered: ChangeDelivery[];
	[detail: string]: unknown;
}

type DeliverChange = (state: SandboxState, change: ChangeRequest, options: { duplicate: boolean }) => Promise<ChangeOutcome>;

const SERVICES: Partial<Record<'teamup' | 'glofox', DeliverChange>> = {
	teamup: async (state, change, options) => await deliverTeamUpChange(state.teamup, change, options),
	glofox: async (state, change, options) => await deliverGlofoxChange(state.glofox, change, options),
};

/** The answer to a change request: 200 with the deliveries, or 400 naming what is wrong. */
export async function applyChange(state: SandboxState, body: unknown, duplicate: boolean): Promise<{ status: number; body: unknown }> {
	const bad = (error: string, problems?: string[]) => ({ status: 400, body: { error, ...(problems ? { problems } : {}) } });
	if (!body || typeof body !== 'object' || Array.isArray(body)) return bad('send {"service", "collection", "upsert" or "delete"}');
	const { service, collection, upsert, delete: remove } = body as Record<string, unknown>;
	if (service !== 'teamup' && service !== 'glofox') return bad('service must be "teamup" or "glofox"');
	const deliver = SERVICES[service];
	if (!deliver) return bad(`changes to ${service} are not emulated yet`);
	if (typeof collection !== 'string' || collection === '') return bad('collection is required (a scenario collection name, e.g. "customer_memberships")');
	try {
		return { status: 200, body: await deliver(state, { collection, upsert, delete: remove }, { duplicate }) };
	} catch (e) {
		if (e instanceof ScenarioError) return bad(`invalid change: ${e.problems.join('; ')}`, e.problems);
		throw e;
	}
}
