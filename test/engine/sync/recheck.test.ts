/**
 * Re-check before a mass revocation, through the shipped 15-minute template (Glofox → Kisi) and
 * n8n's engine: a run that would revoke more than Max Revocations writes nothing and sends the
 * people it would revoke to "Needs Re-Check"; the template's Wait node puts the execution to wait
 * (as n8n does for more than 65 seconds), the execution resumes as n8n's wait tracker resumes it,
 * reads Glofox again through the same nodes, and the sync revokes only people both reads deny.
 * The sandbox's Glofox is changed while the execution waits (`onWait`): the glitch clears, stays,
 * or partly clears.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ScenarioInput } from '../../../sandbox';
import { buildDemoScenario, DEMO_CREDENTIALS, DEMO_KISI, DEMO_NOW, demoExpectations } from '../../../sandbox/scenarios/demo';
import { runWorkflow, type RunResult } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { evaluatedAt, loadTemplate, sandboxCredentials } from '../../harness/templates';

jest.setTimeout(120_000);

const NOW = new Date(DEMO_NOW);
/** The run after the first sync: a quarter of an hour later (a share is never changed on decisions older than it). */
const NEXT = new Date(NOW.getTime() + 15 * 60_000);
const GROUP = DEMO_KISI.glofoxGroupId;
const OWNER = DEMO_KISI.users.owner;
const SYNC = 'Kisi: sync the Glofox Members group';
const SOURCE = 'Glofox: access profiles';
const WAIT = 'Wait 2 minutes, then read again';

const demo = (): ScenarioInput => ({ ...buildDemoScenario(NOW), rateLimits: false });
const credentials = (url: string) => sandboxCredentials(url, { kisi: { requestsPerSecond: 100 }, glofox: { requestsPerSecond: 100 } });
const sandbox = withSandbox(demo);
const template = loadTemplate('glofox-kisi-access-sync');

async function run(at: Date, onWait?: () => Promise<void>): Promise<RunResult> {
	await sandbox.control('POST', '/clock', { now: at.toISOString() });
	return await runWorkflow(evaluatedAt(template, at), { credentials: credentials(sandbox.url), startNode: 'Run now', onWait });
}

async function managedShares(): Promise<IDataObject[]> {
	return ((await sandbox.state()).kisi.shares as IDataObject[]).filter((share) => share.group_id === GROUP && share.created_by_id === OWNER);
}

