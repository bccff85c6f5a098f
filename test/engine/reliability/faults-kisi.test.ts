/**
 * Faults on Kisi during the Glofox → Kisi sync (the shipped template, demo gym): 429 bursts, 5xx on
 * 20% of requests, a 10 s delay, connection resets and malformed JSON, on reads and on writes.
 */
import { withSandbox } from '../../harness/sandbox';
import { faultMatrix } from './matrix';
import { seededScenario } from './helpers';

jest.setTimeout(120_000);

const sandbox = withSandbox(() => seededScenario('glofox'));
const BROKEN = '{"broken';

describe('Kisi faults during a sync', () => {
	faultMatrix('Kisi', sandbox, 'glofox', [
		{ name: '429 burst on the reads (3 in a row)', faults: [{ service: 'kisi', method: 'GET', status: 429, times: 3 }], expect: 'converge' },
		{ name: '429 burst on the creates (POST /shares, 3 in a row)', faults: [{ service: 'kisi', method: 'POST', path: '/shares', status: 429, times: 3 }], expect: 'converge' },
		{
			name: '5xx on 20% of all requests',
			faults: [{ service: 'kisi', status: 500, rate: 0.2, seed: 6 }],
			expect: 'either',
			cause: /^The group is only partly synced: \d+ of \d+ changes applied, \d+ not \(.*Kisi answered 500 on POST \/shares/,
		},
		{ name: '5xx on the updates and deletes (retried: idempotent)', faults: [{ service: 'kisi', method: 'PATCH', status: 500, times: 2 }, { service: 'kisi', method: 'DELETE', status: 503, times: 2 }], expect: 'converge' },
		{ name: '10 s delay on a create', faults: [{ service: 'kisi', method: 'POST', path: '/shares', delayMs: 10_000, times: 1 }], expect: 'converge' },
		{ name: 'connection reset on the reads', faults: [{ service: 'kisi', method: 'GET', reset: true, times: 2 }], expect: 'converge' },
		{
			name: 'connection reset on a create (not repeated: Kisi may have acted)',
			faults: [{ service: 'kisi', method: 'POST', path: '/shares', reset: true, times: 1 }],
			expect: 'loud',
			cause: /^The group is only partly synced: \d+ of \d+ changes applied, 1 not \(create [^:]+: Could not reach Kisi \(connection reset\) on POST \/shares after 1 attempt\. It may or may not have been recorded\./,
		},
		{ name: 'malformed JSON on the share listing', faults: [{ service: 'kisi', method: 'GET', path: '/shares', status: 200, body: BROKEN, times: 2 }], expect: 'converge' },
		{
			name: 'malformed JSON on a create',
			faults: [{ service: 'kisi', method: 'POST', path: '/shares', status: 200, body: BROKEN, times: 1 }],
			expect: 'loud',
			cause: /^The group is only partly synced: .*Kisi answered with a body that is not valid JSON on POST \/shares after 1 attempt/,
		},
		{
			name: 'Kisi down for the whole run (503, Retry-After: 0)',
			faults: [{ service: 'kisi', status: 503, headers: { 'Retry-After': '0' } }],
			expect: 'loud',
			cause: /^Kisi answered 503 on GET \/groups.*\(gave up after 6 attempts\)$/,
			noKisiWrites: true,
		},
	]);
});
