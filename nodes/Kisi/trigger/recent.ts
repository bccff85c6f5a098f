/**
 * Kisi may deliver an event more than once (docs.kisi.io, Event Webhooks: "deduplicate on uuid").
 * The trigger remembers the uuids of the events it accepted recently, per trigger node, in this
 * process's memory, and does not start the workflow again for one of them.
 *
 * What that guarantees, and what it does not: a repeat that reaches the same n8n process while the
 * event is among the last `CAPACITY` it accepted starts nothing. A repeat that reaches another
 * process (queue mode with several webhook processors) or arrives after a restart is not caught
 * here: the output item carries the event's `uuid`, stable across deliveries, so that the node
 * that acts can deduplicate across processes on it (n8n's `checkProcessedAndRecord`, which
 * webhook contexts do not offer). Only events already accepted are remembered, so this can never suppress
 * an event the workflow has not seen. Nothing is written to the workflow's static data.
 *
 * Pure module: no n8n imports.
 */

/** Events remembered per trigger node: far more than Kisi delivers while a repeat is likely. */
export const CAPACITY = 1000;

/** The recently accepted event uuids of one trigger node, oldest first. */
export class RecentEvents {
	private readonly uuids = new Set<string>();

	constructor(private readonly capacity = CAPACITY) {}

	/**
	 * Records `uuid` as accepted and says true, or says false when it was accepted before (a
	 * repeat). Synchronous, so two deliveries of one event at the same moment cannot both pass.
	 */
	accept(uuid: string): boolean {
		if (this.uuids.has(uuid)) return false;
		this.uuids.add(uuid);
		if (this.uuids.size > this.capacity) this.uuids.delete(this.uuids.values().next().value as string);
		return true;
	}

	get size(): number {
		return this.uuids.size;
	}
}

const byNode = new Map<string, RecentEvents>();

/**
 * The memory of one trigger node (`workflowId` + node ID) in this process, for one kind of
 * delivery (`mode`: n8n's production webhook, or the editor's test listener, which Kisi calls
 * through an integration of its own and which must see the event too).
 */
export function recentEventsOf(workflowId: string, nodeId: string, mode: string): RecentEvents {
	const key = `${workflowId}\n${nodeId}\n${mode}`;
	let recent = byNode.get(key);
	if (!recent) {
		recent = new RecentEvents();
		byNode.set(key, recent);
	}
	return recent;
}
