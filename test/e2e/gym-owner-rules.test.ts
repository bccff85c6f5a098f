/**
 * The gym-owner rules of issue 19 in a real n8n (the pack installed from its tarball) against the
 * sandbox: Payment Grace Days, the Deny List and Hold Keeps Bookings through the TeamUp → Kisi
 * template, the re-check before a mass revocation through the Glofox → Kisi template, the Kisi
 * Trigger's "Denied Unlocks" output, and two Glofox branches feeding one Kisi group through a Merge.
 * Each workflow is a shipped template (or a copy with only the option under test changed, as an
 * operator changes it in the editor) imported with n8n's CLI; one n8n for the whole file, one demo
 * gym reset before each case (built around the real current time: a real n8n runs on the real clock).
 */
import type { IDataObject, INode } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { type RunningSandbox, startSandbox, type ScenarioInput } from '../../sandbox';
import { buildDemoScenario, DEMO_CREDENTIALS, DEMO_KISI, DEMO_NOW, DEMO_TIME_ZONE, demoExpectations } from '../../sandbox/scenarios/demo';
import { hexId } from '../../sandbox/util';
import type { WorkflowJson } from '../harness/engine';
import { N8nInstance, PACK_NODE_TYPE } from '../harness/n8n-process';
import { SandboxClient } from '../harness/sandbox';
import { evaluatedAt, loadTemplate, sandboxCredentials, withParameters } from '../harness/templates';

jest.setTimeout(300_000); // n8n's start (pack install, CLI imports) took ~150 s on the shared 2-core machine

const EVALUATOR = 'Decide who may enter';
const TEAMUP_SYNC = 'Kisi: sync the TeamUp Members group';
const GLOFOX_SOURCE = 'Glofox: access profiles';
const GLOFOX_SYNC = 'Kisi: sync the Glofox Members group';
const WAIT = 'Wait 2 minutes, then read again';
const OWNER = DEMO_KISI.users.owner;
const ANA = 'ana.ruiz@example.com';
const BEN = 'ben.okafor@example.com';
const CARLA = 'carla.mendes@example.com';
const DAN = 'dan.whitfield@example.com';
const IVAN = 'ivan.petrov@example.com';
const JADE = 'jade.thompson@example.com';
const KAI = 'kai.nakamura@example.com';
const LENA = 'lena.fischer@example.com';
const RUI = 'rui.santos@example.com';

// --- The workflows, as an operator would have them -------------------------------------------

const GRACE_DAYS = 4;
/** The TeamUp template with one evaluator option changed; its own id, so that all live side by side. */
function teamupWith(id: string, rules: IDataObject): WorkflowJson & { id: string } {
	const workflow = withParameters(loadTemplate('teamup-kisi-access-sync'), { [EVALUATOR]: rules }) as WorkflowJson & { id: string };
	return { ...workflow, id, name: `${String(workflow.name)} (${id})` };
}
/**
 * An evaluation pinned (Evaluation Time and the source's Reference Time) to the Sunday the clocks go
 * forward in London, 12:00 UTC: a payment failed 3 days before (25 March, GMT) gets 4 calendar
 * days there, to 29 March 00:00 BST = 28 March 23:00 UTC, an hour short of 4 × 24 hours.
 */
const DST_DAY = new Date('2027-03-28T12:00:00Z');
const TEAMUP = loadTemplate('teamup-kisi-access-sync'); // as shipped: no grace, no deny list, Hold Keeps Bookings off
const GRACE = teamupWith('RulesGraceDays01', { graceDays: GRACE_DAYS });
const DENY = teamupWith('RulesDenyList001', { denyList: ANA });
const HOLD = teamupWith('RulesHoldKeeps01', { holdKeepsBookings: true });
const GRACE_DST = evaluatedAt(teamupWith('RulesGraceDst001', { graceDays: GRACE_DAYS }), DST_DAY) as WorkflowJson & { id: string };
/**
 * Two evaluations pinned likewise around the end of a grace on the demo's own day (2 March 2026,
 * London on GMT): the payments failed 27 February, so the grace ends 4 calendar days later, 3 March
 * 00:00 in London; one run a minute before that instant, one at it.
 */
const GRACE_DAY = new Date(DEMO_NOW);
const GRACE_FAILED = '2026-02-27';
const GRACE_END = DateTime.fromISO(GRACE_FAILED, { zone: DEMO_TIME_ZONE }).plus({ days: GRACE_DAYS }).toJSDate();
const GRACE_LAST_MINUTE = evaluatedAt(teamupWith('RulesGraceLast01', { graceDays: GRACE_DAYS }), new Date(GRACE_END.getTime() - 60_000)) as WorkflowJson & { id: string };
const GRACE_AT_END = evaluatedAt(teamupWith('RulesGraceEnd001', { graceDays: GRACE_DAYS }), GRACE_END) as WorkflowJson & { id: string };

/**
 * The Glofox template with its Wait shortened from 2 minutes to 5 seconds, so that the test does
 * not wait 2 minutes. n8n's Wait node keeps a wait under 65 s in the running process (a timer);
 * {@link PARKED} below covers a longer one, which n8n parks in its database.
 */
