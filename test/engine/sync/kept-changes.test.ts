/**
 * What a scheduled run of the shipped sync templates hands to n8n's storage: the template keeps
 * no data of a successful production run (its settings) except the sync's change list, passed to
 * a one-node sub-workflow ("Keep what changed") whose successful runs n8n keeps. Through n8n's
 * engine against the sandbox's demo gym; the real n8n's stored bytes are in test/e2e/stored-executions.test.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import { buildDemoScenario, DEMO_NOW } from '../../../sandbox/scenarios/demo';
import { runWorkflow } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { evaluatedAt, loadTemplate, sandboxCredentials, type TemplateName } from '../../harness/templates';

jest.setTimeout(60_000);

const NOW = new Date(DEMO_NOW);
const sandbox = withSandbox(() => buildDemoScenario(NOW));

describe.each([
	['glofox-kisi-access-sync' as TemplateName, 'Kisi: sync the Glofox Members group'],
	['teamup-kisi-access-sync' as TemplateName, 'Kisi: sync the TeamUp Members group'],
])('%s, run by its schedule', (name, SYNC) => {
	const template = evaluatedAt(loadTemplate(name), NOW);
	const scheduled = async () =>
		await runWorkflow(template, { credentials: sandboxCredentials(sandbox.url), startNode: 'Every 15 minutes (UTC)', triggerItems: [{ timestamp: DEMO_NOW }] });

	beforeEach(async () => {
		await sandbox.control('POST', '/clock', { now: DEMO_NOW, frozen: true });
	});

	it('hands the change list, and only it, to the sub-workflow n8n keeps: every create, update, removal and skip with its reason', async () => {
		const result = await scheduled();
		expect(result.error).toBeUndefined();
		expect(result.run.mode).toBe('trigger');
		const changes = result.output(SYNC);
		expect(changes.map((item) => item.action)).toEqual(expect.arrayContaining(['create', 'delete', 'skipped']));
		expect(result.subRuns).toHaveLength(1);
		const [kept] = result.subRuns;
		expect(kept.status).toBe('success');
		expect(kept.run.mode).toBe('integrated');
		expect(Object.keys(kept.runData)).toEqual(['What changed']);
		expect(kept.output('What changed')).toEqual(changes);
		for (const item of kept.output('What changed')) expect(item).toMatchObject({ action: expect.any(String), reason: expect.any(String) });
	});

	it('a run with nothing to change hands over only the shares it leaves alone (skips, with why), far fewer items than the gym', async () => {
		await scheduled();
		const result = await scheduled();
		expect(result.error).toBeUndefined();
		const profiles = Object.entries(result.runData).find(([node]) => node.endsWith('access profiles'))![1][0].data!.main[0]!.length;
		const kept = result.subRuns.flatMap((run) => run.output('What changed'));
		expect(kept.every((item: IDataObject) => item.action === 'skipped' && typeof item.reason === 'string')).toBe(true);
		expect(kept.length).toBeLessThan(profiles / 4);
	});
});
