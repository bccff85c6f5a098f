/**
 * "Was this delivery accepted before?" for webhook triggers whose vendor may deliver the same
 * event more than once (TeamUp: the same `TEAMUP-WEBHOOK-ID` across retries).
 *
 * What it guarantees, and what it does not: a repeat that reaches the same n8n process while its
 * id is among the last `capacity` accepted by that trigger node starts nothing. A repeat that
 * reaches another process (queue mode with several webhook processors) or arrives after a restart
 * is not caught: n8n gives webhook contexts no cross-process deduplication helper, and a
 * workflow's static data is saved last-write-wins (docs/reference/n8n-guide.md), so neither can
 * hold this. The triggers therefore put the delivery id in their output items, and the flows they
 * start re-read the source or claim the id in n8n's database (Check In), so a repeat that slips
 * through changes nothing. An id is kept only once n8n answered its delivery with a 2xx
 * ({@link acceptDelivery}): n8n answers after it saved the execution (in queue mode: and queued
 * it), so a delivery n8n refused (its database or Redis unavailable: 500/503) is forgotten, and the
 * vendor's next try is not taken for a repeat. So this never suppresses a delivery the workflow
 * has not seen. Nothing is written to the workflow's static data.
 *
 * Pure module: no n8n imports.
 */

/** Ids remembered per trigger node: far more than arrive while a retry is likely. */
export const RECENT_CAPACITY = 1000;

/** The recently accepted delivery ids of one trigger node, oldest first. */
export class RecentDeliveries {
	private readonly ids = new Set<string>();

	constructor(private readonly capacity = RECENT_CAPACITY) {}

	/**
	 * Records `id` as accepted and says true, or says false when it was accepted before (a repeat).
	 * Synchronous, so two deliveries of one id at the same moment cannot both pass.
	 */
	accept(id: string): boolean {
		if (this.ids.has(id)) return false;
		this.ids.add(id);
		if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
		return true;
	}

	/** Forgets an accepted id whose delivery was then answered with an error (the vendor will retry it). */
	forget(id: string): void {
		this.ids.delete(id);
	}

	get size(): number {
		return this.ids.size;
	}
}

/** What the triggers need of the HTTP response n8n answers a delivery with (Express's, a Node `ServerResponse`). */
export interface DeliveryResponse {
	readonly statusCode?: number;
	readonly writableFinished?: boolean;
	once?(event: 'close', listener: () => void): unknown;
}

/**
 * Accepts the delivery `id` (false: a repeat of one n8n accepted) and keeps it only if n8n then
 * answers this delivery with a 2xx. Any other ending (an error status, or the sender gone before
 * the answer) forgets it, so that the vendor's retry starts the workflow.
 */
export function acceptDelivery(recent: RecentDeliveries, id: string, response: DeliveryResponse): boolean {
	if (!recent.accept(id)) return false;
	if (typeof response.once === 'function') {
		response.once('close', () => {
			const status = response.statusCode ?? 0;
			if (response.writableFinished === false || status < 200 || status >= 300) recent.forget(id);
		});
	}
	return true;
}

const byNode = new Map<string, RecentDeliveries>();

/**
 * The memory of one trigger node in this process: `workflowId` + node ID, for one kind of delivery
 * (`mode`: n8n's production webhook, or the editor's test listener, which must see a delivery too).
 */
export function recentDeliveriesOf(workflowId: string, nodeId: string, mode: string): RecentDeliveries {
	const key = `${workflowId}\n${nodeId}\n${mode}`;
	let recent = byNode.get(key);
	if (!recent) {
		recent = new RecentDeliveries();
		byNode.set(key, recent);
	}
	return recent;
}
