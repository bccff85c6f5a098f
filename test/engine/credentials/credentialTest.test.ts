/**
 * The editor's "Test" button of the three credentials, called as n8n calls it (the `testedBy`
 * function of the node, n8n-core's CredentialTestContext and its `helpers.request`) against the
 * sandbox's demo gym with its documented rate limits. A rate limit is never reported as a wrong
 * key; a short one is waited out (Retry-After honoured); a long one is reported at once.
 */
import { DEMO_CREDENTIALS } from '../../../sandbox/scenarios/demo';
import { kisiApi } from '../../../nodes/Kisi/transport';
import { accountKey, baseUrlOf } from '../../../nodes/shared/http';
import { pacerFor } from '../../../nodes/shared/pacing';
import { testCredential } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { sandboxCredentials } from '../../harness/templates';

jest.setTimeout(60_000);

const sandbox = withSandbox('demo');

const SERVICES = [
	{ type: 'kisiApi', service: 'kisi' as const, path: '/user', secret: 'apiKey' },
	{ type: 'teamUpApi', service: 'teamup' as const, path: '/customers', secret: 'token' },
	{ type: 'glofoxApi', service: 'glofox' as const, path: '/2.0/members', secret: 'apiKey' },
];

const credentialOf = (type: string) => sandboxCredentials(sandbox.url).find((credential) => credential.type === type)!;

beforeEach(async () => {
	// Fresh rate-limit counters: no test depends on what an earlier one spent.
	await sandbox.control('POST', '/rate-limits', { rateLimits: true });
});

describe.each(SERVICES)('$type credential test', ({ type, service, path, secret }) => {
	it('passes for the right secret and fails, naming the refusal and without echoing it, for a wrong one', async () => {
		expect(await testCredential(credentialOf(type))).toEqual({ status: 'OK', message: 'Connection successful!' });
		const wrong = `wrong-${type}-secret`;
		const bad = await testCredential({ ...credentialOf(type), data: { ...credentialOf(type).data, [secret]: wrong } });
		expect(bad.status).toBe('Error');
		expect(bad.message).toMatch(/refused/i);
		expect(bad.message).not.toContain(wrong);
		expect(bad.message).not.toMatch(/rate-limit/i);
		// A refusal is not tried again.
		expect((await sandbox.requests({ service, path })).filter((request) => request.status !== 200)).toHaveLength(1);
	});

	it('waits out a short rate limit (Retry-After: 1) and then passes', async () => {
		await sandbox.fault({ service, method: 'GET', path, status: 429, times: 1, headers: { 'Retry-After': '1' } });
		expect(await testCredential(credentialOf(type))).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect((await sandbox.requests({ service, path })).map((request) => request.status)).toEqual([429, 200]);
	});

	it('reports a rate limit that lasts as a rate limit, not as a wrong secret, after at most three tries', async () => {
		await sandbox.fault({ service, method: 'GET', path, status: 429 });
		const result = await testCredential(credentialOf(type));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/rate-limiting this account right now \(429 Too Many Requests\)/);
		expect(result.message).toMatch(/This is not a sign of a wrong/);
		expect(result.message).toMatch(/Test again in a minute/);
		// Tried again while the wait fits in a few seconds (three tries on an idle machine), never more.
		const tries = (await sandbox.requests({ service, path })).map((request) => request.status);
		expect(tries.length).toBeGreaterThanOrEqual(2);
		expect(tries.length).toBeLessThanOrEqual(3);
		expect(new Set(tries)).toEqual(new Set([429]));
	});

	it('does not wait when the API asks for longer than a few seconds', async () => {
		await sandbox.fault({ service, method: 'GET', path, status: 429, headers: { 'Retry-After': '60' } });
		const result = await testCredential(credentialOf(type));
		expect(result.message).toMatch(/rate-limiting this account right now \(429 Too Many Requests; it asks to wait 60 s\)/);
		expect(await sandbox.requests({ service, path })).toHaveLength(1);
	});
});

describe('the Kisi credential test and a running sync', () => {
	it('waits for a free slot of the pacer the sync uses, so neither of them meets a 429', async () => {
		const credential = credentialOf('kisiApi');
		const data = { ...credential.data, requestsPerSecond: 5 };
		const pacer = pacerFor(accountKey(kisiApi, baseUrlOf(kisiApi, data), data), kisiApi.pace(data), (ms) => new Promise((resolve) => setTimeout(resolve, ms)));
		// A sync's burst: five requests through the shared pacer, using Kisi's whole second.
		await Promise.all(
			Array.from({ length: 5 }, async () => {
				const answered = await pacer.acquire();
				await fetch(`${sandbox.kisiUrl}/groups`, { headers: { Authorization: `KISI-LOGIN ${DEMO_CREDENTIALS.kisi.apiKey}` } });
				answered();
			}),
		);
		expect(await testCredential(credential)).toEqual({ status: 'OK', message: 'Connection successful!' });
		const requests = await sandbox.requests({ service: 'kisi' });
		expect(requests.map((request) => request.status)).toEqual([200, 200, 200, 200, 200, 200]);
		expect(requests.at(-1)!.path).toBe('/user');
	});

	it('sends Kisi the integration partner headers, with the contact from the credential', async () => {
		const credential = credentialOf('kisiApi');
		await testCredential({ ...credential, data: { ...credential.data, integrationContact: 'it@agency.example' } });
		await testCredential(credential);
		const [custom, byDefault] = await sandbox.requests({ service: 'kisi', path: '/user' });
		expect(custom.headers).toEqual({ 'x-kisi-integration-identifier': 'n8n-nodes-gym-access', 'x-kisi-integration-contact': 'it@agency.example' });
		expect(byDefault.headers).toEqual({
			'x-kisi-integration-identifier': 'n8n-nodes-gym-access',
			'x-kisi-integration-contact': 'n8n-nodes-gym-access@users.noreply.github.com',
		});
	});
});
