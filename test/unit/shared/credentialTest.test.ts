/**
 * The credential tests' decisions, with Kisi's answers scripted and time simulated: when a rate
 * limit is waited out and when it is reported, what a refusal and an unreachable server say, and
 * that the same headers as every node request are sent. (Against the sandbox and through a real
 * n8n: test/engine/credentials/credentialTest.test.ts and test/e2e/templates.test.ts.)
 */
import type { ICredentialTestFunctions } from 'n8n-workflow';

import { glofoxCredentialTest } from '../../../nodes/Glofox/transport/credentialTest';
import { kisiCredentialTest } from '../../../nodes/Kisi/transport/credentialTest';
import { CREDENTIAL_TEST_WAIT_MS, runCredentialTest } from '../../../nodes/shared/credentialTest';

interface Scripted {
	statusCode?: number;
	body?: unknown;
	headers?: Record<string, string>;
	error?: Error & { code?: string };
}

let base = 0;
/** A credential test context whose `helpers.request` answers from a script, and a simulated clock. */
function harness(script: Scripted[]) {
	const sent: Array<Record<string, unknown>> = [];
	const slept: number[] = [];
	let clock = 1_000_000;
	const ctx = {
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		helpers: {
			request: async (options: Record<string, unknown>) => {
				sent.push(options);
				const next = script.shift();
				if (!next) throw new Error('no more scripted answers');
				if (next.error) throw next.error;
				return { statusCode: next.statusCode ?? 200, body: next.body, headers: next.headers ?? {} };
			},
		},
	} as unknown as ICredentialTestFunctions;
	// A base URL of its own per test, so that no two tests share a pacer.
	const credential = (data: Record<string, unknown> = {}) => ({
		id: '1',
		name: 'Kisi account',
		type: 'kisiApi',
		data: { apiKey: 'the-real-key', baseUrl: `https://kisi.test/${++base}`, requestsPerSecond: 5, ...data },
	});
	const timing = {
		sleep: async (ms: number) => {
			slept.push(ms);
			clock += ms;
		},
		now: () => clock,
	};
	return { ctx, sent, slept, credential, timing };
}

const tooMany = (retryAfter?: string): Scripted => ({
	statusCode: 429,
	body: { error: 'Too many requests', code: 'e42900' },
	headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
});

