/**
 * The tiered access template (`teamup-kisi-tiered-access.json`) through n8n's engine against the
 * sandbox's demo gym: one read of TeamUp, three tiers on three Kisi groups ("Members", "Premium
 * Members", "Class Access"). What an owner relies on: a person in several tiers has a share in each
 * group, leaving a tier removes only that group's share, and one tier's failure (its guard, a
 * missing group) neither stops the other tiers nor goes unreported. Then the same pattern with
 * Glofox profiles and two tiers.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ScenarioInput } from '../../../sandbox';
import { buildDemoScenario, DEMO_KISI, DEMO_NOW, demoExpectations, type DemoOutcome } from '../../../sandbox/scenarios/demo';
import { runWorkflow, type RunResult, type WorkflowJson } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { evaluatedAt, loadTemplate, sandboxCredentials, withParameters } from '../../harness/templates';

jest.setTimeout(120_000);

const NOW = new Date(DEMO_NOW);
const OWNER = DEMO_KISI.users.owner;
const GROUPS = { Members: DEMO_KISI.membersGroupId, 'Premium Members': DEMO_KISI.premiumGroupId, 'Class Access': DEMO_KISI.classGroupId } as const;
type Tier = keyof typeof GROUPS;

/** The demo gym without the sandbox's rate limits (pacing is tested elsewhere), and credentials to match. */
const demo = (): ScenarioInput => ({ ...buildDemoScenario(NOW), rateLimits: false });
const credentials = (url: string) => sandboxCredentials(url, { kisi: { requestsPerSecond: 100 }, glofox: { requestsPerSecond: 100 }, teamup: { requestsPerMinute: 6000 } });
const sandbox = withSandbox(demo);

const tiered = (at: Date = NOW) => evaluatedAt(loadTemplate('teamup-kisi-tiered-access'), at);

