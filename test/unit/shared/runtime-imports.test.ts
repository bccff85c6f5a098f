/**
 * The pack ships no dependencies (n8n's rule for community packages): at run time a node may only
 * import what n8n itself provides to community packages, which n8n's Cloud lint profile lists as
 * n8n-workflow, luxon, zod and crypto (among a few the pack does not use). Anything else, such as
 * n8n-core (n8n's internals), would be a hidden reliance that breaks when n8n changes them and
 * fails the community-package scanner. Type-only imports count too: they must name what n8n
 * documents. Relative imports must stay inside the published folders (nodes/ and credentials/).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import { importsOf as importsOfText, RUNTIME_MODULES as ALLOWED } from '../../harness/runtime-modules';

const ROOT = resolve(__dirname, '..', '..', '..');
const PUBLISHED = ['nodes', 'credentials'];

function sourceFiles(folder: string): string[] {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const path = join(folder, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return entry.isFile() && path.endsWith('.ts') ? [path] : [];
	});
}

/** Every module a file imports: static, type-only, re-exports, `import()` and `require()`. */
function importsOf(file: string): string[] {
	return importsOfText(readFileSync(file, 'utf8'));
}

const files = PUBLISHED.flatMap((folder) => sourceFiles(join(ROOT, folder)));

describe('what the published code imports', () => {
	it('finds the node and credential sources (and the imports the scan must catch)', () => {
		expect(files.length).toBeGreaterThan(20);
		expect(importsOf(join(ROOT, 'nodes', 'Kisi', 'KisiTrigger.node.ts'))).toContain('n8n-workflow');
		const text = "import type { X } from 'n8n-core';\nexport * from 'axios';\nconst a = await import('n8n-core');\nconst b = require('fs');";
		expect(importsOfText(text)).toEqual(['n8n-core', 'axios', 'n8n-core', 'fs']);
	});

	it('only modules n8n provides to community packages, and relative paths inside nodes/ and credentials/', () => {
		const problems: string[] = [];
		for (const file of files) {
			for (const name of importsOf(file)) {
				const where = relative(ROOT, file);
				if (name.startsWith('.')) {
					const target = relative(ROOT, resolve(dirname(file), name));
					if (!PUBLISHED.some((folder) => target === folder || target.startsWith(`${folder}/`))) {
						problems.push(`${where}: imports ${name}, outside the published folders`);
					}
				} else if (!ALLOWED.has(name)) {
					problems.push(`${where}: imports ${name}, which n8n does not provide to community packages`);
				}
			}
		}
		expect(problems).toEqual([]);
	});
});
