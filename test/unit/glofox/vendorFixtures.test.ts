/**
 * Glofox's own example payloads (test/fixtures/vendor/glofox/, each with its source) through the
 * pack's mappings (Access Profile, Check In, error reading) and through the sandbox: a scenario built
 * from them is accepted by sandbox/scenario.ts, and the sandbox serves them back as Glofox shows them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { accessOutcome, attendedBooking } from '../../../nodes/Glofox/mapping/checkIn';
import {
	type GlofoxBooking,
	type GlofoxCredit,
	type GlofoxMember,
	bookingWindow,
	membershipNeedsFullRead,
	packNeedsCredits,
	remainingClassCredits,
	toAccessProfile,
	toProfileRegistration,
} from '../../../nodes/Glofox/mapping/profile';
import { glofoxApi } from '../../../nodes/Glofox/transport';
import { type RunningSandbox, startSandbox } from '../../../sandbox';
import { MEMBER_LIST_FIELDS, CREDIT_FIELDS, EVENT_FIELDS } from '../../../sandbox/glofox';
import { parseScenario } from '../../../sandbox/scenario';
import { hexId } from '../../../sandbox/util';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = join(__dirname, '../../..');
const DIR = join(ROOT, 'test/fixtures/vendor/glofox');
/** The list of the fixtures' sources, one line per file. */
const SOURCES = 'test/fixtures/vendor/glofox/SOURCES.md';

/** `{_source, payload}` (test/fixtures/vendor convention): the payload, after checking the file says where it comes from. */
function fixture(name: string): Json {
	const file = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as { _source?: Json; payload?: unknown };
	const source = file._source ?? {};
	if (!source.url && !(source.repository && source.path)) throw new Error(`${name}.json: "_source" must name a url, or a repository and a path`);
	if (!('payload' in file)) throw new Error(`${name}.json: no "payload"`);
	return structuredClone(file.payload) as Json;
}

const HOUR = 3_600_000;
const sec = (iso: string) => Date.parse(iso) / 1000;

describe('the fixtures', () => {
	it('each says where it comes from, and the list of sources names every one', () => {
		const files = readdirSync(DIR).filter((file) => file.endsWith('.json'));
		expect(files.length).toBeGreaterThanOrEqual(12);
		const sources = readFileSync(join(ROOT, SOURCES), 'utf8');
		for (const file of files) {
			expect(() => fixture(file.replace(/\.json$/, ''))).not.toThrow();
			expect({ file, listed: sources.includes(`\`${file}\``) }).toEqual({ file, listed: true });
		}
	});
});

