import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runWorkflow, type WorkflowJson } from '../../harness/engine';

function workflow(parameters: IDataObject): WorkflowJson {
	return {
		name: 'Evaluate',
		nodes: [
			{ id: 'a', name: 'Profiles', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'b',
				name: 'Access Rule Evaluator',
				type: 'n8n-nodes-gym-access.accessRuleEvaluator',
				typeVersion: 1,
				position: [200, 0],
				parameters: parameters as INodeParameters,
			},
		],
		connections: { Profiles: { main: [[{ node: 'Access Rule Evaluator', type: 'main', index: 0 }]] } },
	};
}

const now = '2026-03-02T14:00:00Z';
const active = {
	source: 'glofox',
	sourceId: 'm1',
	email: ' Ana.Ruiz@Example.com ',
	name: 'Ana Ruiz',
	memberships: [{ id: '991', planId: '4411', name: 'Unlimited', type: 'time', status: 'ACTIVE', startsAt: '2026-01-01T00:00:00Z', expiresAt: '2026-06-01T00:00:00Z' }],
};
const payg = {
	source: 'glofox',
	sourceId: 'm2',
	email: 'ben@example.com',
	name: 'Ben',
	memberships: [{ id: '992', type: 'payg', status: 'ACTIVE' }],
	registrations: [{ id: 'b1', kind: 'class', status: 'registered', startsAt: '2026-03-02T14:45:00Z', endsAt: '2026-03-02T15:45:00Z', eventId: 'e1', eventName: 'Yoga' }],
};
const expired = { source: 'teamup', sourceId: '3', email: 'cara@example.com', memberships: [{ id: '993', type: 'recurring', status: 'completed', expiresAt: '2026-02-01T00:00:00Z' }] };
const anaAgain = { source: 'teamup', sourceId: '77', email: 'ana.ruiz@example.com', memberships: [] };
const broken = { email: 'dan@example.com', registrations: [{ id: 'x', kind: 'class', status: 'registered', startsAt: '2026-03-02T16:00:00Z', endsAt: '2026-03-02T15:00:00Z' }] };

const base = { grantOnRegistrations: true, evaluationTime: now };

describe('Access Rule Evaluator node in n8n', () => {
	it('decides per email with exact windows, reasons and pairing to every contributing input', async () => {
		const result = await runWorkflow(workflow(base), { credentials: [], triggerItems: [active, payg, expired, anaAgain] });
		expect(result.error).toBeUndefined();
		const out = result.output('Access Rule Evaluator');
		expect(out.map((d) => [d.email, d.access, d.activeNow])).toEqual([
			['ana.ruiz@example.com', 'allow', true],
			['ben@example.com', 'allow', true],
			['cara@example.com', 'deny', false],
		]);
		expect(out[0].validUntil).toBe('2026-06-01T00:00:00.000Z');
		expect((out[0].reasons as IDataObject[]).map((r) => r.code)).toEqual(expect.arrayContaining(['MEMBERSHIP_ACTIVE', 'DUPLICATE_EMAIL']));
		expect(out[1].validFrom).toBe('2026-03-02T13:45:00.000Z');
		expect(out[1].validUntil).toBe('2026-03-02T16:45:00.000Z');
		expect((out[2].denials as IDataObject[]).map((r) => r.code)).toContain('MEMBERSHIP_EXPIRED');
		expect(result.items('Access Rule Evaluator')[0].pairedItem).toEqual([{ item: 0 }, { item: 3 }]);
	});

	it('splits Allowed and Denied over two outputs', async () => {
		const result = await runWorkflow(workflow({ ...base, output: 'split' }), { credentials: [], triggerItems: [active, expired, payg] });
		expect(result.output('Access Rule Evaluator', 0).map((d) => d.email)).toEqual(['ana.ruiz@example.com', 'ben@example.com']);
		expect(result.output('Access Rule Evaluator', 1).map((d) => d.email)).toEqual(['cara@example.com']);
	});

	it('denies an invalid profile and lets the others through, or fails naming the item when asked to', async () => {
		const lenient = await runWorkflow(workflow(base), { credentials: [], triggerItems: [active, broken] });
		const denied = lenient.output('Access Rule Evaluator')[1];
		expect(denied.access).toBe('deny');
		expect((denied.denials as IDataObject[])[0]).toMatchObject({ code: 'INVALID_PROFILE' });
		expect(JSON.stringify(denied.denials)).toContain('registrations[0].endsAt');

		const strict = await runWorkflow(workflow({ ...base, onInvalidProfile: 'fail' }), { credentials: [], triggerItems: [active, broken] });
		expect(strict.status).toBe('error');
		expect(strict.error?.message).toContain('item 1');
	});

	it('refuses invalid rule parameters before evaluating anyone', async () => {
		const result = await runWorkflow(workflow({ ...base, minutesBefore: -5 }), { credentials: [], triggerItems: [active] });
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('Minutes Before Start [minutesBefore]');
		expect(result.ran('Access Rule Evaluator')).toBe(true);
		expect(result.output('Access Rule Evaluator')).toEqual([]);
	});

	it('treats the empty placeholder item of "Always Output Data" as nobody', async () => {
		const result = await runWorkflow(workflow(base), { credentials: [], triggerItems: [{}] });
		expect(result.error).toBeUndefined();
		expect(result.output('Access Rule Evaluator')).toEqual([]);
	});
});
