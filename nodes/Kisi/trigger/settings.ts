import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { type EventFilter, InvalidIdList, parseIdList } from './events';

/** The trigger's parameters, checked. A wrong ID list fails activation with the field named. */
export function readSettings(ctx: IHookFunctions | IWebhookFunctions): EventFilter {
	const events = (ctx.getNodeParameter('events', []) as string[]).filter((event) => typeof event === 'string' && event !== '');
	if (events.length === 0) {
		throw new NodeOperationError(ctx.getNode(), '"Events" is empty: select at least one Kisi event to listen to');
	}
	try {
		return {
			events,
			onlySuccessful: ctx.getNodeParameter('onlySuccessful', true) as boolean,
			deniedOutput: ctx.getNodeParameter('deniedUnlocks', false) === true,
			placeIds: parseIdList(ctx.getNodeParameter('placeIds', ''), 'Place IDs'),
			lockIds: parseIdList(ctx.getNodeParameter('lockIds', ''), 'Lock IDs'),
		};
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), error instanceof InvalidIdList ? error.message : (error as Error));
	}
}
