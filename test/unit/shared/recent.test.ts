import { RECENT_CAPACITY, RecentDeliveries, recentDeliveriesOf } from '../../../nodes/shared/recent';

describe("a webhook trigger's memory of accepted deliveries (one process; Kisi and Glofox Triggers)", () => {
	it('accepts a delivery once; a repeat is refused while it is among the most recent', () => {
		const recent = new RecentDeliveries(3);
		expect(recent.accept('a')).toBe(true);
		expect(recent.accept('a')).toBe(false);
		for (const id of ['b', 'c']) expect(recent.accept(id)).toBe(true);
		expect(recent.accept('a')).toBe(false);
		// A fourth delivery pushes the oldest out: bounded memory, never more than its capacity.
		expect(recent.accept('d')).toBe(true);
		expect(recent.size).toBe(3);
		expect(recent.accept('a')).toBe(true);
		expect(recent.accept('d')).toBe(false);
	});

	it('keeps one memory per trigger node and kind of delivery, the same object for the same one', () => {
		const first = recentDeliveriesOf('wf1', 'node-a', 'webhook');
		expect(recentDeliveriesOf('wf1', 'node-a', 'webhook')).toBe(first);
		expect(first.accept('shared-id')).toBe(true);
		expect(recentDeliveriesOf('wf1', 'node-a', 'webhook').accept('shared-id')).toBe(false);
		// Another node (or the same node ID in another workflow) starts its own workflow for the delivery,
		// and the editor's test listener gets it too.
		expect(recentDeliveriesOf('wf1', 'node-b', 'webhook').accept('shared-id')).toBe(true);
		expect(recentDeliveriesOf('wf2', 'node-a', 'webhook').accept('shared-id')).toBe(true);
		expect(recentDeliveriesOf('wf1', 'node-a', 'manual').accept('shared-id')).toBe(true);
		expect(RECENT_CAPACITY).toBeGreaterThanOrEqual(100);
	});
});
