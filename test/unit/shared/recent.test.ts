import { EventEmitter } from 'node:events';

import { acceptDelivery, RECENT_CAPACITY, RecentDeliveries, recentDeliveriesOf } from '../../../nodes/shared/recent';

/** A delivery's HTTP response as n8n ends it: a status, then 'close' (finished, or the sender gone first). */
function answered(statusCode: number, finished = true) {
	const response = Object.assign(new EventEmitter(), { statusCode, writableFinished: false });
	return {
		response,
		end() {
			response.writableFinished = finished;
			response.emit('close');
		},
	};
}

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

	it('keeps a delivery only once n8n answered it with a 2xx: one it refused (database or Redis down) is not a repeat when the vendor delivers it again', () => {
		const recent = new RecentDeliveries();
		const refused = answered(500);
		expect(acceptDelivery(recent, 'event-1', refused.response)).toBe(true);
		// The same event at the same moment, before n8n answered the first: a repeat.
		const meanwhile = answered(200);
		expect(acceptDelivery(recent, 'event-1', meanwhile.response)).toBe(false);
		refused.end();
		meanwhile.end();
		// The vendor's retry of the refused delivery starts the workflow, and n8n accepts it.
		const retry = answered(200);
		expect(acceptDelivery(recent, 'event-1', retry.response)).toBe(true);
		retry.end();
		expect(acceptDelivery(recent, 'event-1', answered(200).response)).toBe(false);

		// The sender gone before the answer (it saw no 2xx and retries): forgotten too.
		const gone = answered(200, false);
		expect(acceptDelivery(recent, 'event-2', gone.response)).toBe(true);
		gone.end();
		expect(acceptDelivery(recent, 'event-2', answered(200).response)).toBe(true);
	});
});
