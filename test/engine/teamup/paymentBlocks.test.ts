/**
 * Failed and retrying payments, through the shipped TeamUp → Kisi template (TeamUp Access Profile →
 * Access Rule Evaluator → Kisi Sync Group Access) in n8n's engine against the sandbox, with invoices
 * in the shape of TeamUp's reference (a payer and line items with a billed item and a type; nothing
 * names the customer membership:
 * github.com/rob693/teamup-api-docs/blob/HEAD/invoices/endpoints_invoices-list.md). Run against the
 * demo (TeamUp offering only what its v2 reference documents) and against a TeamUp that also offers
 * the undocumented usage_summary and confirm_attendance (the scenario's `features`).
 */
import type { IDataObject } from 'n8n-workflow';

import { buildDemoScenario, DEMO_KISI, DEMO_NOW } from '../../../sandbox/scenarios/demo';
import { runWorkflow, type WorkflowJson } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { evaluatedAt, loadTemplate, sandboxCredentials, withParameters } from '../../harness/templates';

jest.setTimeout(90_000);

const NOW = new Date(DEMO_NOW);
const GROUP = DEMO_KISI.teamupGroupId;
const OWNER = DEMO_KISI.users.owner;
const SOURCE = 'TeamUp: access profiles';
const EVALUATOR = 'Decide who may enter';
const SYNC = 'Kisi: sync the TeamUp Members group';
const template = loadTemplate('teamup-kisi-access-sync');

type Scenario = IDataObject & { teamup: IDataObject & { features?: IDataObject; customers: IDataObject[]; customer_memberships: IDataObject[]; invoices: IDataObject[] } };

const worlds: Array<[string, () => Scenario]> = [
	['the demo TeamUp (its documented v2 calls only)', () => ({ ...(buildDemoScenario(NOW) as unknown as Scenario), rateLimits: false })],
	[
		'a TeamUp also offering its undocumented calls',
		() => {
			const demo = buildDemoScenario(NOW) as unknown as Scenario;
			return { ...demo, rateLimits: false, teamup: { ...demo.teamup, features: { confirm_attendance: true, usage_summary: true } } };
		},
	],
];

