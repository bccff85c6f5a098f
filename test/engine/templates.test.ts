/**
 * Contract of the shipped templates: what `n8n import:workflow` and the editor need, and what an
 * operator relies on (schedule, credentials by name, only this pack's and n8n's core nodes).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INode, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { credentialTypes, nodeTypes, type WorkflowJson } from '../harness/engine';
import { PACKAGE_NAME, ROOT } from '../harness/package-types';

const DIR = join(ROOT, 'workflows');
const files = readdirSync(DIR).filter((file) => file.endsWith('.json'));
const CORE = [
	'n8n-nodes-base.scheduleTrigger',
	'n8n-nodes-base.manualTrigger',
	'n8n-nodes-base.stickyNote',
	'n8n-nodes-base.noOp',
	'n8n-nodes-base.wait',
	'n8n-nodes-base.merge',
	'n8n-nodes-base.stopAndError',
	'n8n-nodes-base.executeWorkflow',
	'n8n-nodes-base.executeWorkflowTrigger',
];
const CREDENTIAL_NAMES: Record<string, string> = { kisiApi: 'Kisi account', teamUpApi: 'TeamUp account', glofoxApi: 'Glofox account' };

function load(file: string): WorkflowJson {
	return JSON.parse(readFileSync(join(DIR, file), 'utf8')) as WorkflowJson;
}

function description(node: INode): INodeTypeDescription {
	return (nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType).description;
}

/** Parameter names a node type accepts (any display condition), at the top level. */
function parameterNames(properties: INodeProperties[]): Set<string> {
	return new Set(properties.map((property) => property.name));
}

it('ships the templates named in the contracts', () => {
	expect(files.sort()).toEqual([
		'glofox-kisi-access-sync.json',
		'glofox-kisi-realtime-access.json',
		'kisi-unlock-glofox-checkin.json',
		'kisi-unlock-teamup-checkin.json',
		'teamup-kisi-access-sync.json',
		'teamup-kisi-realtime-access.json',
		'teamup-kisi-tiered-access.json',
	]);
});

describe.each(files)('%s', (file) => {
	const json = load(file);
	const working = json.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');

	it('is valid n8n workflow JSON with unique, short ids and names', () => {
		expect(typeof json.name).toBe('string');
		expect(json.id).toMatch(/^[A-Za-z0-9]{1,21}$/);
		expect(new Set(json.nodes.map((node) => node.id)).size).toBe(json.nodes.length);
		expect(new Set(json.nodes.map((node) => node.name)).size).toBe(json.nodes.length);
		for (const node of json.nodes) {
			expect(node.position).toEqual([expect.any(Number), expect.any(Number)]);
			expect(typeof node.typeVersion).toBe('number');
		}
		expect(json.settings).toMatchObject({ executionOrder: 'v1', timezone: 'UTC' });
	});

	it("uses only this pack's nodes (installed-package ids) and n8n's core nodes, in versions that exist", () => {
		for (const node of json.nodes) {
			expect(node.type.startsWith(`${PACKAGE_NAME}.`) || CORE.includes(node.type)).toBe(true);
			expect(() => description(node)).not.toThrow();
		}
	});

	it('connects only nodes that exist, and every working node is reachable from a trigger', () => {
		const names = new Set(json.nodes.map((node) => node.name));
		const reached = new Set<string>();
		for (const [source, outputs] of Object.entries(json.connections)) {
			expect(names.has(source)).toBe(true);
			for (const list of outputs.main ?? []) for (const connection of list ?? []) {
				expect(names.has(connection.node)).toBe(true);
				reached.add(connection.node);
			}
		}
		for (const node of working) {
			if (description(node).group.includes('trigger')) continue;
			expect(reached.has(node.name)).toBe(true);
		}
	});

	it('references every credential a node needs by its documented name', () => {
		for (const node of working) {
			for (const { name: type, required } of description(node).credentials ?? []) {
				// n8n's Wait node lists the Webhook node's optional authentications, shown only when it waits for a call.
				if (!required || !node.type.startsWith(`${PACKAGE_NAME}.`)) continue;
				const reference = node.credentials?.[type];
				expect(reference).toEqual({ id: expect.any(String), name: CREDENTIAL_NAMES[type] });
				expect(credentialTypes[type]).toBeDefined();
			}
		}
	});

	it('sets only parameters the nodes have', () => {
		for (const node of working) {
			const known = parameterNames(description(node).properties);
			for (const key of Object.keys(node.parameters)) expect({ node: node.name, key, known: known.has(key) }).toEqual({ node: node.name, key, known: true });
		}
	});

	it('tells the operator what to set in a sticky note', () => {
		const notes = json.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
		expect(notes.length).toBeGreaterThan(0);
		const text = notes.map((note) => String(note.parameters.content)).join('\n');
		expect(text).toMatch(/credential/i);
	});

	it('builds as an n8n Workflow whose nodes have no parameter issues (nothing required left empty)', () => {
		const workflow = new Workflow({ id: json.id, nodes: json.nodes, connections: json.connections, active: false, nodeTypes, settings: json.settings });
		expect(Object.keys(workflow.nodes)).toHaveLength(json.nodes.length);
		for (const node of working) {
			const issues = NodeHelpers.getNodeParametersIssues(description(node).properties, node, description(node));
			expect({ node: node.name, issues }).toEqual({ node: node.name, issues: null });
		}
	});
});

