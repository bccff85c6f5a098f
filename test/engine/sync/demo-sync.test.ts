/**
 * Issue 7's promises, through n8n's engine with the shipped Glofox → Kisi template against the
 * sandbox's demo gym: exact shares, idempotence, time passing, ownership and the guard.
 */
import type { IDataObject } from 'n8n-workflow';

import { buildDemoScenario, DEMO_KISI, DEMO_NOW, demoExpectations } from '../../../sandbox/scenarios/demo';
import { runWorkflow } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { evaluatedAt, loadTemplate, sandboxCredentials } from '../../harness/templates';

jest.setTimeout(60_000);

const NOW = new Date(DEMO_NOW);
const GROUP = DEMO_KISI.glofoxGroupId;
const OWNER = DEMO_KISI.users.owner;

/** The demo gym, plus a second booking for Lena (PAYG) tomorrow, so that time passing moves her window. */
function scenario() {
	const demo = buildDemoScenario(NOW) as unknown as { glofox: { members: IDataObject[]; bookings: IDataObject[] } };
	const lena = demo.glofox.members.find((member) => member.email === 'lena.fischer@example.com')!;
	const milo = demo.glofox.members.find((member) => member.email === 'milo.costa@example.com')!;
	const milosClass = demo.glofox.bookings.find((booking) => booking.user_id === milo._id)!;
	demo.glofox.bookings.push({ ...milosClass, _id: 'aaaaaaaaaaaaaaaaaaaaaaaa', user_id: lena._id });
	return demo;
}

const sandbox = withSandbox(scenario);
const template = loadTemplate('glofox-kisi-access-sync');
const SYNC = 'Kisi: sync the Glofox Members group';

async function sync(at: Date) {
	await sandbox.control('POST', '/clock', { now: at.toISOString(), frozen: true });
	return await runWorkflow(evaluatedAt(template, at), { credentials: sandboxCredentials(sandbox.url), startNode: 'Run now' });
}

async function groupShares(): Promise<IDataObject[]> {
	return ((await sandbox.state()).kisi.shares as IDataObject[]).filter((share) => share.group_id === GROUP);
}

const instant = (value: unknown) => (value ? new Date(String(value)).getTime() : null);

describe('Glofox → Kisi sync of the demo gym', () => {
	it('first sync: creates exactly the expected shares with the expected validity, removes the expired member, leaves staff alone', async () => {
		const result = await sync(NOW);
		expect(result.error).toBeUndefined();

		const expected = demoExpectations(NOW).filter((row) => row.email && row.glofox?.access === 'allow');
		const shares = await groupShares();
		const synced = shares.filter((share) => share.created_by_id === OWNER);
		expect(synced.map((share) => share.email).sort()).toEqual(expected.map((row) => row.email).sort());
		for (const row of expected) {
			const share = synced.find((candidate) => candidate.email === row.email)!;
			expect({ email: row.email, from: instant(share.valid_from), until: instant(share.valid_until) }).toEqual({
				email: row.email,
				from: instant(row.glofox!.validFrom),
				until: instant(row.glofox!.validUntil),
			});
		}
		// Lena's class in 45 minutes opens the door at exactly start − 60 min; Milo's tomorrow is scheduled ahead.
		expect(synced.find((share) => share.email === 'lena.fischer@example.com')).toMatchObject({ valid_from: expect.stringMatching(/^2026-03-02T13:45:00/) });

		// Staff share made by someone else: untouched and reported as skipped.
		expect(shares.find((share) => share.id === DEMO_KISI.shares.staffGlofoxGroup)).toMatchObject({ email: 'coach.theo@demo.gym', valid_from: null });
		// Dan's expired membership: share removed, Kisi user kept.
		const state = await sandbox.state();
		expect(shares.some((share) => share.id === DEMO_KISI.shares.danGlofoxGroup)).toBe(false);
		expect((state.kisi.users as IDataObject[]).some((user) => user.email === 'dan.whitfield@example.com')).toBe(true);

		const out = result.output(SYNC);
		expect(out.filter((item) => item.action === 'create')).toHaveLength(expected.length);
		expect(out.find((item) => item.email === 'dan.whitfield@example.com')).toMatchObject({ action: 'delete', shareId: DEMO_KISI.shares.danGlofoxGroup });
		expect(out.find((item) => item.email === 'coach.theo@demo.gym')).toMatchObject({ action: 'skipped' });
		expect(out.every((item) => item.dryRun === false)).toBe(true);
	});

	it('second sync: writes nothing', async () => {
		const before = await groupShares();
		const result = await sync(new Date(NOW.getTime() + 60_000));
		expect(result.error).toBeUndefined();
		const writes = (await sandbox.requests({ service: 'kisi' })).filter((request) => request.method !== 'GET');
		expect(writes).toEqual([]);
		expect(await groupShares()).toEqual(before);
		expect(result.output(SYNC).map((item) => item.action)).toEqual(['skipped']);
	});

	it('after a class window and a membership expiry pass: updates and deletes exactly those', async () => {
		const before = new Map((await groupShares()).map((share) => [share.email, share]));
		// 00:05 UTC tomorrow: Lena's and Priya's classes are over (Lena has another tomorrow),
		// Leo's membership ended at midnight; Milo's class tomorrow has not started.
		const later = new Date('2026-03-03T00:05:00Z');
		const result = await sync(later);
		expect(result.error).toBeUndefined();

		const changes = result.output(SYNC).filter((item) => item.action !== 'skipped');
		expect(changes.map((item) => `${item.action} ${item.email}`).sort()).toEqual([
			'delete leo.hart@example.com',
			'delete priya.shah@example.com',
			'update lena.fischer@example.com',
		]);
		const lena = changes.find((item) => item.email === 'lena.fischer@example.com')!;
		const milo = before.get('milo.costa@example.com')!;
		// The same instants (Kisi writes date-times without fractional seconds, the sync with them).
		expect({ from: instant(lena.validFrom), until: instant(lena.validUntil) }).toEqual({ from: instant(milo.valid_from), until: instant(milo.valid_until) });
		expect(instant((lena.previous as IDataObject).validFrom)).toBe(Date.parse('2026-03-02T13:45:00Z'));

		const after = new Map((await groupShares()).map((share) => [share.email, share]));
		expect(after.has('leo.hart@example.com')).toBe(false);
		expect(after.has('priya.shah@example.com')).toBe(false);
		for (const [email, share] of before) {
			if (['leo.hart@example.com', 'priya.shah@example.com', 'lena.fischer@example.com'].includes(String(email))) continue;
			expect(after.get(email)).toEqual(share);
		}
	});

	it('a source that suddenly lists no members: the guard fails the run before any write and the group is unchanged', async () => {
		const before = await groupShares();
		const empty = (await sandbox.state()) as IDataObject & { glofox: IDataObject };
		await sandbox.load({ ...empty, glofox: { ...empty.glofox, members: [], bookings: [], credits: [], accesses: [] } });
		await sandbox.clearRequests();

		const result = await sync(new Date('2026-03-03T00:10:00Z'));
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^The decision list is empty, so the sync would revoke all \d+ shares it manages in group 503/);
		expect(result.error?.message).toContain('ana.ruiz@example.com');
		expect((await sandbox.requests({ service: 'kisi' })).filter((request) => request.method !== 'GET')).toEqual([]);
		expect(await groupShares()).toEqual(before);
	});
});