describe.each(worlds)('TeamUp payment blocks in the sync, %s', (_world, scenario) => {
	const sandbox = withSandbox(scenario);

	async function sync(workflow: WorkflowJson = template) {
		await sandbox.control('POST', '/clock', { now: NOW.toISOString(), frozen: true });
		return await runWorkflow(evaluatedAt(workflow, NOW), {
			credentials: sandboxCredentials(sandbox.url, { kisi: { requestsPerSecond: 50 }, teamup: { requestsPerMinute: 3000 } }),
			startNode: 'Run now',
		});
	}

	async function sharedEmails(): Promise<string[]> {
		const shares = ((await sandbox.state()).kisi.shares as IDataObject[]).filter((share) => share.group_id === GROUP && share.created_by_id === OWNER);
		return shares.map((share) => String(share.email)).sort();
	}

	/** Adds an invoice as TeamUp's invoice list shows it, paid (not) by the customer with `email`. */
	async function addInvoice(email: string, status: string, line: IDataObject) {
		const state = (await sandbox.state()) as Scenario;
		const payer = state.teamup.customers.find((customer) => customer.email === email)!;
		const ids = state.teamup.invoices.map((invoice) => Number(invoice.id));
		state.teamup.invoices.push({
			id: Math.max(...ids) + 1,
			status,
			payer: payer.id,
			due_date: '2026-03-01',
			created_at: '2026-02-27T09:00:00Z',
			total_amount_due: 60,
			line_items: [{ price: 60, total_amount_due: 60, ...line }],
		});
		await sandbox.load(state);
	}

	const denialCodes = (result: Awaited<ReturnType<typeof sync>>, email: string) =>
		(result.output(EVALUATOR).find((decision) => decision.email === email)!.denials as IDataObject[]).map((denial) => denial.code);

	it('a member with a failed or a retrying invoice gets no share; the others do', async () => {
		const result = await sync();
		expect(result.error).toBeUndefined();
		const emails = await sharedEmails();
		expect(emails).not.toContain('ivan.petrov@example.com');
		expect(emails).not.toContain('jade.thompson@example.com');
		expect(emails).toEqual(expect.arrayContaining(['ana.ruiz@example.com', 'chloe.martin@example.com', 'diego.alvarez@example.com']));
		expect(denialCodes(result, 'ivan.petrov@example.com')).toContain('MEMBERSHIP_BLOCKED');
		expect(denialCodes(result, 'jade.thompson@example.com')).toContain('MEMBERSHIP_BLOCKED');
		const ivan = result.output(SOURCE).find((profile) => profile.email === 'ivan.petrov@example.com')!;
		expect((ivan.memberships as IDataObject[])[0]).toMatchObject({ blocked: true, blockReason: expect.stringMatching(/^Failed payment \(invoice \d+ due 2026-02-27\)$/) });
	});

	it('a payment that fails (or is being retried) after access was granted: the next sync removes that share, and only that', async () => {
		const before = await sharedEmails();
		expect(before).toEqual(expect.arrayContaining(['diego.alvarez@example.com', 'finn.obrien@example.com', 'chloe.martin@example.com']));
		// Diego: the billed item as an id (not expanded, or an id of its own); Finn: retried, the billed
		// item naming the plan; Chloe: failed, but she is registered for Evening Spin tonight.
		await addInvoice('diego.alvarez@example.com', 'failed', { type: 'recurring_plan_membership', billed_item: 770001 });
		await addInvoice('finn.obrien@example.com', 'retrying', {
			type: 'recurring_plan_membership',
			billed_item: { id: 770002, name: 'Unlimited Monthly', type: 'billed_membership' },
		});
		await addInvoice('chloe.martin@example.com', 'failed', { type: 'recurring_plan_membership', billed_item: 770003 });
		const result = await sync();
		expect(result.error).toBeUndefined();
		const changes = result.output(SYNC).filter((item) => item.action !== 'skipped');
		expect(changes.map((item) => `${item.action} ${item.email}`).sort()).toEqual([
			'delete diego.alvarez@example.com',
			'delete finn.obrien@example.com',
			// The membership no longer opens the door; her class still does, around its time only.
			'update chloe.martin@example.com',
		]);
		expect(changes.find((item) => item.email === 'chloe.martin@example.com')).toMatchObject({ validFrom: expect.stringMatching(/^2026-03-02T17:30:00/), validUntil: expect.stringMatching(/^2026-03-02T20:30:00/) });
		expect(await sharedEmails()).toEqual(before.filter((email) => !['diego.alvarez@example.com', 'finn.obrien@example.com'].includes(email)));
		expect(denialCodes(result, 'finn.obrien@example.com')).toContain('MEMBERSHIP_BLOCKED');
		const finn = result.output(SOURCE).find((profile) => profile.email === 'finn.obrien@example.com')!;
		expect((finn.memberships as IDataObject[])[0].blockReason).toMatch(/^Payment being retried \(invoice \d+ due 2026-03-01\)$/);
	});

	it('a failed payment for a class booking (not a membership) blocks nobody', async () => {
		const before = await sharedEmails();
		await addInvoice('ana.ruiz@example.com', 'failed', { type: 'event_registration', billed_item: { id: 770003, name: 'Evening Spin', type: 'billed_event_registration' } });
		const result = await sync();
		expect(result.error).toBeUndefined();
		expect(result.output(SYNC).filter((item) => item.action !== 'skipped')).toEqual([]);
		expect(await sharedEmails()).toEqual(before);
	});

	it('with Allow Blocked Memberships, the blocked members get their share (back)', async () => {
		const result = await sync(withParameters(template, { [EVALUATOR]: { allowBlockedMemberships: true } }));
		expect(result.error).toBeUndefined();
		const changes = result.output(SYNC).filter((item) => item.action !== 'skipped');
		expect(changes.map((item) => `${item.action} ${item.email}`).sort()).toEqual([
			'create diego.alvarez@example.com',
			'create finn.obrien@example.com',
			'create ivan.petrov@example.com',
			'create jade.thompson@example.com',
			// Kai: blocked by hand in TeamUp (an active registration block).
			'create kai.nakamura@example.com',
			'update chloe.martin@example.com',
		]);
		const ivan = result.output(EVALUATOR).find((decision) => decision.email === 'ivan.petrov@example.com')!;
		expect(ivan).toMatchObject({ access: 'allow', reasons: [expect.objectContaining({ code: 'MEMBERSHIP_BLOCKED_ALLOWED' })] });
	});
});
