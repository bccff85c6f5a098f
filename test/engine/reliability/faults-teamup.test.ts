/**
 * Faults on TeamUp (the source) during the TeamUp → Kisi sync (the shipped template, demo gym).
 * Reads are retried; a source that stays broken fails the run before any write to Kisi.
 */
import { withSandbox } from '../../harness/sandbox';
import { seededScenario } from './helpers';
import { faultMatrix } from './matrix';

jest.setTimeout(120_000);

const sandbox = withSandbox(() => seededScenario('teamup'));
const BROKEN = '{"broken';

describe('TeamUp faults during a sync', () => {
	faultMatrix('TeamUp', sandbox, 'teamup', [
		{ name: '429 burst (4 in a row, every route)', faults: [{ service: 'teamup', status: 429, times: 4 }], expect: 'converge' },
		{ name: '5xx on 20% of all requests', faults: [{ service: 'teamup', status: 500, rate: 0.2, seed: 3 }], expect: 'converge' },
		{ name: '10 s delay on the customer list', faults: [{ service: 'teamup', path: '/customers', delayMs: 10_000, times: 1 }], expect: 'converge' },
		{ name: 'connection reset (2, every route)', faults: [{ service: 'teamup', reset: true, times: 2 }], expect: 'converge' },
		{ name: 'malformed JSON (2 answers, customer memberships)', faults: [{ service: 'teamup', path: '/customer_memberships', status: 200, body: BROKEN, times: 2 }], expect: 'converge' },
		{
			name: 'connection reset on every customer-membership read (persistent)',
			faults: [{ service: 'teamup', path: '/customer_memberships', reset: true }],
			expect: 'loud',
			cause: /^Could not reach TeamUp \(connection reset\) on GET \/customer_memberships after 6 attempts\.$/,
			noKisiWrites: true,
		},
		{
			name: '503 that never ends on the attendances (Retry-After: 0)',
			faults: [{ service: 'teamup', path: '/attendances', status: 503, headers: { 'Retry-After': '0' } }],
			expect: 'loud',
			cause: /^TeamUp .*503.*\/attendances/,
			noKisiWrites: true,
		},
	]);
});
