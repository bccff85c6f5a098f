/**
 * Glofox pages read ahead (nodes/Glofox/transport/index.ts, `listPages`): once a page says how many
 * members the list holds, the next pages are requested while it is handled, so that an internet
 * round trip does not slow a big gym's read below Glofox's 10 requests a second. Each page is still
 * read once, in order, and none past the end.
 */
import type { IDataObject } from 'n8n-workflow';

import { generateScenario, type RunningSandbox } from '../../../sandbox';
import { addFault, DEMO_NOW, requestLog, run, start } from './helpers';

const MEMBERS = 450; // five pages of 100

let sb: RunningSandbox;

beforeAll(async () => {
	sb = await start(generateScenario({ members: MEMBERS, seed: 7, now: DEMO_NOW, rateLimits: false }));
}, 60_000);

afterAll(async () => {
	await sb?.close();
});

it('with a slow API, the next member pages are in flight while one is answered; every page is read once and none past the end', async () => {
	// Every member page answered after 300 ms, as over a slow connection.
	await addFault(sb, { method: 'GET', path: '/2.0/members', delayMs: 300 });
	const result = await run(sb, { resource: 'member', operation: 'getAll', returnAll: true, filters: { active: 'any' } }, { credential: { requestsPerSecond: 10 } });
	expect(result.error).toBeUndefined();
	expect(result.output('Glofox')).toHaveLength(MEMBERS);

	const pages = (await requestLog(sb)).filter((request) => request.service === 'glofox' && request.path === '/2.0/members');
	expect(pages.map((request) => Number(request.query.page)).sort()).toEqual([1, 2, 3, 4, 5]);
	const span = (request: IDataObject) => ({ from: Date.parse(String(request.at)), to: Date.parse(String(request.at)) + Number(request.durationMs) });
	const byPage = new Map(pages.map((request) => [Number(request.query.page), span(request as unknown as IDataObject)]));
	// Page 1 alone (it tells the size); then pages overlap: page 3 arrives before page 2 is answered.
	expect(byPage.get(2)!.from).toBeGreaterThanOrEqual(byPage.get(1)!.to - 5);
	expect(byPage.get(3)!.from).toBeLessThan(byPage.get(2)!.to);
});