describe('sync templates', () => {
	it.each(['glofox-kisi-access-sync.json', 'teamup-kisi-access-sync.json', 'teamup-kisi-tiered-access.json'])('%s fires every 15 minutes aligned to :00/:15/:30/:45 UTC', (file) => {
		const json = load(file);
		const schedule = json.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger')!;
		expect(schedule.parameters).toEqual({ rule: { interval: [{ field: 'cronExpression', expression: '0 */15 * * * *' }] } });
		expect(json.settings?.timezone).toBe('UTC');
		const syncs = json.nodes.filter((node) => node.parameters.operation === 'syncGroupAccess');
		expect(syncs.length).toBeGreaterThan(0);
		for (const sync of syncs) expect(sync.parameters).toMatchObject({ ownership: 'createdByThisKey', dryRun: false, maxRevocations: '' });
		// An empty source still reaches the sync, whose guard then refuses to empty the group.
		for (const node of json.nodes.filter((n) => n.type.endsWith('.glofox') || n.type.endsWith('.teamUp') || n.type.endsWith('.accessRuleEvaluator'))) {
			expect(node.alwaysOutputData).toBe(true);
		}
	});
});

/** The nodes a node's output `index` connects to. */
function targets(json: WorkflowJson, from: string, index = 0): Array<{ node: string; index: number }> {
	return (json.connections[from]?.main?.[index] ?? []).map((connection) => ({ node: connection.node, index: connection.index }));
}

