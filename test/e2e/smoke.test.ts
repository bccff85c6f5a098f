import { N8nInstance, PACK_NODE_TYPE } from '../harness/n8n-process';

jest.setTimeout(180_000);

describe('a real n8n with the pack installed from its tarball', () => {
	const n8n = new N8nInstance();

	beforeAll(async () => await n8n.start());
	afterAll(async () => await n8n.stop());

	it('lists every node of the pack (and the AI-tool variants of the action nodes)', async () => {
		const names = await n8n.nodeTypeNames();
		const manifest = require('../../package.json') as { n8n: { nodes: string[] } };
		const expected = manifest.n8n.nodes.map((path) => {
			const source = require(`../../${path.replace(/^dist\//, '').replace(/\.js$/, '.ts')}`) as Record<string, new () => { description: { name: string } }>;
			return PACK_NODE_TYPE(new (Object.values(source)[0])().description.name);
		});
		expect(expected.length).toBeGreaterThan(0);
		for (const type of expected) expect(names).toContain(type);
		expect(names).toContain(PACK_NODE_TYPE('kisiTool'));
	});
});
