/**
 * The shipped templates as tests, the demo and the benchmarks use them: loaded from workflows/,
 * with credentials (same ids and names as the templates reference) pointing at a sandbox.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { DEMO_CREDENTIALS, DEMO_KISI } from '../../sandbox/scenarios/demo';
import type { StoredCredential } from './credentials';
import type { WorkflowJson } from './engine';
import { ROOT } from './package-types';

export type TemplateName =
	| 'glofox-kisi-access-sync'
	| 'teamup-kisi-access-sync'
	| 'teamup-kisi-tiered-access'
	| 'teamup-kisi-realtime-access'
	| 'glofox-kisi-realtime-access'
	| 'kisi-unlock-glofox-checkin'
	| 'kisi-unlock-teamup-checkin';

export function loadTemplate(name: TemplateName): WorkflowJson & { id: string } {
	return JSON.parse(readFileSync(join(ROOT, 'workflows', `${name}.json`), 'utf8')) as WorkflowJson & { id: string };
}

/** The three credentials the templates reference, filled in for a sandbox at `url`. */
export function sandboxCredentials(url: string, overrides: Partial<Record<'kisi' | 'teamup' | 'glofox', IDataObject>> = {}): StoredCredential[] {
	return [
		{
			id: 'KisiAccount00001',
			name: 'Kisi account',
			type: 'kisiApi',
			data: { apiKey: DEMO_CREDENTIALS.kisi.apiKey, baseUrl: `${url}/kisi`, ...overrides.kisi },
		},
		{
			id: 'TeamUpAccount001',
			name: 'TeamUp account',
			type: 'teamUpApi',
			data: {
				token: DEMO_CREDENTIALS.teamup.token,
				authScheme: 'Bearer',
				providerId: String(DEMO_CREDENTIALS.teamup.providerId),
				baseUrl: `${url}/teamup/api/v2`,
				...overrides.teamup,
			},
		},
		{
			id: 'GlofoxAccount001',
			name: 'Glofox account',
			type: 'glofoxApi',
			data: {
				branchId: DEMO_CREDENTIALS.glofox.branchId,
				apiKey: DEMO_CREDENTIALS.glofox.apiKey,
				apiToken: DEMO_CREDENTIALS.glofox.apiToken,
				baseUrl: `${url}/glofox/prod`,
				...overrides.glofox,
			},
		},
	];
}

/** A copy of the template with some node parameters changed (merged one level deep). */
export function withParameters(template: WorkflowJson, changes: Record<string, IDataObject>): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(template)) as WorkflowJson;
	for (const [nodeName, parameters] of Object.entries(changes)) {
		const node = copy.nodes.find((candidate) => candidate.name === nodeName);
		if (!node) throw new Error(`The template has no node named "${nodeName}"`);
		for (const [key, value] of Object.entries(parameters)) {
			const current = node.parameters[key];
			node.parameters[key] =
				current && typeof current === 'object' && !Array.isArray(current) && value && typeof value === 'object' && !Array.isArray(value)
					? ({ ...(current as IDataObject), ...(value as IDataObject) } as never)
					: (value as never);
		}
	}
	return copy;
}

/** Pins the evaluation instant of a sync template (every source node's Reference Time + every evaluator's Evaluation Time). */
export function evaluatedAt(template: WorkflowJson, at: Date | string): WorkflowJson {
	const iso = typeof at === 'string' ? at : at.toISOString();
	const sources = template.nodes.filter((node) => node.parameters.resource === 'accessProfile');
	const evaluators = template.nodes.filter((node) => node.type.endsWith('.accessRuleEvaluator'));
	if (sources.length === 0 || evaluators.length === 0) throw new Error('Not a sync template');
	const changes: Record<string, IDataObject> = {};
	for (const source of sources) changes[source.name] = { options: { referenceTime: iso } };
	for (const evaluator of evaluators) changes[evaluator.name] = { evaluationTime: iso };
	return withParameters(template, changes);
}

/**
 * A Kisi `lock.unlock` event at the demo gym's front door by Ana (a member of both gym systems),
 * as the check-in templates receive it; a fresh `uuid` each time, `overrides` win.
 */
export function demoUnlockEvent(overrides: IDataObject = {}): IDataObject {
	return {
		uuid: randomUUID(),
		type: 'lock.unlock',
		action: 'unlock',
		actor_type: 'User',
		actor_id: DEMO_KISI.users.ana,
		actor_email: 'ana.ruiz@example.com',
		object_type: 'Lock',
		object_id: DEMO_KISI.lockIds.frontDoor,
		object_name: 'Front Door',
		place_id: DEMO_KISI.placeId,
		success: true,
		created_at: new Date().toISOString(),
		...overrides,
	};
}
