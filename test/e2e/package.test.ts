/**
 * The pre-publish check (`npm run check:package`, and part of `npm test`): what `npm pack`
 * publishes is the compiled pack with every node and credential the `n8n` attribute lists, their
 * icons and codex files, README, LICENSE and CHANGELOG — no tests, no sandbox, no sources, no
 * source maps, no local paths — and it loads in a bare n8n: installed into an empty folder where
 * only the modules n8n provides to community packages exist (n8n's own copies), without this
 * project's dev dependencies.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';

import { installTarball, packTarball } from '../harness/n8n-process';
import { PACKAGE_NAME, ROOT } from '../harness/package-types';
import { importsOf, RUNTIME_MODULES } from '../harness/runtime-modules';

const manifest = require('../../package.json') as {
	n8n: { n8nNodesApiVersion: number; nodes: string[]; credentials: string[] };
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	scripts: Record<string, string>;
	keywords: string[];
	license: string;
};

/** n8n's own module folder (the pinned n8n in tools/n8n): what a real n8n offers the pack. */
const N8N_MODULES = join(ROOT, 'tools', 'n8n', 'node_modules');

let unpacked: string;
let files: string[];

beforeAll(() => {
	const tarball = packTarball();
	unpacked = mkdtempSync(join(tmpdir(), 'gym-access-unpacked-'));
	execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
	files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
		.split('\n')
		.filter(Boolean)
		.map((entry) => entry.replace(/^package\//, ''));
});

afterAll(() => rmSync(unpacked, { recursive: true, force: true }));

function packedText(file: string): string {
	return readFileSync(join(unpacked, file), 'utf8');
}

it('is an n8n community package with no runtime dependencies and no install scripts', () => {
	expect(manifest.keywords).toContain('n8n-community-node-package');
	expect(manifest.license).toBe('MIT');
	expect(manifest.n8n.n8nNodesApiVersion).toBe(1);
	expect(manifest.dependencies ?? {}).toEqual({});
	expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	const installTime = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish', 'preprepare', 'postprepare'];
	expect(Object.keys(manifest.scripts).filter((script) => installTime.includes(script))).toEqual([]);
});

it('packs every listed node and credential with its icons and codex, and nothing else', () => {
	for (const path of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) expect(files).toContain(path);
	for (const node of manifest.n8n.nodes) expect(files).toContain(node.replace(/\.js$/, '.json'));
	for (const icon of ['kisi', 'teamup', 'glofox', 'accessRules']) {
		expect(files).toContain(`dist/icons/${icon}.svg`);
		expect(files).toContain(`dist/icons/${icon}.dark.svg`);
	}
	expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']));
	const allowed = [
		/^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/,
		/^dist\/icons\/[\w.-]+\.svg$/,
		/^dist\/nodes\/[\w/.-]+(\.js|\.node\.json)$/,
		/^dist\/credentials\/\w+\.credentials\.js$/,
	];
	expect(files.filter((file) => !allowed.some((pattern) => pattern.test(file)))).toEqual([]);
});

it('ships compiled code of nodes/ and credentials/ only: no tests, sandbox or other project code', () => {
	const compiled = files.filter((file) => file.endsWith('.js'));
	expect(compiled.length).toBeGreaterThan(20);
	// Each compiled file is the output of a source file under nodes/ or credentials/.
	const orphans = compiled.filter((file) => !existsSync(join(ROOT, file.replace(/^dist\//, '').replace(/\.js$/, '.ts'))));
	expect(orphans).toEqual([]);
	expect(compiled.filter((file) => /(^|\/)(test|tests|__tests__|sandbox|bench|scripts|workflows)\/|\.test\.js$/.test(file))).toEqual([]);
});

it('ships no source maps and no path of the machine it was built on', () => {
	expect(files.filter((file) => /\.(map|d\.ts|ts|tsbuildinfo)$/.test(file))).toEqual([]);
	const leaks = files.filter((file) => {
		const text = packedText(file);
		return text.includes('sourceMappingURL') || text.includes(ROOT);
	});
	expect(leaks).toEqual([]);
});

it('the compiled JavaScript imports only what n8n provides to community packages, and its own files', () => {
	const problems: string[] = [];
	for (const file of files.filter((name) => name.endsWith('.js'))) {
		for (const name of importsOf(packedText(file))) {
			if (name.startsWith('.')) {
				const target = posix.normalize(posix.join(posix.dirname(file), name));
				if (![target, `${target}.js`, `${target}.json`, `${target}/index.js`].some((candidate) => files.includes(candidate))) {
					problems.push(`${file}: requires ${name}, which is not in the package`);
				}
			} else if (!RUNTIME_MODULES.has(name)) {
				problems.push(`${file}: requires ${name}, which n8n does not provide to community packages`);
			}
		}
	}
	expect(problems).toEqual([]);
});

describe('in a bare n8n', () => {
	interface Loaded {
		file: string;
		kind: 'node' | 'credential';
		name: string;
		displayName: string;
		icons: string[];
		credentials: string[];
		codexNode?: string;
	}
	let bare: string;
	let report: { loaded: Loaded[]; failed: Array<{ file: string; error: string }>; resolvable: Record<string, boolean> };

	beforeAll(() => {
		bare = mkdtempSync(join(tmpdir(), 'gym-access-bare-n8n-'));
		installTarball(bare);
		// n8n offers community packages its own modules (it puts its folders on NODE_PATH): link
		// exactly the ones n8n provides to community packages that the pack uses, from the pinned n8n.
		for (const name of RUNTIME_MODULES) {
			if (name === 'crypto' || name.startsWith('node:')) continue;
			symlinkSync(join(N8N_MODULES, name), join(bare, 'node_modules', name), 'dir');
		}
		const script = `
			const { join, dirname } = require('node:path');
			const { existsSync, readFileSync } = require('node:fs');
			const root = join(process.cwd(), 'node_modules', ${JSON.stringify(PACKAGE_NAME)});
			const manifest = require(join(root, 'package.json'));
			const report = { loaded: [], failed: [], resolvable: {} };
			const icons = (owner) => {
				const icon = owner.icon;
				const paths = typeof icon === 'string' ? [icon] : icon ? Object.values(icon) : [];
				return paths.map((path) => String(path).replace(/^file:/, ''));
			};
			for (const [kind, list] of [['node', manifest.n8n.nodes], ['credential', manifest.n8n.credentials]]) {
				for (const file of list) {
					try {
						const exported = require(join(root, file));
						const classes = Object.values(exported).filter((value) => typeof value === 'function');
						if (classes.length !== 1) throw new Error('exports ' + classes.length + ' classes');
						const instance = new classes[0]();
						const description = kind === 'node' ? instance.description : instance;
						const codex = join(root, file.replace(/\\.js$/, '.json'));
						report.loaded.push({
							file, kind, name: description.name, displayName: description.displayName,
							icons: icons(description).map((icon) => existsSync(join(dirname(join(root, file)), icon)) ? icon : 'MISSING ' + icon),
							credentials: (description.credentials || []).map((credential) => credential.name),
							codexNode: kind === 'node' && existsSync(codex) ? JSON.parse(readFileSync(codex, 'utf8')).node : undefined,
						});
					} catch (error) {
						report.failed.push({ file, error: String(error && error.stack || error) });
					}
				}
			}
			for (const name of ['n8n-workflow', 'n8n-core', 'jest', 'typescript', 'fastify', 'nock']) {
				try { require.resolve(name, { paths: [root] }); report.resolvable[name] = true; } catch { report.resolvable[name] = false; }
			}
			process.stdout.write(JSON.stringify(report));
		`;
		const env = { ...process.env };
		delete env.NODE_PATH;
		delete env.NODE_OPTIONS;
		report = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: bare, env, encoding: 'utf8' }));
	});

	afterAll(() => rmSync(bare, { recursive: true, force: true }));

	it('has no dev dependency to lean on: only what n8n provides resolves', () => {
		expect(report.resolvable).toEqual({ 'n8n-workflow': true, 'n8n-core': false, jest: false, typescript: false, fastify: false, nock: false });
	});

	it('loads every node and credential of the n8n attribute, with its icons and codex', () => {
		expect(report.failed).toEqual([]);
		expect(report.loaded.map((entry) => entry.file)).toEqual([...manifest.n8n.nodes, ...manifest.n8n.credentials]);
		for (const entry of report.loaded) {
			expect([entry.file, entry.name, entry.displayName]).toEqual([entry.file, expect.any(String), expect.any(String)]);
			expect([entry.file, entry.icons.length > 0, entry.icons.filter((icon) => icon.startsWith('MISSING'))]).toEqual([entry.file, true, []]);
			if (entry.kind === 'node') expect([entry.file, entry.codexNode]).toEqual([entry.file, `${PACKAGE_NAME}.${entry.name}`]);
		}
	});

	it('every credential a node asks for is one of the pack', () => {
		const packed = new Set(report.loaded.filter((entry) => entry.kind === 'credential').map((entry) => entry.name));
		const foreign = report.loaded.flatMap((entry) => entry.credentials.filter((name) => !packed.has(name)).map((name) => `${entry.file}: ${name}`));
		expect(foreign).toEqual([]);
		expect(packed.size).toBe(manifest.n8n.credentials.length);
	});
});
