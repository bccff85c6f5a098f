/**
 * Input validation (issue 10): every node parameter that takes free input (emails, IDs, dates,
 * minutes, hours, percentages, email lists) refuses a bad value with a message naming the field
 * and the item, before any request for that item; with Continue On Fail the bad item becomes an
 * error item paired with it while the good one goes through.
 *
 * Each per-item case runs the node on two items through n8n's engine: item 0 carries a good value,
 * item 1 the bad one (both through an expression, as a workflow would pass them). Node-level
 * parameters (the sync's, the evaluator's) are read once per run: their message names the field.
 * Free text that is legitimately anything (search queries, names of things, notes, the door name)
 * is not validated and not listed. The Kisi Trigger's Place IDs / Lock IDs are refused at
 * activation, naming the field: test/engine/kisi/trigger.test.ts.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { hexId } from '../../../sandbox/util';
import { DEMO_KISI } from '../../../sandbox/scenarios/demo';
import { type RunResult, runWorkflow, type WorkflowJson } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { loadTemplate } from '../../harness/templates';
import { convergedScenario, credentials, kisiWrites, type Outcome, printOutcomes } from './helpers';

jest.setTimeout(60_000);

const sandbox = withSandbox(() => convergedScenario('glofox'));
const outcomes: Outcome[] = [];
afterAll(() => printOutcomes('Input validation', outcomes));

type NodeName = 'kisi' | 'teamUp' | 'glofox' | 'accessRuleEvaluator';
const CREDENTIAL: Record<NodeName, IDataObject | undefined> = {
	kisi: { kisiApi: { id: 'KisiAccount00001', name: 'Kisi account' } },
	teamUp: { teamUpApi: { id: 'TeamUpAccount001', name: 'TeamUp account' } },
	glofox: { glofoxApi: { id: 'GlofoxAccount001', name: 'Glofox account' } },
	accessRuleEvaluator: undefined,
};

function workflow(node: NodeName, parameters: IDataObject, continueOnFail = false): WorkflowJson {
	return {
		nodes: [
			{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'n',
				name: 'Node',
				type: `n8n-nodes-gym-access.${node}`,
				typeVersion: 1,
				position: [200, 0],
				parameters: parameters as INodeParameters,
				...(CREDENTIAL[node] ? { credentials: CREDENTIAL[node] as never } : {}),
				...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: { Start: { main: [[{ node: 'Node', type: 'main', index: 0 }]] } },
	};
}

async function run(node: NodeName, parameters: IDataObject, items: IDataObject[], continueOnFail = false): Promise<RunResult> {
	return await runWorkflow(workflow(node, parameters, continueOnFail), { credentials: credentials(sandbox.url), startNode: 'Start', triggerItems: items });
}

const V = '={{ $json.v }}';
const rl = (value: string) => ({ __rl: true, mode: 'id', value });
const at = (minutes: number) => new Date(Date.parse('2026-03-02T14:00:00Z') + minutes * 60_000).toISOString();

interface ItemCase {
	/** Node, resource → operation, field. */
	name: string;
	node: NodeName;
	parameters: IDataObject;
	good: string | number;
	bad: string | number;
	/** The field's display name, as the message must quote it. */
	field: string;
}

const G = {
	ana: hexId('demo:member:ana'),
	yoga: hexId('demo:event:yoga'),
	unlimited: hexId('demo:membership:unlimited'),
};
const TEAMUP_ANA = 812301;

