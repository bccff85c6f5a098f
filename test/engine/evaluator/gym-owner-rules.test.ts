/**
 * Payment Grace Days, the Deny List and Hold Keeps Bookings (issue 19) as an operator meets them:
 * the shipped sync templates (access profiles → Decide who may enter → Kisi Sync Group Access) in
 * n8n's engine against the sandbox's demo gym, with only the evaluator's new options changed.
 *
 * The demo gym (sandbox/scenarios/demo.ts, now 2026-03-02 14:00 UTC, Europe/London): Ivan's TeamUp
 * invoice failed and Jade's is being retried (both due 2026-02-27), Kai has an active registration
 * block (a manual block); in Glofox all three are LOCKED. Carla's membership is on hold (Glofox
 * PAUSED). Ana is an active member whose share the sync's Kisi key made earlier.
 */
import type { IDataObject } from 'n8n-workflow';

import { buildDemoScenario, DEMO_KISI, DEMO_NOW } from '../../../sandbox/scenarios/demo';
import { runWorkflow } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { evaluatedAt, loadTemplate, sandboxCredentials, type TemplateName, withParameters } from '../../harness/templates';

jest.setTimeout(90_000);

const NOW = new Date(DEMO_NOW);
const EVALUATOR = 'Decide who may enter';
const ANA = 'ana.ruiz@example.com';
const CARLA = 'carla.mendes@example.com';
const IVAN = 'ivan.petrov@example.com';
const JADE = 'jade.thompson@example.com';
const KAI = 'kai.nakamura@example.com';

type State = IDataObject & {
	kisi: { shares: IDataObject[] };
	teamup: { customers: IDataObject[]; attendances: IDataObject[] };
	glofox: { members: IDataObject[]; bookings: IDataObject[] };
};

const sandbox = withSandbox(() => ({ ...buildDemoScenario(NOW), rateLimits: false }));
const credentials = () => sandboxCredentials(sandbox.url, { kisi: { requestsPerSecond: 50 }, teamup: { requestsPerMinute: 3000 }, glofox: { requestsPerSecond: 50 } });

const SOURCES = {
	teamup: { template: 'teamup-kisi-access-sync', sync: 'Kisi: sync the TeamUp Members group', group: DEMO_KISI.teamupGroupId },
	glofox: { template: 'glofox-kisi-access-sync', sync: 'Kisi: sync the Glofox Members group', group: DEMO_KISI.glofoxGroupId },
} as const;
type Source = keyof typeof SOURCES;

/** One run of the shipped template at `at`, with the evaluator's parameters changed by `rules`. */
async function sync(source: Source, at: Date, rules: IDataObject = {}) {
	await sandbox.control('POST', '/clock', { now: at.toISOString(), frozen: true });
	const template = loadTemplate(SOURCES[source].template as TemplateName);
	const workflow = withParameters(evaluatedAt(template, at), { [EVALUATOR]: rules });
	const result = await runWorkflow(workflow, { credentials: credentials(), startNode: 'Run now' });
	expect(result.error).toBeUndefined();
	return {
		decision: (email: string) => result.output(EVALUATOR).find((decision) => decision.email === email)!,
		change: (email: string) => result.output(SOURCES[source].sync).find((item) => item.email === email),
	};
}

async function shareOf(source: Source, email: string): Promise<IDataObject | undefined> {
	const state = (await sandbox.state()) as State;
	return state.kisi.shares.find((share) => share.group_id === SOURCES[source].group && share.email === email);
}

const codes = (list: unknown) => (list as IDataObject[]).map((reason) => reason.code);

beforeEach(async () => {
	await sandbox.load({ ...buildDemoScenario(NOW), rateLimits: false });
});

