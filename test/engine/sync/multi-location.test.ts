/**
 * Several Glofox branches (locations) into one Kisi organization, through n8n's engine: the
 * patterns the README documents, with two branches that share a member's email (Ana is a member of
 * both). Each Glofox branch is its own API tenant: its Location ID (branch id) and keys, so one
 * credential per branch. Here the two branches are two sandboxes (the sandbox serves one Glofox
 * branch each), the Kisi organization is the first one's.
 *
 * - One group per branch: each branch's 15-minute template on its own group.
 * - One group for both: the branches' profiles merged (n8n's Merge node) before one evaluator and
 *   one Whole Group sync: a person is allowed while either branch grants it.
 * - One group, each branch's sync with "Listed People Only": no branch touches people it does not
 *   list; a person both branches list follows the branch that ran last (hence the merge for them).
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { type RunningSandbox, startSandbox } from '../../../sandbox';
import type { ScenarioInput } from '../../../sandbox';
import { buildDemoScenario, DEMO_KISI, DEMO_NOW, DEMO_TIME_ZONE, demoExpectations } from '../../../sandbox/scenarios/demo';
import { hexId } from '../../../sandbox/util';
import type { StoredCredential } from '../../harness/credentials';
import { runWorkflow, type RunResult, type WorkflowJson } from '../../harness/engine';
import { SandboxClient, withSandbox } from '../../harness/sandbox';
import { evaluatedAt, loadTemplate, sandboxCredentials, withParameters } from '../../harness/templates';

jest.setTimeout(120_000);

const NOW = new Date(DEMO_NOW);
const OWNER = DEMO_KISI.users.owner;
const RIVERSIDE_GROUP = 508;
const ALL_BRANCHES_GROUP = 509;
const ANA = 'ana.ruiz@example.com';
const DAN = 'dan.whitfield@example.com';
const RUI = 'rui.santos@example.com';

const unix = (iso: string) => Date.parse(iso) / 1000;
/** Ana at Main Street (the demo gym): Unlimited Monthly until 1 April 00:00 London. */
const ANA_MAIN = { from: '2025-09-02T23:00:00.000Z', until: '2026-03-31T23:00:00.000Z' };
/** Ana at Riverside: from 1 February to 1 June 00:00 London. */
const ANA_RIVERSIDE = { from: '2026-02-01T00:00:00.000Z', until: '2026-05-31T23:00:00.000Z' };

/** Kisi (and the first Glofox branch, "Main Street"): the demo gym, with a group per branch and one for both. */
function mainScenario(): ScenarioInput {
	const demo = { ...buildDemoScenario(NOW), rateLimits: false } as ScenarioInput & { kisi: { groups: IDataObject[] } };
	demo.kisi.groups.push(
		{ id: RIVERSIDE_GROUP, name: 'Riverside Members', place_id: null, created_at: '2025-06-01T00:00:00Z' },
		{ id: ALL_BRANCHES_GROUP, name: 'All Branches', place_id: null, created_at: '2025-06-01T00:00:00Z' },
	);
	return demo;
}

const RIVERSIDE = { branchId: hexId('branch:riverside'), apiKey: 'glofox-riverside-key', apiToken: 'glofox-riverside-token' };

function member(key: string, first: string, last: string, email: string, status: string, from: string, until: string): IDataObject {
	return {
		_id: hexId(`riverside:${key}`),
		first_name: first,
		last_name: last,
		email,
		active: true,
		membership: { type: 'time', status, start_date: unix(from), expiry_date: unix(until), plan_code: 1001, user_membership_id: hexId(`riverside:um:${key}`) },
		created: unix('2025-01-01T00:00:00Z'),
		modified: unix('2026-02-01T00:00:00Z'),
	};
}

/** The second branch, "Riverside": Ana (also at Main Street), Dan (expired at Main Street, active here), Rui (only here). */
function riversideScenario(): ScenarioInput {
	const main = buildDemoScenario(NOW) as unknown as { glofox: IDataObject };
	return {
		now: NOW.toISOString(),
		rateLimits: false,
		glofox: {
			branch_id: RIVERSIDE.branchId,
			api_key: RIVERSIDE.apiKey,
			api_token: RIVERSIDE.apiToken,
			namespace: String(main.glofox.namespace),
			timezone_id: DEMO_TIME_ZONE,
			branch: { name: 'Demo Gym Riverside' },
			memberships: main.glofox.memberships,
			members: [
				member('ana', 'Ana', 'Ruiz', ANA, 'ACTIVE', ANA_RIVERSIDE.from, ANA_RIVERSIDE.until),
				member('dan', 'Dan', 'Whitfield', DAN, 'ACTIVE', '2026-02-20T00:00:00Z', '2026-03-20T00:00:00Z'),
				member('rui', 'Rui', 'Santos', RUI, 'ACTIVE', '2026-01-10T00:00:00Z', '2026-04-10T23:00:00Z'),
			],
		},
	} as unknown as ScenarioInput;
}

