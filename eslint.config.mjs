// Lint: ESLint + typescript-eslint on all TypeScript, and n8n's own community-node rules
// (@n8n/eslint-plugin-community-nodes) on the published pack. The pack bundles three services and
// a rule evaluator, so this config uses the self-hosted profile; the stricter lint of n8n's
// community-package scanner (Cloud profile + eslint-plugin-n8n-nodes-base, on the sources and on
// the packed JavaScript) runs after it from scripts/scan-lint.mjs, with the scanner's own config
// (see docs/CONVENTIONS.md, "Lint and the scanner").
import js from '@eslint/js';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'tools/**', 'coverage/**', '.n8n-demo/**', 'bench/results/**', 'test-artifacts/**', '*.js', '*.mjs'] },
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, ...tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			'@typescript-eslint/no-require-imports': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		...communityNodes.configs.recommendedWithoutN8nCloudSupport,
		rules: {
			...communityNodes.configs.recommendedWithoutN8nCloudSupport.rules,
			'@typescript-eslint/no-require-imports': 'error',
			'no-console': 'error',
		},
	},
	{
		files: ['package.json'],
		plugins: communityNodes.configs.recommendedWithoutN8nCloudSupport.plugins,
		rules: communityNodes.configs.recommendedWithoutN8nCloudSupport.rules,
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
);
