/**
 * The operations registry (nodes/shared/router.ts): every operation module of the three API nodes
 * is registered in its node's `resources`, under its option's value, with parameters that show for
 * that resource and operation only; the node's Resource and Operation parameters list exactly what
 * is registered, and the router runs exactly that. (Key = value and a valid default are also checked
 * by the compiler: see `defineResource`.)
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { resources as glofox } from '../../../nodes/Glofox/actions/versionDescription';
import { Glofox } from '../../../nodes/Glofox/Glofox.node';
import { resources as kisi } from '../../../nodes/Kisi/actions/versionDescription';
import { Kisi } from '../../../nodes/Kisi/Kisi.node';
import type { Operation, Resources } from '../../../nodes/shared/router';
import { resources as teamUp } from '../../../nodes/TeamUp/actions/versionDescription';
import { TeamUp } from '../../../nodes/TeamUp/TeamUp.node';

const NODES_DIR = join(__dirname, '..', '..', '..', 'nodes');

const nodes: Array<{ name: string; dir: string; resources: Resources; properties: INodeProperties[] }> = [
	{ name: 'Kisi', dir: 'Kisi', resources: kisi, properties: new Kisi().description.properties },
	{ name: 'TeamUp', dir: 'TeamUp', resources: teamUp, properties: new TeamUp().description.properties },
	{ name: 'Glofox', dir: 'Glofox', resources: glofox, properties: new Glofox().description.properties },
];

function operationFiles(dir: string): string[] {
	const found: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) found.push(...operationFiles(path));
		else if (entry.name.endsWith('.operation.ts')) found.push(path);
	}
	return found;
}

function registered(resources: Resources): Array<{ resource: string; operation: string; module: Operation }> {
	return Object.entries(resources).flatMap(([resource, { operations }]) =>
		Object.entries(operations).map(([operation, module]) => ({ resource, operation, module })),
	);
}

describe.each(nodes)('$name: operations registered from one list', ({ dir, resources, properties }) => {
	it('registers every *.operation.ts module under actions/ (a module nobody registered would never run)', () => {
		const executes = new Set(registered(resources).map(({ module }) => module.execute));
		const files = operationFiles(join(NODES_DIR, dir, 'actions'));
		expect(files.length).toBeGreaterThan(0);
		const missing = files.filter((file) => !executes.has((require(file) as Operation).execute)).map((file) => relative(NODES_DIR, file));
		expect(missing).toEqual([]);
	});

	it("registers each operation under its option's value, its parameters shown for that resource and operation only", () => {
		for (const { resource, operation, module } of registered(resources)) {
			expect(module.option.value).toBe(operation);
			for (const property of module.description) {
				expect({ resource, operation, parameter: property.name, show: property.displayOptions?.show }).toMatchObject({
					show: { resource: [resource], operation: [operation] },
				});
			}
		}
	});

	it("lists exactly the registered resources and operations in the node's Resource and Operation parameters", () => {
		const resourceParameter = properties.find((property) => property.name === 'resource')!;
		expect((resourceParameter.options as INodePropertyOptions[]).map((option) => option.value)).toEqual(Object.keys(resources));
		for (const [resource, { operations, default: fallback }] of Object.entries(resources)) {
			const operationParameters = properties.filter(
				(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource),
			);
			expect(operationParameters).toHaveLength(1);
			const [operationParameter] = operationParameters;
			expect((operationParameter.options as INodePropertyOptions[]).map((option) => option.value)).toEqual(Object.keys(operations));
			expect(operationParameter.default).toBe(fallback);
			for (const option of operationParameter.options as INodePropertyOptions[]) {
				expect(option).toEqual({ name: expect.any(String), value: expect.any(String), action: expect.any(String), description: expect.any(String) });
			}
		}
	});

	it("lists the options alphabetically by name (n8n's lint rule for options cannot see lists built in code)", () => {
		const names = (list: INodePropertyOptions[]) => list.map((option) => option.name);
		const sorted = (list: string[]) => [...list].sort((a, b) => a.localeCompare(b));
		const resourceParameter = properties.find((property) => property.name === 'resource')!;
		expect(names(resourceParameter.options as INodePropertyOptions[])).toEqual(sorted(names(resourceParameter.options as INodePropertyOptions[])));
		for (const { operations } of Object.values(resources)) {
			const options = Object.values(operations).map((operation) => operation.option);
			expect(names(options)).toEqual(sorted(names(options)));
		}
	});
});
