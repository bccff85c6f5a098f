/**
 * The parameter matrix (issue 14): every node of the pack, every resource and operation, built from
 * its declared defaults as the editor builds it, then with each boolean, options and multi-options
 * parameter (and each sub-parameter of its collections) changed once, what that change shows changed
 * once more, and with each required value left empty; each configuration run through n8n's engine
 * against the sandbox's demo gym (Manual Trigger → the node; the Kisi Trigger activated and sent a
 * signed event). The cases come from the descriptions (./generate.ts): a new parameter or
 * operation is in the matrix without editing this file.
 *
 * The rule every case keeps:
 * - no execution fails with "Could not get parameter" (a parameter read without a default while
 *   `displayOptions` hid it, so n8n had dropped it);
 * - the defaults and each one-parameter change either succeed, or fail with a message (or
 *   description) that names a parameter shown in that configuration (its display name, or its name
 *   as `[name]` / `"name"`), or fail with an API answer listed in EXPECTED_API_ANSWERS with the reason;
 * - a required value left empty fails, and the message names that parameter (left empty in the
 *   editor, n8n itself refuses to run: "Parameter "Lock" is required."; empty from an expression, as
 *   when an upstream item lacks the field, the node must refuse);
 * - a trigger (Kisi, Glofox) answers its vendor's signed events with 200 (started, or ignored with a
 *   reason; the Kisi Trigger gets a granted and a denied unlock); the TeamUp Trigger answers the feed
 *   item the sandbox's TeamUp delivers for a change with 200; a credential field only a trigger needs
 *   (Glofox's Webhook Secret) left empty refuses activation, naming the field.
 * Anything else (a crash, a bare "Bad request", an unexpected 4xx/5xx) fails the case.
 */
import { createHmac } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';

import type { ScenarioInput } from '../../../sandbox';
import { buildDemoScenario, DEMO_CREDENTIALS, DEMO_KISI, DEMO_NOW } from '../../../sandbox/scenarios/demo';
import { credentialTypes, runWorkflow, type RunResult, type WorkflowJson } from '../../harness/engine';
import { ROOT } from '../../harness/package-types';
import { withSandbox } from '../../harness/sandbox';
import { sandboxCredentials } from '../../harness/templates';
import { keyInKisi, TriggerEndpoint } from '../reliability/trigger-endpoint';
import { type MatrixCase, type Operation, packNodeTypes, parameterMatrix, type ValueSource } from './generate';

jest.setTimeout(60_000);

const NOW = new Date(DEMO_NOW);
/** The demo gym without rate limits: the matrix tests parameters, pacing is tested elsewhere. */
const demo = (): ScenarioInput => ({ ...buildDemoScenario(NOW), rateLimits: false });
const sandbox = withSandbox(demo);
/** The Glofox credential's Webhook Secret in the matrix (what Glofox gives with the API credentials). */
const GLOFOX_WEBHOOK_SECRET = 'matrix-glofox-webhook-secret';
const credentials = (url: string, glofox: IDataObject = {}) =>
	sandboxCredentials(url, {
		kisi: { requestsPerSecond: 100 },
		glofox: { requestsPerSecond: 100, webhookSecret: GLOFOX_WEBHOOK_SECRET, ...glofox },
		teamup: { requestsPerMinute: 6000 },
	});

const scenario = demo() as unknown as Record<'kisi' | 'teamup' | 'glofox', Record<string, IDataObject[]>>;
const find = (rows: IDataObject[], test: (row: IDataObject) => boolean, what: string): IDataObject => {
	const row = rows.find(test);
	if (!row) throw new Error(`The demo scenario has no ${what}`);
	return row;
};
const rl = (value: unknown) => ({ __rl: true, mode: 'id', value: String(value) });
const LENA = 'lena.fischer@example.com'; // pay-as-you-go, booked into a class in 45 minutes: in every source
const teamupPack = find(scenario.teamup.memberships, (m) => m.type === 'pack', 'TeamUp pack');

/**
 * Values from the demo gym for required parameters without a usable default, per node (its
 * description name), keyed by parameter name; `resource/operation name` overrides for one operation.
 */