describe('what the 15-minute templates keep of a run', () => {
	it.each(['glofox-kisi-access-sync.json', 'teamup-kisi-access-sync.json'])(
		'%s: a successful scheduled run keeps only the sync\'s changes (a sub-execution); a failed run or a Run now keeps everything',
		(file) => {
			const json = load(file);
			expect(json.settings).toMatchObject({ saveDataSuccessExecution: 'none', saveDataErrorExecution: 'all', saveManualExecutions: true });
			const keep = json.nodes.find((node) => node.name === 'Keep what changed')!;
			expect(keep).toMatchObject({ type: 'n8n-nodes-base.executeWorkflow', parameters: { source: 'parameter', mode: 'once', options: { waitForSubWorkflow: true } } });
			// The sub-workflow is one node that passes the changes through; it keeps its successful runs.
			const child = JSON.parse(String(keep.parameters.workflowJson)) as WorkflowJson;
			expect(child.nodes).toEqual([expect.objectContaining({ type: 'n8n-nodes-base.executeWorkflowTrigger', parameters: { inputSource: 'passthrough' } })]);
			expect(child.settings).toMatchObject({ saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' });
			const sync = json.nodes.find((node) => node.parameters.operation === 'syncGroupAccess')!;
			expect(sync.parameters.output).toBe('changes');
			const notes = json.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote').map((note) => String(note.parameters.content));
			expect(notes.some((text) => /keeps only \*\*what changed\*\*/.test(text))).toBe(true);
		},
	);
});

describe('re-check in the 15-minute templates', () => {
	it.each(['glofox-kisi-access-sync.json', 'teamup-kisi-access-sync.json'])('%s: Needs Re-Check waits 2 minutes, then goes back to the same source node (one set of rules)', (file) => {
		const json = load(file);
		const sync = json.nodes.find((node) => node.parameters.operation === 'syncGroupAccess')!;
		const source = json.nodes.find((node) => node.parameters.resource === 'accessProfile')!;
		expect(sync.parameters.onMassRevocation).toBe('recheck');
		expect(targets(json, sync.name, 0)).toEqual([{ node: 'Keep what changed', index: 0 }]);
		const [wait] = targets(json, sync.name, 1);
		const waitNode = json.nodes.find((node) => node.name === wait.node)!;
		expect(waitNode).toMatchObject({ type: 'n8n-nodes-base.wait', parameters: { resume: 'timeInterval', amount: 2, unit: 'minutes' } });
		expect(targets(json, waitNode.name)).toEqual([{ node: source.name, index: 0 }]);
		expect(json.nodes.filter((node) => node.parameters.resource === 'accessProfile')).toHaveLength(1);
		expect(json.nodes.filter((node) => node.type.endsWith('.accessRuleEvaluator'))).toHaveLength(1);
	});
});

describe('the tiered template', () => {
	const json = load('teamup-kisi-tiered-access.json');
	const node = (name: string) => json.nodes.find((candidate) => candidate.name === name)!;

	it('reads TeamUp once and feeds one evaluator + sync per tier, each on its own group found by name', () => {
		const sources = json.nodes.filter((candidate) => candidate.parameters.resource === 'accessProfile');
		expect(sources.map((source) => source.type)).toEqual(['n8n-nodes-gym-access.teamUp']);
		const tiers = targets(json, sources[0].name).map(({ node: evaluator }) => {
			const [sync] = targets(json, evaluator);
			return { evaluator: node(evaluator).parameters, sync: node(sync.node).parameters.groupId };
		});
		expect(tiers).toEqual([
			{ evaluator: expect.objectContaining({ grantOnMembership: true, allowedMemberships: '', grantOnRegistrations: false }), sync: { __rl: true, mode: 'name', value: 'Members' } },
			{ evaluator: expect.objectContaining({ grantOnMembership: true, allowedMemberships: 'Premium', grantOnRegistrations: false }), sync: { __rl: true, mode: 'name', value: 'Premium Members' } },
			{ evaluator: expect.objectContaining({ grantOnMembership: false, grantOnRegistrations: true, minutesBefore: 60, minutesAfter: 60 }), sync: { __rl: true, mode: 'name', value: 'Class Access' } },
		]);
	});

	it("sends each tier's failure to one report that fails the execution after every tier ran", () => {
		const syncs = json.nodes.filter((candidate) => candidate.parameters.operation === 'syncGroupAccess');
		const report = json.nodes.find((candidate) => candidate.type === 'n8n-nodes-base.merge')!;
		expect(report.parameters).toEqual({ mode: 'append', numberInputs: syncs.length });
		expect(syncs.map((sync) => [sync.onError, targets(json, sync.name, 0), targets(json, sync.name, 1)])).toEqual(
			syncs.map((_, index) => ['continueErrorOutput', [], [{ node: report.name, index }]]),
		);
		const [fail] = targets(json, report.name);
		expect(node(fail.node).type).toBe('n8n-nodes-base.stopAndError');
	});

	it('says in a sticky note how to add, rename and remove a tier', () => {
		const text = json.nodes.filter((candidate) => candidate.type === 'n8n-nodes-base.stickyNote').map((note) => String(note.parameters.content)).join('\n');
		for (const word of ['**Add:**', '**Rename:**', '**Remove:**', 'Number of Inputs']) expect(text).toContain(word);
	});
});

describe('the real-time templates', () => {
	it.each([
		['teamup-kisi-realtime-access.json', 'teamup-kisi-access-sync.json', 'n8n-nodes-gym-access.teamUpTrigger', 'TeamUp Members'],
		['glofox-kisi-realtime-access.json', 'glofox-kisi-access-sync.json', 'n8n-nodes-gym-access.glofoxTrigger', 'Glofox Members'],
	])('%s: trigger → profiles of the trigger’s people → the evaluator of %s, unchanged → Listed People Only on the same group', (file, fifteen, triggerType, group) => {
		const json = load(file);
		const sync15 = load(fifteen);
		const byType = (workflow: WorkflowJson, suffix: string) => workflow.nodes.filter((node) => node.type.endsWith(suffix));
		const [trigger] = byType(json, triggerType.split('.')[1]);
		expect(trigger.webhookId).toMatch(/^[0-9a-f-]{36}$/);
		const [source] = json.nodes.filter((node) => node.parameters.resource === 'accessProfile');
		const [source15] = sync15.nodes.filter((node) => node.parameters.resource === 'accessProfile');
		expect(source.type).toBe(source15.type);
		expect(source.parameters).toEqual({ ...source15.parameters, options: { people: '={{ $json.sourceId }}' } });
		const [evaluator] = byType(json, '.accessRuleEvaluator');
		const [evaluator15] = byType(sync15, '.accessRuleEvaluator');
		expect(evaluator.parameters).toEqual(evaluator15.parameters);
		const [sync] = byType(json, '.kisi');
		const [syncOf15] = byType(sync15, '.kisi');
		expect(sync.parameters).toMatchObject({ operation: 'syncGroupAccess', scope: 'listedPeople', groupId: syncOf15.parameters.groupId, ownership: syncOf15.parameters.ownership });
		expect(syncOf15.parameters.groupId).toMatchObject({ mode: 'name', value: group });
		// A straight line: trigger → source → evaluator → sync.
		const next = (name: string) => json.connections[name]?.main?.[0]?.map((connection) => connection.node);
		expect([next(trigger.name), next(source.name), next(evaluator.name), next(sync.name)]).toEqual([[source.name], [evaluator.name], [sync.name], undefined]);
		const notes = json.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote').map((note) => String(note.parameters.content)).join('\n');
		expect(notes).toMatch(/15-minute sync/);
		const connecting = triggerType.endsWith('glofoxTrigger') ? [/apiactivation@abcfitness\.com/, /Webhook Secret/] : [/Add Webhook Destination/, /Production URL/];
		for (const words of connecting) expect(notes).toMatch(words);
	});
});