async function run(workflow: WorkflowJson = tiered()): Promise<RunResult> {
	return await runWorkflow(workflow, { credentials: credentials(sandbox.url), startNode: 'Run now' });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type State = any;

async function shares(group: number): Promise<IDataObject[]> {
	return ((await sandbox.state()).kisi.shares as IDataObject[]).filter((share) => share.group_id === group);
}

/** The shares this Kisi key manages in a group: email → [share id, from, until] (epoch ms). */
async function managed(group: number): Promise<Record<string, [number, number | null, number | null]>> {
	const out: Record<string, [number, number | null, number | null]> = {};
	for (const share of await shares(group)) {
		if (share.created_by_id !== OWNER) continue;
		out[String(share.email)] = [Number(share.id), instant(share.valid_from), instant(share.valid_until)];
	}
	return out;
}

const instant = (value: unknown) => (value === null || value === undefined || value === '' ? null : Date.parse(String(value)));
const teamup = (filter: (outcome: DemoOutcome) => boolean) => demoExpectations(NOW).filter((row) => row.email && row.teamup?.access === 'allow' && filter(row.teamup));

/** Writes to Kisi since the last `clearRequests`, as `METHOD path`. */
async function kisiWrites(): Promise<string[]> {
	return (await sandbox.requests({ service: 'kisi' })).filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path}`);
}

async function reload(change: (state: State) => void): Promise<void> {
	const state = await sandbox.state();
	change(state);
	await sandbox.load({ ...state, rateLimits: false });
	await sandbox.clearRequests();
}

describe('the tiered template on the demo gym', () => {
	beforeAll(async () => {
		await sandbox.load(demo());
	});

	it('one run fills each group with exactly its tier: members, Premium plan holders, people registered for a class', async () => {
		const result = await run();
		expect(result.status).toBe('success');
		expect(result.runs('TeamUp: access profiles')).toBe(1);

		// Members: every active membership (any plan), for the membership's whole validity.
		const members = teamup((outcome) => outcome.basis!.includes('membership'));
		expect(await managed(GROUPS.Members)).toEqual(
			Object.fromEntries(members.map((row) => [row.email, [expect.any(Number), instant(row.teamup!.validFrom), instant(row.teamup!.validUntil)]])),
		);
		// Premium Members: Grace and Hugo (TeamUp's Premium plan), not Ana (Unlimited Monthly), whose share from her Premium days is gone.
		expect(Object.keys(await managed(GROUPS['Premium Members'])).sort()).toEqual(['grace.kim@example.com', 'hugo.laurent@example.com']);
		expect((await shares(GROUPS['Premium Members'])).some((share) => share.id === DEMO_KISI.shares.anaPremium)).toBe(false);
		// Class Access: people registered for a session, for that session's window only (never a membership's).
		const classes = await managed(GROUPS['Class Access']);
		expect(Object.keys(classes).sort()).toEqual(teamup((outcome) => outcome.basis!.includes('registration')).map((row) => row.email).sort());
		for (const row of teamup((outcome) => outcome.basis!.join() === 'registration')) {
			expect({ email: row.email, window: classes[row.email!].slice(1) }).toEqual({ email: row.email, window: [instant(row.teamup!.validFrom), instant(row.teamup!.validUntil)] });
		}
		expect(Object.values(classes).every(([, from, until]) => from !== null && until !== null && until - from <= 4 * 3_600_000)).toBe(true);
	});

	it('a person in several tiers has a share in each of their groups; staff and hand-made shares are untouched', async () => {
		const grace = 'grace.kim@example.com'; // Premium plan, registered for Evening Spin
		const ben = 'ben.okafor@example.com'; // Unlimited Monthly, registered for Afternoon Yoga
		const inGroups = async (email: string) => {
			const found: Tier[] = [];
			for (const tier of Object.keys(GROUPS) as Tier[]) if ((await managed(GROUPS[tier]))[email]) found.push(tier);
			return found;
		};
		// Its own run on a fresh demo gym (Grace has no share there yet), so that the case passes on its own.
		await sandbox.load(demo());
		expect(await inGroups(grace)).toEqual([]);
		expect((await run()).status).toBe('success');
		expect(await inGroups(grace)).toEqual(['Members', 'Premium Members', 'Class Access']);
		expect(await inGroups(ben)).toEqual(['Members', 'Class Access']);
		expect(await inGroups('lena.fischer@example.com')).toEqual(['Class Access']); // pay as you go
		expect((await shares(GROUPS.Members)).find((share) => share.id === DEMO_KISI.shares.staffMembers)).toMatchObject({ email: 'coach.theo@demo.gym' });
		expect((await shares(GROUPS.Members)).some((share) => share.id === DEMO_KISI.shares.danMembers)).toBe(false); // expired
	});

	it('a second run writes nothing', async () => {
		await sandbox.clearRequests();
		expect((await run()).status).toBe('success');
		expect(await kisiWrites()).toEqual([]);
	});

	it('leaving a tier removes only that tier\'s share: Grace moves from Premium to Unlimited Monthly', async () => {
		const before = { members: await managed(GROUPS.Members), classes: await managed(GROUPS['Class Access']) };
		const premiumShare = (await managed(GROUPS['Premium Members']))['grace.kim@example.com'][0];
		await reload((state) => {
			const grace = state.teamup.customers.find((customer: IDataObject) => customer.email === 'grace.kim@example.com');
			const membership = state.teamup.customer_memberships.find((cm: IDataObject) => cm.customer === grace.id);
			Object.assign(membership, { membership: 4401, name: 'Unlimited Monthly' }); // same dates
		});
		// The next scheduled run, a quarter of an hour later (a share is never changed on decisions older than it).
		const later = new Date(NOW.getTime() + 15 * 60_000);
		await sandbox.control('POST', '/clock', { now: later.toISOString() });
		const result = await run(tiered(later));
		expect(result.status).toBe('success');
		expect(await kisiWrites()).toEqual([`DELETE /shares/${premiumShare}`]);
		expect(Object.keys(await managed(GROUPS['Premium Members']))).toEqual(['hugo.laurent@example.com']);
		expect(await managed(GROUPS.Members)).toEqual(before.members);
		expect(await managed(GROUPS['Class Access'])).toEqual(before.classes);
		expect(result.output('Kisi: sync Premium Members')).toEqual([
			expect.objectContaining({ action: 'delete', email: 'grace.kim@example.com', shareId: premiumShare, groupId: GROUPS['Premium Members'] }),
		]);
	});

	it("one tier refused by its guard and one whose group is gone: the other tier syncs, then the execution fails naming both", async () => {
		await sandbox.load(demo());
		// Premium Members holds earlier shares of eight people who are no longer on the plan: more than its limit of 5.
		const stale = ['ana.ruiz', 'ben.okafor', 'chloe.martin', 'diego.alvarez', 'elif.yilmaz', 'finn.obrien', 'isla.macleod', 'jonas.berg'].map((name) => `${name}@example.com`);
		await reload((state) => {
			state.kisi.shares = state.kisi.shares.filter((share: IDataObject) => share.group_id !== GROUPS['Premium Members']);
			stale.forEach((email, i) =>
				state.kisi.shares.push({ id: 9700 + i, email, group_id: GROUPS['Premium Members'], role_id: 'basic', created_by_id: OWNER, valid_from: '2025-01-01T00:00:00Z', valid_until: null, created_at: '2025-01-01T00:00:00Z' }),
			);
			// Someone deleted the Class Access group in Kisi.
			state.kisi.groups = state.kisi.groups.filter((group: IDataObject) => group.id !== GROUPS['Class Access']);
			state.kisi.group_locks = state.kisi.group_locks.filter((link: IDataObject) => link.group_id !== GROUPS['Class Access']);
		});
		const premiumBefore = await shares(GROUPS['Premium Members']);

		const result = await run();
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			/^Not every tier synced\. Premium Members: The sync would revoke 8 shares, more than the limit of 5 .* \| Class Access: No Kisi group is named "Class Access"$/,
		);
		// Every tier ran before the report: Members synced (Dan's expired share gone), Premium Members untouched.
		for (const node of ['Kisi: sync Members', 'Kisi: sync Premium Members', 'Kisi: sync Class Access']) expect({ node, ran: result.ran(node) }).toEqual({ node, ran: true });
		expect(result.runs('Fail, naming those tiers')).toBe(1);
		expect((await shares(GROUPS.Members)).some((share) => share.id === DEMO_KISI.shares.danMembers)).toBe(false);
		expect(Object.keys(await managed(GROUPS.Members))).toContain('grace.kim@example.com');
		expect(await shares(GROUPS['Premium Members'])).toEqual(premiumBefore);
		expect(await kisiWrites()).not.toContainEqual(expect.stringMatching(/^DELETE \/shares\/97\d\d$/));
		// What the report received: each failed tier's error, node and group.
		expect(result.output('Tiers that did not sync')).toEqual([
			{ error: expect.stringMatching(/^The sync would revoke 8 shares/), details: { description: expect.stringContaining('Nothing was changed'), node: 'Kisi: sync Premium Members', group: 'Premium Members' } },
			{ error: 'No Kisi group is named "Class Access"', details: { description: expect.stringContaining('Create an organization group'), node: 'Kisi: sync Class Access', group: 'Class Access' } },
		]);
	});
});

describe('the same pattern with Glofox', () => {
	/**
	 * What an operator builds from the tiered template for a Glofox gym: the TeamUp node replaced by
	 * Glofox's Access Profile, two tiers ("Members"; "Class Pack Members": the Glofox catalogue's
	 * Class Pack), the third tier removed and the report's inputs lowered to two.
	 */
	function glofoxTiers(): WorkflowJson {
		const template = loadTemplate('teamup-kisi-tiered-access');
		const json = withParameters(template, {
			'Premium Members: who may enter': { allowedMemberships: 'Class Pack' },
			'Kisi: sync Premium Members': { groupId: { __rl: true, mode: 'name', value: 'Class Pack Members' } },
			'Tiers that did not sync': { numberInputs: 2 },
		});
		const remove = new Set(['Class Access: who may enter', 'Kisi: sync Class Access']);
		json.nodes = json.nodes.filter((node) => !remove.has(node.name));
		for (const name of remove) delete json.connections[name];
		const source = json.nodes.find((node) => node.name === 'TeamUp: access profiles')!;
		Object.assign(source, {
			name: 'Glofox: access profiles',
			type: 'n8n-nodes-gym-access.glofox',
			credentials: { glofoxApi: { id: 'GlofoxAccount001', name: 'Glofox account' } },
		});
		json.connections['Glofox: access profiles'] = json.connections['TeamUp: access profiles'];
		delete json.connections['TeamUp: access profiles'];
		json.connections['Glofox: access profiles'].main[0] = json.connections['Glofox: access profiles'].main[0]!.filter((connection) => !remove.has(connection.node));
		for (const trigger of ['Every 15 minutes (UTC)', 'Run now']) json.connections[trigger].main[0]![0].node = 'Glofox: access profiles';
		return evaluatedAt(json, NOW);
	}

	it('two tiers from one read of Glofox: pack holders are in both groups, a lapsed pack leaves only its own', async () => {
		await sandbox.load(demo());
		await reload((state) => {
			state.kisi.groups.push({ id: 507, name: 'Class Pack Members', place_id: null, created_at: '2025-06-01T00:00:00Z' });
			// An earlier run's share for Gus, whose pack is used up.
			state.kisi.shares.push({ id: 9800, email: 'gus.ferreira@example.com', group_id: 507, role_id: 'basic', created_by_id: OWNER, valid_from: '2026-01-01T00:00:00Z', valid_until: null, created_at: '2026-01-01T00:00:00Z' });
		});
		const result = await run(glofoxTiers());
		expect(result.status).toBe('success');
		expect(result.runs('Glofox: access profiles')).toBe(1);

		const glofox = demoExpectations(NOW).filter((row) => row.email && row.glofox?.access === 'allow' && row.glofox.basis!.includes('membership'));
		expect(Object.keys(await managed(GROUPS.Members)).sort()).toEqual(glofox.map((row) => row.email).sort());
		const packs = await managed(507);
		expect(Object.keys(packs).sort()).toEqual(['hana.sato@example.com', 'rosa.almeida@example.com']);
		for (const email of Object.keys(packs)) {
			const row = glofox.find((candidate) => candidate.email === email)!;
			expect(packs[email].slice(1)).toEqual([instant(row.glofox!.validFrom), instant(row.glofox!.validUntil)]);
			expect((await managed(GROUPS.Members))[email]).toBeDefined(); // in both tiers
		}
		expect(result.output('Kisi: sync Premium Members')).toContainEqual(expect.objectContaining({ action: 'delete', email: 'gus.ferreira@example.com', shareId: 9800 }));
		expect((await managed(GROUPS.Members))['gus.ferreira@example.com']).toBeUndefined(); // used-up pack: no tier
	});
});