describe('Access Profile mapping on Glofox\'s examples', () => {
	it('the OpenAPI member list: pay-as-you-go members with the thin membership give a PAYG membership, no extra read, no credit read', () => {
		const list = fixture('members-list');
		expect(list).toMatchObject({ object: 'list', has_more: true });
		const nowMs = Date.parse('2026-03-02T14:00:00Z');
		for (const member of list.data as GlofoxMember[]) {
			expect(membershipNeedsFullRead(member)).toBe(false);
			expect(packNeedsCredits(member, nowMs)).toBe(false);
			const profile = toAccessProfile({ member, timezone: 'UTC', nowMs, range: { fromMs: nowMs - 6 * HOUR, untilMs: nowMs + 24 * HOUR } });
			expect(profile).toEqual({
				source: 'glofox',
				sourceId: member._id,
				email: member.email,
				name: member.name,
				memberships: [
					{
						id: member.membership!.user_membership_id,
						planId: null,
						name: null,
						type: 'payg',
						status: 'ACTIVE',
						startsAt: new Date(1658444400 * 1000).toISOString(),
						expiresAt: null,
						remainingUses: null,
						blocked: false,
						blockReason: null,
						blocks: [],
					},
				],
				registrations: [],
				timeZone: 'UTC',
				memberActive: true,
			});
		}
	});

	it('the same thin shape for a time membership (no expiry_date key) makes the operation read the member alone', () => {
		const [member] = fixture('members-list').data as GlofoxMember[];
		const time = { ...member, membership: { ...member.membership, type: 'time' } };
		expect(membershipNeedsFullRead(time)).toBe(true);
		expect(membershipNeedsFullRead({ ...time, membership: { ...time.membership, status: 'CANCELLED' } })).toBe(false);
	});

	it('a live member list (consent stamps as {sec, usec}, gender as an object, redacted email) maps without error', () => {
		const nowMs = Date.parse('2026-07-18T12:00:00Z');
		for (const member of fixture('members-list-live').data as GlofoxMember[]) {
			const profile = toAccessProfile({ member, timezone: 'America/New_York', nowMs, range: { fromMs: nowMs - 6 * HOUR, untilMs: nowMs + 24 * HOUR } });
			expect(profile).toMatchObject({ sourceId: member._id, memberActive: true, memberships: [{ type: 'payg', status: 'ACTIVE', startsAt: '2026-07-16T04:00:00.000Z' }] });
		}
	});

	it('a single user (PUT /2.0/members answer, no membership): no membership, active unless Glofox says otherwise', () => {
		const user = fixture('member-update-response') as GlofoxMember;
		const profile = toAccessProfile({ member: user, timezone: 'UTC', nowMs: 0, range: { fromMs: 0, untilMs: 1 } });
		expect(profile).toMatchObject({ sourceId: '5b1e86b68b78a5012f5ccf94', name: 'Jane Doe', email: 'jane.doe@example.com', memberships: [], memberActive: true });
	});

	it('credit packs (OpenAPI and live): uses left from the active, in-date class credits', () => {
		const [openapi] = fixture('credits-list').data as GlofoxCredit[];
		// start_date 2024-01-01, end_date 2024-02-01 (UTC).
		expect(remainingClassCredits([openapi], Date.parse('2024-01-15T00:00:00Z'))).toBe(5);
		expect(remainingClassCredits([openapi], Date.parse('2024-02-01T00:00:00Z'))).toBe(0);
		expect(remainingClassCredits([openapi], Date.parse('2023-12-31T00:00:00Z'))).toBe(0);
		const [live] = fixture('credits-list-live').data as GlofoxCredit[];
		// No end_date: no expiry.
		expect(live).not.toHaveProperty('end_date');
		expect(remainingClassCredits([live], Date.parse('2030-01-01T00:00:00Z'))).toBe(1);
		expect(remainingClassCredits([{ ...live, active: false }], Date.parse('2030-01-01T00:00:00Z'))).toBe(0);
	});

	it('branch bookings (2.2, live): local strings read in the branch zone, attended → attended, event id and name', () => {
		const zone = fixture('branch-live').address.timezone_id;
		expect(zone).toBe('America/New_York');
		const [first] = fixture('bookings-branch-live').data as GlofoxBooking[];
		expect(toProfileRegistration(first, zone)).toEqual({
			id: '6589d1cbc2b957151f08a688',
			kind: 'class',
			status: 'attended',
			startsAt: '2023-12-17T12:00:00.000Z',
			endsAt: '2023-12-17T13:00:00.000Z',
			eventId: '65767f77d6988110fe09b2a2',
			eventName: 'Class Leader Training Session',
		});
		// A profile keeps only the bookings of the member and inside the window.
		const nowMs = Date.parse('2023-12-17T12:30:00Z');
		const profile = toAccessProfile({
			member: { _id: first.user_id!, email: 'a@example.com', active: true },
			bookings: fixture('bookings-branch-live').data,
			timezone: zone,
			nowMs,
			range: { fromMs: nowMs - 6 * HOUR, untilMs: nowMs + 24 * HOUR },
		});
		expect(profile.registrations.map((r) => r.id)).toEqual(['6589d1cbc2b957151f08a688']);
	});
});

describe('Check In mapping on Glofox\'s examples', () => {
	it('the access answer (AccessResponse): valid_on_entry, status and when it was recorded', () => {
		expect(accessOutcome(fixture('access-response'))).toEqual({
			access: fixture('access-response').access,
			validOnEntry: true,
			accessStatus: 'GRANTED',
			recordedAtMs: 1784379001000,
		});
		const failed = fixture('access-response');
		failed.access.valid_on_entry = false;
		failed.access.status = 'FAILED';
		expect(accessOutcome(failed)).toMatchObject({ validOnEntry: false, accessStatus: 'FAILED' });
		// No valid_on_entry at all is not "valid".
		delete failed.access.valid_on_entry;
		expect(accessOutcome(failed).validOnEntry).toBe(false);
	});

	it('a booking with integer time_start and duration (the 2.0 shape): attended only when Glofox marked it, within the hour of the entry', () => {
		const booking = fixture('booking-create-response').Booking as GlofoxBooking;
		expect(bookingWindow(booking, 'UTC')).toEqual({ startMs: 1723266000 * 1000, endMs: (1723266000 + 3600) * 1000 });
		const entry = (1723266000 - 30 * 60) * 1000;
		expect(attendedBooking([booking], entry)).toBeNull();
		const attended = { ...booking, attended: true };
		expect(attendedBooking([attended], entry)).toBe(attended);
		expect(attendedBooking([attended], entry - 31 * 60_000)).toBeNull();
	});
});

