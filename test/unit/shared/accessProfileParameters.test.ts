import type { INodeProperties } from 'n8n-workflow';

import { description as glofox } from '../../../nodes/Glofox/actions/accessProfile/getAll.operation';
import { ACCESS_PROFILE_DEFAULTS, hours, MAX_HOURS, parsePeople } from '../../../nodes/shared/accessProfileParameters';
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
		expect(teamupShape).toEqual({
			...shared,
			'options.includeCourses': expect.objectContaining({ type: 'boolean', default: false }),
			'options.people': { type: 'string', default: '', typeOptions: undefined },
		});
		expect(glofoxShape).toEqual({
			...shared,
			'options.activeFilter': expect.objectContaining({ type: 'options', default: 'any' }),
			'options.people': { type: 'string', default: '', typeOptions: undefined },
		});
		expect(MAX_HOURS).toBe(8784);
	});

	it('list the Options alphabetically, as n8n shows them', () => {
		for (const properties of [teamup, glofox]) {
			const names = ((properties.find((p) => p.name === 'options')!.options ?? []) as INodeProperties[]).map((o) => o.displayName);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		}
	});

	it('show in the editor the defaults the node reads when a parameter is left out', () => {
		for (const properties of [teamup, glofox]) {
			const shown = shape(properties);
			expect({
				lookAheadHours: (shown.lookAheadHours as { default: unknown }).default,
				lookBackHours: (shown['options.lookBackHours'] as { default: unknown }).default,
				includeInactive: (shown.includeInactive as { default: unknown }).default,
				returnAll: (shown.returnAll as { default: unknown }).default,
			}).toEqual(ACCESS_PROFILE_DEFAULTS);
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

describe('parsePeople (For These People)', () => {
	const isId = (text: string) => /^[a-f0-9]{24}$/i.test(text);
	const A = 'e1c6e882f1d9fc2bf876d39d';
	const B = '737da4f2fdb737e9119fc0ff';

	it('reads IDs and e-mails separated by commas, semicolons, spaces or lines, each once, e-mails lower-cased', () => {
		expect(parsePeople(` ${A}, Ana@Example.com;${B}\n${A}  ana@example.com `, isId)).toEqual({ ids: [A, B], emails: ['ana@example.com'], rejected: [] });
	});

	it('reads what expressions give: arrays (nested), a JSON array as text, numbers', () => {
		expect(parsePeople([A, [B, 'x@example.com']], isId)).toEqual({ ids: [A, B], emails: ['x@example.com'], rejected: [] });
		expect(parsePeople(`["${A}", "x@example.com"]`, isId)).toEqual({ ids: [A], emails: ['x@example.com'], rejected: [] });
		expect(parsePeople(12345, (text) => /^\d+$/.test(text))).toEqual({ ids: ['12345'], emails: [], rejected: [] });
	});

	it('sets aside what is neither an ID nor a valid e-mail, and reads nothing as nobody', () => {
		expect(parsePeople(`12345, not@valid, ${A}`, isId)).toEqual({ ids: [A], emails: [], rejected: ['12345', 'not@valid'] });
		for (const nothing of [undefined, null, '', '  ', [], [''], ', ;']) expect(parsePeople(nothing, isId)).toEqual({ ids: [], emails: [], rejected: [] });
	});
});