const RECHECK = (() => {
	const workflow = withParameters(loadTemplate('glofox-kisi-access-sync'), { [WAIT]: { amount: 5, unit: 'seconds' } }) as WorkflowJson & { id: string };
	return { ...workflow, id: 'RulesReCheck0001', name: 'Glofox → Kisi, re-check after 5 seconds' };
})();

/**
 * The same with a wait just over n8n's 65-second limit: n8n parks the execution in its database
 * (status "waiting") and its wait tracker resumes it (it looks for due executions every 60 s, 70 s
 * ahead): one case pays about 70 s of idle waiting to show the re-check survives that.
 */
const PARKED = (() => {
	const workflow = withParameters(loadTemplate('glofox-kisi-access-sync'), { [WAIT]: { amount: 66, unit: 'seconds' } }) as WorkflowJson & { id: string };
	return { ...workflow, id: 'RulesReCheckPark', name: 'Glofox → Kisi, re-check after 66 seconds' };
})();

/** The TeamUp template with its Wait shortened to 5 seconds, likewise. */
const TEAMUP_RECHECK = (() => {
	const workflow = withParameters(TEAMUP, { [WAIT]: { amount: 5, unit: 'seconds' } }) as WorkflowJson & { id: string };
	return { ...workflow, id: 'RulesReCheckTeam', name: 'TeamUp → Kisi, re-check after 5 seconds' };
})();

/** The Kisi Trigger with "Denied Unlocks Output" on, saved as the editor saves it (the hidden "Only Successful" left out). */
const TRIGGER_ID = 'RulesDeniedUnlock';
const TRIGGER = {
	id: TRIGGER_ID,
	name: 'Front door: let in, or alert staff',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 'trigger',
			name: 'Kisi Trigger',
			type: PACK_NODE_TYPE('kisiTrigger'),
			typeVersion: 1,
			position: [0, 0],
			webhookId: '5d0c1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f',
			parameters: { events: ['lock.unlock'], deniedUnlocks: true },
			credentials: { kisiApi: { id: 'KisiAccount00001', name: 'Kisi account' } },
		},
		{ id: 'in', name: 'Came in', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, -80], parameters: {} },
		{ id: 'alert', name: 'Alert staff', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 80], parameters: {} },
	],
	connections: { 'Kisi Trigger': { main: [[{ node: 'Came in', type: 'main', index: 0 }], [{ node: 'Alert staff', type: 'main', index: 0 }]] } },
};

/** Two Glofox branches (one credential each) → Merge (append) → one evaluator → one Whole Group sync on "All Branches" (README, "Several Glofox locations"). */
const ALL_BRANCHES_GROUP = 509;
const RIVERSIDE = { branchId: hexId('branch:riverside'), apiKey: 'glofox-riverside-key', apiToken: 'glofox-riverside-token' };
const RIVERSIDE_CREDENTIAL = { glofoxApi: { id: 'GlofoxRiverside1', name: 'Glofox Riverside' } };
const BRANCHES = (() => {
	const template = loadTemplate('glofox-kisi-access-sync');
	const node = (name: string) => JSON.parse(JSON.stringify(template.nodes.find((candidate) => candidate.name === name))) as INode;
	const main = { ...node(GLOFOX_SOURCE), id: 'main', name: 'Main Street: access profiles', position: [400, 200] as [number, number] };
	const river = { ...node(GLOFOX_SOURCE), id: 'river', name: 'Riverside: access profiles', position: [400, 400] as [number, number], credentials: RIVERSIDE_CREDENTIAL };
	const sync = { ...node(GLOFOX_SYNC), name: 'Kisi: sync All Branches' };
	sync.parameters = { ...sync.parameters, groupId: { __rl: true, mode: 'name', value: 'All Branches' } };
	const to = (name: string, index = 0) => ({ node: name, type: 'main' as const, index });
	return {
		id: 'RulesAllBranches',
		name: 'Glofox branches → one Kisi group',
		active: false,
		settings: template.settings,
		nodes: [
			node('Run now'),
			main,
			river,
			{ id: 'merge', name: 'Both branches', type: 'n8n-nodes-base.merge', typeVersion: 3.2, position: [640, 300], parameters: { mode: 'append', numberInputs: 2 } },
			node(EVALUATOR),
			sync,
		],
		connections: {
			'Run now': { main: [[to(main.name), to(river.name)]] },
			[main.name]: { main: [[to('Both branches', 0)]] },
			[river.name]: { main: [[to('Both branches', 1)]] },
			'Both branches': { main: [[to(EVALUATOR)]] },
			[EVALUATOR]: { main: [[to(sync.name)]] },
		},
	};
})();

// --- The sandboxes -----------------------------------------------------------------------------

let now: Date;
let mainServer: RunningSandbox;
let riversideServer: RunningSandbox;
let sandbox: SandboxClient;
let riverside: SandboxClient;
let n8n: N8nInstance;
/** The Kisi Trigger's webhook, as n8n registered it on activation: kept through every reset. */
let integrations: IDataObject[] = [];

type Scenario = IDataObject & {
	kisi: { shares: IDataObject[]; groups: IDataObject[]; integrations?: IDataObject[] };
	teamup: { customers: IDataObject[]; attendances: IDataObject[]; invoices: IDataObject[]; events: IDataObject[] };
	glofox: IDataObject & { members: IDataObject[] };
};

