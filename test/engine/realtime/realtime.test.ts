/**
 * The real-time templates (`teamup-kisi-realtime-access.json`, `glofox-kisi-realtime-access.json`)
 * through n8n-core against the sandbox's demo gym: a change in TeamUp or Glofox (`POST
 * /__sandbox/change`) makes the source deliver its webhook as it does, the template's trigger
 * answers it and the rest of the template runs in n8n's engine; what a member notices is the Kisi
 * share in the group the 15-minute sync manages. The clock is frozen at the demo's instant and both
 * templates are pinned to it, so every run decides the same way on a busy machine.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { DEMO_KISI } from '../../../sandbox/scenarios/demo';
import { runWorkflow } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { evaluatedAt, loadTemplate, withParameters } from '../../harness/templates';
import type { TriggerEndpoint } from '../reliability/trigger-endpoint';
import {
	activate,
	change,
	classWindow,
	credentials,
	deliverTo,
	freezeClock,
	type Gym,
	GYMS,
	groupShares,
	hintsOf,
	kisiWrites,
	Mailbox,
	NOW,
	realtimeScenario,
	sharesOf,
	WEBHOOK_SECRET,
} from './helpers';

jest.setTimeout(120_000);

const XENA = 'xena.lead@example.com'; // a lead: no membership, no booking, no Kisi user
const PIA = 'pia.larsen@example.com'; // pay as you go, her only booking late-cancelled
const STAFF = 'coach.theo@demo.gym'; // a staff share in both groups, made by the manager
const LAST_DAY = 20;

const sandbox = withSandbox(() => realtimeScenario());
const demo = realtimeScenario();

/** The template's executions, all finished without an error. */
function expectCleanRuns(trigger: TriggerEndpoint): void {
	expect(trigger.executions.length).toBeGreaterThan(0);
	for (const run of trigger.executions) expect({ status: run.status, error: run.error?.message }).toEqual({ status: 'success', error: undefined });
}

const instant = (value: unknown) => (value ? Date.parse(String(value)) : null);
const validity = (share: IDataObject) => ({ id: share.id, from: instant(share.valid_from), until: instant(share.valid_until) });


/** Applies a change, waits for what its webhook started. */
async function changed(gym: Gym, trigger: TriggerEndpoint, body: ReturnType<Gym['buy']>, duplicate = false) {
	const answer = await change(sandbox, gym, body, duplicate);
	await trigger.settle();
	return answer;
}

