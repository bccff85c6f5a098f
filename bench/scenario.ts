/** The benchmark gyms: `generateScenario` at the fixed seed and instant, plus the two groups the sync templates manage. */
import { generateScenario, type ScenarioInput } from '../sandbox';
import { GROUPS, NOW, SEED } from './config';

type Rec = Record<string, unknown>;

export interface BenchScenarioOptions {
	rateLimits?: ScenarioInput['rateLimits'];
	existingShares?: number;
	now?: string;
}

export function benchScenario(members: number, options: BenchScenarioOptions = {}): ScenarioInput {
	const scenario = generateScenario({
		members,
		seed: SEED,
		now: options.now ?? NOW,
		rateLimits: options.rateLimits ?? false,
		existingShares: options.existingShares,
	});
	const kisi = scenario.kisi as unknown as { groups: Rec[] };
	for (const group of Object.values(GROUPS)) {
		kisi.groups.push({ id: group.id, name: group.name, place_id: null, description: 'Managed by a sync template' });
	}
	return scenario;
}

/** Generated once per size, loaded many times: kept as JSON so that each load starts from an untouched copy. */
export class ScenarioCache {
	private readonly json = new Map<number, string>();

	get(members: number): ScenarioInput {
		let text = this.json.get(members);
		if (!text) {
			text = JSON.stringify(benchScenario(members));
			this.json.set(members, text);
		}
		return JSON.parse(text) as ScenarioInput;
	}
}
