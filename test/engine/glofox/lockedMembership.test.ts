/**
 * The failed-payment rule for Glofox, through the shipped template chain (Glofox: access profiles →
 * Decide who may enter → Kisi: sync the Glofox Members group) against the sandbox: a member whose
 * membership Glofox marks LOCKED (its state after a failed payment) gets no new access and loses
 * the access the sync granted, unless the evaluator's "Allow Blocked Memberships" is on.
 */
import type { IDataObject } from 'n8n-workflow';

import { buildDemoScenario, DEMO_KISI, DEMO_NOW } from '../../../sandbox/scenarios/demo';
import { runWorkflow } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { evaluatedAt, loadTemplate, sandboxCredentials, withParameters } from '../../harness/templates';

jest.setTimeout(60_000);

const NOW = new Date(DEMO_NOW);
const GROUP = DEMO_KISI.glofoxGroupId;
const SYNC = 'Kisi: sync the Glofox Members group';
const EVALUATOR = 'Decide who may enter';
const ANA = 'ana.ruiz@example.com';
const IVAN = 'ivan.petrov@example.com';

const sandbox = withSandbox(() => buildDemoScenario(NOW));
const template = loadTemplate('glofox-kisi-access-sync');

async function sync(at: Date, allowBlocked = false) {
	await sandbox.control('POST', '/clock', { now: at.toISOString(), frozen: true });
	const workflow = withParameters(evaluatedAt(template, at), { [EVALUATOR]: { allowBlockedMemberships: allowBlocked } });
	const result = await runWorkflow(workflow, { credentials: sandboxCredentials(sandbox.url), startNode: 'Run now' });
	expect(result.error).toBeUndefined();
	return result;
}

async function shareOf(email: string): Promise<IDataObject | undefined> {
	const shares = (await sandbox.state()).kisi.shares as IDataObject[];
	return shares.find((share) => share.group_id === GROUP && share.email === email);
}

/** Sets the status of a member's membership in the sandbox's Glofox, as Glofox does after a failed payment. */
async function setStatus(email: string, status: string) {
	const state = (await sandbox.state()) as IDataObject & { glofox: { members: IDataObject[] } };
	const member = state.glofox.members.find((candidate) => candidate.email === email)!;
	member.membership = { ...(member.membership as IDataObject), status };
	await sandbox.load(state);
}

describe('Glofox LOCKED membership through the shipped sync template', () => {
	it('a member locked after the sync granted access loses it; a locked member never gets it; Allow Blocked Memberships lets both in', async () => {
		// First sync: Ana (active) gets a share, Ivan (already LOCKED) does not.
		const first = await sync(NOW);
		expect(first.output(SYNC).find((item) => item.email === ANA)).toMatchObject({ action: 'create' });
		expect(await shareOf(ANA)).toBeDefined();
		expect(await shareOf(IVAN)).toBeUndefined();
		expect(first.output(EVALUATOR).find((decision) => decision.email === IVAN)).toMatchObject({
			access: 'deny',
			denials: expect.arrayContaining([expect.objectContaining({ code: 'MEMBERSHIP_BLOCKED', message: expect.stringContaining('Membership locked in Glofox') })]),
		});

		// Ana's payment fails: Glofox locks her membership. The next sync removes her share.
		await setStatus(ANA, 'LOCKED');
		await sandbox.clearRequests();
		const locked = await sync(new Date(NOW.getTime() + 15 * 60_000));
		expect(locked.output(EVALUATOR).find((decision) => decision.email === ANA)).toMatchObject({
			access: 'deny',
			denials: expect.arrayContaining([expect.objectContaining({ code: 'MEMBERSHIP_BLOCKED', message: expect.stringContaining('Membership locked in Glofox') })]),
		});
		expect(locked.output(SYNC).find((item) => item.email === ANA)).toMatchObject({ action: 'delete' });
		expect(await shareOf(ANA)).toBeUndefined();
		expect(await shareOf(IVAN)).toBeUndefined();
		// Only Ana's share was touched in Kisi.
		const writes = (await sandbox.requests({ service: 'kisi' })).filter((request) => request.method !== 'GET');
		expect(writes.map((request) => request.method)).toEqual(['DELETE']);
		// Her Kisi user stays (only the group access goes).
		expect(((await sandbox.state()).kisi.users as IDataObject[]).some((user) => user.email === ANA)).toBe(true);

		// The operator turns on Allow Blocked Memberships: both locked members get access back.
		const allowed = await sync(new Date(NOW.getTime() + 30 * 60_000), true);
		for (const email of [ANA, IVAN]) {
			expect(allowed.output(EVALUATOR).find((decision) => decision.email === email)).toMatchObject({ access: 'allow' });
			expect(allowed.output(SYNC).find((item) => item.email === email)).toMatchObject({ action: 'create' });
			expect(await shareOf(email)).toBeDefined();
		}
	});
});