const itemCases: ItemCase[] = [
	// Kisi
	{ name: 'Kisi share → create: email', node: 'kisi', parameters: { resource: 'share', operation: 'create', email: V, groupId: rl('501') }, good: 'new.person@example.com', bad: 'ana.ruiz', field: 'Email' },
	{ name: 'Kisi share → create: group ID', node: 'kisi', parameters: { resource: 'share', operation: 'create', email: 'new.person@example.com', groupId: rl(V) }, good: '501', bad: 'members', field: 'Group' },
	{ name: 'Kisi share → create: valid from', node: 'kisi', parameters: { resource: 'share', operation: 'create', email: 'new.person@example.com', groupId: rl('501'), additionalFields: { validFrom: V } }, good: at(60), bad: '2026-02-30T10:00:00Z', field: 'Valid From' },
	{ name: 'Kisi share → create: valid until', node: 'kisi', parameters: { resource: 'share', operation: 'create', email: 'new.person@example.com', groupId: rl('501'), additionalFields: { validUntil: V } }, good: at(120), bad: 'next week', field: 'Valid Until' },
	{ name: 'Kisi share → update validity: share ID', node: 'kisi', parameters: { resource: 'share', operation: 'updateValidity', shareId: V, validUntil: at(600) }, good: String(DEMO_KISI.shares.anaMembers), bad: 'abc', field: 'Share ID' },
	{ name: 'Kisi share → update validity: valid until', node: 'kisi', parameters: { resource: 'share', operation: 'updateValidity', shareId: String(DEMO_KISI.shares.anaMembers), validUntil: V }, good: at(600), bad: '2026-13-01T00:00:00Z', field: 'Valid Until' },
	{ name: 'Kisi share → get: share ID', node: 'kisi', parameters: { resource: 'share', operation: 'get', shareId: V }, good: String(DEMO_KISI.shares.anaMembers), bad: '12.5', field: 'Share ID' },
	{ name: 'Kisi share → get many: user ID filter', node: 'kisi', parameters: { resource: 'share', operation: 'getAll', returnAll: true, filters: { userId: V } }, good: String(DEMO_KISI.users.ana), bad: 'ana', field: 'Filters → User ID' },
	{ name: 'Kisi user → create: email', node: 'kisi', parameters: { resource: 'user', operation: 'create', email: V }, good: 'brand.new@example.com', bad: 'not an email', field: 'Email' },
	{ name: 'Kisi user → find by email: email', node: 'kisi', parameters: { resource: 'user', operation: 'findByEmail', email: V }, good: 'ana.ruiz@example.com', bad: 'ana@example', field: 'Email' },
	{ name: 'Kisi user → get: user ID', node: 'kisi', parameters: { resource: 'user', operation: 'get', userId: V }, good: String(DEMO_KISI.users.ana), bad: '-3', field: 'User ID' },
	{ name: 'Kisi group → get: group ID', node: 'kisi', parameters: { resource: 'group', operation: 'get', groupId: rl(V) }, good: '501', bad: 'x', field: 'Group' },
	{ name: 'Kisi group → create: name', node: 'kisi', parameters: { resource: 'group', operation: 'create', name: V, placeId: rl('10') }, good: 'Night Owls', bad: '   ', field: 'Name' },
	{ name: 'Kisi lock → unlock: lock ID', node: 'kisi', parameters: { resource: 'lock', operation: 'unlock', lockId: rl(V) }, good: '1001', bad: '1001a', field: 'Lock' },
	{ name: 'Kisi place → get many: limit', node: 'kisi', parameters: { resource: 'place', operation: 'getAll', returnAll: false, limit: V }, good: 5, bad: 0, field: 'Limit' },
	{ name: 'Kisi place → get: place ID', node: 'kisi', parameters: { resource: 'place', operation: 'get', placeId: rl(V) }, good: '10', bad: 'main', field: 'Place' },
	{ name: 'Kisi role assignment → create: user (email or ID)', node: 'kisi', parameters: { resource: 'roleAssignment', operation: 'create', user: V, groupId: rl('502') }, good: 'ana.ruiz@example.com', bad: 'someone', field: 'User' },
	{ name: 'Kisi role assignment → delete: ID', node: 'kisi', parameters: { resource: 'roleAssignment', operation: 'delete', roleAssignmentId: V }, good: String(DEMO_KISI.shares.danMembers), bad: 'x', field: 'Role Assignment ID' },
	{ name: 'Kisi share → update validity: valid from', node: 'kisi', parameters: { resource: 'share', operation: 'updateValidity', shareId: String(DEMO_KISI.shares.anaMembers), validFrom: V, validUntil: at(600) }, good: at(60), bad: 'tomorrow morning', field: 'Valid From' },
	{ name: 'Kisi share → delete: share ID', node: 'kisi', parameters: { resource: 'share', operation: 'delete', shareId: V }, good: String(DEMO_KISI.shares.anaMembers), bad: '9004x', field: 'Share ID' },
	{ name: 'Kisi user → update: user ID', node: 'kisi', parameters: { resource: 'user', operation: 'update', userId: V, updateFields: { name: 'Ana R.' } }, good: String(DEMO_KISI.users.ana), bad: 'ana', field: 'User ID' },
	{ name: 'Kisi user → update: name', node: 'kisi', parameters: { resource: 'user', operation: 'update', userId: String(DEMO_KISI.users.ana), updateFields: { name: V } }, good: 'Ana R.', bad: '  ', field: 'Update Fields → Name' },
	{ name: 'Kisi user → delete: user ID', node: 'kisi', parameters: { resource: 'user', operation: 'delete', userId: V }, good: String(DEMO_KISI.users.lena), bad: '0', field: 'User ID' },
	{ name: 'Kisi group → update: group ID', node: 'kisi', parameters: { resource: 'group', operation: 'update', groupId: rl(V), updateFields: { name: 'Everyone' } }, good: '501', bad: 'Members', field: 'Group' },
	{ name: 'Kisi group → delete: group ID', node: 'kisi', parameters: { resource: 'group', operation: 'delete', groupId: rl(V) }, good: '502', bad: '5o2', field: 'Group' },
	{ name: 'Kisi group → get many: place filter', node: 'kisi', parameters: { resource: 'group', operation: 'getAll', returnAll: true, filters: { placeId: rl(V) } }, good: '10', bad: 'Main Street', field: 'Filters → Place' },
	{ name: 'Kisi lock → get: lock ID', node: 'kisi', parameters: { resource: 'lock', operation: 'get', lockId: rl(V) }, good: '1002', bad: 'studio', field: 'Lock' },
	{ name: 'Kisi lock → get many: place filter', node: 'kisi', parameters: { resource: 'lock', operation: 'getAll', returnAll: true, filters: { placeId: rl(V) } }, good: '10', bad: '-10', field: 'Filters → Place' },
	{ name: 'Kisi role assignment → get many: group filter', node: 'kisi', parameters: { resource: 'roleAssignment', operation: 'getAll', returnAll: true, filters: { groupId: rl(V) } }, good: '501', bad: 'members', field: 'Filters → Group' },
	{ name: 'Kisi role assignment → get many: user filter', node: 'kisi', parameters: { resource: 'roleAssignment', operation: 'getAll', returnAll: true, filters: { user: V } }, good: 'ana.ruiz@example.com', bad: 'ana', field: 'Filters → User' },
	// TeamUp
	{ name: 'TeamUp check in: email', node: 'teamUp', parameters: { resource: 'checkIn', operation: 'checkIn', email: V, occurredAt: at(0) }, good: 'ana.ruiz@example.com', bad: 'not-an-email', field: 'Email' },
	{ name: 'TeamUp check in: occurred at', node: 'teamUp', parameters: { resource: 'checkIn', operation: 'checkIn', email: 'ana.ruiz@example.com', occurredAt: V }, good: at(0), bad: '2026-03-02 14:00', field: 'Occurred At' },
	{ name: 'TeamUp check in: minutes before start', node: 'teamUp', parameters: { resource: 'checkIn', operation: 'checkIn', email: 'ben.okafor@example.com', occurredAt: at(0), options: { minutesBefore: V } }, good: 30, bad: -5, field: 'Minutes Before Start' },
	{ name: 'TeamUp check in: minutes after end', node: 'teamUp', parameters: { resource: 'checkIn', operation: 'checkIn', email: 'ben.okafor@example.com', occurredAt: at(0), options: { minutesAfter: V } }, good: 30, bad: 'ten', field: 'Minutes After End' },
	{ name: 'TeamUp check in: cooldown minutes', node: 'teamUp', parameters: { resource: 'checkIn', operation: 'checkIn', email: 'ben.okafor@example.com', occurredAt: at(0), options: { cooldownMinutes: V } }, good: 0, bad: -1, field: 'Cooldown Minutes' },
	{ name: 'TeamUp check in: cooldown minutes, whole minutes', node: 'teamUp', parameters: { resource: 'checkIn', operation: 'checkIn', email: 'ben.okafor@example.com', occurredAt: at(0), options: { cooldownMinutes: V } }, good: 15, bad: 2.5, field: 'Cooldown Minutes' },
	{ name: 'TeamUp check in: venue ID', node: 'teamUp', parameters: { resource: 'checkIn', operation: 'checkIn', email: 'diego.alvarez@example.com', occurredAt: at(0), options: { venueId: V } }, good: '310', bad: 'main', field: 'Venue ID' },
	{ name: 'TeamUp access profiles: look ahead hours', node: 'teamUp', parameters: { resource: 'accessProfile', operation: 'getAll', lookAheadHours: V, options: { referenceTime: at(0) } }, good: 24, bad: -1, field: 'Look Ahead Hours' },
	{ name: 'TeamUp access profiles: look ahead hours beyond a year', node: 'teamUp', parameters: { resource: 'accessProfile', operation: 'getAll', lookAheadHours: V, options: { referenceTime: at(0) } }, good: 8784, bad: 8785, field: 'Look Ahead Hours' },
	{ name: 'TeamUp venue → get many: limit', node: 'teamUp', parameters: { resource: 'venue', operation: 'getAll', returnAll: false, limit: V }, good: 5, bad: 2.5, field: 'Limit' },
	{ name: 'TeamUp access profiles: limit', node: 'teamUp', parameters: { resource: 'accessProfile', operation: 'getAll', lookAheadHours: 24, returnAll: false, limit: V, options: { referenceTime: at(0) } }, good: 2, bad: 1.5, field: 'Limit' },
	{ name: 'TeamUp access profiles: look back hours', node: 'teamUp', parameters: { resource: 'accessProfile', operation: 'getAll', lookAheadHours: 24, options: { referenceTime: at(0), lookBackHours: V } }, good: 6, bad: 'x', field: 'Look Back Hours' },
	{ name: 'TeamUp access profiles: reference time', node: 'teamUp', parameters: { resource: 'accessProfile', operation: 'getAll', lookAheadHours: 24, options: { referenceTime: V } }, good: at(0), bad: 'yesterday', field: 'Reference Time' },
	{ name: 'TeamUp customer → get: customer ID', node: 'teamUp', parameters: { resource: 'customer', operation: 'get', customerId: rl(V) }, good: String(TEAMUP_ANA), bad: 'ana', field: 'Customer' },
	{ name: 'TeamUp customer → get many: exact email filter', node: 'teamUp', parameters: { resource: 'customer', operation: 'getAll', returnAll: true, filters: { email: V } }, good: 'ana.ruiz@example.com', bad: 'ana@', field: 'Email (Exact)' },
	{ name: 'TeamUp customer membership → get usage: ID', node: 'teamUp', parameters: { resource: 'customerMembership', operation: 'getUsage', customerMembershipId: V }, good: '991', bad: '9.5', field: 'Customer Membership ID' },
	{ name: 'TeamUp customer membership → get usage: on date', node: 'teamUp', parameters: { resource: 'customerMembership', operation: 'getUsage', customerMembershipId: '991', options: { date: V } }, good: '2026-03-02', bad: 'yesterday', field: 'On Date' },
	{ name: 'TeamUp attendance → get many: customer IDs', node: 'teamUp', parameters: { resource: 'attendance', operation: 'getAll', returnAll: true, filters: { customer: V } }, good: `${TEAMUP_ANA}, 812302`, bad: `${TEAMUP_ANA}, x`, field: 'Customer IDs' },
	{ name: 'TeamUp event → get many: starts after', node: 'teamUp', parameters: { resource: 'event', operation: 'getAll', returnAll: true, filters: { startsAfter: V } }, good: at(0), bad: 'soon', field: 'Starts After' },
	{ name: 'TeamUp event → get: event ID', node: 'teamUp', parameters: { resource: 'event', operation: 'get', eventId: V }, good: '5550004', bad: 'yoga', field: 'Event ID' },
	{ name: 'TeamUp customer membership → get many: customer IDs', node: 'teamUp', parameters: { resource: 'customerMembership', operation: 'getAll', returnAll: true, filters: { customer: V } }, good: String(TEAMUP_ANA), bad: 'ana', field: 'Customer IDs' },
	{ name: 'TeamUp customer membership → get many: membership plan IDs', node: 'teamUp', parameters: { resource: 'customerMembership', operation: 'getAll', returnAll: true, filters: { membership: V } }, good: '4401, 4402', bad: '4401; 4402', field: 'Membership Plan IDs' },
	{ name: 'TeamUp attendance → get: attendance ID', node: 'teamUp', parameters: { resource: 'attendance', operation: 'get', attendanceId: V }, good: '7001', bad: '7001.5', field: 'Attendance ID' },
	{ name: 'TeamUp attendance → get many: event IDs', node: 'teamUp', parameters: { resource: 'attendance', operation: 'getAll', returnAll: true, filters: { event: V } }, good: '5550004', bad: '5550004, yoga', field: 'Event IDs' },
	{ name: 'TeamUp attendance → get many: event starts after', node: 'teamUp', parameters: { resource: 'attendance', operation: 'getAll', returnAll: true, filters: { startsAfter: V } }, good: at(-1440), bad: 'last week', field: 'Event Starts After' },
	{ name: 'TeamUp attendance → get many: event starts before', node: 'teamUp', parameters: { resource: 'attendance', operation: 'getAll', returnAll: true, filters: { startsBefore: V } }, good: at(1440), bad: '2026-02-30T10:00:00Z', field: 'Event Starts Before' },
	{ name: 'TeamUp event → get many: starts before', node: 'teamUp', parameters: { resource: 'event', operation: 'getAll', returnAll: true, filters: { startsBefore: V } }, good: at(1440), bad: 'later', field: 'Starts Before' },
	{ name: 'TeamUp event → get many: venue IDs', node: 'teamUp', parameters: { resource: 'event', operation: 'getAll', returnAll: true, filters: { venues: V } }, good: '310', bad: 'main', field: 'Venue IDs' },
	{ name: 'TeamUp event → get many: offering type IDs', node: 'teamUp', parameters: { resource: 'event', operation: 'getAll', returnAll: true, filters: { offeringTypes: V } }, good: '71, 72', bad: 'yoga', field: 'Offering Type IDs' },
	// Glofox
	{ name: 'Glofox check in: email', node: 'glofox', parameters: { resource: 'checkIn', operation: 'checkIn', email: V, occurredAt: at(0) }, good: 'ana.ruiz@example.com', bad: 'nope', field: 'Email' },
	{ name: 'Glofox check in: occurred at', node: 'glofox', parameters: { resource: 'checkIn', operation: 'checkIn', email: 'ben.okafor@example.com', occurredAt: V }, good: at(0), bad: 'yesterday', field: 'Occurred At' },
	{ name: 'Glofox check in: cooldown minutes', node: 'glofox', parameters: { resource: 'checkIn', operation: 'checkIn', email: 'diego.alvarez@example.com', occurredAt: at(0), options: { cooldownMinutes: V } }, good: 0, bad: -5, field: 'Cooldown Minutes' },
	{ name: 'Glofox access profiles: look ahead hours', node: 'glofox', parameters: { resource: 'accessProfile', operation: 'getAll', lookAheadHours: V, options: { referenceTime: at(0) } }, good: 24, bad: -1, field: 'Look Ahead Hours' },
	{ name: 'Glofox access profiles: look back hours', node: 'glofox', parameters: { resource: 'accessProfile', operation: 'getAll', lookAheadHours: 24, options: { referenceTime: at(0), lookBackHours: V } }, good: 6, bad: 99_999, field: 'Look Back Hours' },
	{ name: 'Glofox membership → get many: limit', node: 'glofox', parameters: { resource: 'membership', operation: 'getAll', returnAll: false, limit: V }, good: 5, bad: 'ten', field: 'Limit' },
	{ name: 'Glofox access profiles: limit', node: 'glofox', parameters: { resource: 'accessProfile', operation: 'getAll', lookAheadHours: 24, returnAll: false, limit: V, options: { referenceTime: at(0) } }, good: 2, bad: 0, field: 'Limit' },
	{ name: 'Glofox access profiles: reference time', node: 'glofox', parameters: { resource: 'accessProfile', operation: 'getAll', lookAheadHours: 24, options: { referenceTime: V } }, good: at(0), bad: '2026-02-30T00:00:00Z', field: 'Reference Time' },
	{ name: 'Glofox member → get: member ID', node: 'glofox', parameters: { resource: 'member', operation: 'get', memberId: V }, good: G.ana, bad: 'xyz', field: 'Member ID' },
	{ name: 'Glofox member → find by email: email', node: 'glofox', parameters: { resource: 'member', operation: 'findByEmail', email: V }, good: 'ana.ruiz@example.com', bad: 'a@b', field: 'Email' },
	{ name: 'Glofox credit → get many: member ID', node: 'glofox', parameters: { resource: 'credit', operation: 'getAll', returnAll: true, memberId: V }, good: G.ana, bad: '123', field: 'Member ID' },
	{ name: 'Glofox event → get: event ID', node: 'glofox', parameters: { resource: 'event', operation: 'get', eventId: V }, good: G.yoga, bad: 'yoga', field: 'Event ID' },
	{ name: 'Glofox membership → get: membership ID', node: 'glofox', parameters: { resource: 'membership', operation: 'get', membershipId: rl(V) }, good: G.unlimited, bad: 'unlimited', field: 'Membership' },
	{ name: 'Glofox booking → get many: starts after', node: 'glofox', parameters: { resource: 'booking', operation: 'getAll', returnAll: true, start: V, end: at(1440) }, good: at(0), bad: 'soon', field: 'Starts After' },
	{ name: 'Glofox booking → get many: member ID filter', node: 'glofox', parameters: { resource: 'booking', operation: 'getAll', returnAll: true, start: at(0), end: at(1440), filters: { memberId: V } }, good: G.ana, bad: 'x', field: 'Member ID' },
	{ name: 'Glofox booking → get many: starts before', node: 'glofox', parameters: { resource: 'booking', operation: 'getAll', returnAll: true, start: at(0), end: V }, good: at(1440), bad: 'tomorrow', field: 'Starts Before' },
	{ name: 'Glofox event → get many: starts after', node: 'glofox', parameters: { resource: 'event', operation: 'getAll', returnAll: true, start: V, end: at(1440) }, good: at(0), bad: 'now', field: 'Starts After' },
	{ name: 'Glofox event → get many: starts before', node: 'glofox', parameters: { resource: 'event', operation: 'getAll', returnAll: true, start: at(0), end: V }, good: at(1440), bad: '2026-02-30T00:00:00Z', field: 'Starts Before' },
	{ name: 'Glofox member → get many: modified since', node: 'glofox', parameters: { resource: 'member', operation: 'getAll', returnAll: true, filters: { modifiedSince: V } }, good: at(-30 * 1440), bad: 'last month', field: 'Modified Since' },
];

