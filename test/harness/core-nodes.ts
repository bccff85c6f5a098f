/**
 * The n8n core nodes the shipped templates use, taken from the n8n release this pack is pinned
 * to (the `n8n-nodes-base` inside tools/n8n, installed by scripts/ensure-n8n.sh). When that
 * runtime is not installed, minimal stand-ins with the same type ids and outputs are used so the
 * unit layers still run; `npm test` always installs the runtime first.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ROOT } from './package-types';

const NODES_BASE = join(ROOT, 'tools', 'n8n', 'node_modules', 'n8n-nodes-base', 'dist', 'nodes');

const CORE_NODES: Array<{ id: string; file: string; className: string }> = [
	{ id: 'n8n-nodes-base.manualTrigger', file: 'ManualTrigger/ManualTrigger.node.js', className: 'ManualTrigger' },
	{ id: 'n8n-nodes-base.scheduleTrigger', file: 'Schedule/ScheduleTrigger.node.js', className: 'ScheduleTrigger' },
	{ id: 'n8n-nodes-base.noOp', file: 'NoOp/NoOp.node.js', className: 'NoOp' },
	{ id: 'n8n-nodes-base.stickyNote', file: 'StickyNote/StickyNote.node.js', className: 'StickyNote' },
	{ id: 'n8n-nodes-base.wait', file: 'Wait/Wait.node.js', className: 'Wait' },
	{ id: 'n8n-nodes-base.merge', file: 'Merge/Merge.node.js', className: 'Merge' },
	{ id: 'n8n-nodes-base.stopAndError', file: 'StopAndError/StopAndError.node.js', className: 'StopAndError' },
	{ id: 'n8n-nodes-base.executeWorkflow', file: 'ExecuteWorkflow/ExecuteWorkflow/ExecuteWorkflow.node.js', className: 'ExecuteWorkflow' },
	{ id: 'n8n-nodes-base.executeWorkflowTrigger', file: 'ExecuteWorkflow/ExecuteWorkflowTrigger/ExecuteWorkflowTrigger.node.js', className: 'ExecuteWorkflowTrigger' },
];

export const usingRealCoreNodes = existsSync(NODES_BASE);

function standIn(name: string, group: INodeTypeDescription['group']): INodeType {
	const isTrigger = group.includes('trigger');
	const description: INodeTypeDescription = {
		displayName: name,
		name,
		group,
		version: [1, 1.1, 1.2, 1.3, 1.4, 2],
		description: `Stand-in for n8n's ${name}`,
		defaults: { name },
		inputs: isTrigger || name === 'stickyNote' ? [] : [NodeConnectionTypes.Main],
		outputs: name === 'stickyNote' ? [] : [NodeConnectionTypes.Main],
		properties: [],
	};
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [this.getInputData()];
		},
	};
}

/**
 * The core node types by id, each loaded the first time it is looked up (the Merge node alone takes
 * seconds to load, and most workflows never use it).
 */
export function loadCoreNodeTypes(): Record<string, INodeType> {
	const types: Record<string, INodeType> = {};
	for (const { id, file, className } of CORE_NODES) {
		let loaded: INodeType | undefined;
		const load = (): INodeType => {
			if (usingRealCoreNodes) {
				const exported = require(join(NODES_BASE, file)) as Record<string, new () => INodeType>;
				return new exported[className]();
			}
			const name = id.split('.')[1];
			return standIn(name, name.endsWith('Trigger') ? ['trigger'] : ['transform']);
		};
		Object.defineProperty(types, id, { enumerable: true, get: () => (loaded ??= load()) });
	}
	return types;
}