const sandbox = withSandbox(mainScenario);
let riversideServer: RunningSandbox;
let riverside: SandboxClient;

beforeAll(async () => {
	riversideServer = await startSandbox({ scenario: riversideScenario(), port: 0 });
	riverside = new SandboxClient(riversideServer.url);
});
afterAll(async () => {
	await riversideServer?.close();
});

/** One credential per branch: "Glofox account" (Main Street, the templates' own) and "Glofox Riverside". */
function credentials(): StoredCredential[] {
	return [
		...sandboxCredentials(sandbox.url, { kisi: { requestsPerSecond: 100 }, glofox: { requestsPerSecond: 100 } }),
		{
			id: 'GlofoxRiverside1',
			name: 'Glofox Riverside',
			type: 'glofoxApi',
			data: { ...RIVERSIDE, requestsPerSecond: 100, baseUrl: `${riverside.url}/glofox/prod` },
		},
	];
}
const RIVERSIDE_CREDENTIAL = { glofoxApi: { id: 'GlofoxRiverside1', name: 'Glofox Riverside' } };

async function run(workflow: WorkflowJson, at: Date): Promise<RunResult> {
	for (const client of [sandbox, riverside]) await client.control('POST', '/clock', { now: at.toISOString() });
	const result = await runWorkflow(evaluatedAt(workflow, at), { credentials: credentials(), startNode: 'Run now' });
	expect({ status: result.status, error: result.error?.message }).toEqual({ status: 'success', error: undefined });
	return result;
}

/** The shares this Kisi key manages in a group: email → [from, until] (ISO). */
async function managed(group: number): Promise<Record<string, [string | null, string | null]>> {
	const out: Record<string, [string | null, string | null]> = {};
	for (const share of (await sandbox.state()).kisi.shares as IDataObject[]) {
		if (share.group_id !== group || share.created_by_id !== OWNER) continue;
		const iso = (value: unknown) => (value ? new Date(String(value)).toISOString() : null);
		out[String(share.email)] = [iso(share.valid_from), iso(share.valid_until)];
	}
	return out;
}

/** Changes Riverside's Glofox (its state posted back). */
async function changeRiverside(change: (members: IDataObject[]) => void): Promise<void> {
	const state = await riverside.state();
	change(state.glofox.members as IDataObject[]);
	await riverside.load({ ...state, rateLimits: false });
}

async function changeMainStreet(change: (members: IDataObject[]) => void): Promise<void> {
	const state = await sandbox.state();
	change(state.glofox.members as IDataObject[]);
	await sandbox.load({ ...state, rateLimits: false });
}

const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const mainStreetAllowed = () =>
	Object.fromEntries(demoExpectations(NOW).filter((row) => row.email && row.glofox?.access === 'allow').map((row) => [row.email!, [row.glofox!.validFrom, row.glofox!.validUntil]]));

/** The Glofox template set for Riverside: its credential, its own group. */
function riversideTemplate(): WorkflowJson {
	const template = withParameters(loadTemplate('glofox-kisi-access-sync'), {
		'Kisi: sync the Glofox Members group': { groupId: { __rl: true, mode: 'name', value: 'Riverside Members' } },
	});
	template.id = 'GymRiversideSync01';
	template.nodes.find((node) => node.name === 'Glofox: access profiles')!.credentials = RIVERSIDE_CREDENTIAL;
	return template;
}

