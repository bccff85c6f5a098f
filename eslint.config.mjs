// Lint: ESLint + typescript-eslint on all TypeScript, and n8n's own community-node rules
// (@n8n/eslint-plugin-community-nodes) on the published pack. The pack bundles three services and
// a rule evaluator, so it uses the self-hosted profile (no n8n Cloud import/global allow-list).
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
