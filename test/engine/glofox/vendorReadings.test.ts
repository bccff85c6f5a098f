/**
 * Glofox shapes that Glofox's own reference leaves open or that live integrators report differently
 * (README "Uncertain API facts" → Glofox), each run through n8n's engine against the sandbox in
 * every plausible reading: `GET /2.0/bookings` answering a member's whole history, a key without
 * write access (INVALID_USER_TYPE at 403, 400 or 200), the thin membership of member lists, the
 * users search answering one bare user.
 */
import type { IDataObject } from 'n8n-workflow';

import { evaluateAccess } from '../../../nodes/AccessRuleEvaluator/engine';
import type { RunningSandbox } from '../../../sandbox';
import { hexId } from '../../../sandbox/util';
import { CREDENTIAL_NAME, DEMO_NOW, G, addFault, clearFaults, clearRequestLog, demoScenario, requestLog, run, sandboxState, start } from './helpers';

const NOW = Date.parse(DEMO_NOW);
const SEC = NOW / 1000;
const DAY = 86400;
const id = (label: string) => hexId(`demo:${label}`);
const headers = { 'x-api-key': G.apiKey, 'x-glofox-api-token': G.apiToken, 'x-glofox-branch-id': G.branchId };
const CHECK_IN = { resource: 'checkIn', operation: 'checkIn' };
const PROFILES = { resource: 'accessProfile', operation: 'getAll', lookAheadHours: 24, includeInactive: true, options: { referenceTime: DEMO_NOW } };

async function getJson(sb: RunningSandbox, path: string): Promise<IDataObject> {
	return (await (await fetch(`${sb.glofoxUrl}${path}`, { headers })).json()) as IDataObject;
}

/** The demo, with Lena (PAYG) also holding an attended class a month ago and a booking in three days. */
function withHistory(overrides: IDataObject = {}) {
	const scenario = demoScenario({ rateLimits: false }) as IDataObject & { glofox: IDataObject & { bookings: IDataObject[] } };
	const lena = id('member:lena');
	scenario.glofox = {
		...scenario.glofox,
		...overrides,
		bookings: [
			...scenario.glofox.bookings,
			{ _id: hexId('history:old'), user_id: lena, event_id: id('event:hiit'), status: 'BOOKED', attended: true, time_start: SEC - 30 * DAY, created: SEC - 32 * DAY, modified: SEC - 30 * DAY },
			{ _id: hexId('history:later'), user_id: lena, event_id: id('event:pilates'), status: 'BOOKED', attended: false, time_start: SEC + 3 * DAY, created: SEC - DAY, modified: SEC - DAY },
		],
	};
	return scenario;
}

/** Makes `GET /2.0/bookings` answer Lena's whole history, whatever window is asked (as live integrators report). */
async function wholeHistory(sb: RunningSandbox) {
	const all = await getJson(sb, `/2.0/bookings?branchId=${G.branchId}&user_id=${id('member:lena')}&time_start=${SEC - 60 * DAY}&time_end=${SEC + 60 * DAY}&limit=100`);
	expect(all.total_count).toBe(3);
	await addFault(sb, { method: 'GET', path: '/2.0/bookings', status: 200, body: JSON.stringify(all) });
	await clearRequestLog(sb);
}