const DEMO_VALUES: Record<string, Record<string, unknown>> = {
	kisi: {
		name: 'Matrix Test Group',
		email: 'new.member@example.com',
		'user/findByEmail email': LENA,
		user: LENA,
		groupId: rl(DEMO_KISI.membersGroupId),
		placeId: rl(DEMO_KISI.placeId),
		lockId: rl(DEMO_KISI.lockIds.frontDoor),
		roleAssignmentId: String(find(scenario.kisi.role_assignments, (r) => r.role_id !== 'organization_owner', 'role assignment').id),
		shareId: String(DEMO_KISI.shares.danMembers),
		userId: String(DEMO_KISI.users.dan),
	},
	teamUp: {
		email: LENA,
		occurredAt: DEMO_NOW,
		attendanceId: String(scenario.teamup.attendances[0].id),
		customerId: rl(find(scenario.teamup.customers, (c) => c.email === LENA, 'Lena in TeamUp').id),
		customerMembershipId: String(scenario.teamup.customer_memberships[0].id),
		'customerMembership/getUsage customerMembershipId': String(
			find(scenario.teamup.customer_memberships, (m) => m.membership === teamupPack.id, 'TeamUp pack holder').id,
		),
		eventId: String(scenario.teamup.events[0].id),
		membershipId: rl(scenario.teamup.memberships[0].id),
	},
	glofox: {
		email: LENA,
		occurredAt: DEMO_NOW,
		memberId: String(find(scenario.glofox.members, (m) => m.email === LENA, 'Lena in Glofox')._id),
		eventId: String(scenario.glofox.events[0]._id),
		membershipId: rl(scenario.glofox.memberships[0]._id),
	},
};

const demoValue: ValueSource = (op: Operation, property: INodeProperties) => {
	const values = DEMO_VALUES[op.description.name] ?? {};
	const override = `${op.resource}/${op.operation} ${property.name}`;
	return override in values ? values[override] : values[property.name];
};

/** What the node gets on its input, where an empty Manual Trigger item says nothing. */
const INPUT: Record<string, IDataObject[]> = {
	accessRuleEvaluator: [
		{ source: 'glofox', sourceId: 'm1', email: 'ana.ruiz@example.com', memberships: [{ id: '991', name: 'Unlimited', status: 'ACTIVE', type: 'time' }] },
		{
			source: 'glofox',
			sourceId: 'm2',
			email: LENA,
			memberships: [{ id: '992', status: 'ACTIVE', type: 'payg' }],
			registrations: [{ id: 'b1', kind: 'class', status: 'registered', startsAt: '2026-03-02T14:45:00Z', endsAt: '2026-03-02T15:45:00Z' }],
		},
	],
	'kisi share/syncGroupAccess': [
		{ email: LENA, access: 'allow', validFrom: '2026-03-02T13:45:00.000Z', validUntil: '2026-03-02T16:45:00.000Z' },
		{ email: 'dan.whitfield@example.com', access: 'deny', validFrom: null, validUntil: null },
	],
};

/**
 * API answers a case may end with, and why. Matched on the case title; the status must be the
 * one given. Empty when every configuration runs against the demo gym.
 */
const EXPECTED_API_ANSWERS: Array<{ title: RegExp; status: number; why: string }> = [];

const cases = parameterMatrix(demoValue);
const isTrigger = (c: MatrixCase) => Boolean(c.operation.description.webhooks?.length);

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whether `text` names the parameter: its display name as words, or its name as `[name]`, `"name"`, `'name'`. */
function names(text: string, nameOrDisplayName: string): boolean {
	if (/^[a-z][A-Za-z0-9_]*$/.test(nameOrDisplayName)) return new RegExp(`[[“"']${escape(nameOrDisplayName)}[\\]”"']`).test(text);
	return new RegExp(`(^|[^A-Za-z])${escape(nameOrDisplayName)}([^A-Za-z]|$)`).test(text);
}

interface Failure {
	message: string;
	httpCode?: string;
}

