import type { RunningSandbox } from '../../sandbox';
import {
	BOOKING22_FIELDS,
	BRANCH_ADDRESS_FIELDS,
	BRANCH_FIELDS,
	CATALOGUE_FIELDS,
	CREDIT_FIELDS,
	EVENT_FIELDS,
	MEMBER_LIST_FIELDS,
	MEMBER_SINGLE_FIELDS,
	PLAN_FIELDS,
	USER_MEMBERSHIP_FIELDS,
} from '../../sandbox/glofox';
import { hexId } from '../../sandbox/util';
import { B, NOW_SEC, demo, glofox, glofoxHeaders, start, type Json } from './helpers';

let sb: RunningSandbox;
beforeAll(async () => {
	sb = await start();
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => {
	sb.state.load(demo());
});

function memberId(email: string, first?: string): string {
	return [...sb.state.glofox.members.values()].find((m) => m.email === email && (!first || m.first_name === first))!._id;
}

describe('Glofox authentication', () => {
	test('missing or wrong x-api-key → 403 {"message":"Forbidden"}', async () => {
		for (const key of [undefined, 'wrong']) {
			const headers: Record<string, string> = { ...glofoxHeaders };
			if (key === undefined) delete headers['x-api-key'];
			else headers['x-api-key'] = key;
			const r = await fetch(`${sb.glofoxUrl}/2.0/members`, { headers });
			expect(r.status).toBe(403);
			expect(await r.json()).toEqual({ message: 'Forbidden' });
		}
	});

	test('missing or wrong token / branch → HTTP 200 with success:false', async () => {
		const cases: Record<string, string | undefined>[] = [
			{ 'x-glofox-api-token': undefined },
			{ 'x-glofox-api-token': 'wrong' },
			{ 'x-glofox-branch-id': undefined },
			{ 'x-glofox-branch-id': '000000000000000000000000' },
		];
		for (const c of cases) {
			const headers: Record<string, string> = { ...glofoxHeaders };
			for (const [k, v] of Object.entries(c)) {
				if (v === undefined) delete headers[k];
				else headers[k] = v;
			}
			const r = await fetch(`${sb.glofoxUrl}/2.0/members`, { headers });
			expect(r.status).toBe(200);
			const body = await r.json();
			expect(body).toEqual({ success: false, message: expect.any(String), message_code: expect.any(String) });
		}
	});

	test('branch in the path must equal the header; unknown route → 404 WRONG_URL', async () => {
		const other = await glofox(sb, '/2.0/branches/aaaaaaaaaaaaaaaaaaaaaaaa');
		expect(other.status).toBe(200);
		expect(other.body.success).toBe(false);
		const notFound = await glofox(sb, '/2.0/calendar');
		expect(notFound.status).toBe(404);
		expect(notFound.body).toEqual({ success: false, message: 'Route not found', message_code: 'WRONG_URL' });
		expect((await glofox(sb, '/2.0/members/not-an-id')).body.message_code).toBe('WRONG_URL');
	});
});

describe('Glofox members, memberships, credits, branch', () => {
	test('members: envelope A, has_more paging, active filter, full membership object', async () => {
		const all = [...sb.state.glofox.members.values()];
		const active = all.filter((m) => m.active !== false);
		const seen: string[] = [];
		for (let page = 1; ; page++) {
			const r = await glofox(sb, `/2.0/members?limit=10&page=${page}`);
			expect(r.status).toBe(200);
			expect(r.body).toMatchObject({ object: 'list', page, limit: 10, total_count: active.length });
			seen.push(...r.body.data.map((m: Json) => m._id));
			expect(r.body.has_more).toBe(page * 10 < active.length);
			if (!r.body.has_more) break;
		}
		expect(seen).toHaveLength(active.length);
		expect((await glofox(sb, '/2.0/members?active=any&limit=100')).body.total_count).toBe(all.length);
		const inactive = await glofox(sb, '/2.0/members?active=false');
		expect(inactive.body.data.map((m: Json) => m.email)).toEqual(['walt.becker@example.com']);
		const listed = (await glofox(sb, '/2.0/members?limit=100')).body.data.find((m: Json) => m.email === 'ana.ruiz@example.com');
		expect(listed).toMatchObject({ first_name: 'Ana', name: 'Ana Ruiz', type: 'member', role: 'member', active: true, branch_id: B });
		const ana = (await glofox(sb, `/2.0/members/${memberId('ana.ruiz@example.com')}`)).body;
		// UserMembership documents plan_code as a string; the single-user schema has no active, name or branch_id.
		expect(ana).toMatchObject({
			_id: memberId('ana.ruiz@example.com'),
			first_name: 'Ana',
			type: 'member',
			membership: { type: 'time', status: 'ACTIVE', membership_name: 'Unlimited Monthly', plan_code: '1001', plan_name: 'Monthly', user_membership_id: expect.any(String) },
		});
		expect(ana).not.toHaveProperty('active');
		expect(ana).not.toHaveProperty('name');
		expect(listed.membership).toEqual(ana.membership);
		expect(ana.membership.start_date).toBe(Date.parse('2025-09-02T23:00:00Z') / 1000);
		expect(ana.membership.expiry_date).toBe(Date.parse('2026-03-31T23:00:00Z') / 1000);
		expect((await glofox(sb, '/2.0/members?limit=101')).body.success).toBe(false);
		const unknown = await glofox(sb, '/2.0/members/aaaaaaaaaaaaaaaaaaaaaaaa');
		expect(unknown.body).toMatchObject({ success: false, message_code: 'USER_NOT_FOUND' });
	});

	test('users by email: exact, case-sensitive', async () => {
		const exact = await glofox(sb, `/2.1/branches/${B}/users?filters[email]=${encodeURIComponent('uma.lee@example.com')}`);
		expect(exact.body).toMatchObject({ object: 'list', total_count: 1 });
		expect(exact.body.data[0].first_name).toBe('Uma');
		const upper = await glofox(sb, `/2.1/branches/${B}/users?filters[email]=${encodeURIComponent('UMA.LEE@EXAMPLE.COM')}`);
		expect(upper.body.total_count).toBe(0);
		const shared = await glofox(sb, `/2.1/branches/${B}/users?filters[email]=parkers%40example.com`);
		expect(shared.body.total_count).toBe(2);
		// filters[email] is required (Glofox's OpenAPI): no listing of everyone.
		expect((await glofox(sb, `/2.1/branches/${B}/users`)).body).toMatchObject({ success: false, message_code: 'EMAIL_IS_REQUIRED' });
	});

	test('memberships: private hidden by default; credits with total_value', async () => {
		expect((await glofox(sb, '/2.0/memberships')).body.total_count).toBe(3);
		expect((await glofox(sb, '/2.0/memberships?private=any')).body.total_count).toBe(4);
		const credits = await glofox(sb, `/2.0/credits?user_id=${memberId('rosa.almeida@example.com')}`);
		expect(credits.body).toMatchObject({ object: 'list', total_count: 2, total_value: 5 });
		expect(credits.body.data[0]).toMatchObject({ model: 'programs', num_sessions: 10, available: 3, active: true, type: 'usercredit' });
		expect(credits.body.data[0].bookings).toHaveLength(2);
		expect((await glofox(sb, '/2.0/credits')).body).toMatchObject({ success: false, message_code: 'USER_ID_IS_REQUIRED' });
	});

	test('branch carries address.timezone_id', async () => {
		const r = await glofox(sb, `/2.0/branches/${B}`);
		expect(r.body).toMatchObject({ _id: B, name: 'Demo Gym Main Street', namespace: 'demogym', address: { timezone_id: 'Europe/London' } });
	});
});

describe('Glofox events and bookings', () => {
	test('events: default window now → +1 day on start, filter, private, integer times', async () => {
		const r = await glofox(sb, `/2.0/branches/${B}/events?sort_by=time_start`);
		expect(r.body.data.map((e: Json) => e.name)).toEqual(['Afternoon Yoga', 'Evening Spin', 'Morning Pilates']);
		expect(r.body.data[0]).toMatchObject({ time_start: NOW_SEC + 45 * 60, duration: 60, type: 'event', booked: 2, size: 20 });
		const slots = await glofox(sb, `/2.0/branches/${B}/events?filter=timeslot`);
		expect(slots.body.data.map((e: Json) => e.name)).toEqual(['Personal Training']);
		const wide = await glofox(sb, `/2.0/branches/${B}/events?start=${NOW_SEC - 3 * 3600}&end=${NOW_SEC + 2 * 86400}&filter=event,course&private=any&sort_by=time_start`);
		expect(wide.body.data.map((e: Json) => e.name)).toEqual([
			'Lunch HIIT',
			'Core Blast',
			'Lunchtime Stretch',
			'Afternoon Yoga',
			'Evening Spin',
			'Morning Pilates',
			'Staff Training',
			'Beginners Strength Course',
		]);
	});

	test('2.2 bookings: envelope B, branch-local strings, local-time filters', async () => {
		const s = demo();
		s.glofox!.timezone_id = 'America/New_York';
		sb.state.load(s);
		const r = await glofox(sb, `/2.2/branches/${B}/bookings?status=BOOKED&limit=100`);
		expect(r.body).toMatchObject({ success: true, meta: { totalCount: expect.any(Number), page: 1, limit: 100 } });
		expect(r.body).not.toHaveProperty('has_more');
		const lena = r.body.data.find((b: Json) => b.user_id === memberId('lena.fischer@example.com'));
		expect(lena).toMatchObject({ event_name: 'Afternoon Yoga', time_start: '2026-03-02 09:45:00', time_finish: '2026-03-02 10:45:00', status: 'BOOKED', attended: false });
		expect(lena.created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
		const localMorning = Date.UTC(2026, 2, 2, 9, 0) / 1000;
		const localNoon = Date.UTC(2026, 2, 2, 12, 0) / 1000;
		const filtered = await glofox(sb, `/2.2/branches/${B}/bookings?time_start_start_date=${localMorning}&time_start_end_date=${localNoon}&limit=100`);
		expect(filtered.body.data.map((b: Json) => b.time_start).every((t: string) => t >= '2026-03-02 09:00:00' && t <= '2026-03-02 12:00:00')).toBe(true);
		expect(filtered.body.data.map((b: Json) => b.event_name)).toContain('Afternoon Yoga');
	});

	test('2.0 bookings: per user, time_start defaults to now, time_end to a day later, integer UTC times', async () => {
		const nina = memberId('nina.kowalski@example.com');
		const q = `branchId=${B}&user_id=`;
		expect((await glofox(sb, `/2.0/bookings?${q}${nina}`)).body.total_count).toBe(0);
		const today = await glofox(sb, `/2.0/bookings?${q}${nina}&time_start=${NOW_SEC - 4 * 3600}`);
		expect(today.body.data).toEqual([
			expect.objectContaining({ event_name: 'Lunch HIIT', model_name: 'Lunch HIIT', time_start: NOW_SEC - 7200, duration: 45, attended: true, status: 'BOOKED', model: 'events', model_id: hexId('demo:event:hiit') }),
		]);
		// ClassBooking has no event_id or type: the class is model_id.
		expect(today.body.data[0]).not.toHaveProperty('event_id');
		expect(today.body.data[0]).not.toHaveProperty('type');
		const pia = memberId('pia.larsen@example.com');
		expect((await glofox(sb, `/2.0/bookings?${q}${pia}`)).body.total_count).toBe(1);
		expect((await glofox(sb, `/2.0/bookings?${q}${pia}&exclude_cancelled=true`)).body.total_count).toBe(0);
		// Quinn's bootcamp in ~3 days is beyond the default time_end (time_start + 1 day).
		const quinn = memberId('quinn.murphy@example.com');
		expect((await glofox(sb, `/2.0/bookings?${q}${quinn}`)).body.total_count).toBe(0);
		expect((await glofox(sb, `/2.0/bookings?${q}${quinn}&time_end=${NOW_SEC + 4 * 86400}`)).body.total_count).toBe(1);
	});

	test('2.0 bookings: branchId and user_id are required, as in Glofox\'s OpenAPI', async () => {
		const nina = memberId('nina.kowalski@example.com');
		const noBranch = await glofox(sb, `/2.0/bookings?user_id=${nina}&time_start=${NOW_SEC - 4 * 3600}`);
		expect(noBranch.status).toBe(200);
		expect(noBranch.body).toEqual({ success: false, message: 'The branch id field is required.', message_code: 'BRANCH_ID_IS_REQUIRED' });
		expect((await glofox(sb, `/2.0/bookings?branchId=${B}`)).body).toMatchObject({ success: false, message_code: 'USER_ID_IS_REQUIRED' });
		expect((await glofox(sb, `/2.0/bookings?branchId=aaaaaaaaaaaaaaaaaaaaaaaa&user_id=${nina}`)).body).toMatchObject({ success: false, message_code: 'INVALID_BRANCH_ID' });
		expect((await glofox(sb, `/2.0/bookings?branchId=${B}&user_id=${nina}&sort_by=modified`)).body).toMatchObject({ success: false, message_code: 'INVALID_SORT_BY' });
		expect((await glofox(sb, `/2.0/bookings?branchId=${B}&user_id=${nina}&time_start=today`)).body).toMatchObject({ success: false, message_code: 'INVALID_TIME_START' });
	});
});

describe('Glofox access and attendances', () => {
	test('POST /2.0/access: valid_on_entry from the membership or a booking within the hour, which is marked attended', async () => {
		const ana = await glofox(sb, '/2.0/access', { method: 'POST', body: { user_id: memberId('ana.ruiz@example.com'), door: 'Front Door' } });
		expect(ana.status).toBe(200);
		expect(ana.body).toEqual({
			success: true,
			access: expect.objectContaining({ user_id: memberId('ana.ruiz@example.com'), branch_id: B, entry_at: expect.any(Number), valid_on_entry: true, status: 'GRANTED', door: 'Front Door', door_type: 'external' }),
		});
		const lenaId = memberId('lena.fischer@example.com');
		const early = await glofox(sb, '/2.0/access', { method: 'POST', body: { user_id: lenaId, entry_at: NOW_SEC - 30 * 60 } });
		expect(early.body.access).toMatchObject({ valid_on_entry: false, status: 'FAILED' });
		// entry_at is an integer in the Access schema: a string is refused and records nothing.
		const asText = await glofox(sb, '/2.0/access', { method: 'POST', body: { user_id: lenaId, entry_at: String(NOW_SEC) } });
		expect(asText.body).toMatchObject({ success: false, message_code: 'INVALID_ENTRY_AT' });
		const onTime = await glofox(sb, '/2.0/access', { method: 'POST', body: { user_id: lenaId, entry_at: NOW_SEC } });
		expect(onTime.body.access).toMatchObject({ valid_on_entry: true, status: 'GRANTED', entry_at: NOW_SEC });
		const booking = [...sb.state.glofox.bookings.values()].find((b) => b.user_id === lenaId)!;
		expect(booking.attended).toBe(true);
		for (const email of ['dan.whitfield@example.com', 'walt.becker@example.com', 'ivan.petrov@example.com', 'felix.braun@example.com']) {
			const r = await glofox(sb, '/2.0/access', { method: 'POST', body: { user_id: memberId(email) } });
			expect([email, r.body.access.valid_on_entry]).toEqual([email, false]);
		}
		const unknown = await glofox(sb, '/2.0/access', { method: 'POST', body: { user_id: 'aaaaaaaaaaaaaaaaaaaaaaaa' } });
		expect(unknown.status).toBe(200);
		expect(unknown.body).toEqual({ success: false, message: 'User not found', message_code: 'USER_NOT_FOUND' });
		const noType = await glofox(sb, '/2.0/access', { method: 'POST', body: JSON.stringify({ user_id: lenaId }), headers: { 'Content-Type': 'text/plain' } });
		expect(noType.body).toMatchObject({ success: false, message_code: 'USER_ID_IS_REQUIRED' });
		expect(sb.state.toScenario().glofox!.accesses).toHaveLength(7);
	});

	test('POST /2.0/attendances marks bookings attended', async () => {
		const priya = [...sb.state.glofox.bookings.values()].find((b) => b.user_id === memberId('priya.shah@example.com'))!;
		const r = await glofox(sb, '/2.0/attendances', { method: 'POST', body: { model: 'bookings', model_ids: [priya._id] } });
		expect(r.body).toEqual({ success: true, model_ids: [priya._id] });
		expect(sb.state.glofox.bookings.get(priya._id)!.attended).toBe(true);
		const wrong = await glofox(sb, '/2.0/attendances', { method: 'POST', body: { model: 'events', model_ids: [priya._id] } });
		expect(wrong.body).toMatchObject({ success: false, message_code: 'INVALID_MODEL' });
	});
});

describe('Glofox answers with the documented fields only', () => {
	test('a field Glofox does not document is never served, even when the scenario holds it', async () => {
		const s = demo() as Json;
		const extra = { undocumented_field: 'leak' };
		for (const list of ['members', 'memberships', 'credits', 'events', 'bookings']) s.glofox[list] = s.glofox[list].map((o: Json) => ({ ...o, ...extra }));
		for (const m of s.glofox.members) if (m.membership) m.membership = { ...m.membership, ...extra, membership_id: 'cccccccccccccccccccccccc' };
		for (const m of s.glofox.memberships) m.plans = m.plans.map((p: Json) => ({ ...p, ...extra }));
		s.glofox.branch = { ...s.glofox.branch, ...extra, address: { ...s.glofox.branch.address, ...extra } };
		sb.state.load(s);
		const ids = [...sb.state.glofox.members.keys()];
		const answers = [
			await glofox(sb, '/2.0/members?active=any&limit=100'),
			...(await Promise.all(ids.map((id) => glofox(sb, `/2.0/members/${id}`)))),
			await glofox(sb, `/2.1/branches/${B}/users?filters[email]=ana.ruiz%40example.com`),
			await glofox(sb, '/2.0/memberships?private=any'),
			...(await Promise.all(ids.map((id) => glofox(sb, `/2.0/credits?user_id=${id}`)))),
			await glofox(sb, `/2.0/branches/${B}`),
			await glofox(sb, `/2.0/branches/${B}/events?start=${NOW_SEC - 86400}&end=${NOW_SEC + 5 * 86400}&filter=event,course,timeslot&private=any`),
			await glofox(sb, `/2.2/branches/${B}/bookings?limit=100`),
			...(await Promise.all(ids.map((id) => glofox(sb, `/2.0/bookings?branchId=${B}&user_id=${id}&time_start=${NOW_SEC - 86400}&time_end=${NOW_SEC + 5 * 86400}`)))),
			await glofox(sb, '/2.0/access', { method: 'POST', body: { user_id: memberId('ana.ruiz@example.com') } }),
		];
		for (const a of answers) {
			expect(a.status).toBe(200);
			expect(a.body.success).not.toBe(false);
			expect(a.text).not.toContain('undocumented_field');
			expect(a.text).not.toContain('membership_id":"cccc');
		}
	});

	test('each object carries only the fields of its Glofox schema', async () => {
		const subset = (o: Json, fields: readonly string[]) => expect(Object.keys(o).filter((k) => !fields.includes(k))).toEqual([]);
		for (const m of (await glofox(sb, '/2.0/members?active=any&limit=100')).body.data) {
			subset(m, MEMBER_LIST_FIELDS);
			if (m.membership) subset(m.membership, USER_MEMBERSHIP_FIELDS);
		}
		subset((await glofox(sb, `/2.0/members/${memberId('rosa.almeida@example.com')}`)).body, MEMBER_SINGLE_FIELDS);
		for (const c of (await glofox(sb, `/2.0/credits?user_id=${memberId('rosa.almeida@example.com')}`)).body.data) subset(c, CREDIT_FIELDS);
		for (const e of (await glofox(sb, `/2.0/branches/${B}/events?start=${NOW_SEC - 86400}&end=${NOW_SEC + 5 * 86400}&filter=event,course,timeslot`)).body.data) {
			subset(e, EVENT_FIELDS);
			expect(e).not.toHaveProperty('created');
		}
		for (const b of (await glofox(sb, `/2.2/branches/${B}/bookings?limit=100`)).body.data) subset(b, BOOKING22_FIELDS);
		const branch = (await glofox(sb, `/2.0/branches/${B}`)).body;
		subset(branch, BRANCH_FIELDS);
		subset(branch.address, BRANCH_ADDRESS_FIELDS);
		for (const m of (await glofox(sb, '/2.0/memberships?private=any')).body.data) {
			subset(m, CATALOGUE_FIELDS);
			for (const p of m.plans) subset(p, PLAN_FIELDS);
		}
	});

	test('member_list_membership "thin": the list carries only type, start_date, user_membership_id, status; the single GET the full object', async () => {
		sb.state.load(demo({ glofox: { ...demo().glofox!, member_list_membership: 'thin' } }));
		const listed = (await glofox(sb, '/2.0/members?limit=100')).body.data.find((m: Json) => m.email === 'ana.ruiz@example.com');
		expect(Object.keys(listed.membership).sort()).toEqual(['start_date', 'status', 'type', 'user_membership_id']);
		const single = (await glofox(sb, `/2.0/members/${listed._id}`)).body;
		expect(single.membership).toMatchObject({ expiry_date: expect.any(Number), membership_name: 'Unlimited Monthly', plan_code: '1001' });
	});
});

describe('Glofox key without write access (write_access: false)', () => {
	test('reads work; every POST answers INVALID_USER_TYPE and records nothing', async () => {
		sb.state.load(demo({ glofox: { ...demo().glofox!, write_access: false } }));
		expect((await glofox(sb, '/2.0/members?limit=1')).status).toBe(200);
		const lena = memberId('lena.fischer@example.com');
		const access = await glofox(sb, '/2.0/access', { method: 'POST', body: { user_id: lena } });
		expect(access.status).toBe(403);
		expect(access.body).toEqual({ success: false, message: expect.any(String), message_code: 'INVALID_USER_TYPE' });
		const booking = [...sb.state.glofox.bookings.values()].find((b) => b.user_id === lena)!;
		const attendance = await glofox(sb, '/2.0/attendances', { method: 'POST', body: { model: 'bookings', model_ids: [booking._id] } });
		expect(attendance.body).toMatchObject({ success: false, message_code: 'INVALID_USER_TYPE' });
		expect(sb.state.toScenario().glofox!.accesses).toEqual([]);
		expect(sb.state.glofox.bookings.get(booking._id)!.attended).toBe(false);
		expect(sb.state.toScenario().glofox!.write_access).toBe(false);
	});
});

describe('Glofox rate limit', () => {
	test('token bucket: burst 10 then 10/s → 429 {"message":"Too Many Requests"}', async () => {
		sb.state.load(demo({ rateLimits: true }));
		const results = await Promise.all(Array.from({ length: 13 }, () => glofox(sb, '/2.0/memberships')));
		const limited = results.filter((r) => r.status === 429);
		expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(10);
		expect(limited.length).toBeGreaterThanOrEqual(1);
		expect(limited[0].body).toEqual({ message: 'Too Many Requests' });
		await new Promise((r) => setTimeout(r, 250));
		expect((await glofox(sb, '/2.0/memberships')).status).toBe(200);
		sb.state.load(demo({ rateLimits: { glofox: { limit: 10, windowMs: 1000, burst: 1000 } } }));
		const burst = await Promise.all(Array.from({ length: 50 }, () => glofox(sb, '/2.0/memberships')));
		expect(burst.every((r) => r.status === 200)).toBe(true);
	});
});