describe('GET /2.0/bookings: branchId sent, window applied on our side', () => {
	let sb: RunningSandbox;
	beforeAll(async () => {
		sb = await start(withHistory());
	});
	afterAll(async () => {
		await sb?.close();
	});
	beforeEach(async () => {
		await clearFaults(sb);
		await clearRequestLog(sb);
	});

	it("Booking → Get Many for a member outputs only bookings starting in the range, even when Glofox answers the member's whole history", async () => {
		const params = { resource: 'booking', operation: 'getAll', start: new Date(NOW).toISOString(), end: new Date(NOW + DAY * 1000).toISOString(), returnAll: true, filters: { memberId: id('member:lena') } };
		const asked = await run(sb, params);
		expect(asked.output('Glofox').map((b) => b._id)).toEqual([id('booking:lena:yoga')]);
		const query = (await requestLog(sb)).find((r) => r.path === '/2.0/bookings')!.query;
		expect(query).toMatchObject({ branchId: G.branchId, user_id: id('member:lena') });

		await wholeHistory(sb);
		const history = await run(sb, params);
		expect(history.error).toBeUndefined();
		expect(history.output('Glofox').map((b) => [b._id, b.startsAt])).toEqual([[id('booking:lena:yoga'), new Date(NOW + 45 * 60_000).toISOString()]]);
	});

	it('Check In sends branchId and reports the class it attended, not an older attended one from the whole history', async () => {
		await wholeHistory(sb);
		const result = await run(sb, CHECK_IN, { items: [{ email: 'lena.fischer@example.com', occurredAt: DEMO_NOW }] });
		expect(result.error).toBeUndefined();
		// The faulted answer is the history as it was before the check-in: the month-old attended
		// class is the only attended booking in it, and it is outside the entry's reach.
		expect(result.output('Glofox')[0]).toMatchObject({ status: 'checked_in', validOnEntry: true, booking: null });
		const query = (await requestLog(sb)).find((r) => r.path === '/2.0/bookings')!.query;
		expect(query).toMatchObject({ branchId: G.branchId, user_id: id('member:lena'), time_start: String(SEC - 6 * 3600), time_end: String(SEC + 3600) });

		await clearFaults(sb);
		const again = await run(sb, CHECK_IN, { items: [{ email: 'lena.fischer@example.com', occurredAt: DEMO_NOW }] });
		expect(again.output('Glofox')[0]).toMatchObject({ booking: expect.objectContaining({ _id: id('booking:lena:yoga'), attended: true }) });
	});

	it('Access Profile leaves out bookings outside the window even when the branch listing returns them', async () => {
		const wide = await getJson(sb, `/2.2/branches/${G.branchId}/bookings?limit=100`);
		await addFault(sb, { method: 'GET', path: `/2.2/branches/${G.branchId}/bookings`, status: 200, body: JSON.stringify(wide) });
		const result = await run(sb, PROFILES);
		expect(result.error).toBeUndefined();
		const lena = result.output('Glofox').find((p) => p.email === 'lena.fischer@example.com')!;
		expect((lena.registrations as IDataObject[]).map((r) => r.id)).toEqual([id('booking:lena:yoga')]);
		const quinn = result.output('Glofox').find((p) => p.email === 'quinn.murphy@example.com')!;
		expect(quinn.registrations).toEqual([]);
	});
});

