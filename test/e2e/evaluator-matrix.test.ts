/**
 * The Access Rule Evaluator's toggles in a real n8n (issue 14: with "Grant On Registrations" off, the
 * default, or "Grant On Active Membership" off, every run failed with `Could not get parameter`).
 * One workflow, imported with n8n's CLI into n8n with the pack installed from its tarball: the demo
 * gym's Glofox access profiles feed one evaluator per combination of Grant On Active Membership ×
 * Grant On Registrations × Output (single / split), each saved as the editor saves it (only what
 * differs from the defaults). The decisions for a member-only person and a booking-only person
 * are those of docs/spec/access-rules.md §3.3.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import { buildDemoScenario, demoExpectations, type DemoOutcome } from '../../sandbox/scenarios/demo';
import { editorParameters } from '../engine/matrix/generate';
import { N8nInstance, PACK_NODE_TYPE } from '../harness/n8n-process';
import { sandboxCredentials } from '../harness/templates';

jest.setTimeout(240_000);

// The demo gym built around the real current time (a real n8n runs on the real clock); the source
// and the evaluators are pinned to that instant so the decisions are the demo's.
const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const at = now.toISOString();
const expectations = demoExpectations(now);
const outcome = (email: string): DemoOutcome => {
	const row = expectations.find((candidate) => candidate.email === email);
	if (!row?.glofox) throw new Error(`The demo has no Glofox outcome for ${email}`);
	return row.glofox;
};
/** Allowed on an active membership only, and on a booking only (pay-as-you-go, class in 45 minutes). */
const MEMBER = 'ana.ruiz@example.com';
const BOOKER = 'lena.fischer@example.com';

const COMBINATIONS = [true, false].flatMap((grantOnMembership) =>
	[true, false].flatMap((grantOnRegistrations) => (['single', 'split'] as const).map((output) => ({ grantOnMembership, grantOnRegistrations, output }))),
);
const nameOf = (c: (typeof COMBINATIONS)[number]) =>
	`Memberships ${c.grantOnMembership ? 'on' : 'off'}, registrations ${c.grantOnRegistrations ? 'on' : 'off'}, ${c.output}`;

const WORKFLOW_ID = 'EvaluatorMatrix1';
const SOURCE = 'Glofox: access profiles';

function workflow() {
	const evaluators = COMBINATIONS.map((c, i) => ({
		id: `evaluator-${i}`,
		name: nameOf(c),
		type: PACK_NODE_TYPE('accessRuleEvaluator'),
		typeVersion: 1,
		position: [500, i * 160] as [number, number],
		parameters: editorParameters(PACK_NODE_TYPE('accessRuleEvaluator'), { ...c, evaluationTime: at }),
	}));
	return {
		id: WORKFLOW_ID,
		name: 'Evaluator toggles',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'run', name: 'Run', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'source',
				name: SOURCE,
				type: PACK_NODE_TYPE('glofox'),
				typeVersion: 1,
				position: [250, 0],
				parameters: editorParameters(PACK_NODE_TYPE('glofox'), { resource: 'accessProfile', operation: 'getAll', options: { referenceTime: at } }),
				credentials: { glofoxApi: { id: 'GlofoxAccount001', name: 'Glofox account' } },
			},
			...evaluators,
		],
		connections: {
			Run: { main: [[{ node: SOURCE, type: 'main', index: 0 }]] },
			[SOURCE]: { main: [evaluators.map((node) => ({ node: node.name, type: 'main', index: 0 }))] },
		},
	};
}

let sandboxServer: RunningSandbox;
let n8n: N8nInstance;
let execution: Awaited<ReturnType<N8nInstance['runManually']>>;

beforeAll(async () => {
	sandboxServer = await startSandbox({ scenario: buildDemoScenario(now), port: 0 });
	n8n = new N8nInstance({ credentials: sandboxCredentials(sandboxServer.url), workflows: [workflow()] });
	await n8n.start();
	execution = await n8n.runManually(WORKFLOW_ID, 'Run');
});

afterAll(async () => {
	await n8n?.stop();
	await sandboxServer?.close();
});

