/** Three layers, one runner: `npm test` runs them all (see scripts/test.sh). */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
// The core nodes come from the pinned n8n runtime (tools/n8n); make them share this project's
// n8n-workflow so that errors and helpers are the same classes everywhere in a run.
// n8n's Wait node loads sanitize-html (for its form pages), whose htmlparser2 12 is ES-module only,
// which jest's CommonJS loader cannot require: it gets the CommonJS build of htmlparser2 10 that the
// pinned n8n also ships (the sanitizer is never called by a Wait that waits for a time interval).
const moduleNameMapper = {
  '^n8n-workflow$': '<rootDir>/node_modules/n8n-workflow',
  '^htmlparser2$': '<rootDir>/tools/n8n/node_modules/htmlparser2',
};
const common = { transform, moduleNameMapper, testEnvironment: 'node', setupFiles: ['<rootDir>/test/setup-env.ts'] };

module.exports = {
  projects: [
    // Pure modules and the sandbox: no n8n engine involved.
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/sandbox/**/*.test.ts'] },
    // Workflow JSON run through n8n-core's WorkflowExecute in this process.
    { ...common, displayName: 'engine', testMatch: ['<rootDir>/test/engine/**/*.test.ts'] },
    // A real n8n process (and a real browser) against the sandbox.
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
};
