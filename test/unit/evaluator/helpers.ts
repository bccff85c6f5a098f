import { evaluateAccess } from '../../../nodes/AccessRuleEvaluator/engine';
import type { AccessDecision, EvaluatorParameters, Reason } from '../../../nodes/AccessRuleEvaluator/engine';

/** The evaluation instant of most tests: Monday 2 March 2026, 14:00 UTC. */
export const NOW = '2026-03-02T14:00:00.000Z';

let counter = 0;

export function membership(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	counter++;
	return {
		id: `m${counter}`,
		planId: '4411',
		name: 'Gold Monthly',
		type: 'recurring',
		status: 'active',
		startsAt: '2026-01-01T00:00:00Z',
		expiresAt: '2026-06-01T00:00:00Z',
		remainingUses: null,
		blocked: false,
		blockReason: null,
		...overrides,
	};
}

export function registration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	counter++;
	return {
		id: `r${counter}`,
		kind: 'class',
		status: 'registered',
		startsAt: '2026-03-02T15:00:00Z',
		endsAt: '2026-03-02T16:00:00Z',
		eventId: '5550001',
		eventName: 'Morning Yoga',
		...overrides,
	};
}

export function profile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	counter++;
	return {
		source: 'glofox',
		sourceId: `s${counter}`,
		email: `person${counter}@example.com`,
		name: `Person ${counter}`,
		memberships: [],
		registrations: [],
		...overrides,
	};
}

/** Evaluates at NOW (unless the parameters say otherwise). */
export function run(items: unknown[], params: EvaluatorParameters = {}) {
	return evaluateAccess(items, { evaluationTime: NOW, ...params });
}

/** Evaluates one profile and returns its decision. */
export function one(item: unknown, params: EvaluatorParameters = {}): AccessDecision {
	const out = run([item], params);
	expect(out).toHaveLength(1);
	return out[0].decision;
}

export function codes(list: Reason[]): string[] {
	return list.map((r) => r.code);
}
