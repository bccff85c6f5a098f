/**
 * Glofox → Check In, through n8n's engine against the sandbox's demo gym (Glofox evaluates the
 * entry: valid_on_entry, and marks a booking within the hour attended).
 */
import type { IDataObject } from 'n8n-workflow';

import type { RunningSandbox } from '../../../sandbox';
import { DEMO_NOW, addFault, clearRequestLog, requestLog, run, sandboxState, start } from './helpers';

const NOW = Date.parse(DEMO_NOW);
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();
const CHECK_IN = { resource: 'checkIn', operation: 'checkIn' };

let sb: RunningSandbox;

beforeEach(async () => {
	sb = await start();
});

afterEach(async () => {
	await sb?.close();
});

async function checkIn(items: IDataObject[], options: { workflowId?: string; parameters?: IDataObject; continueOnFail?: boolean } = {}) {
	return await run(sb, { ...CHECK_IN, ...options.parameters }, { items, workflowId: options.workflowId, continueOnFail: options.continueOnFail });
}

async function accessPosts() {
	return (await requestLog(sb)).filter((r) => r.service === 'glofox' && r.method === 'POST' && r.path === '/2.0/access');
}

describe('Glofox Check In', () => {
	// Each check-in waits for its claim to settle (about a second: nodes/shared/claims.ts), several per test.
	jest.setTimeout(30_000);
	it('an active member: checked in, valid on entry, no booking', async () => {
		const result = await checkIn([{ email: 'ana.ruiz@example.com', occurredAt: at(0), object_name: 'Front Door' }]);
		expect(result.error).toBeUndefined();
		const [item] = result.output('Glofox');
		expect(item).toEqual({
			status: 'checked_in',
			email: 'ana.ruiz@example.com',
			memberId: expect.stringMatching(/^[a-f0-9]{24}$/),
			occurredAt: new Date(NOW).toISOString(),
			validOnEntry: true,
			accessStatus: 'GRANTED',
			booking: null,
			access: expect.objectContaining({ entry_at: NOW / 1000, door: 'Front Door', door_type: 'external', valid_on_entry: true }),
		});
		const state = await sandboxState(sb);
		expect(state.glofox.accesses).toEqual([expect.objectContaining({ user_id: item.memberId, entry_at: NOW / 1000, door: 'Front Door' })]);
		// No status sent: Glofox evaluates the entry itself.
		expect(state.glofox.accesses[0].status).toBe('GRANTED');
	});

	it('a PAYG member with a class within the hour: valid, and that booking is now attended in Glofox', async () => {
		// Lena is booked on Afternoon Yoga, which starts 45 minutes after she comes in.
		const result = await checkIn([{ email: 'lena.fischer@example.com', occurredAt: at(0) }]);
		expect(result.error).toBeUndefined();
		const [item] = result.output('Glofox');
		expect(item).toMatchObject({ status: 'checked_in', validOnEntry: true, accessStatus: 'GRANTED' });
		const booking = item.booking as IDataObject;
		expect(booking).toMatchObject({ event_name: 'Afternoon Yoga', status: 'BOOKED', attended: true, user_id: item.memberId, time_start: NOW / 1000 + 45 * 60 });
		const state = await sandboxState(sb);
		expect(state.glofox.bookings.find((b) => b._id === booking._id)).toMatchObject({ attended: true });
		// The door name defaults to "Front door" when the item has no object_name.
		expect((item.access as IDataObject).door).toBe('Front door');
	});

	it.each([
		['expired membership', 'dan.whitfield@example.com'],
		['PAYG whose only booking is tomorrow', 'milo.costa@example.com'],
		['locked membership', 'ivan.petrov@example.com'],
		['deactivated member', 'walt.becker@example.com'],
	])('%s: checked in but not valid on entry', async (_what, email) => {
		const result = await checkIn([{ email, occurredAt: at(0) }]);
		expect(result.error).toBeUndefined();
		expect(result.output('Glofox')[0]).toMatchObject({ status: 'checked_in', email, validOnEntry: false, accessStatus: 'FAILED', booking: null });
	});

	it('finds the member whatever the case of the email', async () => {
		const result = await checkIn([{ email: '  Ana.Ruiz@EXAMPLE.com', occurredAt: at(0) }]);
		expect(result.output('Glofox')[0]).toMatchObject({ status: 'checked_in', email: 'ana.ruiz@example.com', validOnEntry: true });
	});

	it('an unknown email is an item with status unknown_member, not an error, and nothing is recorded', async () => {
		const result = await checkIn([{ email: 'stranger@example.com', occurredAt: at(0) }]);
		expect(result.error).toBeUndefined();
		expect(result.output('Glofox')).toEqual([{ status: 'unknown_member', email: 'stranger@example.com', occurredAt: new Date(NOW).toISOString() }]);
		expect(await accessPosts()).toHaveLength(0);
	});

	it('"not found" answered as HTTP 200 with success:false (Glofox\'s old style) is also unknown_member', async () => {
		await addFault(sb, {
			method: 'GET',
			path: '^/2.1/branches/[^/]+/users$',
			status: 200,
			body: JSON.stringify({ success: false, message: 'User not found', message_code: 'USER_NOT_FOUND' }),
		});
		const result = await checkIn([{ email: 'stranger@example.com', occurredAt: at(0) }]);
		expect(result.error).toBeUndefined();
		expect(result.output('Glofox')).toEqual([{ status: 'unknown_member', email: 'stranger@example.com', occurredAt: new Date(NOW).toISOString() }]);
		expect(await accessPosts()).toHaveLength(0);
	});

	it('a repeat within the cooldown is a duplicate and sends nothing, in the same run and in the next ones (n8n keeps the memory per workflow)', async () => {
		const workflowId = 'glofox-cooldown';
		const first = await checkIn(
			[
				{ email: 'ana.ruiz@example.com', occurredAt: at(0) },
				{ email: 'ANA.RUIZ@example.com', occurredAt: at(5) },
			],
			{ workflowId },
		);
		expect(first.output('Glofox').map((i) => i.status)).toEqual(['checked_in', 'duplicate']);
		expect(first.output('Glofox')[1]).toMatchObject({ email: 'ana.ruiz@example.com', lastCheckInAt: new Date(NOW).toISOString(), cooldownMinutes: 60 });
		expect(await accessPosts()).toHaveLength(1);

		await clearRequestLog(sb);
		const second = await checkIn([{ email: 'ana.ruiz@example.com', occurredAt: at(59) }], { workflowId });
		expect(second.output('Glofox')[0].status).toBe('duplicate');
		expect(await requestLog(sb)).toHaveLength(0);
		// Another workflow has its own memory.
		const elsewhere = await checkIn([{ email: 'ana.ruiz@example.com', occurredAt: at(59) }]);
		expect(elsewhere.output('Glofox')[0].status).toBe('checked_in');

		await clearRequestLog(sb);
		const later = await checkIn([{ email: 'ana.ruiz@example.com', occurredAt: at(61) }], { workflowId });
		expect(later.output('Glofox')[0]).toMatchObject({ status: 'checked_in', validOnEntry: true });
		expect(await accessPosts()).toHaveLength(1);
	});

	it('a second delivery of the same Kisi unlock event is a duplicate even with the cooldown off; an unknown person or a refused entry leaves no memory', async () => {
		const workflowId = 'glofox-events';
		const event = { email: 'ana.ruiz@example.com', occurredAt: at(0), uuid: 'kisi-event-1' };
		const parameters = { options: { cooldownMinutes: 0 } };
		expect((await checkIn([event], { workflowId, parameters })).output('Glofox')[0].status).toBe('checked_in');
		expect((await checkIn([event], { workflowId, parameters })).output('Glofox')[0]).toMatchObject({ status: 'duplicate', lastCheckInAt: null });
		expect((await checkIn([{ ...event, uuid: 'kisi-event-2' }], { workflowId, parameters })).output('Glofox')[0].status).toBe('checked_in');

		const stranger = { email: 'stranger@example.com', occurredAt: at(0), uuid: 'kisi-event-3' };
		expect((await checkIn([stranger], { workflowId })).output('Glofox')[0].status).toBe('unknown_member');
		expect((await checkIn([stranger], { workflowId })).output('Glofox')[0].status).toBe('unknown_member');

		await addFault(sb, { service: 'glofox', method: 'POST', path: '/2.0/access', status: 500, times: 1 });
		const refused = await checkIn([{ email: 'lena.fischer@example.com', occurredAt: at(0) }], { workflowId, continueOnFail: true });
		expect(refused.output('Glofox')[0].error).toBeDefined();
		const retried = await checkIn([{ email: 'lena.fischer@example.com', occurredAt: at(1) }], { workflowId });
		expect(retried.output('Glofox')[0].status).toBe('checked_in');
	});

	it('Cooldown Minutes 0 records every entry', async () => {
		const result = await checkIn(
			[
				{ email: 'ana.ruiz@example.com', occurredAt: at(0) },
				{ email: 'ana.ruiz@example.com', occurredAt: at(1) },
			],
			{ parameters: { options: { cooldownMinutes: 0 } } },
		);
		expect(result.output('Glofox').map((i) => i.status)).toEqual(['checked_in', 'checked_in']);
		expect(await accessPosts()).toHaveLength(2);
	});

	it('a bad email or time fails naming the field and the item', async () => {
		const noTime = await checkIn([{ email: 'ana.ruiz@example.com' }]);
		expect(noTime.status).toBe('error');
		expect(noTime.error?.message).toMatch(/Item 0: "Occurred At" must be an ISO-8601 date-time/);
		const badEmail = await checkIn([{ email: 'ana.ruiz', occurredAt: at(0) }]);
		expect(badEmail.error?.message).toMatch(/Item 0: "Email" must be an email address/);
		const noOffset = await checkIn([{ email: 'ana.ruiz@example.com', occurredAt: '2026-03-02T14:00:00' }]);
		expect(noOffset.error?.message).toMatch(/"Occurred At"/);
		expect(await accessPosts()).toHaveLength(0);
	});

	it('with Continue On Fail, a bad item becomes a paired error item and the others are checked in', async () => {
		const result = await checkIn(
			[
				{ email: 'ana.ruiz@example.com', occurredAt: at(0) },
				{ email: 'not-an-email', occurredAt: at(0) },
				{ email: 'lena.fischer@example.com', occurredAt: 'yesterday' },
				{ email: 'stranger@example.com', occurredAt: at(0) },
			],
			{ continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		const items = result.items('Glofox');
		expect(items.map((i) => i.json.status ?? 'error')).toEqual(['checked_in', 'error', 'error', 'unknown_member']);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[1].json.error).toMatch(/Item 1: "Email"/);
		expect(items[2].json.error).toMatch(/Item 2: "Occurred At"/);
	});
});
