/**
 * What `npm pack` publishes: the compiled pack with every node and credential the `n8n`
 * attribute lists (and their icons and codex files), no tests, no sandbox, no sources.
 */
import { execFileSync } from 'node:child_process';

import { packTarball } from '../harness/n8n-process';
import { ROOT } from '../harness/package-types';

const manifest = require('../../package.json') as {
	n8n: { n8nNodesApiVersion: number; nodes: string[]; credentials: string[] };
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	keywords: string[];
	license: string;
};

function packedFiles(): string[] {
	const tarball = packTarball();
	return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8', cwd: ROOT })
		.split('\n')
		.filter(Boolean)
		.map((entry) => entry.replace(/^package\//, ''));
}

it('is an n8n community package with no runtime dependencies', () => {
	expect(manifest.keywords).toContain('n8n-community-node-package');
	expect(manifest.license).toBe('MIT');
	expect(manifest.n8n.n8nNodesApiVersion).toBe(1);
	expect(manifest.dependencies ?? {}).toEqual({});
	expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
});

it('packs every listed node and credential with its icons and codex, and nothing else', () => {
	const files = packedFiles();
	for (const path of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) expect(files).toContain(path);
	for (const node of manifest.n8n.nodes) expect(files).toContain(node.replace(/\.js$/, '.json'));
	for (const icon of ['kisi', 'teamup', 'glofox', 'accessRules']) {
		expect(files).toContain(`dist/icons/${icon}.svg`);
		expect(files).toContain(`dist/icons/${icon}.dark.svg`);
	}
	expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
	const unexpected = files.filter((file) => !file.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(file));
	expect(unexpected).toEqual([]);
	expect(files.filter((file) => /(^|\/)(test|sandbox|bench|scripts|workflows)\//.test(file) || /\.ts$/.test(file.replace(/\.d\.ts$/, '')))).toEqual([]);
});
