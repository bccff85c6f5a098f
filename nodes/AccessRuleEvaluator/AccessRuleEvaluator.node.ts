import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPairedItemData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { properties } from './description';
import {
	type EvaluatorParameters,
	evaluateWithParameters,
	InvalidParameterError,
	InvalidProfileError,
	resolveParameters,
} from './engine';

/**
 * Every parameter the description declares, with its declared default. n8n drops the parameters
 * that `displayOptions` hide before a node runs (e.g. Registration Kinds while Grant On
 * Registrations is off): those take this default, as the editor would show it.
 */
const PARAMETERS = properties.filter((property) => property.type !== 'notice');

/** An empty item is n8n's placeholder from "Always Output Data" upstream: nobody to evaluate. */
function isPlaceholder(json: IDataObject): boolean {
	return Object.keys(json).length === 0;
}

export class AccessRuleEvaluator implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Access Rule Evaluator',
		name: 'accessRuleEvaluator',
		icon: { light: 'file:../../icons/accessRules.svg', dark: 'file:../../icons/accessRules.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["output"] === "split" ? "Allowed / Denied" : "who may enter, when, why" }}',
		description: 'Decides who may enter, from when until when, and why, from gym membership and booking data',
		defaults: { name: 'Access Rule Evaluator' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{ $parameter["output"] === "split" ? [{ "type": "${NodeConnectionTypes.Main}", "displayName": "Allowed" }, { "type": "${NodeConnectionTypes.Main}", "displayName": "Denied" }] : ["${NodeConnectionTypes.Main}"] }}`,
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const raw: EvaluatorParameters = {};
		for (const { name, default: fallback } of PARAMETERS) {
			raw[name as keyof EvaluatorParameters] = this.getNodeParameter(name, 0, fallback);
		}

		let params;
		try {
			params = resolveParameters(raw);
		} catch (error) {
			if (error instanceof InvalidParameterError) {
				throw new NodeOperationError(this.getNode(), error.message, {
					description: 'Fix this parameter: nothing was evaluated.',
				});
			}
			throw new NodeOperationError(this.getNode(), error as Error);
		}

		const positions: number[] = [];
		const profiles: unknown[] = [];
		items.forEach((item, index) => {
			if (isPlaceholder(item.json)) return;
			positions.push(index);
			profiles.push(item.json);
		});

		let evaluated;
		try {
			evaluated = evaluateWithParameters(profiles, params);
		} catch (error) {
			if (error instanceof InvalidProfileError) {
				const itemIndex = positions[error.itemIndex];
				if (this.continueOnFail()) {
					return [[{ json: { error: `Invalid access profile in item ${itemIndex}: ${error.problem}` }, pairedItem: { item: itemIndex } }]];
				}
				throw new NodeOperationError(this.getNode(), `Invalid access profile in item ${itemIndex}: ${error.problem}`, {
					itemIndex,
					description: `Field: ${error.field}. Set "On Invalid Profile" to "Deny That Person" to let the other people through.`,
				});
			}
			throw new NodeOperationError(this.getNode(), error as Error);
		}

		// `all` keeps the order of first appearance of each email in the input.
		const all: INodeExecutionData[] = [];
		const allowed: INodeExecutionData[] = [];
		const denied: INodeExecutionData[] = [];
		let activeNow = 0;
		for (const { decision, inputIndexes } of evaluated) {
			const pairedItem: IPairedItemData[] = inputIndexes.map((index) => ({ item: positions[index] }));
			const item: INodeExecutionData = { json: decision as unknown as IDataObject, pairedItem };
			all.push(item);
			if (decision.access === 'allow') {
				allowed.push(item);
				if (decision.activeNow) activeNow++;
			} else {
				denied.push(item);
			}
		}
		this.addExecutionHints({
			message: `${allowed.length} allowed (${activeNow} now, ${allowed.length - activeNow} scheduled), ${denied.length} denied, at ${new Date(params.now).toISOString()}`,
			location: 'outputPane',
		});

		return params.output === 'split' ? [allowed, denied] : [all];
	}
}
