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

/**
 * The node as dropped on the canvas: only what the user changed is saved, n8n fills in the rest
 * and drops what the toggles hide (issue 14: hidden parameters read without a default crashed
 * every run with "Could not get parameter").
 */
describe('Access Rule Evaluator from its defaults, each toggle off (docs/spec/access-rules.md §3.3)', () => {
	const memberOnly = active;
	const bookingOnly = payg;
	const codes = (reasons: unknown) => (reasons as IDataObject[]).map((reason) => reason.code);

	async function decide(parameters: IDataObject) {
		const result = await runWorkflow(workflow({ evaluationTime: now, ...parameters }), { credentials: [], triggerItems: [memberOnly, bookingOnly] });
		expect(result.error?.message).toBeUndefined();
		const [ana, ben] = result.output('Access Rule Evaluator');
		return { ana, ben };
	}

	it('registrations off (the default): the member gets in, the booking-only person is denied for want of a membership', async () => {
		const { ana, ben } = await decide({});
		expect(ana).toMatchObject({ email: 'ana.ruiz@example.com', access: 'allow', activeNow: true, validUntil: '2026-06-01T00:00:00.000Z' });
		expect(codes(ana.reasons)).toContain('MEMBERSHIP_ACTIVE');
		expect(ben).toMatchObject({ email: 'ben@example.com', access: 'deny', activeNow: false, validFrom: null, validUntil: null });
		expect(codes(ben.denials)).toEqual(expect.arrayContaining(['NO_ACTIVE_MEMBERSHIP', 'PAYG_NEEDS_REGISTRATION']));
		// The registration rules are off, so nobody is told about registrations.
		expect(codes(ben.denials)).not.toContain('NO_UPCOMING_REGISTRATION');
		expect(JSON.stringify(ben.denials)).toContain('Grant On Registrations is off');
	});

	it('memberships off, registrations on: the booking-only person gets in around the class, the member is denied', async () => {
		const { ana, ben } = await decide({ grantOnMembership: false, grantOnRegistrations: true });
		expect(ben).toMatchObject({ access: 'allow', activeNow: true, validFrom: '2026-03-02T13:45:00.000Z', validUntil: '2026-03-02T16:45:00.000Z' });
		expect(codes(ben.reasons)).toEqual(['REGISTRATION_WINDOW']);
		expect(ana).toMatchObject({ access: 'deny', activeNow: false });
		expect(codes(ana.denials)).toContain('NO_UPCOMING_REGISTRATION');
		expect(codes(ana.denials)).not.toContain('NO_ACTIVE_MEMBERSHIP');
	});

	it('both off: nobody gets in, and the reason says why', async () => {
		const { ana, ben } = await decide({ grantOnMembership: false });
		for (const person of [ana, ben]) {
			expect(person).toMatchObject({ access: 'deny', reasons: [] });
			expect(person.denials).toEqual([{ code: 'NO_ACTIVE_MEMBERSHIP', message: expect.stringContaining('both off') }]);
		}
	});

	it('both on: either rule is enough', async () => {
		const { ana, ben } = await decide({ grantOnRegistrations: true });
		expect([ana.access, ben.access]).toEqual(['allow', 'allow']);
	});

	it('a hidden parameter keeps no effect: a stale invalid value behind an off toggle is dropped, as n8n does', async () => {
		const { ana, ben } = await decide({ grantOnRegistrations: false, registrationKinds: ['workshop'], minutesBefore: -5 });
		expect([ana.access, ben.access]).toEqual(['allow', 'deny']);
		const { ana: ana2 } = await decide({ grantOnMembership: false, grantOnRegistrations: true, allowedMemberships: 'No Such Plan' });
		expect(ana2.access).toBe('deny');
	});

	it('split output from the defaults: Allowed and Denied', async () => {
		const result = await runWorkflow(workflow({ evaluationTime: now, output: 'split' }), { credentials: [], triggerItems: [memberOnly, bookingOnly] });
		expect(result.output('Access Rule Evaluator', 0).map((d) => d.email)).toEqual(['ana.ruiz@example.com']);
		expect(result.output('Access Rule Evaluator', 1).map((d) => d.email)).toEqual(['ben@example.com']);
	});
});
