#!/usr/bin/env node
// The lint of n8n's community-package scanner (`npx @n8n/scan-community-package`), run here exactly
// as the scanner runs it: its own `analyzePackage` with its own ESLint config (`buildScanConfig`:
// @n8n/eslint-plugin-community-nodes `recommended`, no-console, and eslint-plugin-n8n-nodes-base's
// community, credentials and nodes rule sets; eslint-disable comments not honoured), imported from
// the pinned devDependency, so that this check and the scanner cannot drift apart.
//   1. the source, as the scanner reads the GitHub commit named in the npm provenance:
//      package.json + {nodes,credentials}/**/*.{js,ts,json};
//   2. what `npm pack` publishes: every **/*.js of the tarball + its package.json (needs dist/:
//      `gulp build` first; or `--tarball <file>` to lint a tarball already packed).
// Exits 1 on any error, printing the scanner's own report. Usage: node scripts/scan-lint.mjs [--tarball <file>]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCANNER = '@n8n/scan-community-package/scanner/scanner.mjs';
const { analyzePackage, findPackageRoot, SOURCE_FILE_PATTERNS } = await import(SCANNER);
// The scanner makes a temporary folder when it is loaded: have its `tmp` remove it on exit.
createRequire(import.meta.resolve(SCANNER))('tmp').setGracefulCleanup();

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];
const { name } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

let failed = false;
function report(leg, result) {
	if (result.passed) {
		process.stdout.write(`✔ community-package scanner lint, ${leg}: no errors\n`);
		return;
	}
	failed = true;
	process.stdout.write(`✖ community-package scanner lint, ${leg}: ${result.message}\n${result.details ?? ''}\n`);
}

// 1. The source. The scanner takes the folder whose package.json bears the package's name.
const root = findPackageRoot(ROOT, name);
if (root !== ROOT) {
	failed = true;
	process.stdout.write(`✖ the scanner would lint ${root ?? 'nothing'} as ${name}, not the repository root\n`);
} else {
	report(`source (${SOURCE_FILE_PATTERNS.join(', ')})`, await analyzePackage(ROOT, SOURCE_FILE_PATTERNS));
}

// 2. The packed tarball.
const work = mkdtempSync(join(tmpdir(), 'gym-access-scan-'));
try {
	const at = process.argv.indexOf('--tarball');
	let tarball = at > 0 ? process.argv[at + 1] : undefined;
	if (!tarball) {
		if (!existsSync(join(ROOT, 'dist', 'nodes'))) throw new Error('dist/ is missing: run `gulp build` first (scripts/lint.sh does)');
		execFileSync('npm', ['pack', '--pack-destination', work, '--loglevel=error'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
		tarball = join(work, readdirSync(work).find((file) => file.endsWith('.tgz')));
	}
	const unpacked = join(work, 'package');
	mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
	report(`packed tarball (${TARBALL_PATTERNS.join(', ')})`, await analyzePackage(unpacked, TARBALL_PATTERNS));
} finally {
	rmSync(work, { recursive: true, force: true });
}

process.exit(failed ? 1 : 0);