describe('Payment Grace Days through the TeamUp → Kisi template', () => {
	it('a failed or retrying payment keeps its share until the grace end; the first run after it revokes the share', async () => {
		// Due 27 February, 4 days: until 3 March 00:00 in London (GMT).
		const first = await sync('teamup', NOW, { graceDays: 4 });
		for (const email of [IVAN, JADE]) {
			expect(first.decision(email)).toMatchObject({ access: 'allow', activeNow: true, validUntil: '2026-03-03T00:00:00.000Z' });
			expect(codes(first.decision(email).reasons)).toEqual(['MEMBERSHIP_PAYMENT_GRACE']);
			expect(first.change(email)).toMatchObject({ action: 'create' });
			expect(await shareOf('teamup', email)).toMatchObject({ valid_until: '2026-03-03T00:00:00Z' });
		}
		expect(String((first.decision(IVAN).reasons as IDataObject[])[0].message)).toContain(
			'payment failed 2026-02-27 00:00 Europe/London: grace of 4 days until 2026-03-03 00:00 Europe/London',
		);
		// A manual block (Kai's registration block) never gets grace.
		expect(first.decision(KAI)).toMatchObject({ access: 'deny' });
		expect((first.decision(KAI).denials as IDataObject[]).find((denial) => denial.code === 'MEMBERSHIP_BLOCKED')!.message).toContain('blocked by hand');
		expect(await shareOf('teamup', KAI)).toBeUndefined();

		// Still within the grace: the shares stay as they are.
		const later = await sync('teamup', new Date('2026-03-02T23:45:00Z'), { graceDays: 4 });
		expect(later.decision(IVAN)).toMatchObject({ access: 'allow', validUntil: '2026-03-03T00:00:00.000Z' });
		expect(later.change(IVAN)?.action).not.toBe('delete');
		expect(await shareOf('teamup', IVAN)).toBeDefined();

		// The grace has ended: the next run removes the shares.
		const ended = await sync('teamup', new Date('2026-03-03T00:00:00Z'), { graceDays: 4 });
		for (const email of [IVAN, JADE]) {
			expect(ended.decision(email)).toMatchObject({ access: 'deny' });
			expect((ended.decision(email).denials as IDataObject[]).find((denial) => denial.code === 'MEMBERSHIP_BLOCKED')!.message).toContain(
				'the grace of 4 days ended at 2026-03-03 00:00 Europe/London',
			);
			expect(ended.change(email)).toMatchObject({ action: 'delete' });
			expect(await shareOf('teamup', email)).toBeUndefined();
		}
	});

	it('across the change to summer time: the grace ends at midnight in the gym\'s zone after N calendar days, not N × 24 hours; the run at that instant revokes', async () => {
		// The demo gym on the Sunday the clocks went forward in London (in the past, as every instant the
		// syncs here are dated: the sync dates its decisions no later than the run's start, and leaves a
		// share changed after them alone). Ivan's and Jade's invoices fell due 3 days before, 26 March
		// (GMT); 4 calendar days there end on 30 March 00:00 BST = 29 March 23:00 UTC, an hour short of
		// 4 × 24 hours (30 March 00:00 UTC).
		const day = new Date('2026-03-29T12:00:00Z');
		await sandbox.load({ ...buildDemoScenario(day), rateLimits: false });
		const during = await sync('teamup', day, { graceDays: 4 });
		for (const email of [IVAN, JADE]) {
			expect(during.decision(email)).toMatchObject({ access: 'allow', activeNow: true, validUntil: '2026-03-29T23:00:00.000Z' });
			expect(codes(during.decision(email).reasons)).toEqual(['MEMBERSHIP_PAYMENT_GRACE']);
			expect(during.change(email)).toMatchObject({ action: 'create' });
			expect(await shareOf('teamup', email)).toMatchObject({ valid_until: '2026-03-29T23:00:00Z' });
		}
		expect(String((during.decision(IVAN).reasons as IDataObject[])[0].message)).toContain(
			'payment failed 2026-03-26 00:00 Europe/London: grace of 4 days until 2026-03-30 00:00 Europe/London',
		);

		// The run at exactly that midnight (23:00 UTC, an hour before 4 × 24 hours are up) removes the shares.
		const ended = await sync('teamup', new Date('2026-03-29T23:00:00Z'), { graceDays: 4 });
		for (const email of [IVAN, JADE]) {
			expect(ended.decision(email)).toMatchObject({ access: 'deny' });
			expect((ended.decision(email).denials as IDataObject[]).find((denial) => denial.code === 'MEMBERSHIP_BLOCKED')!.message).toContain(
				'the grace of 4 days ended at 2026-03-30 00:00 Europe/London',
			);
			expect(ended.change(email)).toMatchObject({ action: 'delete' });
			expect(await shareOf('teamup', email)).toBeUndefined();
		}
	});

	it('a grace already over when the payment failed long enough ago: no share at all', async () => {
		const run = await sync('teamup', NOW, { graceDays: 2 });
		expect(run.decision(IVAN)).toMatchObject({ access: 'deny' });
		expect(await shareOf('teamup', IVAN)).toBeUndefined();
	});
});

describe('Payment Grace Days through the Glofox → Kisi template', () => {
	it('a LOCKED membership gets no grace (Glofox says neither why nor since when), and the denial says so', async () => {
		const run = await sync('glofox', NOW, { graceDays: 30 });
		for (const email of [IVAN, JADE, KAI]) {
			expect(run.decision(email)).toMatchObject({ access: 'deny' });
			expect((run.decision(email).denials as IDataObject[]).find((denial) => denial.code === 'MEMBERSHIP_BLOCKED')!.message).toContain(
				'no grace: the source does not say whether the block is for a failed payment',
			);
			expect(await shareOf('glofox', email)).toBeUndefined();
		}
	});
});

