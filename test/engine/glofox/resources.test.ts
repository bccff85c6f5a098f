/**
 * Glofox read operations (members, memberships, credits, events, bookings) through n8n's engine:
 * paging to Return All or a Limit, filters, both envelopes.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { type RunningSandbox } from '../../../sandbox';
import { hexId } from '../../../sandbox/util';
import { DEMO_NOW, G, addFault, clearFaults, clearRequestLog, demoScenario, requestLog, run, start } from './helpers';

const NOW = Date.parse(DEMO_NOW);
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();
const id = (label: string) => hexId(`demo:${label}`);
const glofoxHeaders = { 'x-api-key': G.apiKey, 'x-glofox-api-token': G.apiToken, 'x-glofox-branch-id': G.branchId };

let sb: RunningSandbox;

beforeAll(async () => {
	sb = await start(demoScenario({ rateLimits: false }));
});

afterAll(async () => {
	await sb?.close();
});

beforeEach(async () => {
	await clearRequestLog(sb);
});

async function ok(parameters: INodeParameters, items?: IDataObject[]): Promise<IDataObject[]> {
	const result = await run(sb, parameters, items ? { items } : {});
	expect(result.error).toBeUndefined();
	return result.output('Glofox');
}

const glofoxLog = async () => (await requestLog(sb)).filter((r) => r.service === 'glofox');

describe('Member', () => {
	it('Get Many: active members by default, any / inactive on request, Limit', async () => {
		expect(await ok({ resource: 'member', operation: 'getAll', returnAll: true })).toHaveLength(35);
		expect(await ok({ resource: 'member', operation: 'getAll', returnAll: true, filters: { active: 'any' } })).toHaveLength(36);
		const inactive = await ok({ resource: 'member', operation: 'getAll', returnAll: true, filters: { active: 'false' } });
		expect(inactive.map((m) => m.email)).toEqual(['walt.becker@example.com']);
		await clearRequestLog(sb);
		expect(await ok({ resource: 'member', operation: 'getAll', returnAll: false, limit: 7 })).toHaveLength(7);
		expect((await glofoxLog()).map((r) => r.query)).toEqual([expect.objectContaining({ active: 'true', page: '1', limit: '7' })]);
	});

	it('Get Many: Modified Since', async () => {
		// Demo members were last modified two days before now.
		expect(await ok({ resource: 'member', operation: 'getAll', returnAll: true, filters: { modifiedSince: at(-3 * 1440) } })).toHaveLength(35);
		expect(await ok({ resource: 'member', operation: 'getAll', returnAll: true, filters: { modifiedSince: at(-1440) } })).toHaveLength(0);
		expect((await glofoxLog()).at(-1)?.query.utc_modified_start_date).toBe(String((NOW - 1440 * 60_000) / 1000));
	});

	it('Get: one member with the full membership', async () => {
		const [rosa] = await ok({ resource: 'member', operation: 'get', memberId: id('member:rosa') });
		expect(rosa).toMatchObject({ _id: id('member:rosa'), email: 'rosa.almeida@example.com', membership: { type: 'num_classes', membership_name: 'Class Pack' } });
	});

	it('Find by Email: exact address, any case; nothing for an unknown one', async () => {
		const found = await ok({ resource: 'member', operation: 'findByEmail', email: '={{ $json.email }}' }, [
			{ email: 'Rosa.Almeida@EXAMPLE.com' },
			{ email: 'nobody@example.com' },
			{ email: 'parkers@example.com' },
		]);
		// The users search answers Glofox's single-user schema (first_name / last_name; no `name`).
		expect(found.map((m) => `${m.first_name} ${m.last_name}`)).toEqual(['Rosa Almeida', 'Sam Parker', 'Tess Parker']);
		const lookups = (await glofoxLog()).map((r) => r.query['filters[email]']);
		// Lower-cased first; the typed spelling only when it differs and the first found nothing.
		expect(lookups).toEqual(['rosa.almeida@example.com', 'nobody@example.com', 'parkers@example.com']);
	});
});

describe('Membership (catalogue)', () => {
	it('Get Many: all, public or private', async () => {
		expect((await ok({ resource: 'membership', operation: 'getAll', returnAll: true })).map((m) => m.name)).toEqual([
			'Unlimited Monthly',
			'Class Pack',
			'8 Classes Monthly',
		]);
		expect(await ok({ resource: 'membership', operation: 'getAll', returnAll: true, filters: { private: 'any' } })).toHaveLength(4);
		expect((await ok({ resource: 'membership', operation: 'getAll', returnAll: true, filters: { private: 'true' } })).map((m) => m.name)).toEqual(['Staff Access']);
	});

	it('Get: by ID', async () => {
		const [pack] = await ok({ resource: 'membership', operation: 'get', membershipId: { __rl: true, mode: 'id', value: id('membership:classpack') } });
		expect(pack).toMatchObject({ name: 'Class Pack', plans: [expect.objectContaining({ code: 2001 }), expect.objectContaining({ code: 2002 })] });
	});
});

describe('Credit', () => {
	it("Get Many: a member's credits", async () => {
		const credits = await ok({ resource: 'credit', operation: 'getAll', memberId: id('member:rosa'), returnAll: true });
		expect(credits.map((c) => [c.available, c.active])).toEqual([
			[3, true],
			[2, false],
		]);
	});
});

describe('Event', () => {
	it('Get Many: by start range and type', async () => {
		const classes = await ok({ resource: 'event', operation: 'getAll', start: at(-180), end: at(1440), returnAll: true });
		expect(classes.map((e) => e.name)).toEqual(['Lunch HIIT', 'Core Blast', 'Lunchtime Stretch', 'Afternoon Yoga', 'Evening Spin', 'Morning Pilates']);
		const withAppointments = await ok({ resource: 'event', operation: 'getAll', start: at(-180), end: at(1440), types: ['classes', 'appointments'], returnAll: true });
		expect(withAppointments.map((e) => e.name)).toContain('Personal Training');
		const courses = await ok({ resource: 'event', operation: 'getAll', start: at(0), end: at(3 * 1440), types: ['courses'], returnAll: true });
		expect(courses.map((e) => e.name)).toEqual(['Beginners Strength Course']);
		expect((await glofoxLog()).at(-1)?.query).toMatchObject({ filter: 'course', start: String(NOW / 1000), end: String(NOW / 1000 + 3 * 86400) });
	});

	it('Get: by ID', async () => {
		const [yoga] = await ok({ resource: 'event', operation: 'get', eventId: id('event:yoga') });
		expect(yoga).toMatchObject({ name: 'Afternoon Yoga', time_start: NOW / 1000 + 45 * 60, duration: 60 });
	});
});

describe('Booking', () => {
	it('Get Many branch-wide: sessions starting in the range, with ISO times added', async () => {
		const bookings = await ok({ resource: 'booking', operation: 'getAll', start: at(0), end: at(300), returnAll: true });
		const yoga = bookings.filter((b) => b.event_name === 'Afternoon Yoga');
		expect(yoga.length).toBeGreaterThan(0);
		expect(yoga[0]).toMatchObject({ time_start: '2026-03-02 14:45:00', startsAt: at(45), endsAt: at(105) });
		expect(bookings.every((b) => Date.parse(String(b.startsAt)) >= NOW && Date.parse(String(b.startsAt)) < NOW + 300 * 60_000)).toBe(true);
		const log = await glofoxLog();
		expect(log.map((r) => r.path)).toEqual([`/2.0/branches/${G.branchId}`, `/2.2/branches/${G.branchId}/bookings`]);
	});

	it('Get Many: status filter and Limit', async () => {
		const waiting = await ok({ resource: 'booking', operation: 'getAll', start: at(-180), end: at(1440), returnAll: true, filters: { status: 'WAITING' } });
		expect(waiting.map((b) => b.user_name)).toEqual(['Omar Haddad']);
		expect(await ok({ resource: 'booking', operation: 'getAll', start: at(-180), end: at(1440), returnAll: false, limit: 2 })).toHaveLength(2);
	});

	it("Get Many for one member: that member's bookings in the range", async () => {
		const rosa = await ok({ resource: 'booking', operation: 'getAll', start: at(0), end: at(1440), returnAll: true, filters: { memberId: id('member:rosa') } });
		expect(rosa.map((b) => [b.event_name, b.startsAt])).toEqual([
			['Evening Spin', at(270)],
			['Morning Pilates', at(1020)],
		]);
		const log = await glofoxLog();
		expect(log.map((r) => r.path)).toEqual(['/2.0/bookings']);
		// branchId is required by Glofox's OpenAPI; it is the credential's Location ID.
		expect(log[0].query).toMatchObject({ branchId: G.branchId, user_id: id('member:rosa'), time_start: String(NOW / 1000), time_end: String(NOW / 1000 + 86400 - 1) });
	});
});

describe('paging beyond one page (250 members)', () => {
	it('Return All pages at 100 until has_more is false; a Limit stops early', async () => {
		const scenario = demoScenario({ rateLimits: false }) as IDataObject;
		const glofox = scenario.glofox as IDataObject;
		const extra = Array.from({ length: 250 - 36 }, (_, i) => ({
			_id: hexId(`extra:${i}`),
			first_name: 'Extra',
			last_name: String(i),
			email: `extra${i}@example.com`,
			active: true,
			membership: null,
		}));
		const big = await start({ ...scenario, glofox: { ...glofox, members: [...(glofox.members as IDataObject[]), ...extra] } });
		try {
			const all = await run(big, { resource: 'member', operation: 'getAll', returnAll: true, filters: { active: 'any' } });
			expect(all.output('Glofox')).toHaveLength(250);
			const some = await run(big, { resource: 'member', operation: 'getAll', returnAll: false, limit: 150, filters: { active: 'any' } });
			expect(some.output('Glofox')).toHaveLength(150);
			const log = (await requestLog(big)).filter((r) => r.service === 'glofox');
			expect(log.map((r) => `${r.query.page}/${r.query.limit}`)).toEqual(['1/100', '2/100', '3/100', '1/100', '2/100']);
		} finally {
			await big.close();
		}
	});
});

describe('uncertain API readings (docs/reference/glofox-api.md §12)', () => {
	it('GET /2.0/members/{id} is accepted bare or wrapped in data', async () => {
		const [bare] = await ok({ resource: 'member', operation: 'get', memberId: id('member:ana') });
		const wrapped = JSON.stringify({ success: true, data: bare });
		await addFault(sb, { path: `/2.0/members/${id('member:ana')}`, status: 200, body: wrapped, times: 1 });
		try {
			const [unwrapped] = await ok({ resource: 'member', operation: 'get', memberId: id('member:ana') });
			expect(unwrapped).toEqual(bare);
		} finally {
			await clearFaults(sb);
		}
	});

	it('a listed membership without expiry_date is completed by reading that member alone', async () => {
		const list = await fetch(`${sb.glofoxUrl}/2.0/members?active=any&page=1&limit=100`, { headers: glofoxHeaders }).then(async (r) => (await r.json()) as IDataObject);
		const thin = (list.data as IDataObject[]).map((m) => {
			if (m._id !== id('member:ana')) return m;
			const { expiry_date: _dropped, ...membership } = m.membership as IDataObject;
			return { ...m, membership };
		});
		await addFault(sb, { path: '/2.0/members', status: 200, body: JSON.stringify({ ...list, data: thin }), times: 1 });
		await clearRequestLog(sb);
		try {
			const profiles = await ok({ resource: 'accessProfile', operation: 'getAll', lookAheadHours: 24, includeInactive: true, options: { referenceTime: DEMO_NOW } });
			const ana = profiles.find((p) => p.email === 'ana.ruiz@example.com')!;
			expect((ana.memberships as IDataObject[])[0].expiresAt).toBe(DateTime.fromMillis(NOW, { zone: 'Europe/London' }).startOf('day').plus({ days: 30 }).toUTC().toISO());
			expect((await glofoxLog()).filter((r) => r.path.startsWith('/2.0/members/')).map((r) => r.path)).toEqual([`/2.0/members/${id('member:ana')}`]);
		} finally {
			await clearFaults(sb);
		}
	});

	it('an email stored with capitals is found by sending it as typed after the lower-cased try', async () => {
		const scenario = demoScenario({ rateLimits: false }) as IDataObject;
		const glofox = scenario.glofox as IDataObject;
		const mixed = { _id: hexId('mixed'), first_name: 'Mixed', last_name: 'Case', email: 'Mixed.Case@Example.com', active: true, membership: { type: 'time', status: 'ACTIVE', start_date: NOW / 1000 - 86400, expiry_date: null } };
		const other = await start({ ...scenario, glofox: { ...glofox, members: [...(glofox.members as IDataObject[]), mixed] } });
		try {
			const found = await run(other, { resource: 'member', operation: 'findByEmail', email: 'Mixed.Case@Example.com' });
			expect(found.output('Glofox').map((m) => m._id)).toEqual([hexId('mixed')]);
			const checkIn = await run(other, { resource: 'checkIn', operation: 'checkIn' }, { items: [{ email: 'Mixed.Case@Example.com', occurredAt: DEMO_NOW }] });
			expect(checkIn.output('Glofox')[0]).toMatchObject({ status: 'checked_in', email: 'mixed.case@example.com', memberId: hexId('mixed'), validOnEntry: true });
			const lookups = (await requestLog(other)).filter((r) => r.path.endsWith('/users')).map((r) => r.query['filters[email]']);
			expect(lookups).toEqual(['mixed.case@example.com', 'Mixed.Case@Example.com', 'mixed.case@example.com', 'Mixed.Case@Example.com']);
		} finally {
			await other.close();
		}
	});
});
