/** Shared pieces of the Kisi engine tests: a small scenario, the credential, workflow JSON. */
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import type { WorkflowJson } from '../../harness/engine';

export const NOW = '2026-03-02T14:00:00Z';
export const KEY = 'kisi-test-key';
export const OWNER_ID = 100;

export interface KisiScenarioOptions {
	/** Extra groups named "Group 0001"… (ids from 2001). */
	manyGroups?: number;
	/** Extra users user0001@many.test… (ids from 5001). */
	manyUsers?: number;
	/** Shares of the first `manyShares` extra users in group 501. */
	manyShares?: number;
	rateLimits?: boolean;
	/** The organization's id (default 1). */
	organizationId?: number;
}

/** One organization: the key's owner (an admin), two places, three locks, groups and a few shares. */
export function kisiScenario(options: KisiScenarioOptions = {}): IDataObject {
	const manyUsers = Math.max(options.manyUsers ?? 0, options.manyShares ?? 0);
	const users = [
		{ id: OWNER_ID, email: 'owner@demo.gym', name: 'Owner' },
		{ id: 101, email: 'staff@demo.gym', name: 'Staff Member', notes: 'front desk' },
		{ id: 102, email: 'ana@demo.gym', name: 'Ana Member' },
		{ id: 103, email: 'ben@demo.gym', name: 'Ben Member' },
		...Array.from({ length: manyUsers }, (_, i) => ({
			id: 5001 + i,
			email: `user${String(i + 1).padStart(4, '0')}@many.test`,
			name: `Many ${i + 1}`,
		})),
	];
	return {
		now: NOW,
		rateLimits: options.rateLimits ?? false,
		kisi: {
			apiKeys: [{ key: KEY, user_id: OWNER_ID }],
			organization: { id: options.organizationId ?? 1, name: 'Demo Gym' },
			users,
			places: [
				{ id: 10, name: 'Main Street', time_zone: 'Europe/London' },
				{ id: 11, name: 'Harbour', time_zone: 'Europe/London' },
			],
			locks: [
				{ id: 1001, name: 'Front Door', place_id: 10 },
				{ id: 1002, name: 'Studio', place_id: 10 },
				{ id: 1101, name: 'Harbour Entrance', place_id: 11 },
			],
			groups: [
				{ id: 501, name: 'Members', place_id: null },
				{ id: 502, name: 'Staff', place_id: null },
				{ id: 503, name: 'Harbour Members', place_id: 11 },
				...Array.from({ length: options.manyGroups ?? 0 }, (_, i) => ({
					id: 2001 + i,
					name: `Group ${String(i + 1).padStart(4, '0')}`,
					place_id: null,
				})),
			],
			shares: [
				{ id: 9001, email: 'staff@demo.gym', user_id: 101, group_id: 502, created_by_id: OWNER_ID, valid_from: null, valid_until: null },
				{
					id: 9002,
					email: 'ana@demo.gym',
					user_id: 102,
					group_id: 501,
					created_by_id: OWNER_ID,
					valid_from: '2026-03-01T00:00:00Z',
					valid_until: '2026-04-01T00:00:00Z',
				},
				...Array.from({ length: options.manyShares ?? 0 }, (_, i) => ({
					id: 20001 + i,
					email: `user${String(i + 1).padStart(4, '0')}@many.test`,
					user_id: 5001 + i,
					group_id: 501,
					created_by_id: OWNER_ID,
				})),
			],
			role_assignments: [
				{ id: 1, role_id: 'administrator', applies_to_type: 'Organization', applies_to_id: options.organizationId ?? 1, assignee_type: 'User', assignee_id: OWNER_ID },
			],
		},
	};
}

export function credential(baseUrl: string, data: IDataObject = {}) {
	return {
		id: 'kisi-cred',
		name: 'Kisi sandbox',
		type: 'kisiApi',
		data: { apiKey: KEY, baseUrl, requestsPerSecond: 200, ...data },
	};
}

/** `{ __rl, mode: 'id', value }` as the editor saves a resource locator typed as an ID. */
export const rl = (value: string | number, mode = 'id') => ({ __rl: true, mode, value: String(value) });

/** Items and parameters as the tests write them. */
export type Json = IDataObject;

/** Manual Trigger → Kisi (with these parameters and node settings). */
export function kisiWorkflow(parameters: IDataObject, settings: Partial<INode> = {}): WorkflowJson {
	const nodeParameters = parameters as INodeParameters;
	return {
		name: 'Kisi test',
		nodes: [
			{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'kisi',
				name: 'Kisi',
				type: 'n8n-nodes-gym-access.kisi',
				typeVersion: 1,
				position: [220, 0],
				parameters: nodeParameters,
				credentials: { kisiApi: { id: 'kisi-cred', name: 'Kisi sandbox' } },
				...settings,
			},
		],
		connections: { Start: { main: [[{ node: 'Kisi', type: 'main', index: 0 }]] } },
	};
}
