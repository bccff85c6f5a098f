/**
 * "Has this event uuid been delivered before?" Kisi may deliver an event more than once.
 *
 * The answer must hold across executions, restarts and, in queue mode, across webhook processes,
 * so it comes from n8n's own deduplication store (the database behind "Remove Duplicates"). The
 * webhook context has no deduplication helpers, so the store is reached through n8n-core, which is
 * n8n's own module at run time (resolvable from community packages through NODE_PATH, which n8n
 * sets when it loads them).
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

const MAX_ENTRIES = 10_000;
/** Size of the fallback memory in the node's static data. */
const FALLBACK_ENTRIES = 500;

/** One check at a time per workflow node in this process: n8n's store reads, then writes. */
const queues = new Map<string, Promise<unknown>>();

export async function alreadyDelivered(ctx: IWebhookFunctions, uuid: string): Promise<boolean> {
	const workflow = ctx.getWorkflow();
	const node = ctx.getNode();
	const key = `${workflow.id ?? ''}:${node.id ?? node.name}`;
	const previous = queues.get(key) ?? Promise.resolve();
	const run = previous.catch(() => undefined).then(async () => await check(ctx, uuid));
	queues.set(key, run);
	try {
		return await run;
	} finally {
		if (queues.get(key) === run) queues.delete(key);
	}
}

async function check(ctx: IWebhookFunctions, uuid: string): Promise<boolean> {
	const workflow = ctx.getWorkflow();
	try {
		if (!workflow.id) throw new Error('the workflow has no ID yet');
		const { DataDeduplicationService } = await import('n8n-core');
		const result = await DataDeduplicationService.getInstance().checkProcessedAndRecord(
			[uuid],
			'node',
			{ node: ctx.getNode(), workflow: { id: workflow.id, active: workflow.active } },
			{ mode: 'entries', maxEntries: MAX_ENTRIES },
		);
		return result.new.length === 0;
	} catch (error) {
		// n8n's store is not available here (not initialised in this process, or no workflow id
		// yet). Fall back to a bounded ring of recent uuids in the node's static data: it holds
		// across executions once n8n saves the static data, but not across concurrent processes.
		ctx.logger.debug('Kisi Trigger: n8n deduplication store unavailable, using static data', {
			error: (error as Error).message,
		});
		return rememberInStaticData(ctx.getWorkflowStaticData('node'), uuid);
	}
}

/** The fallback: whether `uuid` is in the ring (and records it). Exported for tests. */
export function rememberInStaticData(data: IDataObject, uuid: string, size = FALLBACK_ENTRIES): boolean {
	const recent = Array.isArray(data.recentEventUuids) ? (data.recentEventUuids as string[]) : [];
	if (recent.includes(uuid)) return true;
	recent.push(uuid);
	data.recentEventUuids = recent.slice(-size);
	return false;
}