describe.each(GYMS)('$template', (gym) => {
	let trigger: TriggerEndpoint;
	let others: IDataObject[];
	/** Every share of the group but `email`'s, as they were before the test. */
	const othersNow = async (email: string) => (await groupShares(sandbox, gym)).filter((share) => share.email !== email);

	beforeEach(async () => {
		await sandbox.load(realtimeScenario());
		await freezeClock(sandbox);
		trigger = await activate(gym, sandbox);
		others = await othersNow(XENA);
		await sandbox.clearRequests();
	});
	afterEach(async () => {
		await trigger.stop();
	});

	it('a membership bought: a share for the length of the membership within the same run, nobody else touched', async () => {
		const answer = await changed(gym, trigger, gym.buy(demo, XENA, LAST_DAY));
		expect(answer.delivered.length).toBeGreaterThan(0);
		expect(answer.delivered.every((delivery) => delivery.status === 200)).toBe(true);
		expectCleanRuns(trigger);
		expect(await sharesOf(sandbox, gym, XENA)).toEqual([expect.objectContaining({ ...gym.membershipWindow(LAST_DAY), created_by_id: DEMO_KISI.users.owner })]);
		expect(await othersNow(XENA)).toEqual(others);
		expect((await kisiWrites(sandbox)).filter((write) => write.startsWith('POST /shares'))).toEqual(['POST /shares 200']);
		const syncItems = trigger.executions.flatMap((run) => run.output(gym.syncNode));
		expect(syncItems.filter((item) => item.action === 'create')).toEqual([expect.objectContaining({ email: XENA, groupId: gym.groupId })]);
	});

	it('the membership cancelled: the door closes at once, the share ended then (kept until the 15-minute sync removes it; the Kisi user stays)', async () => {
		await changed(gym, trigger, gym.buy(demo, XENA, LAST_DAY));
		const [share] = await sharesOf(sandbox, gym, XENA);
		expect(await sandbox.doorOpens(XENA, DEMO_KISI.lockIds.frontDoor)).toBe(true);
		await sandbox.clearRequests();
		await changed(gym, trigger, gym.cancel(demo, XENA));
		expectCleanRuns(trigger);
		expect(await sandbox.doorOpens(XENA, DEMO_KISI.lockIds.frontDoor)).toBe(false);
		const [ended] = (await sharesOf(sandbox, gym, XENA)).map(validity);
		expect(ended).toEqual({ id: share.id, from: expect.any(Number), until: NOW.getTime() });
		expect(ended.from).toBeLessThan(NOW.getTime());
		expect(await kisiWrites(sandbox)).toEqual([`PATCH /shares/${String(share.id)} 204`]);
		expect(trigger.executions.at(-1)!.output(gym.syncNode)).toEqual([expect.objectContaining({ action: 'delete', email: XENA, validUntil: NOW.toISOString() })]);
		expect(((await sandbox.state()).kisi.users as IDataObject[]).map((user) => user.email)).toContain(XENA);
		expect(await othersNow(XENA)).toEqual(others);

		// Another delivery about the same cancellation writes nothing more.
		await sandbox.clearRequests();
		await changed(gym, trigger, gym.touch(demo, XENA, '+44 7700 900003'));
		expect(await kisiWrites(sandbox)).toEqual([]);
	});

	it('a class booked: a share for the session’s window (60 minutes either side)', async () => {
		const before = await othersNow(PIA);
		expect(await sharesOf(sandbox, gym, PIA)).toEqual([]);
		await changed(gym, trigger, gym.book(demo, PIA, 'spin'));
		expectCleanRuns(trigger);
		expect(await sharesOf(sandbox, gym, PIA)).toEqual([expect.objectContaining(classWindow('spin'))]);
		expect(await othersNow(PIA)).toEqual(before);
	});

	it('a burst of deliveries about one person (repeats among them, runs overlapping): one share, never removed or changed on the way', async () => {
		// The purchase, then while its run is under way more changes to her record (as the source
		// sends several per purchase), one delivered twice: every run re-reads the same membership.
		await change(sandbox, gym, gym.buy(demo, XENA, LAST_DAY));
		await Promise.all([change(sandbox, gym, gym.touch(demo, XENA, '+44 7700 900001'), true), change(sandbox, gym, gym.touch(demo, XENA, '+44 7700 900002'))]);
		await trigger.settle();
		expectCleanRuns(trigger);
		expect(trigger.executions.length).toBeGreaterThanOrEqual(3);
		// The repeated delivery started nothing.
		expect(trigger.deliveries.filter((delivery) => !delivery.started).map((delivery) => (delivery.body as IDataObject).reason)).toEqual([expect.stringMatching(/repeated delivery|duplicate delivery/)]);
		expect(await sharesOf(sandbox, gym, XENA)).toEqual([expect.objectContaining(gym.membershipWindow(LAST_DAY))]);
		const writes = await kisiWrites(sandbox);
		// One share made; a run that found it taken by an overlapping run kept it (Kisi's 422), nothing else written.
		expect(writes.filter((write) => write === 'POST /shares 200')).toHaveLength(1);
		expect(writes.filter((write) => !write.startsWith('POST /shares '))).toEqual([]);
		expect(writes.every((write) => /^POST \/shares (200|422)$/.test(write))).toBe(true);
	});

	it('deliveries out of order: the run of the older change re-reads the source, so the newer state wins either way', async () => {
		await changed(gym, trigger, gym.buy(demo, XENA, LAST_DAY));
		const mailbox = new Mailbox();
		await mailbox.open(sandbox, gym);
		await trigger.stop();
		trigger = await activate(gym, sandbox, { connected: false });
		try {
			// Renewed, then cancelled; the cancellation's webhook arrives first.
			await change(sandbox, gym, gym.renew(demo, XENA, LAST_DAY + 10));
			const renewed = mailbox.take();
			await change(sandbox, gym, gym.cancel(demo, XENA));
			const cancelled = mailbox.take();
			expect([renewed.length, cancelled.length]).toEqual([expect.any(Number), expect.any(Number)]);
			await sandbox.clearRequests();
			for (const delivery of [...cancelled, ...renewed]) {
				expect(await deliverTo(trigger, delivery)).toBe(200);
				await trigger.settle();
			}
			expectCleanRuns(trigger);
			expect(await sandbox.doorOpens(XENA, DEMO_KISI.lockIds.frontDoor)).toBe(false);
			expect((await sharesOf(sandbox, gym, XENA)).map((share) => instant(share.valid_until))).toEqual([NOW.getTime()]);
			expect((await kisiWrites(sandbox)).map((write) => write.split(' ')[0])).toEqual(['PATCH']);

			// Bought again, then cancelled again by mistake and restored at once; the
			// restoration's webhook arrives before the cancellation's.
			await change(sandbox, gym, gym.buy(demo, XENA, LAST_DAY));
			const bought = mailbox.take();
			await change(sandbox, gym, gym.cancel(demo, XENA));
			const cancelledAgain = mailbox.take();
			await change(sandbox, gym, gym.renew(demo, XENA, LAST_DAY));
			const restored = mailbox.take();
			for (const delivery of [...bought, ...restored, ...cancelledAgain]) {
				expect(await deliverTo(trigger, delivery)).toBe(200);
				await trigger.settle();
			}
			expectCleanRuns(trigger);
			expect(await sharesOf(sandbox, gym, XENA)).toEqual([expect.objectContaining(gym.membershipWindow(LAST_DAY))]);
		} finally {
			await mailbox.close(sandbox, gym);
		}
	});

	it('a webhook about staff, or about someone whose share was made by hand: nothing changes in Kisi', async () => {
		// The staff member becomes a person in the gym software (no membership): their share, made by the manager, stays.
		const staffShare = await sharesOf(sandbox, gym, STAFF);
		expect(staffShare).toHaveLength(1);
		await changed(gym, trigger, gym.newPerson(STAFF));
		expectCleanRuns(trigger);
		expect(trigger.executions.flatMap((run) => run.output(gym.syncNode))).toEqual([expect.objectContaining({ action: 'skipped', email: STAFF })]);
		expect(await sharesOf(sandbox, gym, STAFF)).toEqual(staffShare);
		expect(await kisiWrites(sandbox)).toEqual([]);
	});

	it('someone with a share made by hand buys a membership: the hand-made share is left as it is', async () => {
		await trigger.stop();
		await sandbox.load(
			realtimeScenario((scenario) => {
				(scenario.kisi!.shares as IDataObject[]).push({
					id: 9100,
					email: XENA,
					group_id: gym.groupId,
					role_id: 'basic',
					created_by_id: DEMO_KISI.users.manager,
					valid_from: null,
					valid_until: null,
					created_at: '2026-02-01T10:00:00Z',
				});
			}),
		);
		await freezeClock(sandbox);
		trigger = await activate(gym, sandbox);
		const before = await groupShares(sandbox, gym);
		await sandbox.clearRequests();
		await changed(gym, trigger, gym.buy(demo, XENA, LAST_DAY));
		expectCleanRuns(trigger);
		expect(trigger.executions.flatMap((run) => run.output(gym.syncNode))).toEqual([expect.objectContaining({ action: 'skipped', email: XENA, shareId: 9100 })]);
		expect(await groupShares(sandbox, gym)).toEqual(before);
		expect(await kisiWrites(sandbox)).toEqual([]);
	});

	it('a webhook about someone the source does not know: the run says so, nothing in Kisi is touched; one naming nobody starts nothing', async () => {
		const [unknown, nameless] = gym.source === 'teamup' ? teamUpDeliveries() : glofoxDeliveries();
		const post = async (body: string, headers: Record<string, string>) => {
			const response = await fetch(trigger.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
			const answer = (await response.json()) as IDataObject;
			await trigger.settle();
			return { status: response.status, answer };
		};
		expect(await post(...unknown)).toEqual({ status: 200, answer: expect.objectContaining({ message: 'Workflow was started' }) });
		expect(trigger.executions).toHaveLength(1);
		const [run] = trigger.executions;
		expect(run.status).toBe('success');
		const sourceNode = loadTemplate(gym.template).nodes.find((node) => node.parameters.resource === 'accessProfile')!.name;
		expect(run.output(sourceNode)).toEqual([]);
		expect(hintsOf(run, sourceNode)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^Not found in ${gym.source === 'teamup' ? 'TeamUp' : 'Glofox'}, so no profile and no access change`))]));
		expect(run.ran(gym.syncNode)).toBe(false);

		expect(await post(...nameless)).toEqual({ status: 200, answer: expect.objectContaining({ started: false, reason: expect.any(String) }) });
		expect(trigger.executions).toHaveLength(1);
		expect(await kisiWrites(sandbox)).toEqual([]);
		expect(await othersNow(XENA)).toEqual(others);
	});
});

/** TeamUp: a feed item about a customer id TeamUp does not have, and one naming no customer at all. */
function teamUpDeliveries(): Array<[string, Record<string, string>]> {
	const item = (resources: IDataObject) => JSON.stringify({ feed_items: [{ object: 'feed_item', id: Math.floor(Math.random() * 1e9), timestamp: NOW.toISOString(), type: 'customer.updated', resources }] });
	return [
		[item({ customer: 999999 }), { 'TEAMUP-WEBHOOK-ID': randomUUID() }],
		[item({}), { 'TEAMUP-WEBHOOK-ID': randomUUID() }],
	];
}

/** Glofox: a signed member event about a member id Glofox does not have, and one whose payload has no id. */
function glofoxDeliveries(): Array<[string, Record<string, string>]> {
	const event = (payload: IDataObject) =>
		JSON.stringify({ Type: 'MEMBER_UPDATED', Metadata: { trace_id: randomUUID().replace(/-/g, ''), location_id: demo.glofox!.branch_id, version: '1' }, Timestamp: NOW.toISOString(), Payload: payload });
	const signed = (body: string): [string, Record<string, string>] => [body, { signature: createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex') }];
	return [signed(event({ id: 'fedcba9876543210fedcba98', email: null, active: true })), signed(event({ first_name: 'No', last_name: 'Id' }))];
}

describe.each(GYMS)('$template and the 15-minute sync on the same group', (gym) => {
	const fifteen = () => evaluatedAt(loadTemplate(gym.fifteenMinuteTemplate), NOW);
	let trigger: TriggerEndpoint | undefined;

	beforeEach(async () => {
		await sandbox.load(realtimeScenario());
		await freezeClock(sandbox);
	});
	afterEach(async () => {
		await trigger?.stop();
		trigger = undefined;
	});

	it('at the same moment: no duplicate share, each person once, both runs succeed', async () => {
		const mailbox = new Mailbox();
		await mailbox.open(sandbox, gym);
		trigger = await activate(gym, sandbox, { connected: false });
		await change(sandbox, gym, gym.buy(demo, XENA, LAST_DAY));
		const held = mailbox.take();
		await mailbox.close(sandbox, gym);
		const realtime = trigger;
		const [sync] = await Promise.all([
			runWorkflow(fifteen(), { credentials: credentials(sandbox), startNode: 'Run now' }),
			(async () => {
				for (const delivery of held) expect(await deliverTo(realtime, delivery)).toBe(200);
				await realtime.settle();
			})(),
		]);
		expect({ status: sync.status, error: sync.error?.message }).toEqual({ status: 'success', error: undefined });
		expectCleanRuns(realtime);
		expect(await sharesOf(sandbox, gym, XENA)).toEqual([expect.objectContaining(gym.membershipWindow(LAST_DAY))]);
		const emails = (await groupShares(sandbox, gym)).map((share) => String(share.email).toLowerCase());
		expect(emails.length).toBe(new Set(emails).size);

		// The next 15-minute run agrees with what the real-time run wrote: nothing to change for her.
		await sandbox.clearRequests();
		const next = await runWorkflow(withParameters(fifteen(), { [gym.fifteenMinuteSyncNode]: { output: 'all' } }), { credentials: credentials(sandbox), startNode: 'Run now' });
		expect(next.output(gym.fifteenMinuteSyncNode).filter((item) => item.email === XENA)).toEqual([expect.objectContaining({ action: 'unchanged' })]);
		expect(await kisiWrites(sandbox)).toEqual([]);
	});

	it('a 15-minute run that read the source before the purchase and writes after the real-time run leaves the new share alone', async () => {
		// The 15-minute run's read of the source, and its decisions, at NOW: she has no membership yet.
		const read = await runWorkflow(withParameters(fifteen(), { [gym.fifteenMinuteSyncNode]: { dryRun: true } }), { credentials: credentials(sandbox), startNode: 'Run now' });
		const decisions = read.output('Decide who may enter');
		expect(decisions.find((decision) => decision.email === XENA)).toMatchObject({ access: 'deny' });

		// Two minutes later she buys; the real-time run shares at once.
		const later = new Date(NOW.getTime() + 120_000);
		await freezeClock(sandbox, later);
		trigger = await activate(gym, sandbox, { at: later });
		await change(sandbox, gym, gym.buy(demo, XENA, LAST_DAY));
		await trigger.settle();
		expectCleanRuns(trigger);
		const [share] = await sharesOf(sandbox, gym, XENA);
		expect(share).toMatchObject(gym.membershipWindow(LAST_DAY));

		// Then the 15-minute run writes with its older decisions.
		await sandbox.clearRequests();
		const write = await runWorkflow(fifteen(), { credentials: credentials(sandbox), startNode: gym.fifteenMinuteSyncNode, triggerItems: decisions });
		expect(write.error).toBeUndefined();
		expect(write.output(gym.fifteenMinuteSyncNode).find((item) => item.email === XENA)).toMatchObject({ action: 'skipped', reason: expect.stringMatching(/after these decisions were made/) });
		expect(await sharesOf(sandbox, gym, XENA)).toEqual([share]);
		expect(await kisiWrites(sandbox)).not.toContain(`DELETE /shares/${String(share.id)} 204`);
	});

	it('a 15-minute run that read the source before a cancellation and writes after the real-time run does not open the door again; its next run removes the ended share', async () => {
		trigger = await activate(gym, sandbox);
		await changed(gym, trigger, gym.buy(demo, XENA, LAST_DAY));
		await trigger.stop();
		// The 15-minute run's read of the source, and its decisions, at NOW: she is a member.
		const read = await runWorkflow(withParameters(fifteen(), { [gym.fifteenMinuteSyncNode]: { dryRun: true } }), { credentials: credentials(sandbox), startNode: 'Run now' });
		const decisions = read.output('Decide who may enter');
		expect(decisions.find((decision) => decision.email === XENA)).toMatchObject({ access: 'allow' });

		// Two minutes later she cancels; the real-time run closes the door at once.
		const later = new Date(NOW.getTime() + 120_000);
		await freezeClock(sandbox, later);
		trigger = await activate(gym, sandbox, { at: later });
		await changed(gym, trigger, gym.cancel(demo, XENA));
		expectCleanRuns(trigger);
		expect(await sandbox.doorOpens(XENA, DEMO_KISI.lockIds.frontDoor)).toBe(false);
		const [ended] = await sharesOf(sandbox, gym, XENA);

		// Then the 15-minute run writes with its older decisions: it leaves the ended share as it is.
		await sandbox.clearRequests();
		const write = await runWorkflow(fifteen(), { credentials: credentials(sandbox), startNode: gym.fifteenMinuteSyncNode, triggerItems: decisions });
		expect(write.error).toBeUndefined();
		expect(write.output(gym.fifteenMinuteSyncNode).find((item) => item.email === XENA)).toMatchObject({ action: 'skipped', reason: expect.stringMatching(/after these decisions were made/) });
		expect(await sharesOf(sandbox, gym, XENA)).toEqual([ended]);
		expect((await kisiWrites(sandbox)).filter((request) => request.includes(`/shares/${String(ended.id)}`))).toEqual([]);
		expect(await sandbox.doorOpens(XENA, DEMO_KISI.lockIds.frontDoor)).toBe(false);

		// Its next run, with decisions made after the cancellation, removes the ended share.
		const next = new Date(NOW.getTime() + 15 * 60_000);
		await freezeClock(sandbox, next);
		const nextRun = await runWorkflow(evaluatedAt(loadTemplate(gym.fifteenMinuteTemplate), next), { credentials: credentials(sandbox), startNode: 'Run now' });
		expect(nextRun.error).toBeUndefined();
		expect(await sharesOf(sandbox, gym, XENA)).toEqual([]);
	});
});