describe('Glofox error bodies as the transport reads them', () => {
	const problem = (status: number, body: unknown) => ({ status, body, method: 'POST', path: '/2.0/access', credentialName: 'Glofox account' });

	it('the documented 400 body: an error quoting Glofox\'s message and code; in a 200 it is still a failure', () => {
		const body = fixture('booking-create-error');
		expect(body).toEqual({ success: false, message: expect.any(String), message_code: 'YOU_HAVE_NO_CREDITS_LEFT' });
		expect(glofoxApi.failureInBody!(body)).toBe(true);
		expect(glofoxApi.explain(problem(400, body)).message).toBe(`Glofox answered 400 on POST /2.0/access: ${body.message} (YOU_HAVE_NO_CREDITS_LEFT)`);
		expect(glofoxApi.explain(problem(200, body)).message).toBe(`Glofox refused POST /2.0/access: ${body.message} (YOU_HAVE_NO_CREDITS_LEFT)`);
	});

	it.each([200, 400, 401, 403])('INVALID_USER_TYPE in that body at HTTP %i: what to ask Glofox for, never "wrong API key"', (status) => {
		const body = { ...fixture('booking-create-error'), message: 'Invalid user type', message_code: 'INVALID_USER_TYPE' };
		const { message, description } = glofoxApi.explain(problem(status, body));
		expect(message).toBe('Glofox refused POST /2.0/access: the API key and token in credential "Glofox account" may read but not write (INVALID_USER_TYPE)');
		expect(description).toContain("enable write access for the integration's API key and token");
		expect(description).toContain('apiactivation@abcfitness.com');
		expect(message).not.toMatch(/refused the API key/);
	});
});

describe('a scenario built from Glofox\'s examples', () => {
	/**
	 * Each object as the vendor shows it. The examples come from different accounts, so references
	 * (a credit's or booking's user, a booking's event) are pointed at objects of this scenario, and
	 * the booking example's placeholder ids ("_id": "_id") are replaced by ids.
	 */
	function scenarioFromFixtures(): Json {
		const openapiMembers = fixture('members-list').data;
		const liveMembers = fixture('members-list-live').data;
		const user = fixture('member-update-response');
		const [credit] = fixture('credits-list').data;
		const [liveCredit] = fixture('credits-list-live').data;
		const events = fixture('events-list-live').data;
		const catalogue = fixture('memberships-list-live').data;
		const branch = fixture('branch-live');
		const booking = fixture('booking-create-response').Booking;
		return {
			now: '2026-07-18T12:00:00Z',
			rateLimits: false,
			glofox: {
				branch_id: openapiMembers[0].branch_id,
				api_key: 'fixture-key',
				api_token: 'fixture-token',
				namespace: openapiMembers[0].namespace,
				timezone_id: branch.address.timezone_id,
				branch,
				members: [...openapiMembers, ...liveMembers, user],
				memberships: catalogue,
				credits: [
					{ ...credit, user_id: openapiMembers[0]._id },
					{ ...liveCredit, user_id: liveMembers[0]._id },
				],
				events,
				bookings: [{ ...booking, _id: hexId('booking'), user_id: openapiMembers[1]._id, event_id: events[0]._id }],
			},
		};
	}

	it('is accepted by the sandbox\'s scenario validation', () => {
		expect(() => parseScenario(scenarioFromFixtures())).not.toThrow();
	});

	it('and its objects are served back as Glofox shows them (documented fields; branch fields from the scenario\'s branch)', async () => {
		const scenario = scenarioFromFixtures();
		const sb: RunningSandbox = await startSandbox({ scenario, port: 0 });
		try {
			const headers = { 'x-api-key': 'fixture-key', 'x-glofox-api-token': 'fixture-token', 'x-glofox-branch-id': scenario.glofox.branch_id };
			const get = async (path: string): Promise<Json> => (await (await fetch(`${sb.glofoxUrl}${path}`, { headers })).json()) as Json;
			const same = (served: Json, example: Json, fields: readonly string[], derived: string[]) => {
				const keys = Object.keys(example).filter((k) => fields.includes(k) && !derived.includes(k));
				expect(keys.length).toBeGreaterThan(5);
				expect(Object.fromEntries(keys.map((k) => [k, served[k]]))).toEqual(Object.fromEntries(keys.map((k) => [k, example[k]])));
			};

			const members = (await get('/2.0/members?active=any&limit=100')).data as Json[];
			for (const example of [...fixture('members-list').data, ...fixture('members-list-live').data]) {
				same(members.find((m) => m._id === example._id)!, example, MEMBER_LIST_FIELDS, ['branch_id', 'namespace', 'origin_branch_id', 'membership']);
				const served = members.find((m) => m._id === example._id)!.membership;
				expect(served).toMatchObject(example.membership);
			}

			const [credit] = fixture('credits-list').data;
			const [servedCredit] = (await get(`/2.0/credits?user_id=${fixture('members-list').data[0]._id}`)).data as Json[];
			same(servedCredit, credit, CREDIT_FIELDS, ['branch_id', 'namespace', 'user_id']);

			const events = (await get(`/2.0/branches/${scenario.glofox.branch_id}/events?start=${sec('2026-07-18T00:00:00Z')}&end=${sec('2026-07-20T00:00:00Z')}`)).data as Json[];
			for (const example of fixture('events-list-live').data) {
				same(events.find((e) => e._id === example._id)!, example, EVENT_FIELDS, ['branch_id', 'namespace', 'booked', 'waiting', 'status']);
			}
			const branch = await get(`/2.0/branches/${scenario.glofox.branch_id}`);
			expect(branch.address).toMatchObject({ timezone_id: 'America/New_York', state: 'Florida', country_code: 'US' });
		} finally {
			await sb.close();
		}
	});
});