/** A London midnight `days` from today (the demo gym's zone), as an instant. */
const londonDay = (days: number) => DateTime.fromJSDate(now, { zone: DEMO_TIME_ZONE }).startOf('day').plus({ days });
const unix = (day: DateTime) => Math.round(day.toSeconds());
const iso = (day: DateTime) => day.toUTC().toISO()!;

/** The second branch, "Riverside": Ana (also at Main Street), Dan (expired at Main Street, active here), Rui (only here). */
const RIVER = { ana: [-30, 120], dan: [-10, 20], rui: [-60, 90] } as const;
function riversideScenario(): ScenarioInput {
	const main = buildDemoScenario(now) as unknown as { glofox: IDataObject };
	const member = (key: keyof typeof RIVER, first: string, last: string, email: string) => ({
		_id: hexId(`riverside:${key}`),
		first_name: first,
		last_name: last,
		email,
		active: true,
		membership: { type: 'time', status: 'ACTIVE', start_date: unix(londonDay(RIVER[key][0])), expiry_date: unix(londonDay(RIVER[key][1])), plan_code: 1001, user_membership_id: hexId(`riverside:um:${key}`) },
		created: unix(londonDay(-400)),
		modified: unix(londonDay(-40)),
	});
	return {
		now: now.toISOString(),
		rateLimits: false,
		glofox: {
			branch_id: RIVERSIDE.branchId,
			api_key: RIVERSIDE.apiKey,
			api_token: RIVERSIDE.apiToken,
			namespace: String(main.glofox.namespace),
			timezone_id: DEMO_TIME_ZONE,
			branch: { name: 'Demo Gym Riverside' },
			memberships: main.glofox.memberships,
			members: [member('ana', 'Ana', 'Ruiz', ANA), member('dan', 'Dan', 'Whitfield', DAN), member('rui', 'Rui', 'Santos', RUI)],
		},
	} as unknown as ScenarioInput;
}

/**
 * A fresh demo gym at the current minute, or at `at` (no rate limits: the templates e2e test runs
 * with them), changed by `change`.
 */
async function reset(change: (scenario: Scenario) => void = () => undefined, at?: Date): Promise<Scenario> {
	now = at ?? new Date(Math.floor(Date.now() / 60_000) * 60_000);
	const scenario = { ...buildDemoScenario(now), rateLimits: false } as unknown as Scenario;
	scenario.kisi.integrations = [...(scenario.kisi.integrations ?? []), ...integrations];
	scenario.kisi.groups.push({ id: ALL_BRANCHES_GROUP, name: 'All Branches', place_id: null, created_at: iso(londonDay(-100)) });
	change(scenario);
	await sandbox.load(scenario);
	await riverside.load(riversideScenario());
	for (const client of [sandbox, riverside]) {
		await client.clearFaults();
		await client.clearRequests();
	}
	return scenario;
}

/** A share in a group made earlier by the sync's own key (what an earlier run leaves). */
function earlierShare(id: number, email: string, group: number): IDataObject {
	// Made before the run starts, whatever the evaluation time (a share changed after the decisions is left alone).
	return { id, email, group_id: group, role_id: 'basic', created_by_id: OWNER, valid_from: null, valid_until: null, created_at: '2026-01-05T09:00:00Z' };
}

beforeAll(async () => {
	now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
	mainServer = await startSandbox({ scenario: { ...buildDemoScenario(now), rateLimits: false }, port: 0 });
	riversideServer = await startSandbox({ scenario: riversideScenario(), port: 0 });
	sandbox = new SandboxClient(mainServer.url);
	riverside = new SandboxClient(riversideServer.url);
	const fast = { kisi: { requestsPerSecond: 50 }, teamup: { requestsPerMinute: 3000 }, glofox: { requestsPerSecond: 50 } };
	n8n = new N8nInstance({
		credentials: [
			...sandboxCredentials(sandbox.url, fast),
			{ ...RIVERSIDE_CREDENTIAL.glofoxApi, type: 'glofoxApi', data: { ...RIVERSIDE, requestsPerSecond: 50, baseUrl: `${riverside.url}/glofox/prod` } },
		],
		workflows: [TEAMUP, GRACE, GRACE_DST, GRACE_LAST_MINUTE, GRACE_AT_END, DENY, HOLD, RECHECK, PARKED, TEAMUP_RECHECK, TRIGGER, BRANCHES],
		publish: [TRIGGER_ID],
	});
	await n8n.start();
	// n8n may report ready a moment before it has activated the published workflow.
	const webhooks = async () => ((await sandbox.state()).kisi.integrations as IDataObject[]).filter((integration) => integration.type === 'event_webhook');
	for (const deadline = Date.now() + 20_000; (await webhooks()).length === 0 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 250));
	integrations = await webhooks();
	expect(integrations).toHaveLength(1);
});

afterAll(async () => {
	await n8n?.stop();
	await mainServer?.close();
	await riversideServer?.close();
});

// --- Reading what happened ----------------------------------------------------------------------