/** What a case must not do, or null when its outcome keeps the rule. */
function breach(c: MatrixCase, failure: Failure | undefined): string | null {
	const text = failure?.message ?? '';
	if (/Could not get parameter/.test(text)) return `a parameter was read without a default: ${text}`;
	if (c.kind === 'empty') {
		if (!failure) return `ran with "${c.emptied!.displayName}" empty`;
		return names(text, c.emptied!.displayName) || names(text, c.emptied!.name) ? null : `failed without naming "${c.emptied!.displayName}": ${text}`;
	}
	if (!failure) return null;
	if (failure.httpCode) {
		const expected = EXPECTED_API_ANSWERS.find((answer) => answer.title.test(c.title));
		if (expected && String(expected.status) === failure.httpCode) return null;
	}
	if (c.visibleNames.some((name) => names(text, name))) return null;
	return `failed${failure.httpCode ? ` with HTTP ${failure.httpCode}` : ''} without naming a parameter: ${text}`;
}

function failureOf(result: RunResult): Failure | undefined {
	if (!result.error) return undefined;
	const error = result.error as RunResult['error'] & { httpCode?: string | null };
	return { message: `${error.message}\n${error.description ?? ''}`.trim(), httpCode: error.httpCode ?? undefined };
}

function nodeOf(c: MatrixCase): INode {
	const { type, description } = c.operation;
	const node: INode = {
		id: 'matrix-node',
		name: 'Node',
		type,
		typeVersion: Array.isArray(description.version) ? Math.max(...description.version) : description.version,
		position: [200, 0],
		parameters: c.parameters,
	};
	const stored = credentials('http://unused');
	for (const credential of description.credentials ?? []) {
		const found = stored.find((candidate) => candidate.type === credential.name);
		if (!found) throw new Error(`No sandbox credential of type ${credential.name}`);
		node.credentials = { ...node.credentials, [credential.name]: { id: found.id, name: found.name } };
	}
	return node;
}

async function runNode(c: MatrixCase): Promise<Failure | undefined> {
	const workflow: WorkflowJson = {
		name: `Matrix: ${c.title}`,
		nodes: [{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }, nodeOf(c)],
		connections: { Start: { main: [[{ node: 'Node', type: 'main', index: 0 }]] } },
	};
	try {
		const result = await runWorkflow(workflow, { credentials: credentials(sandbox.url), startNode: 'Start', triggerItems: INPUT[c.operation.key] });
		return failureOf(result);
	} catch (error) {
		// n8n refuses to start a workflow whose node has issues ("Parameter "Lock" is required."), as the editor shows them.
		if ((error as Error).name !== 'WorkflowHasIssuesError') throw error;
		return { message: (error as Error).message };
	}
}

/** Genuine deliveries per trigger type: the bodies and the headers its vendor signs them with. */
const SIGNED_EVENT: Record<string, (endpoint: TriggerEndpoint, title: string) => Promise<Array<{ body: string; headers: Record<string, string> }>>> = {
	'n8n-nodes-gym-access.kisiTrigger': async (endpoint, title) => {
		const key = await keyInKisi(sandbox, endpoint.url);
		// A granted unlock, then a denied one (ignored, or on "Denied Unlocks" when the trigger has it).
		return [true, false].map((success) => {
			const body = JSON.stringify({
				uuid: `matrix-${title}-${success}`,
				type: 'lock.unlock',
				actor_type: 'User',
				actor_id: DEMO_KISI.users.ana,
				object_type: 'Lock',
				object_id: DEMO_KISI.lockIds.frontDoor,
				place_id: DEMO_KISI.placeId,
				success,
				created_at: DEMO_NOW,
			});
			return { body, headers: { 'x-signature': `sha256=${createHmac('sha256', key).update(body).digest('hex')}` } };
		});
	},
	'n8n-nodes-gym-access.glofoxTrigger': async (_endpoint, title) => {
		const lena = find(scenario.glofox.members, (m) => m.email === LENA, 'Lena in Glofox');
		const body = JSON.stringify({
			Type: 'MEMBERSHIP_UPDATED',
			Metadata: { trace_id: `matrix-${title}`, location_id: DEMO_CREDENTIALS.glofox.branchId, version: '1' },
			Timestamp: DEMO_NOW,
			Payload: { id: (lena.membership as IDataObject).user_membership_id, user_id: lena._id, status: 'ACTIVE' },
		});
		return [{ body, headers: { signature: createHmac('sha256', GLOFOX_WEBHOOK_SECRET).update(body).digest('hex') } }];
	},
};