const quoted = (field: string) => new RegExp(`Item 1: "${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`);

describe('per-item parameters: the message names the field and the item; Continue On Fail pairs the error', () => {
	it.each(itemCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		await sandbox.load(convergedScenario('glofox'));
		const items = [{ v: c.good }, { v: c.bad }];
		const strict = await run(c.node, c.parameters, items);
		expect(strict.status).toBe('error');
		expect(strict.error?.message).toMatch(quoted(c.field));

		await sandbox.load(convergedScenario('glofox'));
		const lenient = await run(c.node, c.parameters, items, true);
		expect(lenient.error).toBeUndefined();
		const output = lenient.items('Node');
		const bad = output.filter((item) => item.json.error !== undefined);
		expect(bad).toEqual([{ json: { error: expect.stringMatching(quoted(c.field)) }, pairedItem: { item: 1 } }]);
		expect(output.filter((item) => item.json.error === undefined).every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
		expect(output.length).toBeGreaterThanOrEqual(1);
		outcomes.push({ category: 'Input validation', case: c.name, outcome: `${JSON.stringify(c.bad)} → ${strict.error!.message.slice(0, 150)}; Continue On Fail: error item paired with item 1` });
	});
});

interface NodeCase {
	name: string;
	node: NodeName;
	parameters: IDataObject;
	items: IDataObject[];
	/** What the message must contain. */
	message: string | RegExp;
}