type Execution = Awaited<ReturnType<N8nInstance['runManually']>>;
interface NodeRun {
	data?: { main?: Array<Array<{ json: IDataObject }> | null> };
	error?: { message?: string };
}

/** The items a node put out on one output in one of its runs. */
function output(execution: Execution, node: string, index = 0, run = 0): IDataObject[] {
	const runs = execution.runData[node] as NodeRun[] | undefined;
	if (!runs?.[run]) throw new Error(`${node} has no run ${run}`);
	if (runs[run].error) throw new Error(`${node} failed: ${runs[run].error.message}`);
	return (runs[run].data?.main?.[index] ?? []).map((item) => item.json);
}

const runsOf = (execution: Execution, node: string) => (execution.runData[node] ?? []).length;
const decisionOf = (execution: Execution, email: string, run = 0) => output(execution, EVALUATOR, 0, run).find((decision) => decision.email === email)!;
const changeOf = (execution: Execution, sync: string, email: string) => output(execution, sync).find((item) => item.email === email);
const codes = (list: unknown) => ((list ?? []) as IDataObject[]).map((reason) => reason.code);
const instant = (value: unknown) => (value ? new Date(String(value)).toISOString() : null);

/** The shares the sync's key manages in a group: email → [from, until] (ISO). */
async function managed(group: number): Promise<Record<string, [string | null, string | null]>> {
	const out: Record<string, [string | null, string | null]> = {};
	for (const share of (await sandbox.state()).kisi.shares as IDataObject[]) {
		if (share.group_id === group && share.created_by_id === OWNER) out[String(share.email)] = [instant(share.valid_from), instant(share.valid_until)];
	}
	return out;
}