/** Run now → both branches' access profiles → Merge (append) → one evaluator → one Whole Group sync on "All Branches". */
function mergedBranches(): WorkflowJson {
	const template = loadTemplate('glofox-kisi-access-sync');
	const node = (name: string) => JSON.parse(JSON.stringify(template.nodes.find((candidate) => candidate.name === name))) as INode;
	const main = { ...node('Glofox: access profiles'), id: 'main', name: 'Main Street: access profiles', position: [400, 200] as [number, number] };
	const river = { ...node('Glofox: access profiles'), id: 'river', name: 'Riverside: access profiles', position: [400, 400] as [number, number], credentials: RIVERSIDE_CREDENTIAL };
	const sync = node('Kisi: sync the Glofox Members group');
	sync.parameters.groupId = { __rl: true, mode: 'name', value: 'All Branches' };
	const to = (name: string, index = 0) => ({ node: name, type: 'main' as const, index });
	return {
		id: 'GymAllBranches01',
		name: 'Glofox branches → one Kisi group',
		nodes: [
			node('Run now'),
			main,
			river,
			{ id: 'merge', name: 'Both branches', type: 'n8n-nodes-base.merge', typeVersion: 3.2, position: [640, 300], parameters: { mode: 'append', numberInputs: 2 } },
			node('Decide who may enter'),
			sync,
		],
		connections: {
			'Run now': { main: [[to(main.name), to(river.name)]] },
			[main.name]: { main: [[to('Both branches', 0)]] },
			[river.name]: { main: [[to('Both branches', 1)]] },
			'Both branches': { main: [[to('Decide who may enter')]] },
			'Decide who may enter': { main: [[to(sync.name)]] },
		},
		settings: template.settings,
	};
}

/** A branch's own flow on the shared group "All Branches" with "Listed People Only". */
function listedPeopleOnly(branch: 'main' | 'riverside'): WorkflowJson {
	const template = withParameters(loadTemplate('glofox-kisi-access-sync'), {
		'Kisi: sync the Glofox Members group': { groupId: { __rl: true, mode: 'name', value: 'All Branches' }, scope: 'listedPeople' },
	});
	template.id = branch === 'main' ? 'GymMainListed001' : 'GymRiverListed01';
	if (branch === 'riverside') template.nodes.find((node) => node.name === 'Glofox: access profiles')!.credentials = RIVERSIDE_CREDENTIAL;
	return template;
}

describe('one Kisi group per Glofox branch (one credential per Location ID)', () => {
	beforeAll(async () => {
		await sandbox.load(mainScenario());
		await riverside.load(riversideScenario());
	});

	it("each branch's sync fills its own group; the member of both branches has a share in each", async () => {
		await run(loadTemplate('glofox-kisi-access-sync'), NOW);
		await run(riversideTemplate(), NOW);
		expect(await managed(DEMO_KISI.glofoxGroupId)).toEqual(mainStreetAllowed());
		expect(await managed(RIVERSIDE_GROUP)).toEqual({
			[ANA]: [ANA_RIVERSIDE.from, ANA_RIVERSIDE.until],
			[DAN]: ['2026-02-20T00:00:00.000Z', '2026-03-20T00:00:00.000Z'],
			[RUI]: ['2026-01-10T00:00:00.000Z', '2026-04-10T23:00:00.000Z'],
		});
	});

	it("neither branch's sync touches the other's group; one branch cancelling the shared member removes only its share", async () => {
		const mainGroup = await managed(DEMO_KISI.glofoxGroupId);
		await changeRiverside((members) => {
			members.find((candidate) => candidate.email === ANA)!.membership = { ...(members.find((candidate) => candidate.email === ANA)!.membership as IDataObject), status: 'CANCELLED' };
		});
		await run(riversideTemplate(), at(15));
		await run(loadTemplate('glofox-kisi-access-sync'), at(15));
		expect(Object.keys(await managed(RIVERSIDE_GROUP)).sort()).toEqual([DAN, RUI]);
		expect(await managed(DEMO_KISI.glofoxGroupId)).toEqual(mainGroup);
	});
});

