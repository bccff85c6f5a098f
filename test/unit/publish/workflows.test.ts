/**
 * The GitHub Actions workflows (.github/workflows): valid YAML, CI runs the README's test command
 * on pushes and pull requests, and a release publishes to npm with provenance only after the whole
 * test suite passed on the tagged commit. The publish step itself cannot run on the project's
 * machines (no GitHub OIDC token, no npm account); this is what can be checked here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

const ROOT = join(__dirname, '..', '..', '..');

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
}
interface Job {
	needs?: string | string[];
	'runs-on'?: string;
	container?: { image?: string };
	permissions?: Record<string, string>;
	steps: Step[];
}
interface Workflow {
	name: string;
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

function workflow(file: string): Workflow {
	const document = parseDocument(readFileSync(join(ROOT, '.github', 'workflows', file), 'utf8'));
	expect(document.errors.map((error) => error.message)).toEqual([]);
	expect(document.warnings.map((warning) => warning.message)).toEqual([]);
	return document.toJS() as Workflow;
}

/** The test command the README's Set-up gives (`npm test`), taken from the README itself. */
function readmeTestCommand(): string {
	const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
	const setUp = readme.slice(readme.indexOf('## Set-up'));
	const match = /^(npm test)\b/m.exec(setUp.slice(setUp.indexOf('```'), setUp.indexOf('```', setUp.indexOf('```') + 3)));
	if (!match) throw new Error('README.md: no `npm test` line in the Set-up code block');
	return match[1];
}

function runs(job: Job): string[] {
	return job.steps.flatMap((step) => (step.run ? step.run.split('\n').map((line) => line.trim()) : []));
}

function needs(job: Job): string[] {
	return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

/** Jobs that `name` waits for, directly or through other jobs. */
function upstream(jobs: Record<string, Job>, name: string): Set<string> {
	const seen = new Set<string>();
	const visit = (job: string) => {
		for (const before of needs(jobs[job])) {
			if (!seen.has(before)) {
				seen.add(before);
				visit(before);
			}
		}
	};
	visit(name);
	return seen;
}

describe('CI workflow', () => {
	const ci = workflow('ci.yml');

	it('runs on pushes to main and on pull requests', () => {
		expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
		expect(ci.on.push).toEqual({ branches: ['main'] });
	});

	it("runs the README's test command, on Debian with root for its apt-get installs", () => {
		const command = readmeTestCommand();
		const testing = Object.values(ci.jobs).filter((job) => runs(job).includes(command));
		expect(testing).toHaveLength(1);
		expect(testing[0]['runs-on']).toMatch(/^ubuntu-/);
		expect(testing[0].container?.image).toMatch(/^node:24-bookworm/);
		expect(testing[0].steps[0].uses).toMatch(/^actions\/checkout@v\d+$/);
	});

	it('gets no write access', () => {
		expect(ci.permissions).toEqual({ contents: 'read' });
	});
});

describe('Release workflow', () => {
	const release = workflow('release.yml');
	const publishing = Object.entries(release.jobs).filter(([, job]) => runs(job).some((line) => /^npm publish\b/.test(line)));

	it('runs on version tags only', () => {
		expect(release.on).toEqual({ push: { tags: ['v*.*.*'] } });
	});

	it('publishes with npm provenance, public, from one job with an OIDC token', () => {
		expect(publishing).toHaveLength(1);
		const [, job] = publishing[0];
		const publish = runs(job).find((line) => line.startsWith('npm publish')) ?? '';
		expect(publish.split(/\s+/)).toEqual(expect.arrayContaining(['--provenance', '--access', 'public']));
		expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		// Provenance is signed on a GitHub-hosted runner, not inside a container.
		expect(job['runs-on']).toMatch(/^ubuntu-/);
		expect(job.container).toBeUndefined();
		expect(job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with).toEqual(
			expect.objectContaining({ 'node-version': 24, 'registry-url': 'https://registry.npmjs.org' }),
		);
		// Only the publishing job may ask for a token.
		const others = Object.entries(release.jobs).filter(([name]) => name !== publishing[0][0]);
		expect(others.filter(([, other]) => other.permissions?.['id-token'])).toEqual([]);
		expect(release.permissions).toEqual({ contents: 'read' });
	});

	it("publishes only after a job that ran the README's test command on the tagged commit", () => {
		const [name] = publishing[0];
		const before = upstream(release.jobs, name);
		const tested = [...before].filter((job) => runs(release.jobs[job]).includes(readmeTestCommand()));
		expect(tested.length).toBeGreaterThan(0);
		for (const job of tested) {
			expect(release.jobs[job].steps[0].uses).toMatch(/^actions\/checkout@v\d+$/);
			expect(release.jobs[job].steps[0].with?.ref).toBeUndefined();
		}
	});

	it('checks that the tag is the package version before testing', () => {
		const [tested] = [...upstream(release.jobs, publishing[0][0])];
		const script = runs(release.jobs[tested]).join('\n');
		expect(script).toContain("require('./package.json').version");
		expect(script).toContain('GITHUB_REF_NAME');
	});

	it('npm publish itself runs the package check first, and no install-time script ships', () => {
		const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
			scripts: Record<string, string>;
			repository: { url: string };
		};
		expect(manifest.scripts.prepublishOnly).toContain('scripts/check-package.sh');
		expect(manifest.scripts['check:package']).toContain('scripts/check-package.sh');
		// npm provenance ties the package to the repository it names.
		expect(manifest.repository.url).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
	});
});