async function kisiWrites(): Promise<string[]> {
	return (await sandbox.requests({ service: 'kisi' })).filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path}`);
}

async function run(workflow: { id: string }): Promise<Execution> {
	return await n8n.runManually(workflow.id, 'Run now');
}

// --- 1. Payment Grace Days -------------------------------------------------------------------------

describe(`Payment Grace Days = ${GRACE_DAYS} on the TeamUp → Kisi template`, () => {
	it('a payment failed N−1 days ago keeps the share until the grace end (midnight in the gym\'s zone); one failed N+1 days ago loses it; a manual block gets no grace', async () => {
		// Ivan's invoice failed 3 days ago (the demo); Jade's retried invoice fell due 5 days ago; Kai
		// is blocked by hand (a registration block). All three still have the share an earlier run made.
		// The demo's dates are days before today in London: not across a midnight there between building it and the run.
		const tillMidnight = DateTime.now().setZone(DEMO_TIME_ZONE).endOf('day').toMillis() - Date.now();
		if (tillMidnight < 180_000) await new Promise((resolve) => setTimeout(resolve, tillMidnight + 5_000));
		const customers = new Map<string, unknown>();
		await reset((scenario) => {
			for (const customer of scenario.teamup.customers) customers.set(String(customer.email), customer.id);
			const jade = scenario.teamup.invoices.find((invoice) => invoice.payer === customers.get(JADE))!;
			jade.due_date = londonDay(-(GRACE_DAYS + 1)).toISODate();
			scenario.kisi.shares.push(...[IVAN, JADE, KAI].map((email, i) => earlierShare(9501 + i, email, DEMO_KISI.teamupGroupId)));
		});
		const ivanDue = (await sandbox.state()).teamup.invoices.find((invoice: IDataObject) => invoice.payer === customers.get(IVAN)).due_date;
		expect(ivanDue).toBe(londonDay(-(GRACE_DAYS - 1)).toISODate());

		const execution = await run(GRACE);
		expect(execution.status).toBe('success');
		const graceEnd = iso(londonDay(-(GRACE_DAYS - 1)).plus({ days: GRACE_DAYS })); // tomorrow 00:00 in London
		expect(decisionOf(execution, IVAN)).toMatchObject({ access: 'allow', activeNow: true, validUntil: graceEnd });
		expect(decisionOf(execution, IVAN).reasons).toEqual([
			expect.objectContaining({ code: 'MEMBERSHIP_PAYMENT_GRACE', message: expect.stringContaining(`grace of ${GRACE_DAYS} days until ${londonDay(1).toFormat('yyyy-MM-dd')} 00:00 Europe/London`) }),
		]);
		expect(changeOf(execution, TEAMUP_SYNC, IVAN)).toMatchObject({ action: 'update' });

		expect(decisionOf(execution, JADE)).toMatchObject({ access: 'deny' });
		expect((decisionOf(execution, JADE).denials as IDataObject[]).find((denial) => denial.code === 'MEMBERSHIP_BLOCKED')!.message).toContain(
			`the grace of ${GRACE_DAYS} days ended at ${londonDay(-1).toFormat('yyyy-MM-dd')} 00:00 Europe/London`,
		);
		expect(decisionOf(execution, KAI)).toMatchObject({ access: 'deny' });
		expect((decisionOf(execution, KAI).denials as IDataObject[]).find((denial) => denial.code === 'MEMBERSHIP_BLOCKED')!.message).toContain('blocked by hand');
		for (const email of [JADE, KAI]) expect(changeOf(execution, TEAMUP_SYNC, email)).toMatchObject({ action: 'delete' });

		const shares = await managed(DEMO_KISI.teamupGroupId);
		expect(shares[IVAN]?.[1]).toBe(graceEnd);
		expect(shares[JADE]).toBeUndefined();
		expect(shares[KAI]).toBeUndefined();
	});

	it('at exactly N calendar days after the failure the grace is over: a run a minute before keeps the share, the run at that instant removes it', async () => {
		const customers = new Map<string, unknown>();
		await reset((scenario) => {
			for (const customer of scenario.teamup.customers) customers.set(String(customer.email), customer.id);
			scenario.kisi.shares.push(...[IVAN, JADE].map((email, i) => earlierShare(9505 + i, email, DEMO_KISI.teamupGroupId)));
		}, GRACE_DAY);
		const invoices = (await sandbox.state()).teamup.invoices as IDataObject[];
		for (const email of [IVAN, JADE]) expect(invoices.find((invoice) => invoice.payer === customers.get(email))).toMatchObject({ due_date: GRACE_FAILED });
		expect(GRACE_END.toISOString()).toBe('2026-03-03T00:00:00.000Z');

		const lastMinute = await run(GRACE_LAST_MINUTE);
		expect(lastMinute.status).toBe('success');
		for (const email of [IVAN, JADE]) {
			expect(decisionOf(lastMinute, email)).toMatchObject({ access: 'allow', activeNow: true, evaluatedAt: '2026-03-02T23:59:00.000Z', validUntil: GRACE_END.toISOString() });
			expect(codes(decisionOf(lastMinute, email).reasons)).toEqual(['MEMBERSHIP_PAYMENT_GRACE']);
			expect(changeOf(lastMinute, TEAMUP_SYNC, email)).toMatchObject({ action: 'update' });
			expect((await managed(DEMO_KISI.teamupGroupId))[email]?.[1]).toBe(GRACE_END.toISOString());
		}

		const atEnd = await run(GRACE_AT_END);
		expect(atEnd.status).toBe('success');
		for (const email of [IVAN, JADE]) {
			expect(decisionOf(atEnd, email)).toMatchObject({ access: 'deny', evaluatedAt: GRACE_END.toISOString() });
			expect((decisionOf(atEnd, email).denials as IDataObject[]).find((denial) => denial.code === 'MEMBERSHIP_BLOCKED')!.message).toContain(
				`payment failed ${GRACE_FAILED} 00:00 Europe/London: the grace of ${GRACE_DAYS} days ended at 2026-03-03 00:00 Europe/London`,
			);
			expect(changeOf(atEnd, TEAMUP_SYNC, email)).toMatchObject({ action: 'delete' });
			expect((await managed(DEMO_KISI.teamupGroupId))[email]).toBeUndefined();
		}
	});

	it('across the change to summer time: the grace ends at midnight in the gym\'s zone after N calendar days, not N × 24 hours', async () => {
		await reset((scenario) => scenario.kisi.shares.push(earlierShare(9504, IVAN, DEMO_KISI.teamupGroupId)), DST_DAY);
		expect(londonDay(-(GRACE_DAYS - 1)).toISODate()).toBe('2027-03-25');
		const execution = await run(GRACE_DST);
		expect(execution.status).toBe('success');
		expect(decisionOf(execution, IVAN)).toMatchObject({ access: 'allow', activeNow: true, evaluatedAt: DST_DAY.toISOString(), validUntil: '2027-03-28T23:00:00.000Z' });
		expect(codes(decisionOf(execution, IVAN).reasons)).toEqual(['MEMBERSHIP_PAYMENT_GRACE']);
		expect((await managed(DEMO_KISI.teamupGroupId))[IVAN]?.[1]).toBe('2027-03-28T23:00:00.000Z');
	});
});

// --- 2. Deny List ----------------------------------------------------------------------------------

describe('Deny List on the TeamUp → Kisi template', () => {
	it('a deny-listed member with a valid membership loses the share, with DENY_LISTED in the evaluator\'s output; nobody else is touched', async () => {
		await reset((scenario) => scenario.kisi.shares.push(earlierShare(9511, ANA, DEMO_KISI.teamupGroupId)));
		const execution = await run(DENY);
		expect(execution.status).toBe('success');
		expect(decisionOf(execution, ANA)).toMatchObject({
			access: 'deny',
			activeNow: false,
			denials: [{ code: 'DENY_LISTED', message: `E-mail ${ANA} is on the Deny List; the rules would otherwise grant access` }],
		});
		expect(changeOf(execution, TEAMUP_SYNC, ANA)).toMatchObject({ action: 'delete' });
		const shares = await managed(DEMO_KISI.teamupGroupId);
		expect(shares[ANA]).toBeUndefined();
		// Everyone the demo's TeamUp allows but Ana has a share.
		const allowed = demoExpectations(now).filter((row) => row.email && row.teamup?.access === 'allow' && row.email !== ANA).map((row) => row.email!);
		expect(Object.keys(shares).sort()).toEqual(allowed.sort());
	});
});

// --- 3. Hold Keeps Bookings -------------------------------------------------------------------------

describe('Hold Keeps Bookings on the TeamUp → Kisi template: a member on hold registered for a class', () => {
	it('off (as shipped): no share; on: a share for the session\'s window (an hour either side of the class)', async () => {
		let session: IDataObject = {};
		await reset((scenario) => {
			const id = (email: string) => scenario.teamup.customers.find((customer) => customer.email === email)!.id;
			const bens = scenario.teamup.attendances.find((attendance) => attendance.customer === id(BEN))!; // Afternoon Yoga, in 45 minutes
			session = scenario.teamup.events.find((event) => event.id === bens.event)!;
			scenario.teamup.attendances.push({ ...bens, id: 79_001, customer: id(CARLA), customer_membership: null });
		});
		const window = [new Date(Date.parse(String(session.starts_at)) - 3_600_000).toISOString(), new Date(Date.parse(String(session.ends_at)) + 3_600_000).toISOString()];

		const off = await run(TEAMUP);
		expect(off.status).toBe('success');
		expect(decisionOf(off, CARLA)).toMatchObject({ access: 'deny' });
		expect(codes(decisionOf(off, CARLA).denials)).toEqual(expect.arrayContaining(['MEMBERSHIP_ON_HOLD', 'REGISTRATION_DURING_HOLD']));
		expect((await managed(DEMO_KISI.teamupGroupId))[CARLA]).toBeUndefined();

		const on = await run(HOLD);
		expect(on.status).toBe('success');
		expect(decisionOf(on, CARLA)).toMatchObject({ access: 'allow', activeNow: true, validFrom: window[0], validUntil: window[1] });
		expect(codes(decisionOf(on, CARLA).reasons)).toEqual(['REGISTRATION_WINDOW']);
		expect(changeOf(on, TEAMUP_SYNC, CARLA)).toMatchObject({ action: 'create' });
		expect((await managed(DEMO_KISI.teamupGroupId))[CARLA]).toEqual(window);
	});
});

// --- 4. Re-check after a wait -----------------------------------------------------------------------

describe('On Mass Revocation = Re-Check After a Wait (the Glofox template, its 2-minute Wait shortened to 5 s, and to 66 s)', () => {
	let page: IDataObject;
	let synced: Record<string, [string | null, string | null]>;
	/** Ten members with a share from the first sync, who vanish from Glofox's member list in the glitch. */
	let missing: string[];

	beforeEach(async () => {
		await reset();
		const first = await run(RECHECK); // the first sync of the day: nothing to re-check
		expect([first.status, runsOf(first, WAIT)]).toEqual(['success', 0]);
		synced = await managed(DEMO_KISI.glofoxGroupId);
		const g = DEMO_CREDENTIALS.glofox;
		const response = await fetch(`${sandbox.glofoxUrl}/2.0/members?active=any&page=1&limit=100`, {
			headers: { 'x-api-key': g.apiKey, 'x-glofox-api-token': g.apiToken, 'x-glofox-branch-id': g.branchId },
		});
		page = (await response.json()) as IDataObject;
		const single = new Set(demoExpectations(now).filter((row) => row.glofox?.access === 'allow' && row.glofox.basis!.includes('membership') && row.glofoxMemberIds.length === 1 && !row.glofox.duplicate).map((row) => row.email));
		missing = (page.data as IDataObject[]).map((member) => String(member.email).toLowerCase()).filter((email) => single.has(email) && synced[email]).slice(0, 10);
		expect(missing).toHaveLength(10);
		await sandbox.clearRequests();
	});

	/** Glofox lists its members without the ten (a glitch): for the next `times` list reads, or until cleared. */
	async function glitch(times?: number): Promise<number> {
		const data = (page.data as IDataObject[]).filter((member) => !missing.includes(String(member.email).toLowerCase()));
		const body = JSON.stringify({ ...page, data, total_count: data.length, has_more: false });
		return (await sandbox.fault({ service: 'glofox', method: 'GET', path: '/2.0/members', status: 200, body, ...(times ? { times } : {}) })).id;
	}
	const memberListReads = async () => (await sandbox.requests({ service: 'glofox', path: '/2.0/members' })).length;

	it('a glitch that clears before the second read: nobody loses access, and the output says the second read changed the picture', async () => {
		await glitch(1);
		const execution = await run(RECHECK);

		expect(execution.status).toBe('success');
		expect([runsOf(execution, GLOFOX_SOURCE), runsOf(execution, GLOFOX_SYNC), runsOf(execution, WAIT)]).toEqual([2, 2, 1]);
		expect(await memberListReads()).toBe(2); // the glitched read, then the good one after the wait
		expect(output(execution, GLOFOX_SYNC, 0, 0)).toEqual([]);
		expect(output(execution, GLOFOX_SYNC, 1, 0)).toEqual([
			expect.objectContaining({ recheck: 'needed', groupId: DEMO_KISI.glofoxGroupId, revocations: 10, emails: [...missing].sort() }),
		]);
		const second = output(execution, GLOFOX_SYNC, 0, 1);
		expect(second.filter((item) => missing.includes(String(item.email))).map((item) => [item.email, item.action])).toEqual([...missing].sort().map((email) => [email, 'unchanged']));
		expect(second.length).toBeGreaterThan(0);
		for (const item of second) expect(item.recheck).toEqual({ changed: true, message: expect.stringMatching(/^The second read of the source changed the picture: the first read would revoke 10 people, the second 0 people/) });
		expect(await kisiWrites()).toEqual([]);
		expect(await managed(DEMO_KISI.glofoxGroupId)).toEqual(synced);
	});

	it('a glitch that stays: the run fails "Confirmed on a second read" and writes nothing', async () => {
		await glitch();
		const execution = await run(RECHECK);

		expect(execution.status).toBe('error');
		expect([runsOf(execution, GLOFOX_SOURCE), runsOf(execution, GLOFOX_SYNC), runsOf(execution, WAIT)]).toEqual([2, 2, 1]);
		expect(await memberListReads()).toBe(2);
		const failed = (execution.runData[GLOFOX_SYNC] as NodeRun[])[1];
		expect(failed.error?.message).toMatch(/^The sync would revoke 10 shares, more than the limit of 5 .* Confirmed on a second read of the source: both reads would revoke these\. Nothing was written\./);
		expect(await kisiWrites()).toEqual([]);
		expect(await managed(DEMO_KISI.glofoxGroupId)).toEqual(synced);
	});

	it('parked in n8n\'s database for a wait over 65 s, the execution resumes and re-reads: a glitch that clears while it waits costs nobody access', async () => {
		const fault = await glitch();
		const { executionId } = await n8n.rest<{ executionId: string }>('POST', `/workflows/${PARKED.id}/run`, { triggerToStartFrom: { name: 'Run now' } });
		const until = async (done: (execution: Execution) => boolean) => {
			for (const deadline = Date.now() + 180_000; ; ) {
				const execution = await n8n.execution(executionId);
				if (done(execution)) return execution;
				if (Date.now() > deadline) throw new Error(`Execution ${executionId} is still ${execution.status}`);
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		};
		const parked = await until((execution) => execution.status !== 'new' && execution.status !== 'running');
		expect(parked).toMatchObject({ status: 'waiting', waitTill: expect.any(String) });
		expect(output(parked, GLOFOX_SYNC, 1, 0)).toEqual([expect.objectContaining({ recheck: 'needed', revocations: 10 })]);
		expect(await kisiWrites()).toEqual([]);
		await sandbox.control('DELETE', `/faults/${fault}`); // Glofox is back to normal while the execution waits

		const resumed = await until((execution) => ['success', 'error', 'crashed', 'canceled'].includes(execution.status));
		expect(resumed.status).toBe('success');
		expect([runsOf(resumed, GLOFOX_SOURCE), runsOf(resumed, GLOFOX_SYNC), runsOf(resumed, WAIT)]).toEqual([2, 2, 1]);
		const second = output(resumed, GLOFOX_SYNC, 0, 1);
		expect(second.filter((item) => missing.includes(String(item.email))).map((item) => [item.email, item.action])).toEqual([...missing].sort().map((email) => [email, 'unchanged']));
		for (const item of second) expect(item.recheck).toMatchObject({ changed: true });
		expect(await kisiWrites()).toEqual([]);
		expect(await managed(DEMO_KISI.glofoxGroupId)).toEqual(synced);
	});
});

describe('On Mass Revocation = Re-Check After a Wait on the TeamUp template (its Wait shortened to 5 s)', () => {
	it('TeamUp answers one read of the customer memberships empty: the second read restores them, nobody loses access', async () => {
		await reset();
		expect((await run(TEAMUP_RECHECK)).status).toBe('success'); // the first sync
		const synced = await managed(DEMO_KISI.teamupGroupId);
		await sandbox.clearRequests();
		// TeamUp's list envelope, empty: every membership-only member looks as if they had none.
		const fault = await sandbox.fault({ service: 'teamup', method: 'GET', path: '/customer_memberships', status: 200, body: JSON.stringify({ count: 0, next: null, previous: null, results: [] }), times: 1 });
		const execution = await run(TEAMUP_RECHECK);

		expect(execution.status).toBe('success');
		expect(((await sandbox.control('GET', '/faults')) as IDataObject[]).find((candidate) => candidate.id === fault.id)).toMatchObject({ fired: 1 });
		expect([runsOf(execution, 'TeamUp: access profiles'), runsOf(execution, TEAMUP_SYNC), runsOf(execution, WAIT)]).toEqual([2, 2, 1]);
		const [needed] = output(execution, TEAMUP_SYNC, 1, 0);
		expect(needed).toMatchObject({ recheck: 'needed', groupId: DEMO_KISI.teamupGroupId });
		expect(needed.revocations).toBeGreaterThan(5);
		for (const email of needed.emails as string[]) expect(synced[email]).toBeDefined();
		const second = output(execution, TEAMUP_SYNC, 0, 1);
		expect(second.filter((item) => (needed.emails as string[]).includes(String(item.email))).map((item) => item.action)).toEqual((needed.emails as string[]).map(() => 'unchanged'));
		for (const item of second) expect(item.recheck).toMatchObject({ changed: true });
		expect(await kisiWrites()).toEqual([]);
		expect(await managed(DEMO_KISI.teamupGroupId)).toEqual(synced);
	});
});

// --- 5. Kisi Trigger: Denied Unlocks Output ---------------------------------------------------------

describe('Kisi Trigger with "Denied Unlocks Output" on (published: its signed webhook registered in Kisi)', () => {
	it('a denied unlock comes out on "Denied Unlocks" (staff alerted), a granted one on the first output', async () => {
		await reset();
		const before = (await n8n.executions(TRIGGER_ID)).length;

		const denied = await n8n.execution((await unlockAndWait({ email: LENA, lock_id: DEMO_KISI.lockIds.frontDoor, success: false }, before + 1)).id);
		expect(denied.status).toBe('success');
		const deniedItems = output(denied, 'Kisi Trigger', 1);
		expect(deniedItems).toEqual([expect.objectContaining({ type: 'lock.unlock', email: LENA, lockId: DEMO_KISI.lockIds.frontDoor, success: false })]);
		expect(output(denied, 'Kisi Trigger', 0)).toEqual([]);
		expect([runsOf(denied, 'Alert staff'), runsOf(denied, 'Came in')]).toEqual([1, 0]);

		const granted = await n8n.execution((await unlockAndWait({ email: LENA, lock_id: DEMO_KISI.lockIds.frontDoor, success: true }, before + 2)).id);
		expect(granted.status).toBe('success');
		expect(output(granted, 'Kisi Trigger', 0)).toEqual([expect.objectContaining({ type: 'lock.unlock', email: LENA, lockId: DEMO_KISI.lockIds.frontDoor })]);
		expect(output(granted, 'Kisi Trigger', 1)).toEqual([]);
		expect([runsOf(granted, 'Came in'), runsOf(granted, 'Alert staff')]).toEqual([1, 0]);
	});

	/** One signed unlock delivered to n8n; the newest execution once there are `count`. */
	async function unlockAndWait(body: { email: string; lock_id: number; success: boolean }, count: number) {
		const { deliveries } = await sandbox.kisiUnlock(body);
		expect(deliveries.map((delivery: IDataObject) => delivery.status)).toEqual([200]);
		const [newest] = await n8n.waitForExecutions(TRIGGER_ID, count);
		return newest;
	}
});

// --- 6. Several Glofox locations, one Kisi group ------------------------------------------------------

describe('two Glofox branches sharing a member\'s e-mail, merged into one evaluator and one sync on "All Branches"', () => {
	const anaMain = () => demoExpectations(now).find((row) => row.email === ANA)!.glofox!;
	const riverWindow = (key: keyof typeof RIVER): [string, string] => [iso(londonDay(RIVER[key][0])), iso(londonDay(RIVER[key][1]))];
	const setStatus = async (client: SandboxClient, status: string) => {
		const state = await client.state();
		const ana = (state.glofox.members as IDataObject[]).find((member) => member.email === ANA)!;
		ana.membership = { ...(ana.membership as IDataObject), status };
		await client.load({ ...state, rateLimits: false });
	};
	const sync = async () => {
		const execution = await run(BRANCHES);
		expect(execution.status).toBe('success');
		return execution;
	};

	it('the shared member keeps access while either branch grants it, and loses it only when neither does', async () => {
		await reset();
		const main = anaMain();
		expect(main).toMatchObject({ access: 'allow' });
		const [riverFrom, riverUntil] = riverWindow('ana');
		// The demo's Main Street membership started before Riverside's and ends before it.
		expect([Date.parse(main.validFrom!) < Date.parse(riverFrom), Date.parse(main.validUntil!) < Date.parse(riverUntil)]).toEqual([true, true]);

		// Both branches grant: one share, for the union of the two memberships.
		const both = await sync();
		expect(runsOf(both, EVALUATOR)).toBe(1);
		expect(codes(decisionOf(both, ANA).reasons)).toContain('DUPLICATE_EMAIL');
		let group = await managed(ALL_BRANCHES_GROUP);
		expect(group[ANA]).toEqual([main.validFrom, riverUntil]);
		expect(group[RUI]).toEqual(riverWindow('rui'));
		expect(group[DAN]).toEqual(riverWindow('dan')); // expired at Main Street, active at Riverside

		// Riverside cancels her: Main Street still grants her.
		await setStatus(riverside, 'CANCELLED');
		await sync();
		expect((await managed(ALL_BRANCHES_GROUP))[ANA]).toEqual([main.validFrom, main.validUntil]);

		// Riverside again, and Main Street's membership expires: Riverside grants her.
		await setStatus(riverside, 'ACTIVE');
		await setStatus(sandbox, 'EXPIRED');
		await sync();
		expect((await managed(ALL_BRANCHES_GROUP))[ANA]).toEqual([riverFrom, riverUntil]);

		// Neither branch: the share goes, and only hers.
		await setStatus(riverside, 'CANCELLED');
		const neither = await sync();
		expect(output(neither, 'Kisi: sync All Branches').filter((item) => item.action === 'delete').map((item) => item.email)).toEqual([ANA]);
		group = await managed(ALL_BRANCHES_GROUP);
		expect(group[ANA]).toBeUndefined();
		expect([group[RUI], group[DAN]]).toEqual([riverWindow('rui'), riverWindow('dan')]);
	});
});
