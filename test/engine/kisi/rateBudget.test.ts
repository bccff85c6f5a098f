/**
 * One Kisi user's budget (5 requests per second, shared by all of the user's API keys) spent by
 * two executions that do not share a pacer, as two queue-mode workers would: here two API keys of
 * the same Kisi user, so each execution has its own pacer in this process, against the sandbox
 * with Kisi's rate limit on. Each starts at the full 5 per second; the 429s that follow must slow
 * the whole account's pacer, not only retry the one request, so that together they settle under
 * the limit with few 429s.
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { credential, kisiScenario, kisiWorkflow, OWNER_ID, rl } from './fixtures';

jest.setTimeout(120_000);

const SECOND_KEY = 'kisi-second-worker-key';
const sandbox = withSandbox(() => {
	const scenario = kisiScenario({ rateLimits: true });
	const kisi = scenario.kisi as IDataObject & { apiKeys: IDataObject[] };
	kisi.apiKeys = [...kisi.apiKeys, { key: SECOND_KEY, user_id: OWNER_ID }];
	return scenario;
});

const PER_RUN = 25;

describe("two executions with separate pacers spending one Kisi user's budget at once", () => {
	it('both finish, every share is made once, 429s are few and each one slows the execution that got it', async () => {
		const emails = Array.from({ length: PER_RUN }, (_, i) => ({ email: `worker${i}@demo.gym` }));
		// Worker 1 creates shares; worker 2 reads a group: the request log tells them apart by route.
		const [writes, reads] = await Promise.all([
			runWorkflow(kisiWorkflow({ resource: 'share', operation: 'create', email: '={{ $json.email }}', groupId: rl(502) }), {
				credentials: [credential(sandbox.kisiUrl, { requestsPerSecond: 5 })],
				triggerItems: emails,
			}),
			runWorkflow(kisiWorkflow({ resource: 'group', operation: 'get', groupId: rl(501) }), {
				credentials: [credential(sandbox.kisiUrl, { requestsPerSecond: 5, apiKey: SECOND_KEY })],
				triggerItems: emails,
			}),
		]);
		expect(writes.error).toBeUndefined();
		expect(reads.error).toBeUndefined();
		expect(writes.output('Kisi')).toHaveLength(PER_RUN);
		expect(reads.output('Kisi')).toHaveLength(PER_RUN);
		const shares = (await sandbox.state()).kisi.shares.filter((share: { email: string }) => share.email.startsWith('worker'));
		expect(shares).toHaveLength(PER_RUN);
		expect(new Set(shares.map((share: { email: string }) => share.email)).size).toBe(PER_RUN);

		const log = (await sandbox.requests({ service: 'kisi' })).map((request) => ({ ...request, at: Date.parse(request.at) }));
		const worker = (request: { method: string }) => (request.method === 'POST' ? 'writes' : 'reads');
		const throttled = log.filter((request) => request.status === 429);
		// Both start with a burst of 5 in the same second, twice the user's budget: Kisi refuses some.
		expect(throttled.length).toBeGreaterThan(0);
		// Few: a handful, against a 429 for every other request if neither slowed down.
		expect(throttled.length).toBeLessThanOrEqual(8);
		// Each 429 slows the execution that got it: in the 2 s after it, at most 6 of its requests
		// reach Kisi (half the rate, at most 2 per 753–816 ms), not the 10 of its full rate.
		for (const refused of throttled) {
			const next = log.filter((request) => worker(request) === worker(refused) && request.at > refused.at && request.at <= refused.at + 2000);
			expect(next.length).toBeLessThanOrEqual(6);
		}
		// And nothing is lost: every request refused was made again and accepted.
		expect(log.filter((request) => request.method === 'POST' && request.status === 200)).toHaveLength(PER_RUN);
		expect(log.filter((request) => request.method === 'GET' && request.status === 200)).toHaveLength(PER_RUN);
	});
});