describe('the Deny List', () => {
	it('TeamUp: an active member put on the list by e-mail loses the share the sync gave; taken off, gets it back', async () => {
		const before = await sync('teamup', NOW);
		expect(before.decision(ANA)).toMatchObject({ access: 'allow' });
		expect(await shareOf('teamup', ANA)).toBeDefined();

		const listed = await sync('teamup', new Date(NOW.getTime() + 15 * 60_000), { denyList: 'someone.else@example.com, ANA.RUIZ@example.com' });
		expect(listed.decision(ANA)).toMatchObject({ access: 'deny', denials: [{ code: 'DENY_LISTED' }] });
		expect((listed.decision(ANA).denials as IDataObject[])[0].message).toBe(`E-mail ${ANA} is on the Deny List; the rules would otherwise grant access`);
		expect(listed.change(ANA)).toMatchObject({ action: 'delete' });
		expect(await shareOf('teamup', ANA)).toBeUndefined();
		// Nobody else is touched.
		expect(listed.decision('ben.okafor@example.com')).toMatchObject({ access: 'allow' });

		const cleared = await sync('teamup', new Date(NOW.getTime() + 30 * 60_000));
		expect(cleared.change(ANA)).toMatchObject({ action: 'create' });
	});

	it('Glofox: by member id (a source id), a member with a booking is denied too', async () => {
		const state = (await sandbox.state()) as State;
		const ben = state.glofox.members.find((member) => member.email === 'ben.okafor@example.com')!;
		const run = await sync('glofox', NOW, { denyList: String(ben._id) });
		expect(run.decision('ben.okafor@example.com')).toMatchObject({ access: 'deny', denials: [{ code: 'DENY_LISTED', message: `Source id ${ben._id} is on the Deny List; the rules would otherwise grant access` }] });
		expect(await shareOf('glofox', 'ben.okafor@example.com')).toBeUndefined();
		expect(run.decision(ANA)).toMatchObject({ access: 'allow' });
	});

	it('an invalid entry fails the run naming the field, and changes nothing in Kisi', async () => {
		await sandbox.control('POST', '/clock', { now: NOW.toISOString(), frozen: true });
		const workflow = withParameters(evaluatedAt(loadTemplate('teamup-kisi-access-sync'), NOW), { [EVALUATOR]: { denyList: 'ana.ruiz@example' } });
		const before = (await sandbox.state()) as State;
		const result = await runWorkflow(workflow, { credentials: credentials(), startNode: 'Run now' });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe("Deny List [denyList] contains 'ana.ruiz@example', which is not a usable e-mail (expected local@domain)");
		expect(((await sandbox.state()) as State).kisi.shares).toEqual(before.kisi.shares);
	});
});

describe('Hold Keeps Bookings: a member on hold books a class', () => {
	/** Books Carla (on hold / PAUSED) into Afternoon Yoga (in 45 minutes), as Ben is booked, in both sources. */
	async function bookCarla() {
		const state = (await sandbox.state()) as State;
		const tuCarla = state.teamup.customers.find((customer) => customer.email === CARLA)!;
		const tuBen = state.teamup.customers.find((customer) => customer.email === 'ben.okafor@example.com')!;
		const attendance = state.teamup.attendances.find((a) => a.customer === tuBen.id)!;
		state.teamup.attendances.push({ ...attendance, id: 79_001, customer: tuCarla.id, customer_membership: null });
		const gfCarla = state.glofox.members.find((member) => member.email === CARLA)!;
		const gfBen = state.glofox.members.find((member) => member.email === 'ben.okafor@example.com')!;
		const booking = state.glofox.bookings.find((b) => b.user_id === gfBen._id)!;
		state.glofox.bookings.push({ ...booking, _id: 'c0ffee00c0ffee00c0ffee01', user_id: gfCarla._id });
		await sandbox.load(state);
	}

	it.each(['teamup', 'glofox'] as const)('%s: off (the default), the booking does not open the door during the hold; on, it does', async (source) => {
		await bookCarla();
		const off = await sync(source, NOW);
		expect(off.decision(CARLA)).toMatchObject({ access: 'deny' });
		expect(codes(off.decision(CARLA).denials)).toEqual(['NO_ACTIVE_MEMBERSHIP', 'MEMBERSHIP_ON_HOLD', 'NO_UPCOMING_REGISTRATION', 'REGISTRATION_DURING_HOLD']);
		expect(await shareOf(source, CARLA)).toBeUndefined();

		const on = await sync(source, NOW, { holdKeepsBookings: true });
		// Afternoon Yoga 14:45–15:45: access 13:45–16:45.
		expect(on.decision(CARLA)).toMatchObject({ access: 'allow', activeNow: true, validFrom: '2026-03-02T13:45:00.000Z', validUntil: '2026-03-02T16:45:00.000Z' });
		expect(codes(on.decision(CARLA).reasons)).toEqual(['REGISTRATION_WINDOW']);
		expect(on.change(CARLA)).toMatchObject({ action: 'create' });
		expect(await shareOf(source, CARLA)).toMatchObject({ valid_from: '2026-03-02T13:45:00Z', valid_until: '2026-03-02T16:45:00Z' });
	});
});