describe('one Kisi group fed by both branches, merged before one evaluator and one Whole Group sync', () => {
	beforeAll(async () => {
		await sandbox.load(mainScenario());
		await riverside.load(riversideScenario());
	});

	it('everyone either branch allows has a share; the shared member for the union of her two memberships', async () => {
		const result = await run(mergedBranches(), NOW);
		expect(result.runs('Decide who may enter')).toBe(1);
		const group = await managed(ALL_BRANCHES_GROUP);
		// Main Street's people, Riverside's Rui, Dan (expired at Main Street, active at Riverside), and Ana until Riverside's end.
		const expected = { ...mainStreetAllowed(), [RUI]: ['2026-01-10T00:00:00.000Z', '2026-04-10T23:00:00.000Z'], [DAN]: ['2026-02-20T00:00:00.000Z', '2026-03-20T00:00:00.000Z'], [ANA]: [ANA_MAIN.from, ANA_RIVERSIDE.until] };
		expect(group).toEqual(expected);
		expect(result.output('Decide who may enter').find((item) => item.email === ANA)?.reasons).toContainEqual(expect.objectContaining({ code: 'DUPLICATE_EMAIL' }));
	});

	it('the shared member keeps access while either branch grants it, and loses it when neither does', async () => {
		// Riverside cancels Ana: Main Street still grants her (until 1 April).
		await changeRiverside((members) => {
			const ana = members.find((candidate) => candidate.email === ANA)!;
			ana.membership = { ...(ana.membership as IDataObject), status: 'CANCELLED' };
		});
		await run(mergedBranches(), at(15));
		expect((await managed(ALL_BRANCHES_GROUP))[ANA]).toEqual([ANA_MAIN.from, ANA_MAIN.until]);
		// Main Street's membership ends too: now neither branch grants her.
		await changeMainStreet((members) => {
			const ana = members.find((candidate) => candidate.email === ANA)!;
			ana.membership = { ...(ana.membership as IDataObject), status: 'EXPIRED' };
		});
		const result = await run(mergedBranches(), at(30));
		expect((await managed(ALL_BRANCHES_GROUP))[ANA]).toBeUndefined();
		expect(result.output('Kisi: sync the Glofox Members group').filter((item) => item.action === 'delete').map((item) => item.email)).toEqual([ANA]);
		expect(Object.keys(await managed(ALL_BRANCHES_GROUP))).toEqual(expect.arrayContaining([DAN, RUI]));
	});

	it('a branch that cannot be read stops the run before any write: its members never look gone', async () => {
		const before = await managed(ALL_BRANCHES_GROUP);
		await riverside.fault({ service: 'glofox', status: 403, body: JSON.stringify({ message: 'Forbidden' }) });
		await sandbox.clearRequests();
		for (const client of [sandbox, riverside]) await client.control('POST', '/clock', { now: at(45).toISOString() });
		const result = await runWorkflow(evaluatedAt(mergedBranches(), at(45)), { credentials: credentials(), startNode: 'Run now' });
		await riverside.clearFaults();
		expect(result.status).toBe('error');
		expect(result.error?.node?.name).toBe('Riverside: access profiles');
		expect(result.ran('Kisi: sync the Glofox Members group')).toBe(false);
		expect((await sandbox.requests({ service: 'kisi' })).filter((request) => request.method !== 'GET')).toEqual([]);
		expect(await managed(ALL_BRANCHES_GROUP)).toEqual(before);
	});
});

describe('one Kisi group, each branch syncing with "Listed People Only"', () => {
	beforeAll(async () => {
		await sandbox.load(mainScenario());
		await riverside.load(riversideScenario());
	});

	it('no branch revokes people it does not list: each run leaves the other branch\'s members alone', async () => {
		await run(listedPeopleOnly('riverside'), NOW);
		const riversideOnly = await managed(ALL_BRANCHES_GROUP);
		expect(Object.keys(riversideOnly).sort()).toEqual([ANA, DAN, RUI]);
		const result = await run(listedPeopleOnly('main'), at(15));
		const group = await managed(ALL_BRANCHES_GROUP);
		expect(group[RUI]).toEqual(riversideOnly[RUI]); // only at Riverside: Main Street does not list him
		expect(result.output('Kisi: sync the Glofox Members group').some((item) => item.email === RUI)).toBe(false);
		for (const email of Object.keys(mainStreetAllowed())) expect(group[email]).toBeDefined();
	});

	it('but a person both branches list follows the branch that ran last: Main Street revokes Dan, whom Riverside allows (use the merge for shared members)', async () => {
		// Dan: expired at Main Street, active at Riverside. Main Street's run (above) listed him as denied and ended his share then.
		expect((await managed(ALL_BRANCHES_GROUP))[DAN]).toEqual(['2026-02-20T00:00:00.000Z', at(15).toISOString()]);
		await run(listedPeopleOnly('riverside'), at(30));
		expect((await managed(ALL_BRANCHES_GROUP))[DAN]).toEqual(['2026-02-20T00:00:00.000Z', '2026-03-20T00:00:00.000Z']);
	});
});
