/**
 * Access Profile → Get Many against inline scenarios: time zones and DST in the sandbox, and (with
 * nock) the other plausible readings of shapes TeamUp does not document, plus courses.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import type { RunningSandbox, ScenarioInput } from '../../../sandbox';
import { runWorkflow } from '../../harness/engine';
import { CREDENTIAL_NAME, NODE, reportedRequests, requestLog, run, start, T, workflow } from './helpers';

const PARAMS = { resource: 'accessProfile', operation: 'getAll', lookAheadHours: 24, includeInactive: true };

describe('inline sandbox scenarios', () => {
	let sb: RunningSandbox;
	afterEach(async () => {
		await sb?.close();
	});

	const base = (venues: unknown[]): ScenarioInput =>
		({
			now: '2026-03-28T12:00:00Z',
			rateLimits: false,
			teamup: {
				tokens: [T.token],
				provider_id: T.providerId,
				venues,
				memberships: [{ id: 1, name: 'Monthly', type: 'recurring_plan' }],
				customers: [{ id: 10, first_name: 'Dee', last_name: 'Ess', email: 'dee@example.com' }],
				customer_memberships: [
					{ id: 100, customer: 10, membership: 1, status: 'active', start_date: '2026-03-29', expiration_date: '2026-10-25' },
				],
			},
		}) as ScenarioInput;

	it('whole days in the venue time zone across both DST changes (Europe/London)', async () => {
		sb = await start(base([{ id: 1, name: 'London', timezone: 'Europe/London' }]));
		const result = await run(sb, { ...PARAMS, options: { referenceTime: '2026-03-28T12:00:00Z' } });
		expect((result.output(NODE)[0].memberships as IDataObject[])[0]).toMatchObject({
			startsAt: '2026-03-29T00:00:00.000Z', // 00:00 GMT, an hour before the clocks go forward
			expiresAt: '2026-10-26T00:00:00.000Z', // 00:00 GMT on the 26th, the day after the 25-hour day
		});
	});

	it('the first active venue wins over an archived one', async () => {
		sb = await start(base([{ id: 1, name: 'Old Tokyo', timezone: 'Asia/Tokyo', archived: true }, { id: 2, name: 'Berlin', timezone: 'Europe/Berlin' }]));
		const result = await run(sb, { ...PARAMS, options: { referenceTime: '2026-03-28T12:00:00Z' } });
		expect((result.output(NODE)[0].memberships as IDataObject[])[0]).toMatchObject({ startsAt: '2026-03-28T23:00:00.000Z', expiresAt: '2026-10-25T23:00:00.000Z' });
	});

	it('no venue: no time zone is guessed (not even the workflow’s); the run fails saying what is missing and how to fix it, before reading anyone', async () => {
		sb = await start(base([]));
		const result = await runWorkflow(
			{ ...workflow({ ...PARAMS, options: { referenceTime: '2026-03-28T12:00:00Z' } }), settings: { timezone: 'America/New_York' } },
			{ credentials: [{ id: 'teamup-1', name: CREDENTIAL_NAME, type: 'teamUpApi', data: { token: T.token, baseUrl: sb.teamupUrl } }] },
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^TeamUp lists no venue, so membership dates and check-in days cannot be placed in time\. Set your venue's time zone in TeamUp/);
		expect(result.runData[NODE]?.[0]?.error?.context?.itemIndex).toBe(0);
		expect((await requestLog(sb)).map((entry) => entry.path)).not.toContain('/customer_memberships');
	});
});

describe('other readings of undocumented shapes (nock)', () => {
	const BASE = 'https://teamup.test';
	const NOW = '2026-03-02T14:00:00Z';
	const envelope = (results: unknown[]) => ({ count: results.length, next: null, previous: null, results });

	afterEach(() => nock.cleanAll());

	function fakeTeamUp(includeCourses: boolean) {
		const api = nock(BASE)
			.get('/api/v2/venues')
			.query(true)
			.reply(200, envelope([{ id: 1, timezone: 'Europe/London' }]))
			.get('/api/v2/memberships')
			.query(true)
			.reply(200, envelope([{ id: 5, name: 'Unlimited', type: 'recurring_plan' }]))
			.get('/api/v2/customer_registration_blocks')
			.query(true)
			.reply(200, envelope([]))
			// Invoices without line items (TeamUp did not expand them): every membership of the payer is blocked.
			.get('/api/v2/invoices')
			.query(true)
			.reply(200, envelope([{ id: 77, status: 'retry_failed', payer: 1 }]))
			// Timestamps with a local offset, is_appointment as a string.
			.get('/api/v2/events')
			.query(true)
			.reply(
				200,
				envelope([
					{ id: 501, name: 'Yoga', starts_at: '2026-03-02T15:00:00+00:00', ends_at: '2026-03-02T16:00:00+00:00', is_appointment: 'False' },
					{ id: 502, name: 'PT', starts_at: '2026-03-02T18:00:00+01:00', ends_at: '2026-03-02T19:00:00+01:00', is_appointment: 'True' },
				]),
			)
			.get('/api/v2/customers')
			.query(true)
			.reply(200, envelope([{ id: 1, first_name: 'Ana', last_name: 'Ruiz', email: 'ana@example.com' }, { id: 2, name: 'Bo', email: 'bo@example.com' }]))
			.get('/api/v2/customer_memberships')
			.query(true)
			.reply(
				200,
				envelope([
					// Not expanded: payment_subscription as an id, no usage_summary.
					{ id: 900, customer: 1, membership: 5, status: 'active', start_date: '2026-01-01', expiration_date: null, payment_subscription: 31 },
					// A plan the plan list left out (retired): read on its own; a pack, so its usage too.
					{ id: 901, customer: 2, membership: 6, status: 'active', start_date: '2026-02-01', expiration_date: '2026-05-01' },
				]),
			)
			.get('/api/v2/memberships/6')
			.query(true)
			.reply(200, { id: 6, name: 'Retired 5 Pack', type: 'pack' })
			.get('/api/v2/customer_memberships/901/usage')
			.query({ date: '2026-03-02' })
			.reply(200, { usage_periods: [{ start_date: '2026-02-01', end_date: '2026-05-01', max_uses: 5, used_count: 3, remaining_count: 2 }] })
			// Waitlist reading 2: the status itself says so.
			.get('/api/v2/attendances')
			.query(true)
			.reply(
				200,
				envelope([
					{ id: 1, customer: 2, event: 501, status: 'waitlisted' },
					{ id: 2, customer: 2, event: 502, status: 'registered' },
				]),
			);
		if (includeCourses) {
			api
				.get('/api/v2/course_sessions')
				.query(true)
				.reply(200, envelope([{ id: 61, name: 'Strength Course · week 3', starts_at: '2026-03-02T19:00:00Z', ends_at: '2026-03-02T20:30:00Z', course: 6 }]))
				.get('/api/v2/course_session_attendances')
				.query(true)
				.reply(200, envelope([{ id: 3, customer: 1, course_session: 61, status: 'registered' }]));
		}
		return api;
	}

	async function runAgainstNock(includeCourses: boolean) {
		return await runWorkflow(workflow({ ...PARAMS, options: { referenceTime: NOW, includeCourses } }), {
			credentials: [{ id: 'teamup-1', name: CREDENTIAL_NAME, type: 'teamUpApi', data: { token: 'x', baseUrl: `${BASE}/api/v2` } }],
		});
	}

	it('payer fallback for invoices, offsets in timestamps, string booleans, waitlist status, plans missing from the list', async () => {
		const api = fakeTeamUp(false);
		const result = await runAgainstNock(false);
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
		const [ana, bo] = result.output(NODE);
		expect(ana.memberships).toEqual([
			expect.objectContaining({ id: '900', type: 'recurring', blocked: true, blockReason: 'Failed payment (invoice 77)' }),
		]);
		expect(bo).toMatchObject({ name: 'Bo' });
		expect(bo.memberships).toEqual([expect.objectContaining({ id: '901', planId: '6', name: 'Retired 5 Pack', type: 'pack', remainingUses: 2 })]);
		expect(bo.registrations).toEqual([
			{ id: '1', kind: 'class', status: 'waitlisted', startsAt: '2026-03-02T15:00:00.000Z', endsAt: '2026-03-02T16:00:00.000Z', eventId: '501', eventName: 'Yoga' },
			{ id: '2', kind: 'appointment', status: 'registered', startsAt: '2026-03-02T17:00:00.000Z', endsAt: '2026-03-02T18:00:00.000Z', eventId: '502', eventName: 'PT' },
		]);
		expect(reportedRequests(result)).toBe(10);
	});

	it('Include Courses: course sessions become registrations of kind course', async () => {
		const api = fakeTeamUp(true);
		const result = await runAgainstNock(true);
		expect(api.isDone()).toBe(true);
		expect(result.output(NODE)[0].registrations).toEqual([
			{ id: '3', kind: 'course', status: 'registered', startsAt: '2026-03-02T19:00:00.000Z', endsAt: '2026-03-02T20:30:00.000Z', eventId: '61', eventName: 'Strength Course · week 3' },
		]);
		expect(reportedRequests(result)).toBe(12);
	});
});

describe('Check In: the two readings of POST /checkins `date` (nock)', () => {
	const BASE = 'https://teamup.test';
	const envelope = (results: unknown[]) => ({ count: results.length, next: null, previous: null, results });
	afterEach(() => nock.cleanAll());

	function fakeTeamUp() {
		return nock(BASE)
			.get('/api/v2/customers')
			.query(true)
			.reply(200, envelope([{ id: 5, first_name: 'Ana', email: 'ana@example.com' }]))
			.get('/api/v2/attendances')
			.query(true)
			.reply(200, envelope([]))
			.get('/api/v2/venues')
			.query({ status: 'active', page: 1, page_size: 100 })
			.reply(200, envelope([{ id: 31, name: 'Brooklyn', timezone: 'America/New_York' }]));
	}

	async function checkIn(occurredAt: string) {
		return await runWorkflow(workflow({ resource: 'checkIn', operation: 'checkIn' }), {
			credentials: [{ id: 'teamup-1', name: CREDENTIAL_NAME, type: 'teamUpApi', data: { token: 'x', baseUrl: `${BASE}/api/v2` } }],
			triggerItems: [{ email: 'ana@example.com', occurredAt }],
			startNode: 'Start',
		});
	}

	it('sends the venue’s local calendar day first (the reference: string<date>)', async () => {
		// 03:00 UTC on 2 March is still 1 March in New York.
		const api = fakeTeamUp()
			.post('/api/v2/checkins', { date: '2026-03-01', venue: 31, customer: 5 })
			.reply(201, { id: 1, object: 'checkin', timestamp: '2026-03-02T03:00:00Z', comped: false, customer_membership: 77 });
		const result = await checkIn('2026-03-02T03:00:00Z');
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
		expect(result.output(NODE)[0]).toMatchObject({ status: 'checked_in', checkin: { id: 1, customer_membership: 77 } });
	});

	it('a TeamUp that refuses the calendar date in `date` (400 field_errors.date) gets the instant instead', async () => {
		const api = fakeTeamUp()
			.post('/api/v2/checkins', { date: '2026-03-01', venue: 31, customer: 5 })
			.reply(400, { code: 'parameter_invalid', field_errors: { date: ['Datetime has wrong format.'] }, message: 'You request was invalid', type: 'invalid_request_error' })
			.post('/api/v2/checkins', { date: '2026-03-02T03:00:00.000Z', venue: 31, customer: 5 })
			.reply(201, { id: 2, object: 'checkin', timestamp: '2026-03-02T03:00:00Z', comped: false, customer_membership: 77 });
		const result = await checkIn('2026-03-02T03:00:00Z');
		expect(api.isDone()).toBe(true);
		expect(result.output(NODE)[0]).toMatchObject({ status: 'checked_in', checkin: { id: 2 } });
	});

	it('a 400 about another field fails the item with TeamUp’s words, without a second try', async () => {
		const api = fakeTeamUp()
			.post('/api/v2/checkins')
			.reply(400, { code: 'parameter_invalid', field_errors: { customer: ['Invalid pk "5" - object does not exist.'] }, message: 'You request was invalid', type: 'invalid_request_error' });
		const result = await checkIn('2026-03-02T03:00:00Z');
		expect(api.isDone()).toBe(true);
		expect(result.error?.message).toMatch(/^TeamUp rejected POST \/checkins \(400: parameter_invalid: You request was invalid\. customer: Invalid pk "5"/);
	});
});
