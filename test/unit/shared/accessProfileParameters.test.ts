import type { INodeProperties } from 'n8n-workflow';

import { description as glofox } from '../../../nodes/Glofox/actions/accessProfile/getAll.operation';
import { hours, MAX_HOURS } from '../../../nodes/shared/accessProfileParameters';
import { description as teamup } from '../../../nodes/TeamUp/actions/accessProfile/getAll.operation';

/** Name, default, range and visibility of each parameter (Options' entries as `options.<name>`), descriptions left out. */
function shape(properties: INodeProperties[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const p of properties) {
		out[p.name] = { type: p.type, default: p.default, typeOptions: p.typeOptions, showIf: p.displayOptions?.show?.returnAll };
		if (p.type === 'collection') {
			for (const option of (p.options ?? []) as INodeProperties[]) out[`options.${option.name}`] = { type: option.type, default: option.default, typeOptions: option.typeOptions };
		}
	}
	return out;
}

describe('the Access Profile parameters of TeamUp and Glofox', () => {
	it('are the same parameters with the same defaults and ranges, plus each service’s own option', () => {
		const shared = {
			lookAheadHours: { type: 'number', default: 24, typeOptions: { minValue: 0, maxValue: MAX_HOURS }, showIf: undefined },
			includeInactive: { type: 'boolean', default: true, typeOptions: undefined, showIf: undefined },
			returnAll: { type: 'boolean', default: true, typeOptions: undefined, showIf: undefined },
			limit: { type: 'number', default: 50, typeOptions: { minValue: 1 }, showIf: [false] },
			options: { type: 'collection', default: {}, typeOptions: undefined, showIf: undefined },
			'options.lookBackHours': { type: 'number', default: 6, typeOptions: { minValue: 0, maxValue: MAX_HOURS } },
			'options.referenceTime': { type: 'string', default: '', typeOptions: undefined },
		};
		const { resource: _r1, operation: _o1, ...teamupShape } = shape(teamup);
		const { resource: _r2, operation: _o2, ...glofoxShape } = shape(glofox);
		expect(teamupShape).toEqual({ ...shared, 'options.includeCourses': expect.objectContaining({ type: 'boolean', default: false }) });
		expect(glofoxShape).toEqual({ ...shared, 'options.activeFilter': expect.objectContaining({ type: 'options', default: 'any' }) });
		expect(MAX_HOURS).toBe(8784);
	});

	it('list the Options alphabetically, as n8n shows them', () => {
		for (const properties of [teamup, glofox]) {
			const names = ((properties.find((p) => p.name === 'options')!.options ?? []) as INodeProperties[]).map((o) => o.displayName);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		}
	});
});

describe('hours', () => {
	it('takes 0 to 8,784 hours, fractions and digits included', () => {
		expect(hours(0, 'Look Ahead Hours', 0)).toBe(0);
		expect(hours(8784, 'Look Ahead Hours', 0)).toBe(8784);
		expect(hours('12.5', 'Look Ahead Hours', 0)).toBe(12.5);
	});

	it('refuses anything else, naming the field, the item and the range', () => {
		expect(() => hours(8785, 'Look Ahead Hours', 2)).toThrow('Item 2: "Look Ahead Hours" must be a number of hours from 0 to 8784 (got 8785)');
		expect(() => hours(-1, 'Look Back Hours', 0)).toThrow('"Look Back Hours" must be a number of hours from 0 to 8784 (got -1)');
		expect(() => hours('soon', 'Look Back Hours', 0)).toThrow('(got "soon")');
		expect(() => hours(undefined, 'Look Back Hours', 0)).toThrow('(got nothing)');
	});
});