const codes = (reasons: unknown) => ((reasons ?? []) as IDataObject[]).map((reason) => reason.code);

/** Every decision an evaluator output, with the output it came out of (0, or 1 = Denied when split). */
function decisions(node: string): Array<IDataObject & { output: number }> {
	const run = execution.runData[node]?.[0] as { data?: { main?: Array<Array<{ json: IDataObject }>> }; error?: { message?: string } } | undefined;
	if (!run) throw new Error(`${node} did not run`);
	if (run.error) throw new Error(`${node} failed: ${run.error.message}`);
	return (run.data?.main ?? []).flatMap((items, output) => (items ?? []).map((item) => ({ ...item.json, output })));
}

function decisionOf(node: string, email: string): IDataObject & { output: number } {
	const found = decisions(node).find((decision) => decision.email === email);
	if (!found) throw new Error(`${node} has no decision for ${email}`);
	return found;
}

it('the workflow runs to the end in the real n8n: every combination of the toggles', () => {
	expect(execution.status).toBe('success');
	for (const c of COMBINATIONS) expect(decisions(nameOf(c)).length).toBeGreaterThan(20);
});

describe.each(COMBINATIONS.map((c) => [nameOf(c), c] as const))('%s', (node, c) => {
	const allowedOut = 0;
	const deniedOut = c.output === 'split' ? 1 : 0;

	it('the member-only person: allowed with the membership window exactly when memberships grant', () => {
		const decision = decisionOf(node, MEMBER);
		if (c.grantOnMembership) {
			const expected = outcome(MEMBER);
			expect(decision).toMatchObject({ access: 'allow', activeNow: true, validFrom: expected.validFrom, validUntil: expected.validUntil, output: allowedOut });
			expect(codes(decision.reasons)).toContain('MEMBERSHIP_ACTIVE');
		} else {
			expect(decision).toMatchObject({ access: 'deny', activeNow: false, validFrom: null, validUntil: null, output: deniedOut });
			// §3.3: only the rule families that are on report; with both off, NO_ACTIVE_MEMBERSHIP says so.
			if (c.grantOnRegistrations) expect(codes(decision.denials)).toEqual(['NO_UPCOMING_REGISTRATION']);
			else expect(decision.denials).toEqual([{ code: 'NO_ACTIVE_MEMBERSHIP', message: expect.stringContaining('both off') }]);
		}
	});

	it('the booking-only person: allowed around the class exactly when registrations grant', () => {
		const decision = decisionOf(node, BOOKER);
		if (c.grantOnRegistrations) {
			const expected = outcome(BOOKER);
			expect(decision).toMatchObject({ access: 'allow', activeNow: true, validFrom: expected.validFrom, validUntil: expected.validUntil, output: allowedOut });
			expect(codes(decision.reasons)).toEqual(['REGISTRATION_WINDOW']);
		} else {
			expect(decision).toMatchObject({ access: 'deny', activeNow: false, validFrom: null, validUntil: null, output: deniedOut });
			if (c.grantOnMembership) {
				expect(codes(decision.denials)).toEqual(expect.arrayContaining(['NO_ACTIVE_MEMBERSHIP', 'PAYG_NEEDS_REGISTRATION']));
				expect(codes(decision.denials)).not.toContain('NO_UPCOMING_REGISTRATION');
			} else {
				expect(decision.denials).toEqual([{ code: 'NO_ACTIVE_MEMBERSHIP', message: expect.stringContaining('both off') }]);
			}
		}
	});

	it(c.output === 'split' ? 'Allowed on the first output, Denied on the second' : 'everyone on the one output', () => {
		const all = decisions(node);
		if (c.output === 'split') {
			expect(all.filter((d) => d.output === 0).every((d) => d.access === 'allow')).toBe(true);
			expect(all.filter((d) => d.output === 1).every((d) => d.access === 'deny')).toBe(true);
		} else {
			expect(all.every((d) => d.output === 0)).toBe(true);
		}
		if (!c.grantOnMembership && !c.grantOnRegistrations) expect(all.filter((d) => d.access === 'allow')).toEqual([]);
	});
});
