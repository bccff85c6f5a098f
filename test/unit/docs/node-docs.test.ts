/**
 * The editor's "Docs" link of every node helps: each node of package.json's `n8n` attribute has a
 * codex file (`<Node>.node.json` next to it, which n8n reads for the node's categories and links)
 * for this package's node type, and its primary documentation is the node's own section of the
 * README on the package's GitHub page — an anchor that GitHub really generates for a README heading
 * that names the node. Credentials link to a web page too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadPackCredentialTypes, loadPackNodeTypes, PACKAGE_NAME, ROOT } from '../../harness/package-types';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	repository: { url: string };
	n8n: { nodes: string[] };
};
const REPOSITORY = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

interface Heading {
	text: string;
	/** The text of the level-2 heading it is under (itself for a level-2 heading). */
	section?: string;
}

/** Each heading by its anchor as GitHub makes it: text without markup, lower case, punctuation dropped, spaces → hyphens, repeats numbered. */
function githubAnchors(markdown: string): Map<string, Heading> {
	const anchors = new Map<string, Heading>();
	let section: string | undefined;
	const seen = new Map<string, number>();
	let fenced = false;
	for (const line of markdown.split('\n')) {
		if (/^\s*```/.test(line)) fenced = !fenced;
		const heading = fenced ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
		if (!heading) continue;
		const text = heading[2].replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
		const base = text
			.toLowerCase()
			.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
			.replace(/ /g, '-');
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		if (heading[1].length <= 2) section = heading[1].length === 2 ? text : undefined;
		anchors.set(count === 0 ? base : `${base}-${count}`, { text, section });
	}
	return anchors;
}

describe('GitHub heading anchors', () => {
	it('are made as GitHub makes them', () => {
		const anchors = githubAnchors(
			['# n8n-nodes-gym-access', '## Workflow templates (`workflows/`)', '### Access Profile → Get Many (TeamUp, Glofox)', '### Kisi', '```', '# not a heading', '```', '### Kisi', '## Safety: what the sync guarantees'].join('\n'),
		);
		expect([...anchors.keys()]).toEqual([
			'n8n-nodes-gym-access',
			'workflow-templates-workflows',
			'access-profile--get-many-teamup-glofox',
			'kisi',
			'kisi-1',
			'safety-what-the-sync-guarantees',
		]);
	});
});

describe("each node's Docs link", () => {
	const readme = githubAnchors(readFileSync(join(ROOT, 'README.md'), 'utf8'));
	const nodeTypes = loadPackNodeTypes();

	it('finds every node of the n8n attribute', () => {
		expect(Object.keys(nodeTypes)).toHaveLength(manifest.n8n.nodes.length);
		expect(REPOSITORY).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
	});

	for (const distPath of manifest.n8n.nodes) {
		const codexPath = distPath.replace(/^dist\//, '').replace(/\.js$/, '.json');

		it(`${codexPath}: this node's codex, linking to the node's own README section`, () => {
			expect(existsSync(join(ROOT, codexPath))).toBe(true);
			const codex = JSON.parse(readFileSync(join(ROOT, codexPath), 'utf8')) as {
				node: string;
				resources?: { primaryDocumentation?: Array<{ url: string }>; credentialDocumentation?: Array<{ url: string }> };
			};
			const nodeType = nodeTypes[codex.node];
			expect([codex.node, nodeType !== undefined]).toEqual([codex.node, true]);
			expect(codex.node).toBe(`${PACKAGE_NAME}.${nodeType.description.name}`);

			const links = codex.resources?.primaryDocumentation ?? [];
			expect(links).toHaveLength(1);
			const [page, anchor] = links[0].url.split('#');
			expect(page).toBe(REPOSITORY);
			const heading = readme.get(anchor ?? '');
			expect([links[0].url, heading === undefined ? 'no such README heading' : 'a README heading']).toEqual([links[0].url, 'a README heading']);
			// The node's own section: under "The nodes", named after the node.
			expect([links[0].url, heading?.section, heading?.text.startsWith(nodeType.description.displayName)]).toEqual([links[0].url, 'The nodes', true]);

			for (const link of codex.resources?.credentialDocumentation ?? []) expect(link.url).toMatch(/^https:\/\//);
		});
	}

	it('every credential names a documentation page', () => {
		for (const credential of Object.values(loadPackCredentialTypes())) {
			expect([credential.name, credential.documentationUrl]).toEqual([credential.name, expect.stringMatching(/^https:\/\//)]);
		}
	});
});