async function kisiWrites(): Promise<string[]> {
	return (await sandbox.requests({ service: 'kisi' })).filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path}`);
}

/** Glofox's member list page as the template reads it. */
async function memberPage(): Promise<IDataObject> {
	const g = DEMO_CREDENTIALS.glofox;
	const response = await fetch(`${sandbox.glofoxUrl}/2.0/members?active=any&page=1&limit=100`, {
		headers: { 'x-api-key': g.apiKey, 'x-glofox-api-token': g.apiToken, 'x-glofox-branch-id': g.branchId },
	});
	return (await response.json()) as IDataObject;
}

/** From now on, Glofox lists its members without those `leaveOut` picks (an API glitch, or people really gone). */
async function listWithout(page: IDataObject, leaveOut: (member: IDataObject) => boolean): Promise<void> {
	await sandbox.clearFaults();
	const data = (page.data as IDataObject[]).filter((member) => !leaveOut(member));
	await sandbox.fault({ service: 'glofox', path: '/2.0/members', status: 200, body: JSON.stringify({ ...page, data, total_count: data.length, has_more: false }) });
}

let page: IDataObject;
let synced: IDataObject[];
const email = (member: IDataObject) => String(member.email).toLowerCase();
/** Members (one person per email) whose membership gave them a share in the first sync, in list order. */
let withShare: string[];
const members = new Set(
	demoExpectations(NOW)
		.filter((row) => row.glofox?.access === 'allow' && row.glofox.basis!.includes('membership') && !row.glofox.duplicate && row.glofoxMemberIds.length === 1)
		.map((row) => row.email),
);

beforeEach(async () => {
	await sandbox.load(demo());
	await sandbox.clearFaults();
	expect((await run(NOW)).status).toBe('success'); // the first sync
	synced = await managedShares();
	page = await memberPage();
	withShare = (page.data as IDataObject[]).map(email).filter((address) => members.has(address) && synced.some((share) => share.email === address));
	expect(withShare.length).toBeGreaterThan(12);
	await sandbox.clearRequests();
});

describe('re-check before a mass revocation (the Glofox template)', () => {
	it('a glitch that clears on the re-read: nothing is revoked, and the output says the second read changed the picture', async () => {
		const missing = withShare.slice(0, 10); // ten members vanish from the list: over the limit of 5
		await listWithout(page, (member) => missing.includes(email(member)));
		let waited = 0;
		const result = await run(NEXT, async () => {
			waited++;
			expect(await kisiWrites()).toEqual([]); // nothing written before the second read
			await sandbox.clearFaults(); // Glofox is back to normal
		});

		expect(result.status).toBe('success');
		expect(waited).toBe(1);
		expect([result.runs(SOURCE), result.runs(SYNC), result.runs(WAIT)]).toEqual([2, 2, 1]);
		// First read: nothing on Done, the people it would revoke on Needs Re-Check.
		expect(result.output(SYNC, 0, 0)).toEqual([]);
		expect(result.output(SYNC, 1, 0)).toEqual([
			expect.objectContaining({ recheck: 'needed', groupId: GROUP, revocations: 10, limit: 5, emails: [...missing].sort(), message: expect.stringMatching(/^The sync would revoke 10 shares, more than the limit of 5 .* Re-checking:/) }),
		]);
		// Second read: everyone is back; each of them is reported kept, with what the re-check found.
		const second = result.output(SYNC, 0, 1);
		const kept = second.filter((item) => missing.includes(String(item.email)));
		expect(kept.map((item) => [item.email, item.action])).toEqual([...missing].sort().map((address) => [address, 'unchanged']));
		expect(second.filter((item) => !kept.includes(item)).map((item) => [item.email, item.action])).toEqual([['coach.theo@demo.gym', 'skipped']]); // staff, as every run
		for (const item of kept) expect(item.reason).toMatch(/^Kept: the first read of the source would have revoked this share, the second read does not\./);
		for (const item of second) {
			expect(item.recheck).toEqual({ changed: true, message: expect.stringMatching(/^The second read of the source changed the picture: the first read would revoke 10 people, the second 0 people; only the 0 both reads agree on count, 10 kept their access/) });
		}
		expect(result.output(SYNC, 1, 1)).toEqual([]);
		expect(await kisiWrites()).toEqual([]);
		expect(await managedShares()).toEqual(synced);
	});

	it('a glitch that does not clear: refused again, as confirmed on a second read, and nothing is written', async () => {
		const missing = withShare.slice(0, 10);
		await listWithout(page, (member) => missing.includes(email(member)));
		const result = await run(NEXT, async () => undefined); // Glofox still lists them without the ten

		expect(result.status).toBe('error');
		expect(result.runs(SYNC)).toBe(2);
		expect(result.error?.message).toMatch(/^The sync would revoke 10 shares, more than the limit of 5 .* Confirmed on a second read of the source: both reads would revoke these\. Nothing was written\./);
		expect(await kisiWrites()).toEqual([]);
		expect(await managedShares()).toEqual(synced);
	});

	it('partly cleared: only the revocations both reads want happen, one seen on the second read only waits for the next run', async () => {
		const missing = withShare.slice(0, 10);
		const reallyGone = missing.slice(0, 3); // these three stay missing
		const newlyMissing = withShare[12]; // listed by the first read, missing from the second
		await listWithout(page, (member) => missing.includes(email(member)));
		const result = await run(NEXT, async () => await listWithout(page, (member) => [...reallyGone, newlyMissing].includes(email(member))));

		expect(result.status).toBe('success');
		const second = result.output(SYNC, 0, 1);
		expect(second.filter((item) => item.action === 'delete').map((item) => item.email)).toEqual([...reallyGone].sort());
		expect(second.find((item) => item.email === newlyMissing)).toMatchObject({
			action: 'skipped',
			reason: expect.stringMatching(/but only the second read of the source says so \(the first one did not\): not revoked by this run, the next run decides$/),
		});
		expect(second[0].recheck).toMatchObject({ changed: true, message: expect.stringMatching(/only the 3 both reads agree on count, 7 kept their access .*, 1 only the second read would revoke wait for the next run$/) });
		const left = (await managedShares()).map((share) => share.email);
		expect(left).toEqual(synced.map((share) => share.email).filter((address) => !reallyGone.includes(String(address))));
		expect((await kisiWrites()).filter((write) => write.startsWith('DELETE'))).toHaveLength(3);
	});

	it('with "On Mass Revocation: Fail" the sync fails at once, with one output and no wait', async () => {
		const missing = withShare.slice(0, 10);
		await listWithout(page, (member) => missing.includes(email(member)));
		await sandbox.control('POST', '/clock', { now: NEXT.toISOString() });
		const failing = evaluatedAt(template, NEXT);
		failing.nodes.find((node) => node.name === SYNC)!.parameters.onMassRevocation = 'fail';
		const result = await runWorkflow(failing, { credentials: credentials(sandbox.url), startNode: 'Run now', onWait: () => { throw new Error('must not wait'); } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^The sync would revoke 10 shares, more than the limit of 5 .* First emails: .*\. Nothing was written\./);
		expect(result.error?.message).not.toContain('second read');
		expect([result.runs(SOURCE), result.runs(SYNC), result.ran(WAIT)]).toEqual([1, 1, false]);
	});
});
