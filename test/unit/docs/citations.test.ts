/**
 * The project stands on its own: every Markdown document that code, tests, templates and our own
 * documents cite exists inside the repository, and every "§N" cited in one of the project's specs
 * or references names a section that document has.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** Files written by the project (docs/reference holds research notes that name outside documents too). */
function projectFiles(): string[] {
	const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
		.split('\n')
		.filter((file) => /\.(ts|js|mjs|json|md|sh|yml|yaml)$/.test(file))
		.filter((file) => !file.startsWith('docs/reference/') && !/(^|\/)package(-lock)?\.json$/.test(file) && !file.startsWith('tools/'));
	return listed.filter((file) => existsSync(join(ROOT, file)));
}

interface Citation {
	file: string;
	line: number;
	target: string;
	section?: string;
}

const CITATION = /(?<![\w/.:*-])((?:[\w-]+\/)*[\w-]+\.md)(?:\s*§\s*(\d+(?:\.\d+)*))?/g;

function citations(file: string): Citation[] {
	const found: Citation[] = [];
	readFileSync(join(ROOT, file), 'utf8')
		.split('\n')
		.forEach((text, index) => {
			for (const match of text.matchAll(CITATION)) {
				// A web address (docs.kisi.io/…/x.md, github.com/…) is not a file of ours.
				const before = text.slice(0, match.index);
				if (/(https?:\/\/|[\w-]+\.[a-z]{2,}\/)[^\s`'")]*$/.test(before)) continue;
				found.push({ file, line: index + 1, target: match[1], section: match[2] });
			}
		});
	return found;
}

function resolve(citation: Citation): string | undefined {
	const candidates = [join(ROOT, citation.target), join(ROOT, dirname(citation.file), citation.target)];
	return candidates.find((path) => existsSync(path));
}

/** Headings such as `## 3. What counts` or `### 3.1 A membership …` carry section numbers. */
function sections(path: string): Set<string> {
	const numbers = new Set<string>();
	for (const line of readFileSync(path, 'utf8').split('\n')) {
		const match = /^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/.exec(line);
		if (match) numbers.add(match[1]);
	}
	return numbers;
}

describe('documents cited by the project', () => {
	const all = projectFiles().flatMap(citations);

	it('finds the citations it checks (the scan itself works)', () => {
		expect(all.some((c) => c.target === 'docs/spec/access-rules.md')).toBe(true);
		expect(all.some((c) => c.section !== undefined)).toBe(true);
	});

	it('resolve to files inside the repository', () => {
		const missing = all.filter((c) => resolve(c) === undefined).map((c) => `${c.file}:${c.line} cites ${c.target}`);
		expect(missing).toEqual([]);
	});

	it('name sections the cited document has', () => {
		const wrong = all
			.filter((c) => c.section !== undefined && resolve(c) !== undefined)
			.filter((c) => !sections(resolve(c)!).has(c.section!))
			.map((c) => `${c.file}:${c.line} cites ${c.target} §${c.section}`);
		expect(wrong).toEqual([]);
	});

	it('never point outside the repository', () => {
		const outside = projectFiles()
			.filter((file) => file !== 'test/unit/docs/citations.test.ts')
			.flatMap((file) =>
				readFileSync(join(ROOT, file), 'utf8')
					.split('\n')
					.map((text, index) => ({ text, where: `${file}:${index + 1}` })),
			)
			.filter(({ text }) => /(\.\.\/)+shared\/(spec|reference|seeds|hooks)\b|(^|[\s(`'"])\/work\/|`\.\.\/shared`/.test(text))
			.map(({ where, text }) => `${where}: ${text.trim()}`);
		expect(outside).toEqual([]);
	});
});