const decision = { email: 'ana.ruiz@example.com', access: 'allow', validFrom: null, validUntil: null };
const sync = (extra: IDataObject) => ({ resource: 'share', operation: 'syncGroupAccess', groupId: rl('503'), ...extra });
/** The evaluator as the templates configure it (n8n fills every parameter when a workflow is saved). */
const evaluator = (changes: IDataObject) => ({ ...loadTemplate('glofox-kisi-access-sync').nodes.find((node) => node.name === 'Decide who may enter')!.parameters, ...changes });
const profile = { source: 'glofox', sourceId: '1', email: 'ana.ruiz@example.com', memberships: [{ status: 'active', type: 'recurring' }], registrations: [] };

const nodeCases: NodeCase[] = [
	{ name: 'Kisi sync: max revocations "lots"', node: 'kisi', parameters: sync({ maxRevocations: 'lots' }), items: [decision], message: 'Max Revocations [maxRevocations] must be a whole number' },
	{ name: 'Kisi sync: max revocations "150%"', node: 'kisi', parameters: sync({ maxRevocations: '150%' }), items: [decision], message: 'Max Revocations [maxRevocations] must be a percentage between 0% and 100%, got "150%"' },
	{ name: 'Kisi sync: max revocations "-1"', node: 'kisi', parameters: sync({ maxRevocations: '-1' }), items: [decision], message: 'Max Revocations [maxRevocations] must be a whole number' },
	{ name: 'Kisi sync: a protected email with a typo ("boss@gym")', node: 'kisi', parameters: sync({ protectedEmails: 'owner@demo.gym, boss@gym' }), items: [decision], message: 'Protected Emails [protectedEmails] contains "boss@gym", which is not an email address' },
	{ name: 'Kisi sync: group ID "abc" (from an expression)', node: 'kisi', parameters: sync({ groupId: rl('={{ "abc" }}') }), items: [decision], message: 'Item 0: "Group" must be a numeric ID like 501 (got "abc")' },
	{ name: 'Kisi sync: an input item that is not a decision', node: 'kisi', parameters: sync({}), items: [decision, { email: 'x@example.com', access: 'maybe' }], message: 'Item 1 is not an access decision' },
	{ name: 'Evaluator: minutes before start -5', node: 'accessRuleEvaluator', parameters: evaluator({ minutesBefore: -5 }), items: [profile], message: 'Minutes Before Start [minutesBefore] must be 0 or more, got -5' },
	{ name: 'Evaluator: minutes after end "ten"', node: 'accessRuleEvaluator', parameters: evaluator({ minutesAfter: '={{ "ten" }}' }), items: [profile], message: "Minutes After End [minutesAfter] must be a number, got 'ten'" },
	{ name: 'Evaluator: look ahead hours -1', node: 'accessRuleEvaluator', parameters: evaluator({ lookAheadHours: -1 }), items: [profile], message: 'Look Ahead Hours [lookAheadHours] must be 0 or more' },
	{ name: 'Evaluator: evaluation time "yesterday"', node: 'accessRuleEvaluator', parameters: evaluator({ evaluationTime: 'yesterday' }), items: [profile], message: 'Evaluation Time [evaluationTime]' },
	{ name: 'Evaluator: evaluation time 30 February', node: 'accessRuleEvaluator', parameters: evaluator({ evaluationTime: '2026-02-30T10:00:00Z' }), items: [profile], message: 'Evaluation Time [evaluationTime]' },
	{ name: 'Evaluator: allowed memberships given as an object', node: 'accessRuleEvaluator', parameters: evaluator({ allowedMemberships: '={{ { plan: 1 } }}' }), items: [profile], message: 'Allowed Memberships [allowedMemberships] must be comma-separated text or a list' },
	{ name: 'Evaluator: an unknown registration kind', node: 'accessRuleEvaluator', parameters: evaluator({ grantOnRegistrations: true, registrationKinds: '={{ ["class", "party"] }}' }), items: [profile], message: "Registration Kinds [registrationKinds] contains an unknown kind 'party'" },
];

describe('node-level parameters (read once per run): the message names the field, nothing is written', () => {
	it.each(nodeCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		await sandbox.load(convergedScenario('glofox'));
		await sandbox.clearRequests();
		const result = await run(c.node, c.parameters, c.items);
		expect(result.status).toBe('error');
		if (typeof c.message === 'string') expect(result.error?.message).toContain(c.message);
		else expect(result.error?.message).toMatch(c.message);
		expect(await kisiWrites(sandbox)).toEqual([]);
		// Refused before the first request.
		expect(await sandbox.requests()).toEqual([]);
		outcomes.push({ category: 'Input validation', case: c.name, outcome: `${result.error!.message.slice(0, 150)}; no request made` });
	});

	it('a literal bad ID in a resource locator is refused by n8n before the run starts', async () => {
		await expect(run('kisi', sync({ groupId: rl('abc') }), [decision])).rejects.toThrow(/The 'Node' node has issues:\n- Kisi IDs are numbers/);
		outcomes.push({ category: 'Input validation', case: 'Kisi sync: literal group ID "abc"', outcome: "n8n refuses to run: \"The 'Node' node has issues: Kisi IDs are numbers\" (the locator's own check)" });
	});
});
