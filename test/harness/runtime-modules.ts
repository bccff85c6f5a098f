/**
 * What the published code may import at run time. The pack ships no dependencies (n8n's rule for
 * community packages), so it may only use modules n8n itself provides to community packages, which
 * n8n's Cloud lint profile lists as n8n-workflow, lodash, moment, p-limit, luxon, zod and crypto:
 * of those, the pack uses exactly the ones below (docs/CONVENTIONS.md, "What the pack relies on n8n
 * to provide at run time"). Checked on the sources (test/unit/shared/runtime-imports.test.ts) and on
 * the packed JavaScript (test/e2e/package.test.ts).
 */
import ts from 'typescript';

export const RUNTIME_MODULES = new Set(['n8n-workflow', 'luxon', 'zod', 'crypto', 'node:crypto']);

/** Every module a TypeScript or JavaScript text imports: static, type-only, re-exports, `import()` and `require()`. */
export function importsOf(text: string): string[] {
	return ts.preProcessFile(text, true, true).importedFiles.map((imported) => imported.fileName);
}
