/**
 * Faults on Glofox (the source) during the Glofox → Kisi sync (the shipped template, demo gym).
 * Reads are retried; a source that stays broken fails the run before any write to Kisi.
 */
import { withSandbox } from '../../harness/sandbox';
import { seededScenario } from './helpers';
import { faultMatrix } from './matrix';

jest.setTimeout(120_000);

const sandbox = withSandbox(() => seededScenario('glofox'));
const BROKEN = '{"broken';

describe('Glofox faults during a sync', () => {
	faultMatrix('Glofox', sandbox, 'glofox', [
		{ name: '429 burst (4 in a row, every route)', faults: [{ service: 'glofox', status: 429, times: 4 }], expect: 'converge' },
		{ name: '5xx on 20% of all requests', faults: [{ service: 'glofox', status: 500, rate: 0.2, seed: 3 }], expect: 'converge' },
		{ name: '10 s delay on the member list', faults: [{ service: 'glofox', path: '/2.0/members', delayMs: 10_000, times: 1 }], expect: 'converge' },
		{ name: 'connection reset (2, every route)', faults: [{ service: 'glofox', reset: true, times: 2 }], expect: 'converge' },
		{ name: 'malformed JSON (2 answers: member list, bookings)', faults: [{ service: 'glofox', path: '^/2\\.(0/members|2/branches/[^/]+/bookings)$', status: 200, body: BROKEN, times: 2 }], expect: 'converge' },
		{
			name: '429 that never ends (Retry-After: 0)',
			faults: [{ service: 'glofox', status: 429, headers: { 'Retry-After': '0' } }],
			expect: 'loud',
			cause: /^Glofox kept answering "too many requests" on GET \/2\.0\/branches\/[0-9a-f]{24} \(429: Too Many Requests\) \(gave up after 6 attempts\)$/,
			noKisiWrites: true,
		},
	]);
});
