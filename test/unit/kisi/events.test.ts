import {
	actorEmail,
	actorUserId,
	type EventFilter,
	filterEvent,
	type KisiEvent,
	outputItem,
	outputOf,
	parseEvent,
	parseIdList,
} from '../../../nodes/Kisi/trigger/events';

const unlock: KisiEvent = {
	uuid: 'd7cf0237-a492-4e5d-b20c-f58fc3ef4eff',
	type: 'lock.unlock',
	actor_type: 'User',
	actor_id: 102,
	actor_name: 'Ana',
	actor_email: 'Ana@Demo.gym',
	object_type: 'Lock',
	object_id: 1001,
	object_name: 'Front Door',
	place_id: 10,
	success: true,
	created_at: '2026-03-02T14:00:05Z',
};

const all: EventFilter = { events: ['lock.unlock'], onlySuccessful: true, placeIds: [], lockIds: [] };

describe('Kisi Trigger event filtering', () => {
	it('passes a successful unlock with the default settings', () => {
		expect(filterEvent(unlock, all)).toEqual({ pass: true });
	});

	it('drops event types that are not selected', () => {
		expect(filterEvent({ ...unlock, type: 'share.create' }, all)).toEqual({ pass: false, reason: 'event type share.create is not selected' });
		expect(filterEvent({ ...unlock, type: 'share.create' }, { ...all, events: ['lock.unlock', 'share.create'] }).pass).toBe(true);
	});

	it('drops failed attempts unless asked for them; an event without "success" counts as successful', () => {
		const failed = { ...unlock, success: false, error_code: 'afc496' };
		expect(filterEvent(failed, all)).toEqual({ pass: false, reason: 'the event was not successful' });
		expect(filterEvent(failed, { ...all, onlySuccessful: false }).pass).toBe(true);
		const { success: _success, ...noSuccess } = unlock;
		expect(filterEvent(noSuccess as KisiEvent, all).pass).toBe(true);
	});

	it('with "Denied Unlocks Output", a failed attempt passes to the second output whatever "Only Successful" says; the others stay on the first', () => {
		const denied = { ...unlock, success: false, error_code: 'afc496' };
		const { success: _success, ...untold } = unlock;
		for (const onlySuccessful of [true, false]) {
			const filter = { ...all, onlySuccessful, deniedOutput: true };
			expect(filterEvent(denied, filter)).toEqual({ pass: true });
			expect([outputOf(denied, filter), outputOf(unlock, filter), outputOf(untold as KisiEvent, filter)]).toEqual([1, 0, 0]);
		}
		// Off (the default): one output, and "Only Successful" decides as before.
		expect(outputOf(denied, all)).toBe(0);
		expect(filterEvent(denied, { ...all, deniedOutput: false }).pass).toBe(false);
		// The other filters still apply to denied attempts.
		expect(filterEvent(denied, { ...all, deniedOutput: true, lockIds: [1002] })).toEqual({ pass: false, reason: 'the event is about another lock' });
	});

	it('keeps only the places and locks listed (numbers or digit strings)', () => {
		expect(filterEvent(unlock, { ...all, placeIds: [10, 12] }).pass).toBe(true);
		expect(filterEvent(unlock, { ...all, placeIds: [11] })).toEqual({ pass: false, reason: 'the event is at another place' });
		expect(filterEvent({ ...unlock, place_id: '10' }, { ...all, placeIds: [10] }).pass).toBe(true);
		expect(filterEvent(unlock, { ...all, lockIds: [1001] }).pass).toBe(true);
		expect(filterEvent(unlock, { ...all, lockIds: [1002] })).toEqual({ pass: false, reason: 'the event is about another lock' });
		// A lock filter excludes events that are not about a lock at all.
		expect(filterEvent({ ...unlock, type: 'lock.unlock', object_type: 'Group', object_id: 1001 }, { ...all, lockIds: [1001] }).pass).toBe(false);
	});

	it('reads Place IDs / Lock IDs as comma-separated numeric IDs and names the field when they are not', () => {
		expect(parseIdList('', 'Place IDs')).toEqual([]);
		expect(parseIdList(undefined, 'Place IDs')).toEqual([]);
		expect(parseIdList(' 10, 11 ,,12 ', 'Place IDs')).toEqual([10, 11, 12]);
		expect(parseIdList(1001, 'Lock IDs')).toEqual([1001]);
		expect(parseIdList(['10', '11, 12'], 'Place IDs')).toEqual([10, 11, 12]);
		expect(() => parseIdList('10, front door', 'Lock IDs')).toThrow('"Lock IDs" must be numeric IDs separated by commas, like 10, 11 (got "front door")');
		expect(() => parseIdList('0', 'Lock IDs')).toThrow(/Lock IDs/);
		expect(() => parseIdList('-3', 'Place IDs')).toThrow(/Place IDs/);
	});

	it('recognises a Kisi event and says what is wrong with anything else', () => {
		expect(parseEvent(unlock)).toEqual({ event: unlock });
		expect(parseEvent('text')).toEqual({ problem: 'the body is not a JSON object' });
		expect(parseEvent([unlock])).toEqual({ problem: 'the body is not a JSON object' });
		expect(parseEvent({ uuid: 'x' })).toEqual({ problem: 'the event has no "type"' });
		expect(parseEvent({ type: 'lock.unlock' })).toEqual({ problem: 'the event has no "uuid"' });
	});
});

describe('Kisi Trigger output item', () => {
	it('adds email, lockId, placeId and occurredAt to the event as Kisi sent it', () => {
		const item = outputItem(unlock, actorEmail(unlock), new Date('2026-03-02T14:00:09Z'));
		expect(item).toEqual({
			...unlock,
			email: 'ana@demo.gym',
			lockId: 1001,
			placeId: 10,
			occurredAt: '2026-03-02T14:00:05.000Z',
		});
	});

	it('has lockId null for events that are not about a lock, and falls back to the receipt time', () => {
		const item = outputItem({ uuid: 'u', type: 'share.create', object_type: 'Share', object_id: 9, place_id: null }, null, new Date('2026-03-02T14:00:09Z'));
		expect(item).toMatchObject({ email: null, lockId: null, placeId: null, occurredAt: '2026-03-02T14:00:09.000Z' });
	});

	it('looks up the actor only when the event has no email and the actor is a user', () => {
		expect(actorEmail({ ...unlock, actor_email: null })).toBeNull();
		expect(actorEmail({ ...unlock, actor_email: '  ' })).toBeNull();
		expect(actorUserId(unlock)).toBe(102);
		expect(actorUserId({ ...unlock, actor_id: '102' })).toBe(102);
		expect(actorUserId({ ...unlock, actor_type: 'GroupLink' })).toBeNull();
		expect(actorUserId({ ...unlock, actor_id: 0 })).toBeNull();
		expect(actorUserId({ ...unlock, actor_id: null })).toBeNull();
	});
});
