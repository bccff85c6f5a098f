/**
 * Glofox API failures as a user sees them: clear errors naming the credential, 200 + success:false
 * as an error (never as data), 429 / 5xx / malformed JSON retried, the non-idempotent check-in
 * POST not repeated when Glofox may have recorded it, Continue On Fail.
 */
import type { RunningSandbox } from '../../../sandbox';
import { CREDENTIAL_NAME, DEMO_NOW, addFault, clearFaults, clearRequestLog, demoScenario, requestLog, run, start } from './helpers';

const PROFILES = { resource: 'accessProfile', operation: 'getAll', lookAheadHours: 24, includeInactive: true, options: { referenceTime: DEMO_NOW } };
const MEMBERS = { resource: 'member', operation: 'getAll', returnAll: true };

let sb: RunningSandbox;

beforeAll(async () => {
	sb = await start(demoScenario({ rateLimits: false }));
});

afterAll(async () => {
	await sb?.close();
});

beforeEach(async () => {
	await clearFaults(sb);
	await clearRequestLog(sb);
});

const glofoxLog = async () => (await requestLog(sb)).filter((r) => r.service === 'glofox');

describe('Glofox errors', () => {
	it('a refused API key (403 Forbidden) fails naming the credential, without retrying', async () => {
		const result = await run(sb, MEMBERS, { credential: { apiKey: 'wrong-key' } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain(`Glofox refused the API key in credential "${CREDENTIAL_NAME}" (403: Forbidden)`);
		expect(result.error?.description).toMatch(/API key/);
		expect(result.error?.message).not.toContain('wrong-key');
		expect(await glofoxLog()).toHaveLength(1);
	});

	it('HTTP 200 with success:false for a wrong token is an error naming the credential, not data', async () => {
		const result = await run(sb, MEMBERS, { credential: { apiToken: 'wrong-token' } });
		expect(result.status).toBe('error');
		expect(result.output('Glofox')).toEqual([]);
		expect(result.error?.message).toContain(`Glofox refused the API token or the Location ID in credential "${CREDENTIAL_NAME}"`);
		expect(result.error?.message).toContain('UNAUTHORIZED');
		expect(result.error?.message).not.toContain('wrong-token');
	});

	it('a wrong Location ID (branch) is explained the same way', async () => {
		const result = await run(sb, PROFILES, { credential: { branchId: 'aaaaaaaaaaaaaaaaaaaaaaaa' } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain(`Glofox refused the API token or the Location ID in credential "${CREDENTIAL_NAME}"`);
		expect(result.error?.message).toContain('INVALID_BRANCH_ID');
	});

	it('another 200 + success:false quotes Glofox message and code', async () => {
		await addFault(sb, { path: '/2.0/members', status: 200, body: JSON.stringify({ success: false, message: 'Something odd', message_code: 'ODD_THING' }), times: 1 });
		const result = await run(sb, MEMBERS);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Glofox refused GET /2.0/members: Something odd (ODD_THING)');
	});

	it('a storm of 429s is waited out and retried to success', async () => {
		await addFault(sb, { path: '/2.0/members', status: 429, times: 3 });
		await addFault(sb, { path: '/2.0/credits', status: 429, times: 2 });
		const result = await run(sb, PROFILES);
		expect(result.error).toBeUndefined();
		expect(result.output('Glofox')).toHaveLength(36);
		const log = await glofoxLog();
		expect(log.filter((r) => r.status === 429)).toHaveLength(5);
		expect(log.filter((r) => r.path === '/2.0/members').map((r) => r.status)).toEqual([429, 429, 429, 200]);
	}, 30_000);

	it('real rate limiting (a small token bucket, the client set too fast) still ends in success', async () => {
		const limited = await start(demoScenario({ rateLimits: { glofox: { limit: 2, windowMs: 1000, burst: 2 } } }));
		try {
			const result = await run(limited, PROFILES, { credential: { requestsPerSecond: 50 } });
			expect(result.error).toBeUndefined();
			expect(result.output('Glofox')).toHaveLength(36);
			const log = (await requestLog(limited)).filter((r) => r.service === 'glofox');
			expect(log.some((r) => r.status === 429)).toBe(true);
			expect(log.filter((r) => r.status === 200)).toHaveLength(6);
		} finally {
			await limited.close();
		}
	}, 60_000);

	it('a malformed JSON body and a 500 on a read are retried', async () => {
		await addFault(sb, { path: '/2.0/members', status: 200, body: '{"object":"list","data":[{"_id":', times: 1 });
		await addFault(sb, { path: '^/2\\.2/branches/[a-f0-9]+/bookings$', status: 500, times: 1 });
		const result = await run(sb, PROFILES);
		expect(result.error).toBeUndefined();
		expect(result.output('Glofox')).toHaveLength(36);
		expect((await glofoxLog()).filter((r) => r.path === '/2.0/members')).toHaveLength(2);
	}, 30_000);

	it('a read that keeps failing gives up with the status and the number of attempts', async () => {
		// Retry-After: 0 keeps the test fast; without it the client backs off 0.5, 1, 2, 4, 8 s.
		await addFault(sb, { path: '/2.0/members', status: 503, headers: { 'Retry-After': '0' } });
		const result = await run(sb, MEMBERS);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Glofox answered 503 on GET \/2\.0\/members.*\(gave up after 6 attempts\)/);
	}, 60_000);

	it('the check-in POST is not repeated after a 500 (Glofox may have recorded it), but is after a 503', async () => {
		await addFault(sb, { method: 'POST', path: '/2.0/access', status: 500, times: 1 });
		const failed = await run(sb, { resource: 'checkIn', operation: 'checkIn' }, { items: [{ email: 'ana.ruiz@example.com', occurredAt: DEMO_NOW }] });
		expect(failed.status).toBe('error');
		expect(failed.error?.message).toMatch(/Glofox answered 500 on POST \/2\.0\/access/);
		expect((await glofoxLog()).filter((r) => r.method === 'POST')).toHaveLength(1);

		await clearRequestLog(sb);
		await addFault(sb, { method: 'POST', path: '/2.0/access', status: 503, times: 1 });
		const retried = await run(sb, { resource: 'checkIn', operation: 'checkIn' }, { items: [{ email: 'ana.ruiz@example.com', occurredAt: DEMO_NOW }] });
		expect(retried.error).toBeUndefined();
		expect(retried.output('Glofox')[0]).toMatchObject({ status: 'checked_in', validOnEntry: true });
		expect((await glofoxLog()).filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([503, 200]);
	}, 30_000);

	it('Continue On Fail: an API error becomes a paired error item and the next items go on', async () => {
		await addFault(sb, { path: '/2.0/members/bbbbbbbbbbbbbbbbbbbbbbbb', status: 404, times: 1 });
		const result = await run(
			sb,
			{ resource: 'member', operation: 'get', memberId: '={{ $json.id }}' },
			{ continueOnFail: true, items: [{ id: 'bbbbbbbbbbbbbbbbbbbbbbbb' }, { id: 'not-an-id' }, { id: 'cccccccccccccccccccccccc' }] },
		);
		expect(result.error).toBeUndefined();
		const items = result.items('Glofox');
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.error).toMatch(/Glofox found nothing at GET \/2\.0\/members\/bbbbbbbbbbbbbbbbbbbbbbbb \(404/);
		expect(items[1].json.error).toMatch(/Item 1: "Member ID" must be a 24-character Glofox ID/);
		expect(items[2].json.error).toMatch(/User not found \(USER_NOT_FOUND\)/);
	});
});
