/**
 * "Was this delivery accepted before?" for webhook triggers whose sender delivers at least once
 * (Glofox: "at-least-once … key processing on a stable event identifier"). A trigger remembers the
 * ids of the deliveries it accepted recently, per trigger node, in this process's memory, and does
 * not start the workflow again for one of them.
 *
 * What that guarantees, and what it does not: a repeat that reaches the same n8n process while the
 * delivery is among the last `capacity` it accepted starts nothing. A repeat that reaches another
 * process (queue mode with several webhook processors) or arrives after a restart is not caught
 * here: n8n offers webhook contexts no cross-process deduplication, and the workflow's static data
 * is last-write-wins between processes. So the output items carry the delivery's id, stable across
 * deliveries, for a node that acts to deduplicate on; and the pack's flows re-read the person
 * anyway, so a repeat that does start an execution changes nothing. Only deliveries already
 * accepted are remembered, so this can never suppress one the workflow has not seen. Nothing is
 * written to the workflow's static data.
 *
 * Pure module: no n8n imports.
 */

/** Deliveries remembered per trigger node by default. */
export const CAPACITY = 1000;

/** The recently accepted delivery ids of one trigger node, oldest first. */
export class RecentDeliveries {
	private readonly ids = new Set<string>();

	constructor(readonly capacity = CAPACITY) {}

	/**
	 * Records `id` as accepted and says true, or says false when it was accepted before (a repeat).
	 * Synchronous, so two deliveries of one event at the same moment cannot both pass.
	 */
	accept(id: string): boolean {
		if (this.ids.has(id)) return false;
		this.ids.add(id);
		if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
		return true;
	}

	get size(): number {
		return this.ids.size;
	}
}

const byNode = new Map<string, RecentDeliveries>();

/**
 * The memory of one trigger node (`workflowId` + node ID) in this process, for one kind of delivery
 * (`mode`: n8n's production webhook or the editor's test listener, kept apart so that a delivery the
 * active workflow took still reaches a test listener). `capacity` applies when the memory is made.
 */
export function recentDeliveriesOf(workflowId: string, nodeId: string, mode: string, capacity = CAPACITY): RecentDeliveries {
	const key = `${workflowId}\n${nodeId}\n${mode}`;
	let recent = byNode.get(key);
	if (!recent) {
		recent = new RecentDeliveries(capacity);
		byNode.set(key, recent);
	}
	return recent;
}
