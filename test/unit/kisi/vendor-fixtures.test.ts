/**
 * Kisi's own payloads (sources in test/fixtures/vendor/kisi/SOURCES.md) through the code that
 * reads them: the Kisi Trigger's event parsing and filtering, the sync's reading of shares and of
 * the key's user, and the web app links. Where Kisi's documented shape lacks something the code
 * would like (the webhook sample has no `actor_email`), this shows what the code does instead.
 */
import currentUser from '../../fixtures/vendor/kisi/current-user.json';
import event from '../../fixtures/vendor/kisi/event.json';
import denied from '../../fixtures/vendor/kisi/event-webhook-lock-unlock.denied.json';
import filled from '../../fixtures/vendor/kisi/event-webhook-lock-unlock.filled.json';
import sample from '../../fixtures/vendor/kisi/event-webhook-lock-unlock.json';
import group from '../../fixtures/vendor/kisi/group.json';
import share from '../../fixtures/vendor/kisi/share.json';
import marketplaceShare from '../../fixtures/vendor/kisi/share.marketplace.json';
import { shareEmail } from '../../../nodes/Kisi/transport/groupShares';
import { groupWebUrl } from '../../../nodes/Kisi/transport';
import { planGroupSync } from '../../../nodes/Kisi/sync/plan';
import { actorEmail, actorUserId, type EventFilter, filterEvent, outputItem, parseEvent } from '../../../nodes/Kisi/trigger/events';

const unlocks: EventFilter = { events: ['lock.unlock'], onlySuccessful: true, placeIds: [], lockIds: [] };
const received = new Date('2022-10-06T13:49:36Z');

describe("Kisi's webhook payloads through the Kisi Trigger", () => {
	it("Kisi's sample payload, as published, is an event the trigger accepts", () => {
		const parsed = parseEvent(sample);
		expect(parsed).toEqual({ event: sample });
		expect(filterEvent(sample, unlocks)).toEqual({ pass: true });
		// No actor_email in Kisi's payload, and the placeholder actor type is not a user: the
		// workflow starts with email null (the check-in flows report it as an unknown member).
		expect(actorEmail(sample)).toBeNull();
		expect(actorUserId(sample)).toBeNull();
		expect(outputItem(sample, null, received)).toEqual({ ...sample, email: null, lockId: 0, placeId: 0, occurredAt: '2022-10-06T13:49:35.000Z' });
	});

	it('filled in: a user unlocked a door; the email comes from looking the actor up, lock and place ids from the event', () => {
		expect(filterEvent(filled, unlocks)).toEqual({ pass: true });
		expect(filterEvent(filled, { ...unlocks, lockIds: [1234], placeIds: [10] })).toEqual({ pass: true });
		expect(filterEvent(filled, { ...unlocks, placeIds: [11] })).toEqual({ pass: false, reason: 'the event is at another place' });
		expect(actorEmail(filled)).toBeNull();
		expect(actorUserId(filled)).toBe(987);
		expect(outputItem(filled, 'jane@example.com', received)).toEqual({
			...filled,
			email: 'jane@example.com',
			lockId: 1234,
			placeId: 10,
			occurredAt: '2022-10-06T13:49:35.000Z',
		});
	});

	it('a denied unlock (success false, Kisi error code) is ignored unless failed attempts are wanted', () => {
		expect(filterEvent(denied, unlocks)).toEqual({ pass: false, reason: 'the event was not successful' });
		expect(filterEvent(denied, { ...unlocks, onlySuccessful: false })).toEqual({ pass: true });
		expect(outputItem(denied, 'jane@example.com', received)).toMatchObject({ success: false, error_code: 'f35ade', lockId: 1234 });
	});

	it('the other reading, the whole Event object: its actor_email is used as is (no lookup)', () => {
		expect(parseEvent(event)).toEqual({ event });
		expect(filterEvent(event, { ...unlocks, lockIds: [1234] })).toEqual({ pass: true });
		expect(actorEmail(event)).toBe('jane@example.com');
		expect(outputItem(event, actorEmail(event), received)).toMatchObject({ email: 'jane@example.com', lockId: 1234, placeId: 10, action: 'unlock' });
	});

	it('a delivery that is not a Kisi event is refused, naming what is missing', () => {
		const { uuid: _uuid, ...withoutUuid } = sample;
		expect(parseEvent(withoutUuid)).toEqual({ problem: 'the event has no "uuid"' });
		expect(parseEvent([sample])).toEqual({ problem: 'the body is not a JSON object' });
	});
});

describe("Kisi's shares through the sync", () => {
	const decision = (overrides: Record<string, unknown> = {}) => ({
		email: 'Jane@Example.com',
		access: 'allow',
		validFrom: share.valid_from,
		validUntil: share.valid_until,
		...overrides,
	});

	it('reads the email from the share (and from its user when the share has none)', () => {
		expect(shareEmail(share)).toBe('jane@example.com');
		expect(shareEmail({ ...share, email: undefined })).toBe('jane@example.com');
	});

	it('a share the key made with the wanted validity is left unchanged; one made by a marketplace installation is never touched', () => {
		const plan = planGroupSync({
			decisions: [decision()],
			shares: [share, marketplaceShare],
			groupId: group.id,
			ownership: 'createdByThisKey',
			ownUserId: currentUser.id,
		});
		expect(plan.unchanged.map((entry) => [entry.email, entry.shareId])).toEqual([['jane@example.com', share.id]]);
		expect(plan.skipped.map((entry) => [entry.email, entry.shareId])).toEqual([['sam@example.com', marketplaceShare.id]]);
		expect([...plan.creates, ...plan.updates, ...plan.deletes]).toEqual([]);
	});

	it('a new validity updates the share, quoting the validity Kisi had', () => {
		const plan = planGroupSync({
			decisions: [decision({ validUntil: '2026-03-02T17:00:00Z' })],
			shares: [share],
			groupId: group.id,
			ownership: 'createdByThisKey',
			ownUserId: currentUser.id,
		});
		expect(plan.updates).toHaveLength(1);
		expect(plan.updates[0]).toMatchObject({
			shareId: share.id,
			validUntil: '2026-03-02T17:00:00.000Z',
			previous: { validFrom: '2026-03-02T13:00:00.000Z', validUntil: '2026-03-02T16:00:00.000Z' },
		});
	});

	it('with ownership of the whole group, the marketplace share of someone not allowed is revoked', () => {
		const plan = planGroupSync({
			decisions: [decision()],
			shares: [share, marketplaceShare],
			groupId: group.id,
			ownership: 'allSharesInGroup',
			maxRevocations: '100%',
		});
		expect(plan.deletes.map((entry) => [entry.email, entry.shareId])).toEqual([['sam@example.com', marketplaceShare.id]]);
	});
});

describe("links into Kisi's web app", () => {
	it("rebuild Kisi's own example address from the key's organization (GET /user) and the group", () => {
		expect(groupWebUrl(currentUser.organization_id, group.id)).toBe('https://web.kisi.io/organization/3289/groups/45274');
	});
});
