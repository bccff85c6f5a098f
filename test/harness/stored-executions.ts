/**
 * What a real n8n keeps of a workflow's production runs, read from its own database
 * (`execution_entity` + `execution_data` in the SQLite file of its user folder), and a way to make
 * exactly one scheduled run happen: the workflow's Schedule Trigger fires every 10 s, the workflow
 * is published (activated) until a run starts, then unpublished. Used by the e2e storage test and
 * bench/storage.ts.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import type { WorkflowJson } from './engine';
import type { N8nInstance } from './n8n-process';

const FINISHED = ['success', 'error', 'crashed', 'canceled'];

/** A copy of a template whose Schedule Trigger fires every 10 s (the rest unchanged). */
export function scheduledEvery10Seconds<T extends WorkflowJson>(template: T): T {
	const copy = JSON.parse(JSON.stringify(template)) as T;
	for (const node of copy.nodes) {
		if (node.type === 'n8n-nodes-base.scheduleTrigger') node.parameters = { rule: { interval: [{ field: 'cronExpression', expression: '*/10 * * * * *' }] } };
	}
	return copy;
}

export interface StoredExecution {
	id: number;
	mode: string;
	status: string;
	/** Set when n8n deleted the execution (it is removed for good at n8n's next prune). */
	deletedAt: string | null;
	/** `execution_data.data` + `workflowData`, bytes (null without a data row). */
	bytes: number | null;
}

export interface ScheduledRun {
	/** The scheduled ('trigger' mode) execution's id. */
	id: number;
	/** Every execution of the workflow the run made (itself and its sub-executions), as n8n holds them after it. */
	executions: StoredExecution[];
	/** The executions n8n keeps (not deleted). */
	kept: StoredExecution[];
	keptBytes: number;
	seconds: number;
}

export class ExecutionStore {
	private readonly db: DatabaseSync;

	constructor(private readonly n8n: N8nInstance) {
		this.db = new DatabaseSync(join(n8n.userFolder, '.n8n', 'database.sqlite'), { readOnly: true });
	}

	close(): void {
		this.db.close();
	}

	/** An execution's custom data (`execution_metadata`), as n8n saved it. */
	customData(executionId: number | string): Record<string, string> {
		const rows = this.db.prepare('SELECT key, value FROM execution_metadata WHERE executionId = ?').all(Number(executionId)) as Array<{ key: string; value: string }>;
		return Object.fromEntries(rows.map((row) => [row.key, row.value]));
	}

	lastId(): number {
		return Number((this.db.prepare('SELECT max(id) AS id FROM execution_entity').get() as { id: number | null }).id ?? 0);
	}

	executions(workflowId: string, after = 0): StoredExecution[] {
		return this.db
			.prepare(
				`SELECT e.id AS id, e.mode AS mode, e.status AS status, e.deletedAt AS deletedAt, length(d.data) + length(d.workflowData) AS bytes
				 FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? AND e.id > ? ORDER BY e.id`,
			)
			.all(workflowId, after) as unknown as StoredExecution[];
	}

	/**
	 * Publishes the workflow (its schedule made to fire every 10 s: {@link scheduledEvery10Seconds}),
	 * unpublishes it as soon as a scheduled run starts, and waits until that run and its
	 * sub-executions are over. `onTick` is called while it waits (memory sampling).
	 */
	async runScheduled(workflowId: string, { onTick, timeoutMs = 60 * 60_000 }: { onTick?: () => void; timeoutMs?: number } = {}): Promise<ScheduledRun> {
		const after = this.lastId();
		const { versionId } = await this.n8n.rest<{ versionId: string }>('GET', `/workflows/${workflowId}`);
		await this.n8n.rest('POST', `/workflows/${workflowId}/activate`, { versionId });
		const deadline = Date.now() + timeoutMs;
		let run: StoredExecution | undefined;
		for (; !run; await new Promise((resolve) => setTimeout(resolve, 100))) {
			if (Date.now() > deadline) throw new Error(`no scheduled run of ${workflowId} started`);
			run = this.executions(workflowId, after).find((execution) => execution.mode === 'trigger');
		}
		const started = performance.now();
		await this.n8n.deactivate(workflowId);
		const over = (execution: StoredExecution) => execution.deletedAt !== null || FINISHED.includes(execution.status);
		for (;;) {
			onTick?.();
			const now = this.executions(workflowId, after);
			if (!now.some((execution) => execution.id === run.id) || now.every(over)) break;
			if (Date.now() > deadline) throw new Error(`the scheduled run ${run.id} of ${workflowId} did not finish`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		// n8n's save hook writes the data after the status: let it settle.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const executions = this.executions(workflowId, after);
		const kept = executions.filter((execution) => execution.deletedAt === null);
		return { id: run.id, executions, kept, keptBytes: kept.reduce((sum, execution) => sum + (execution.bytes ?? 0), 0), seconds: (performance.now() - started) / 1000 };
	}
}
