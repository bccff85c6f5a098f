/**
 * Loads this pack's node and credential types the way n8n does: from the `n8n` attribute of
 * package.json, one class per file, instantiated once. In tests the TypeScript sources stand in
 * for the compiled `dist/` files they map to.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ICredentialType, INodeType, IVersionedNodeType } from 'n8n-workflow';

export const ROOT = join(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-gym-access';

const manifest = require(join(ROOT, 'package.json')) as {
	n8n: { nodes: string[]; credentials: string[] };
};

function sourceOf(distPath: string): string {
	return join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

function instantiate<T>(distPath: string): T {
	const file = sourceOf(distPath);
	if (!existsSync(file)) throw new Error(`package.json lists ${distPath} but ${file} does not exist`);
	const exported = require(file) as Record<string, new () => T>;
	const classes = Object.values(exported).filter((value) => typeof value === 'function');
	if (classes.length !== 1) throw new Error(`${file} must export exactly one class`);
	return new classes[0]();
}

export function loadPackNodeTypes(): Record<string, INodeType | IVersionedNodeType> {
	const types: Record<string, INodeType | IVersionedNodeType> = {};
	for (const path of manifest.n8n.nodes) {
		const nodeType = instantiate<INodeType | IVersionedNodeType>(path);
		types[`${PACKAGE_NAME}.${nodeType.description.name}`] = nodeType;
	}
	return types;
}

export function loadPackCredentialTypes(): Record<string, ICredentialType> {
	const types: Record<string, ICredentialType> = {};
	for (const path of manifest.n8n.credentials) {
		const credentialType = instantiate<ICredentialType>(path);
		types[credentialType.name] = credentialType;
	}
	return types;
}