/** Activates the trigger (Kisi's and TeamUp's register their webhook), then sends it one genuine event. */
async function runTrigger(c: MatrixCase, glofoxCredential: IDataObject = {}): Promise<Failure | undefined> {
	const workflow: WorkflowJson & { id: string } = {
		id: 'matrix-trigger',
		name: `Matrix: ${c.title}`,
		nodes: [
			{ ...nodeOf(c), webhookId: 'matrix-hook' },
			{ id: 'done', name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [400, 0], parameters: {} },
		],
		connections: { Node: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
	};
	const endpoint = new TriggerEndpoint(workflow, credentials(sandbox.url, glofoxCredential));
	try {
		await endpoint.start();
	} catch (error) {
		await endpoint.stop().catch(() => undefined);
		const e = error as Error & { description?: string };
		return { message: `${e.message}\n${e.description ?? ''}`.trim() };
	}
	try {
		// TeamUp does not sign: the sandbox's TeamUp delivers a feed item to the destination the trigger added.
		if (c.operation.type.endsWith('.teamUpTrigger')) return await teamUpDelivery(endpoint);
		const signed = SIGNED_EVENT[c.operation.type];
		if (!signed) throw new Error(`The matrix has no signed event for ${c.operation.type}: add one to SIGNED_EVENT`);
		const events = await signed(endpoint, c.title);
		for (const { body, headers } of events) {
			await fetch(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
			await endpoint.settle();
		}
		const answered = endpoint.deliveries.find((delivery) => delivery.status !== 200);
		if (endpoint.deliveries.length !== events.length || answered) return { message: `a signed event was answered ${answered?.status}: ${JSON.stringify(answered?.body)}` };
		return endpoint.executions.map(failureOf).find(Boolean);
	} finally {
		await endpoint.stop();
	}
}

/** TeamUp delivers a feed item to the destination the trigger registered (a change to Lena): answered 200, run without failing. */
async function teamUpDelivery(endpoint: TriggerEndpoint): Promise<Failure | undefined> {
	const lena = find(scenario.teamup.customers, (row) => row.email === LENA, 'Lena in TeamUp');
	const { delivered } = (await sandbox.control('POST', '/change', { service: 'teamup', collection: 'customers', upsert: { id: lena.id } })) as {
		delivered: Array<{ status: number | null }>;
	};
	await endpoint.settle();
	if (delivered.length !== 1 || delivered[0].status !== 200) return { message: `TeamUp's feed item was answered ${JSON.stringify(delivered)}: ${JSON.stringify(endpoint.deliveries)}` };
	return endpoint.executions.map(failureOf).find(Boolean);
}

describe('the matrix covers the pack', () => {
	const keys = new Set(cases.map((c) => c.operation.key));

	it('has every node of package.json, every operation module of each, and the toggles that crashed (issue 14)', () => {
		expect(new Set(cases.map((c) => c.operation.type))).toEqual(new Set(packNodeTypes().map(({ type }) => type)));
		// Independent of the descriptions: one module per operation, nodes/<Node>/actions/<resource>/<operation>.operation.ts.
		const modules = readdirSync(join(ROOT, 'nodes'), { recursive: true, encoding: 'utf8' })
			.map((path) => /^(\w+)\/actions\/(\w+)\/(\w+)\.operation\.ts$/.exec(path.split(sep).join('/')))
			.filter((match) => match !== null)
			.map(([, node, resource, operation]) => `${node[0].toLowerCase()}${node.slice(1)} ${resource}/${operation}`);
		expect(modules.length).toBeGreaterThan(45);
		expect([...keys].filter((key) => key.includes('/')).sort()).toEqual(modules.sort());
		expect([...keys].filter((key) => key.startsWith('kisi '))).toEqual(
			expect.arrayContaining(['kisi share/syncGroupAccess', 'kisi share/create', 'kisi lock/unlock', 'kisi user/findByEmail', 'kisi roleAssignment/delete', 'kisi group/update']),
		);
		expect(cases.filter((c) => c.operation.key === 'accessRuleEvaluator').map((c) => c.title)).toEqual(
			expect.arrayContaining([
				'accessRuleEvaluator · defaults',
				'accessRuleEvaluator · Grant On Active Membership = false',
				'accessRuleEvaluator · Grant On Registrations = true',
				'accessRuleEvaluator · Output = "split"',
				// An invalid combination, which must fail naming the parameter.
				'accessRuleEvaluator · Grant On Registrations = true, Registration Kinds = []',
				// Issue 19: Hold Keeps Bookings is shown by Grant On Registrations; Payment Grace Days is
				// hidden (so read at its default) when Allow Blocked Memberships is on.
				'accessRuleEvaluator · Grant On Registrations = true, Hold Keeps Bookings = true',
				'accessRuleEvaluator · Allow Blocked Memberships = true',
			]),
		);
		expect(cases.filter((c) => c.operation.key === 'kisiTrigger').map((c) => c.title)).toEqual(
			expect.arrayContaining(['kisiTrigger · Only Successful = false', 'kisiTrigger · Events = []', 'kisiTrigger · Denied Unlocks Output = true']),
		);
		expect(cases.filter((c) => c.operation.key === 'kisi share/syncGroupAccess').map((c) => c.title)).toEqual(
			expect.arrayContaining(['kisi share/syncGroupAccess · On Mass Revocation = "recheck"']),
		);
		expect(cases.filter((c) => c.operation.key === 'glofoxTrigger').map((c) => c.title)).toEqual(['glofoxTrigger · defaults']);
		expect(cases.filter((c) => c.operation.key === 'teamUpTrigger').map((c) => c.title)).toEqual(expect.arrayContaining(['teamUpTrigger · defaults']));
		expect(cases.map((c) => c.title)).toContain('glofox accessProfile/getAll · Options › For These People added (default)');
		expect(cases.map((c) => c.title)).toContain('teamUp accessProfile/getAll · Options › For These People added (default)');
		// Sub-parameters of collections are in it too.
		expect(cases.map((c) => c.title)).toEqual(
			expect.arrayContaining(['teamUp checkIn/checkIn · Options › Only With Registration = true', 'kisi share/create · Additional Fields › Role = "manager"']),
		);
	});

	it('has a demo value for every required parameter without a usable default', () => {
		expect(cases.filter((c) => c.missingValues.length > 0).map((c) => `${c.title}: ${c.missingValues.join(', ')}`)).toEqual([]);
	});
});

/**
 * Credential fields only a trigger needs (optional in the credential, so n8n does not ask for them):
 * left empty, activation must fail naming the field; filled, the matrix's trigger cases above run.
 */
const TRIGGER_CREDENTIAL_FIELDS: Array<{ trigger: string; credential: string; field: string }> = [
	{ trigger: 'glofoxTrigger', credential: 'glofoxApi', field: 'webhookSecret' },
];

describe('credential fields a trigger needs', () => {
	it.each(TRIGGER_CREDENTIAL_FIELDS)('$trigger: the credential field $field left empty refuses activation, naming it', async ({ trigger, credential, field }) => {
		const property = credentialTypes[credential].properties.find((candidate) => candidate.name === field);
		expect(property).toMatchObject({ type: 'string', typeOptions: { password: true }, default: '' });
		expect(property!.required).toBeFalsy();
		const c = cases.find((candidate) => candidate.operation.key === trigger && candidate.kind === 'defaults')!;
		await sandbox.load(demo());
		for (const empty of ['', '   ']) {
			const failure = await runTrigger(c, { [field]: empty });
			expect(failure?.message).toEqual(expect.stringContaining(property!.displayName));
		}
	});
});

/** Each case's outcome, printed as a table with `MATRIX_REPORT=1 jest test/engine/matrix`. */
const outcomes: string[] = [];
afterAll(() => {
	if (!process.env.MATRIX_REPORT) return;
	const failed = outcomes.filter((line) => line.includes('| fails |')).length;
	console.log(['| Case | Outcome | Message |', '|---|---|---|', ...outcomes, '', `${outcomes.length} cases, ${failed} end in a named error`].join('\n'));
});

describe.each([...new Set(cases.map((c) => c.operation.key))])('%s', (key) => {
	it.each(cases.filter((c) => c.operation.key === key).map((c) => [c.title.slice(key.length + 3), c] as const))('%s', async (_title, c) => {
		await sandbox.load(demo());
		const failure = isTrigger(c) ? await runTrigger(c) : await runNode(c);
		outcomes.push(`| ${c.title} | ${failure ? 'fails' : 'runs'} | ${(failure?.message ?? '').split('\n')[0].replace(/\|/g, '/')} |`);
		expect(breach(c, failure)).toBeNull();
	});
});
