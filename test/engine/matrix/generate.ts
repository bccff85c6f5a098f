/**
 * The parameter matrix (issue 14), generated from the node descriptions: for each node of the pack
 * (package.json's `n8n.nodes`), each resource and operation, the configuration a user gets by
 * dropping the node on the canvas and picking them, then that configuration with one boolean,
 * options or multi-options parameter changed (top level, or inside a collection or fixed
 * collection such as "Options" or "Filters"), each parameter that change shows changed once more,
 * and each required value left empty.
 *
 * Parameters are built as n8n's editor builds them, with n8n's own `NodeHelpers.getNodeParameters`
 * after every change (hidden parameters dropped, newly shown ones at their defaults), and saved as it
 * saves them (only visible values that differ from their defaults). The engine then resolves them
 * again, exactly as the `Workflow` constructor does before a node runs. Nothing here names a
 * parameter or an operation: a new one is in the matrix as soon as it is in a description.
 */
import type {
	INode,
	INodeParameters,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IVersionedNodeType,
	NodeParameterValueType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { loadPackNodeTypes } from '../../harness/package-types';

export interface Operation {
	/** The node type, e.g. `n8n-nodes-gym-access.kisi`. */
	type: string;
	description: INodeTypeDescription;
	resource?: string;
	operation?: string;
	/** `kisi share/create`, or `accessRuleEvaluator` for a node without resources. */
	key: string;
}

/** A value for a required parameter that has no usable default (an id, an email, a locator). */
export type ValueSource = (operation: Operation, property: INodeProperties) => unknown;

export interface MatrixCase {
	operation: Operation;
	kind: 'defaults' | 'changed' | 'empty';
	/** `kisi share/create · Additional Fields › Notify = true` */
	title: string;
	/** The changed parameter (kind `changed`), as a path of display names. */
	changed?: { name: string; displayPath: string; value: unknown };
	/** The required parameter left empty (kind `empty`). */
	emptied?: { name: string; displayName: string };
	/** As a saved workflow stores them: visible, non-default values only. */
	parameters: INodeParameters;
	/** What the node reads at run time (n8n's resolution of `parameters`). */
	resolved: INodeParameters;
	/** Names and display names of every parameter visible in this configuration, sub-parameters included. */
	visibleNames: string[];
	/** Required parameters without a usable default for which the value source had nothing. */
	missingValues: string[];
}

type Values = INodeParameters;

function maxVersion(description: INodeTypeDescription): number {
	return Array.isArray(description.version) ? Math.max(...description.version) : description.version;
}

/** Every node type of the pack, as n8n loads it (latest version of a versioned type). */
export function packNodeTypes(): Array<{ type: string; description: INodeTypeDescription }> {
	return Object.entries(loadPackNodeTypes()).map(([type, nodeType]) => {
		const versions = 'nodeVersions' in nodeType ? Object.keys(nodeType.nodeVersions).map(Number) : [maxVersion(nodeType.description)];
		const latest = NodeHelpers.getVersionedNodeType(nodeType as INodeType | IVersionedNodeType, Math.max(...versions));
		return { type, description: latest.description };
	});
}

function canvasNode(type: string, description: INodeTypeDescription, parameters: Values = {}): INode {
	return { id: 'matrix', name: description.defaults.name ?? description.displayName, type, typeVersion: maxVersion(description), position: [0, 0], parameters };
}

/** The editor's view of the parameters: hidden ones dropped, visible ones with their defaults. */
function resolve(type: string, description: INodeTypeDescription, values: Values): Values {
	return NodeHelpers.getNodeParameters(description.properties, values, true, false, canvasNode(type, description, values), description) ?? {};
}

/** What the editor saves: only the visible values that differ from their defaults. */
function toSaved(type: string, description: INodeTypeDescription, values: Values): Values {
	return NodeHelpers.getNodeParameters(description.properties, values, false, false, canvasNode(type, description, values), description) ?? {};
}

function visible(type: string, description: INodeTypeDescription, values: Values): INodeProperties[] {
	const node = canvasNode(type, description, values);
	return description.properties.filter((property) => NodeHelpers.displayParameter(values, property, node, description));
}

function staticOptions(property: INodeProperties): Array<string | number | boolean> {
	return ((property.options ?? []) as INodePropertyOptions[]).filter((option) => 'value' in option).map((option) => option.value);
}

/** The operations: each option of `resource`, each option of the `operation` shown for it. */
export function operationsOf(type: string, description: INodeTypeDescription): Operation[] {
	const name = description.name;
	const resource = description.properties.find((property) => property.name === 'resource' && property.type === 'options');
	const resources = resource ? staticOptions(resource).map(String) : [undefined];
	const operations: Operation[] = [];
	for (const r of resources) {
		const values = resolve(type, description, r === undefined ? {} : { resource: r });
		const operation = visible(type, description, values).find((property) => property.name === 'operation' && property.type === 'options');
		for (const o of operation ? staticOptions(operation).map(String) : [undefined]) {
			const key = [name, [r, o].filter(Boolean).join('/')].filter(Boolean).join(' ');
			operations.push({ type, description, resource: r, operation: o, key });
		}
	}
	return operations;
}

/** An expression that resolves to nothing: the Manual Trigger's item has no such field. */
const EMPTY_EXPRESSION = '={{ $json.notThere }}';

const isExpression = (value: unknown): value is string => typeof value === 'string' && value.startsWith('=');

/**
 * A required value the node cannot run without, and that its default does not give: empty, an
 * empty resource locator, or an expression reading the input item (`{{ $json.email }}`: a Manual
 * Trigger's item is empty).
 */
function needsValue(property: INodeProperties, value: unknown): boolean {
	if (!property.required || property.type === 'notice') return false;
	if (value === undefined || value === null || value === '') return true;
	if (property.type === 'resourceLocator') return ((value ?? {}) as { value?: unknown }).value === '';
	return isExpression(value) && value.includes('$json');
}

interface Built {
	values: Values;
	missing: string[];
}

/** Drop the node on the canvas, pick resource and operation, apply `steps`, fill required values. */
function build(op: Operation, steps: Array<{ name: string; value: unknown }>, values: ValueSource, leaveEmpty?: string): Built {
	const { type, description } = op;
	let current = resolve(type, description, {});
	const set = (name: string, value: unknown) => {
		current = resolve(type, description, { ...current, [name]: value as NodeParameterValueType });
	};
	if (op.resource !== undefined) set('resource', op.resource);
	if (op.operation !== undefined) set('operation', op.operation);
	for (const step of steps) set(step.name, step.value);
	const missing: string[] = [];
	// Filling a value may show further parameters: repeat until nothing is left to fill.
	for (let round = 0; round < 10; round++) {
		const todo = visible(type, description, current).filter(
			(property) => property.name !== leaveEmpty && !missing.includes(property.name) && needsValue(property, current[property.name]),
		);
		if (todo.length === 0) break;
		for (const property of todo) {
			const value = values(op, property);
			if (value === undefined) missing.push(property.name);
			else set(property.name, value);
		}
	}
	return { values: current, missing };
}

/** The leaf of a variant that adds a sub-parameter at its default. */
const ADDED = Symbol('added at its default');

interface Variant {
	/** The new value of the top-level parameter. */
	value: unknown;
	/** The changed leaf, as display names below the top-level parameter (`Notify`). */
	displayPath: string[];
	leaf: unknown;
}

function defaultsOf(properties: INodeProperties[]): Values {
	const out: Values = {};
	for (const property of properties) out[property.name] = property.default;
	return out;
}

/**
 * The values a user can pick for `property` other than `current`: a boolean flipped, each other
 * option, each single option of a multi-select and none; inside collections, each sub-parameter
 * so changed (added as the editor adds it, at its default, then changed).
 */
function variants(property: INodeProperties, current: unknown): Variant[] {
	const leaf = (value: unknown): Variant => ({ value, displayPath: [], leaf: value });
	switch (property.type) {
		case 'boolean':
			return [leaf(!(current ?? property.default))];
		case 'options':
			return staticOptions(property)
				.filter((value) => value !== (current ?? property.default))
				.map(leaf);
		case 'multiOptions': {
			const selected = JSON.stringify(current ?? property.default);
			const singles = staticOptions(property).map((value) => [value]);
			return [...singles, []].filter((value) => JSON.stringify(value) !== selected).map(leaf);
		}
		case 'collection': {
			if (property.typeOptions?.multipleValues) return [];
			const base = (current ?? {}) as Values;
			return ((property.options ?? []) as INodeProperties[]).flatMap((child) => [
				// "Add option" puts the sub-parameter in at its default: present must read as absent.
				...(child.name in base ? [] : [{ value: { ...base, [child.name]: child.default }, displayPath: [child.displayName], leaf: ADDED }]),
				...variants(child, base[child.name] ?? child.default).map((variant) => ({
					value: { ...base, [child.name]: variant.value },
					displayPath: [child.displayName, ...variant.displayPath],
					leaf: variant.leaf,
				})),
			]);
		}
		case 'fixedCollection': {
			const base = (current ?? {}) as Record<string, unknown>;
			const multiple = property.typeOptions?.multipleValues === true;
			return ((property.options ?? []) as INodePropertyCollection[]).flatMap((group) => {
				const existing = multiple ? ((base[group.name] as Values[] | undefined) ?? [])[0] : (base[group.name] as Values | undefined);
				const entry = { ...defaultsOf(group.values), ...existing };
				const added: Variant[] = existing ? [] : [{ value: { ...base, [group.name]: multiple ? [entry] : entry }, displayPath: [group.displayName], leaf: ADDED }];
				return added.concat(
					group.values.flatMap((child) =>
						variants(child, entry[child.name]).map((variant) => {
							const changed = { ...entry, [child.name]: variant.value };
							return {
								value: { ...base, [group.name]: multiple ? [changed] : changed },
								displayPath: [group.displayName, child.displayName, ...variant.displayPath],
								leaf: variant.leaf,
							};
						}),
					),
				);
			});
		}
		default:
			return [];
	}
}

function namesOf(properties: Array<INodeProperties | INodePropertyCollection>): string[] {
	return properties.flatMap((property) => {
		const own = [property.name, property.displayName];
		if ('values' in property) return [...own, ...namesOf(property.values)];
		const type = (property as INodeProperties).type;
		if (type === 'collection' || type === 'fixedCollection') return [...own, ...namesOf((property.options ?? []) as INodeProperties[])];
		return own;
	});
}

function makeCase(op: Operation, built: Built, kind: MatrixCase['kind'], title: string, extra: Partial<MatrixCase> = {}): MatrixCase {
	const { type, description } = op;
	const parameters = toSaved(type, description, built.values);
	const shown = visible(type, description, built.values).filter((property) => property.type !== 'notice');
	return {
		operation: op,
		kind,
		title: `${op.key} · ${title}`,
		parameters,
		resolved: resolve(type, description, parameters),
		visibleNames: [...new Set(namesOf(shown))],
		missingValues: built.missing,
		...extra,
	};
}

const show = (value: unknown) => (value === ADDED ? 'added (default)' : Array.isArray(value) ? `[${value.join(', ')}]` : JSON.stringify(value));

/** The cases of one operation: its defaults, each one-parameter change, each required value left empty. */
export function casesOf(op: Operation, values: ValueSource): MatrixCase[] {
	const { type, description } = op;
	const base = build(op, [], values);
	const cases = [makeCase(op, base, 'defaults', 'defaults')];
	const label = (property: INodeProperties, variant: Variant) => {
		const displayPath = [property.displayName, ...variant.displayPath].join(' › ');
		return { displayPath, title: `${displayPath} ${variant.leaf === ADDED ? '' : '= '}${show(variant.leaf)}` };
	};
	const shownIn = (values: Values) => new Set(visible(type, description, values).map((property) => property.name));
	const before = shownIn(base.values);
	for (const property of visible(type, description, base.values)) {
		if (property.name === 'resource' || property.name === 'operation') continue;
		for (const variant of variants(property, base.values[property.name])) {
			const first = { name: property.name, value: variant.value };
			const built = build(op, [first], values);
			const { displayPath, title } = label(property, variant);
			cases.push(makeCase(op, built, 'changed', title, { changed: { name: property.name, displayPath, value: variant.leaf } }));
			// What the change shows (Registration Kinds once Grant On Registrations is on) is changed once too.
			for (const shown of visible(type, description, built.values).filter((candidate) => !before.has(candidate.name))) {
				for (const second of variants(shown, built.values[shown.name])) {
					const next = label(shown, second);
					cases.push(
						makeCase(op, build(op, [first, { name: shown.name, value: second.value }], values), 'changed', `${title}, ${next.title}`, {
							changed: { name: shown.name, displayPath: next.displayPath, value: second.leaf },
						}),
					);
				}
			}
		}
	}
	for (const property of visible(type, description, base.values)) {
		if (!needsValue(property, property.default)) continue;
		const emptied = { name: property.name, displayName: property.displayName };
		// Left empty in the editor: n8n itself refuses to run the node ("Parameter … is required").
		cases.push(makeCase(op, build(op, [], values, property.name), 'empty', `${property.displayName} left empty`, { emptied }));
		// Empty from an expression (an upstream item without the field): n8n runs it, the node must refuse.
		if (isExpression(property.default)) continue;
		const nothing = property.type === 'resourceLocator' ? { __rl: true, mode: 'id', value: EMPTY_EXPRESSION } : EMPTY_EXPRESSION;
		const built = build(op, [{ name: property.name, value: nothing }], values, property.name);
		cases.push(makeCase(op, built, 'empty', `${property.displayName} empty from an expression`, { emptied }));
	}
	// A change the editor saves as no change at all (e.g. an empty group added) is the defaults case again.
	const seen = new Set<string>();
	return cases.filter((c) => {
		const key = `${c.kind}:${c.emptied?.name ?? ''}:${JSON.stringify(c.parameters)}`;
		const known = seen.has(key) || (c.kind === 'changed' && seen.has(`defaults::${JSON.stringify(c.parameters)}`));
		seen.add(key);
		return !known;
	});
}

/**
 * The parameters a saved workflow holds for a pack node of `type` dropped on the canvas and then
 * given `changes` one after the other in the editor (for workflows built in tests).
 */
export function editorParameters(type: string, changes: Values): Values {
	const found = packNodeTypes().find((candidate) => candidate.type === type);
	if (!found) throw new Error(`The pack has no node type ${type}`);
	let current = resolve(type, found.description, {});
	for (const [name, value] of Object.entries(changes)) current = resolve(type, found.description, { ...current, [name]: value });
	return toSaved(type, found.description, current);
}

/** The whole matrix, node by node, operation by operation. */
export function parameterMatrix(values: ValueSource): MatrixCase[] {
	return packNodeTypes().flatMap(({ type, description }) => operationsOf(type, description).flatMap((op) => casesOf(op, values)));
}
