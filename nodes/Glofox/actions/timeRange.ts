/** Starts After / Starts Before of the Glofox lists that need a time range (Booking and Event → Get Many). */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InvalidInput, instant } from '../../shared/validate';

/** The two parameters; `what` starts the descriptions ("Bookings whose session starts"). */
export function timeRangeFields(what: string): INodeProperties[] {
	return [
		{
			displayName: 'Starts After',
			name: 'start',
			type: 'dateTime',
			required: true,
			default: '={{ $now.startOf("day").toISO() }}',
			description: `${what} at or after this time`,
		},
		{
			displayName: 'Starts Before',
			name: 'end',
			type: 'dateTime',
			required: true,
			default: '={{ $now.startOf("day").plus({ days: 1 }).toISO() }}',
			description: `${what} before this time`,
		},
	];
}

/**
 * The range as epoch ms; a value without an offset (n8n's date picker) is read in the workflow's
 * time zone. Refuses a range that ends before it starts.
 */
export function readTimeRange(ctx: IExecuteFunctions, itemIndex: number): { start: number; end: number } {
	const zone = ctx.getTimezone();
	const start = Date.parse(instant(ctx.getNodeParameter('start', itemIndex), 'Starts After', itemIndex, { zone }));
	const end = Date.parse(instant(ctx.getNodeParameter('end', itemIndex), 'Starts Before', itemIndex, { zone }));
	if (end <= start) throw new InvalidInput('Starts Before', itemIndex, `Item ${itemIndex}: "Starts Before" must be later than "Starts After"`);
	return { start, end };
}