describe('a key without write access (INVALID_USER_TYPE)', () => {
	const advice = [/enable write access for the integration's API key and token/, /apiactivation@abcfitness\.com/, /Location ID/];

	async function expectAdvice(sb: RunningSandbox) {
		const result = await run(sb, CHECK_IN, { items: [{ email: 'ana.ruiz@example.com', occurredAt: DEMO_NOW }] });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(`Glofox refused POST /2.0/access: the API key and token in credential "${CREDENTIAL_NAME}" may read but not write (INVALID_USER_TYPE)`);
		for (const text of advice) expect(result.error?.description).toMatch(text);
		expect(result.error?.description).toContain('Nothing was recorded');
		expect(result.error?.message).not.toContain(G.apiKey);
		// Not retried: the answer will not change.
		expect((await requestLog(sb)).filter((r) => r.method === 'POST')).toHaveLength(1);
		expect((await sandboxState(sb)).glofox.accesses).toEqual([]);
	}

	it('the sandbox emulating such a key (403): reads work, Check In says exactly what to ask Glofox for', async () => {
		const sb = await start(demoScenario({ rateLimits: false, glofox: { ...demoScenario().glofox!, write_access: false } }));
		try {
			const members = await run(sb, { resource: 'member', operation: 'getAll', returnAll: false, limit: 3 });
			expect(members.error).toBeUndefined();
			expect(members.output('Glofox')).toHaveLength(3);
			await clearRequestLog(sb);
			await expectAdvice(sb);
			expect((await requestLog(sb)).find((r) => r.method === 'POST')?.status).toBe(403);

			const lenient = await run(sb, CHECK_IN, { items: [{ email: 'ana.ruiz@example.com', occurredAt: DEMO_NOW }, { email: 'ben.okafor@example.com', occurredAt: DEMO_NOW }], continueOnFail: true });
			expect(lenient.error).toBeUndefined();
			expect(lenient.output('Glofox').map((item) => String(item.error))).toEqual([
				expect.stringContaining('INVALID_USER_TYPE'),
				expect.stringContaining('INVALID_USER_TYPE'),
			]);
		} finally {
			await sb.close();
		}
	});

	it.each([
		[200, 'HTTP 200 with success: false'],
		[400, 'HTTP 400'],
	])('Glofox answering it as %i (%s) gets the same advice', async (status) => {
		const sb = await start(demoScenario({ rateLimits: false }));
		try {
			await addFault(sb, {
				method: 'POST',
				path: '/2.0/access',
				status,
				body: JSON.stringify({ success: false, message: 'Invalid user type', message_code: 'INVALID_USER_TYPE' }),
			});
			await expectAdvice(sb);
		} finally {
			await sb.close();
		}
	});
});

describe('member lists carrying the thin membership of Glofox\'s example', () => {
	it('gives every demo person the same access and validity as the full membership, reading alone only members whose membership may be current', async () => {
		const full = await start(demoScenario({ rateLimits: false }));
		const thin = await start(demoScenario({ rateLimits: false, glofox: { ...demoScenario().glofox!, member_list_membership: 'thin' } }));
		try {
			const decide = async (sb: RunningSandbox) => {
				const result = await run(sb, { ...PROFILES, lookAheadHours: 96 });
				expect(result.error).toBeUndefined();
				return evaluateAccess(result.output('Glofox'), { grantOnRegistrations: true, evaluationTime: DEMO_NOW }).map(({ decision: d }) => ({
					email: d.email,
					access: d.access,
					validFrom: d.validFrom,
					validUntil: d.validUntil,
					denials: (d.denials ?? []).map((denial) => denial.code).sort(),
				}));
			};
			const fromFull = await decide(full);
			expect(fromFull.filter((d) => d.access === 'allow').length).toBeGreaterThan(15);
			expect(fromFull.find((d) => d.email === 'ivan.petrov@example.com')?.denials).toContain('MEMBERSHIP_BLOCKED');
			await clearRequestLog(thin);
			const fromThin = await decide(thin);
			const verdict = ({ email, access, validFrom, validUntil }: (typeof fromFull)[number]) => ({ email, access, validFrom, validUntil });
			expect(fromThin.map(verdict)).toEqual(fromFull.map(verdict));
			// An ended membership is not read alone, so its dates stay unknown: its denials can only be fewer
			// (a cancelled membership past its date is "cancelled", no longer also "expired").
			fromThin.forEach((d, i) => expect(fromFull[i].denials).toEqual(expect.arrayContaining(d.denials)));
			const reads = (await requestLog(thin)).filter((r) => /^\/2\.0\/members\/[a-f0-9]{24}$/.test(r.path)).map((r) => r.path.slice('/2.0/members/'.length));
			// Current or future non-PAYG memberships are read alone; PAYG, paused and ended ones are not.
			expect(reads).toContain(id('member:ana'));
			expect(reads).toContain(id('member:ivan'));
			expect(reads).not.toContain(id('member:lena'));
			expect(reads).not.toContain(id('member:dan'));
		} finally {
			await full.close();
			await thin.close();
		}
	});
});

describe('the users search answering one bare user (the schema Glofox documents) instead of a list', () => {
	it('Check In still finds the member and checks them in', async () => {
		const sb = await start(demoScenario({ rateLimits: false }));
		try {
			const [ana] = (await getJson(sb, `/2.1/branches/${G.branchId}/users?filters[email]=ana.ruiz%40example.com`)).data as IDataObject[];
			await addFault(sb, { method: 'GET', path: `/2.1/branches/${G.branchId}/users`, status: 200, body: JSON.stringify(ana) });
			const result = await run(sb, CHECK_IN, { items: [{ email: 'ana.ruiz@example.com', occurredAt: DEMO_NOW }] });
			expect(result.error).toBeUndefined();
			expect(result.output('Glofox')[0]).toMatchObject({ status: 'checked_in', memberId: id('member:ana'), validOnEntry: true });
		} finally {
			await sb.close();
		}
	});
});