describe('credential test', () => {
	it("sends Kisi's headers from the credential and passes on a 200", async () => {
		const { ctx, sent, credential, timing } = harness([{ body: { id: 100 } }]);
		const result = await runCredentialTest(ctx, credential({ integrationContact: 'it@agency.example' }), kisiCredentialTest, timing);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({ method: 'GET', simple: false, resolveWithFullResponse: true, json: true });
		expect(String(sent[0].uri)).toMatch(/^https:\/\/kisi\.test\/\d+\/user$/);
		expect(sent[0].headers).toEqual({
			Authorization: 'KISI-LOGIN the-real-key',
			Accept: 'application/json',
			'Content-Type': 'application/json',
			'X-Kisi-Integration-Identifier': 'n8n-nodes-gym-access',
			'X-Kisi-Integration-Contact': 'it@agency.example',
		});
	});

	it('an emptied contact falls back to the maintainers\' address rather than an empty header', async () => {
		const { ctx, sent, credential, timing } = harness([{ body: { id: 100 } }]);
		await runCredentialTest(ctx, credential({ integrationContact: '  ' }), kisiCredentialTest, timing);
		expect((sent[0].headers as Record<string, string>)['X-Kisi-Integration-Contact']).toBe('n8n-nodes-gym-access@users.noreply.github.com');
	});

	it('waits exactly as long as Retry-After says, then passes', async () => {
		const { ctx, sent, slept, credential, timing } = harness([tooMany('2'), { body: { id: 100 } }]);
		expect(await runCredentialTest(ctx, credential(), kisiCredentialTest, timing)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(slept).toEqual([2000]);
		expect(sent).toHaveLength(2);
	});

	it('without Retry-After, backs off about 1 s then 2 s, and reports the rate limit after the third try', async () => {
		const { ctx, sent, slept, credential, timing } = harness([tooMany(), tooMany(), tooMany()]);
		const result = await runCredentialTest(ctx, credential(), kisiCredentialTest, timing);
		expect(sent).toHaveLength(3);
		expect(slept).toHaveLength(2);
		expect(slept[0]).toBeGreaterThanOrEqual(800);
		expect(slept[0]).toBeLessThanOrEqual(1200);
		expect(slept[1]).toBeGreaterThanOrEqual(1600);
		expect(slept[1]).toBeLessThanOrEqual(2400);
		expect(result.status).toBe('Error');
		expect(result.message).toBe(
			"Kisi is rate-limiting this account right now (429 Too Many Requests), so the test could not check the API key. This is not a sign of a wrong API key: a sync or another tool is probably using the same account. Test again in a minute. Kisi allows 5 requests per second per user across all of that user's keys. Lower Max Requests per Second in the credential if other tools use the same Kisi user.",
		);
	});

	it(`does not wait when Retry-After is beyond ${CREDENTIAL_TEST_WAIT_MS / 1000} s, and says how long Kisi asked for`, async () => {
		const { ctx, sent, slept, credential, timing } = harness([tooMany('30')]);
		const result = await runCredentialTest(ctx, credential(), kisiCredentialTest, timing);
		expect(sent).toHaveLength(1);
		expect(slept).toEqual([]);
		expect(result.message).toMatch(/^Kisi is rate-limiting this account right now \(429 Too Many Requests; it asks to wait 30 s\)/);
	});

	it('a refused key is reported at once, with what to do, and without the key even when Kisi quotes it', async () => {
		const { ctx, sent, credential, timing } = harness([{ statusCode: 401, body: { error: 'Invalid login the-real-key', code: 'e40100' } }]);
		const result = await runCredentialTest(ctx, credential(), kisiCredentialTest, timing);
		expect(sent).toHaveLength(1);
		expect(result).toEqual({
			status: 'Error',
			message:
				'Kisi refused the API key in credential "Kisi account" (401: Invalid login [redacted] (code e40100)). Create a new API key in Kisi (My Account → API → Add API key, ideally as the organization owner) and paste it into the credential.',
		});
	});

	it('a server error is tried again within the same few seconds', async () => {
		const { ctx, sent, credential, timing } = harness([{ statusCode: 503, body: { error: 'Service unavailable', code: 'fac001' } }, { body: { id: 100 } }]);
		expect((await runCredentialTest(ctx, credential(), kisiCredentialTest, timing)).status).toBe('OK');
		expect(sent).toHaveLength(2);
	});

	it('an unreachable server names the base URL and the network problem', async () => {
		const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
		const { ctx, credential, timing } = harness([{ error: refused }]);
		const result = await runCredentialTest(ctx, credential({ baseUrl: 'http://127.0.0.1:1' }), kisiCredentialTest, timing);
		expect(result).toEqual({
			status: 'Error',
			message: 'Could not reach Kisi at http://127.0.0.1:1 (connection refused). Check the Base URL in the credential, and that this n8n can reach it.',
		});
	});

	it("Glofox's HTTP 200 with success: false is a refusal", async () => {
		const { ctx, credential, timing } = harness([{ body: { success: false, message: 'Invalid token' } }]);
		const result = await runCredentialTest(
			ctx,
			{ ...credential(), type: 'glofoxApi', data: { apiKey: 'k', apiToken: 't', branchId: 'b', baseUrl: 'https://glofox.test', requestsPerSecond: 10 } },
			glofoxCredentialTest,
			timing,
		);
		expect(result).toEqual({ status: 'Error', message: 'Glofox refused the API token or the Location ID (it answered success: false)' });
	});
});
