/** How the Kisi node behaves when Kisi is busy, down or refuses the key. */
import { runWorkflow } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { credential, kisiScenario, kisiWorkflow, rl } from './fixtures';

jest.setTimeout(120_000);

const sandbox = withSandbox(() => kisiScenario({ rateLimits: true, manyGroups: 30 }));
/** The credential as users leave it: Kisi's documented 5 requests per second. */
const defaultCredential = () => credential(sandbox.kisiUrl, { requestsPerSecond: 5 });
const statuses = async (path: string) => (await sandbox.requests({ service: 'kisi', path })).map((r) => r.status);

describe('Kisi node under load and failure', () => {
	it("paces itself below Kisi's 5 requests per second: 15 creates in a row get no 429", async () => {
		const emails = Array.from({ length: 15 }, (_, i) => ({ email: `paced${i}@demo.gym` }));
		const started = Date.now();
		const result = await runWorkflow(kisiWorkflow({ resource: 'share', operation: 'create', email: '={{ $json.email }}', groupId: rl(502) }), {
			credentials: [defaultCredential()],
			triggerItems: emails,
		});
		expect(result.error).toBeUndefined();
		expect(result.output('Kisi')).toHaveLength(15);
		expect(await statuses('/shares')).toEqual(Array(15).fill(200));
		// 15 requests at 5/s cannot take less than two seconds.
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
		expect(result.run.data.resultData.runData.Kisi[0].hints).toEqual([expect.objectContaining({ message: 'Made 15 request(s) to Kisi' })]);
	});

	it('a storm of 429s is waited out and retried until it succeeds', async () => {
		await sandbox.fault({ service: 'kisi', method: 'GET', path: '/groups', status: 429, times: 3 });
		const result = await runWorkflow(kisiWorkflow({ resource: 'group', operation: 'getAll', returnAll: true }), { credentials: [defaultCredential()] });
		expect(result.error).toBeUndefined();
		expect(result.output('Kisi').length).toBeGreaterThanOrEqual(33);
		expect(await statuses('/groups')).toEqual([429, 429, 429, 200]);
	});

	it('a create answered 429 is retried (Kisi did not act on it) and the share exists once', async () => {
		await sandbox.fault({ service: 'kisi', method: 'POST', path: '/shares', status: 429, times: 2 });
		const result = await runWorkflow(kisiWorkflow({ resource: 'share', operation: 'create', email: 'retried@demo.gym', groupId: rl(501) }), {
			credentials: [defaultCredential()],
		});
		expect(result.error).toBeUndefined();
		expect(await statuses('/shares')).toEqual([429, 429, 200]);
		const shares = (await sandbox.state()).kisi.shares.filter((s: { email: string }) => s.email === 'retried@demo.gym');
		expect(shares).toHaveLength(1);
	});

	it('Retry-After is honoured', async () => {
		await sandbox.fault({ service: 'kisi', method: 'GET', path: '/places', status: 429, times: 1, headers: { 'Retry-After': '2' } });
		const started = Date.now();
		const result = await runWorkflow(kisiWorkflow({ resource: 'place', operation: 'getAll', returnAll: true }), { credentials: [defaultCredential()] });
		expect(result.error).toBeUndefined();
		const calls = await sandbox.requests({ service: 'kisi', path: '/places' });
		expect(calls.map((r) => r.status)).toEqual([429, 200]);
		expect(Date.parse(calls[1].at) - Date.parse(calls[0].at)).toBeGreaterThanOrEqual(1900);
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
	});

	it('a 503 on a read is retried; a 500 on a create is not (it may have been recorded)', async () => {
		await sandbox.fault({ service: 'kisi', method: 'GET', path: '/locks', status: 503, times: 1 });
		const read = await runWorkflow(kisiWorkflow({ resource: 'lock', operation: 'getAll', returnAll: true }), { credentials: [defaultCredential()] });
		expect(read.error).toBeUndefined();
		expect(await statuses('/locks')).toEqual([503, 200]);

		await sandbox.fault({ service: 'kisi', method: 'POST', path: '/groups', status: 500, times: 1 });
		const write = await runWorkflow(kisiWorkflow({ resource: 'group', operation: 'create', name: 'Once' }), { credentials: [defaultCredential()] });
		expect(write.status).toBe('error');
		expect(write.error?.message).toMatch(/^Kisi answered 500 on POST \/groups/);
		expect(await statuses('/groups')).toEqual([500]);
	});

	it('a wrong API key fails at once, naming the credential and never the key', async () => {
		const result = await runWorkflow(kisiWorkflow({ resource: 'group', operation: 'get', groupId: rl(501) }), {
			credentials: [credential(sandbox.kisiUrl, { apiKey: 'not-the-key-123' })],
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Kisi refused the API key in credential "Kisi sandbox" \(401/);
		expect(result.error?.description).toMatch(/Create a new API key in Kisi/);
		expect(JSON.stringify(result.run.data)).not.toContain('not-the-key-123');
		expect(await statuses('/groups/501')).toEqual([401]);
	});
});
