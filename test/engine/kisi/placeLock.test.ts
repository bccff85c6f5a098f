import { runWorkflow } from '../../harness/engine';
import { withSandbox } from '../../harness/sandbox';
import { credential, type Json, kisiScenario, kisiWorkflow, rl } from './fixtures';

jest.setTimeout(60_000);

const sandbox = withSandbox(() => kisiScenario());
const run = async (parameters: Json) =>
	await runWorkflow(kisiWorkflow(parameters), { credentials: [credential(sandbox.kisiUrl)] });

describe('Kisi → Place', () => {
	it('Get and Get Many (with a query)', async () => {
		expect((await run({ resource: 'place', operation: 'get', placeId: rl(11) })).output('Kisi')).toEqual([
			expect.objectContaining({ id: 11, name: 'Harbour' }),
		]);
		expect((await run({ resource: 'place', operation: 'getAll', returnAll: true })).output('Kisi').map((p) => p.id)).toEqual([10, 11]);
		expect((await run({ resource: 'place', operation: 'getAll', returnAll: true, filters: { query: 'main' } })).output('Kisi').map((p) => p.id)).toEqual([10]);
		expect((await run({ resource: 'place', operation: 'getAll', returnAll: false, limit: 1 })).output('Kisi')).toHaveLength(1);
	});
});

describe('Kisi → Lock', () => {
	it('Get returns one lock', async () => {
		const result = await run({ resource: 'lock', operation: 'get', lockId: rl(1002) });
		expect(result.output('Kisi')).toEqual([expect.objectContaining({ id: 1002, name: 'Studio', place_id: 10 })]);
	});

	it('Get Many filters by place and by name', async () => {
		const all = await run({ resource: 'lock', operation: 'getAll', returnAll: true });
		expect(all.output('Kisi').map((l) => l.id).sort()).toEqual([1001, 1002, 1101]);
		const atPlace = await run({ resource: 'lock', operation: 'getAll', returnAll: true, filters: { placeId: rl(11) } });
		expect(atPlace.output('Kisi').map((l) => l.id)).toEqual([1101]);
		const byName = await run({ resource: 'lock', operation: 'getAll', returnAll: true, filters: { query: 'front' } });
		expect(byName.output('Kisi').map((l) => l.id)).toEqual([1001]);
		const limited = await run({ resource: 'lock', operation: 'getAll', returnAll: false, limit: 2 });
		expect(limited.output('Kisi')).toHaveLength(2);
	});

	it("Unlock opens the door and outputs Kisi's message; Kisi records the unlock", async () => {
		const result = await run({ resource: 'lock', operation: 'unlock', lockId: rl(1001) });
		expect(result.error).toBeUndefined();
		expect(result.output('Kisi')).toEqual([{ lockId: 1001, unlocked: true, message: 'Unlocked!' }]);
		const events = (await sandbox.state()).kisi.events as Json[];
		expect(events.at(-1)).toMatchObject({ type: 'lock.unlock', object_id: 1001, actor_id: 100, success: true });
	});

	it("a denied unlock fails with Kisi's reason and is not retried", async () => {
		await sandbox.load({
			...kisiScenario(),
			kisi: { ...(kisiScenario().kisi as object), locks: [{ id: 1001, name: 'Front Door', place_id: 10, locked_down: true }] },
		});
		await sandbox.clearRequests();
		const result = await run({ resource: 'lock', operation: 'unlock', lockId: rl(1001) });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Kisi does not allow this key's user to do POST \/locks\/1001\/unlock \(403: The door is locked down \(code fad001\)\)/);
		expect(await sandbox.requests({ service: 'kisi', path: '/locks/1001/unlock' })).toHaveLength(1);
	});
});
