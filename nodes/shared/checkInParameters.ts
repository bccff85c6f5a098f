/**
 * The parameters both Check In operations (TeamUp, Glofox) share, written once with their reader:
 * Email, Occurred At and, in Options, Cooldown Minutes (the cooldown itself: ./cooldown.ts). Each
 * service gives the descriptions in its own words and adds its own options (TeamUp: the
 * registration window, Only With Registration, Venue ID; Glofox: Door).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_COOLDOWN_MINUTES } from './cooldown';
import { collection, emailField } from './parameters';
import { email as validEmail, instant } from './validate';

export interface CheckInWording {
	/** Email's description. */
	email: string;
	/** Occurred At's description. */
	occurredAt: string;
	/** Occurred At's placeholder, if the service shows one. */
	occurredAtPlaceholder?: string;
	/** Cooldown Minutes' description. */
	cooldownMinutes: string;
}

/**
 * The operation's parameters: Email and Occurred At (mapped from the Kisi Trigger's item by
 * default), then Options with Cooldown Minutes and the service's own `options` (sorted by display
 * name, as n8n lists collection options).
 */
export function checkInProperties(wording: CheckInWording, options: INodeProperties[] = []): INodeProperties[] {
	const cooldownMinutes: INodeProperties = {
		displayName: 'Cooldown Minutes',
		name: 'cooldownMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULT_COOLDOWN_MINUTES,
		description: wording.cooldownMinutes,
	};
	return [
		{ ...emailField(wording.email), default: '={{ $json.email }}' },
		{
			displayName: 'Occurred At',
			name: 'occurredAt',
			type: 'string',
			required: true,
			default: '={{ $json.occurredAt }}',
			...(wording.occurredAtPlaceholder ? { placeholder: wording.occurredAtPlaceholder } : {}),
			description: wording.occurredAt,
		},
		collection('options', [cooldownMinutes, ...options].sort((a, b) => a.displayName.localeCompare(b.displayName))),
	];
}

export interface CheckInParameters {
	/** Email as given, for the service's own search. */
	rawEmail: unknown;
	/** Trimmed and lower-cased; null when the input says who it was is unknown (see {@link readCheckInParameters}). */
	email: string | null;
	/** Occurred At as an ISO UTC string. */
	occurredAt: string;
	/** The Options collection as given, for the service's own options. */
	options: IDataObject;
}

/**
 * Reads one item's Email, Occurred At and Options; Cooldown Minutes is read from `options` with
 * `readCooldownMinutes` (./cooldown.ts), in the service's order of checks.
 */
export function readCheckInParameters(ctx: IExecuteFunctions, itemIndex: number): CheckInParameters {
	const rawEmail = ctx.getNodeParameter('email', itemIndex, '');
	// null: the Kisi Trigger could not tell who it was (an actor Kisi does not know). Absent (an
	// input without the field) is a wiring mistake, refused naming "Email".
	const email = rawEmail === null ? null : validEmail(rawEmail, 'Email', itemIndex);
	const occurredAt = instant(ctx.getNodeParameter('occurredAt', itemIndex, ''), 'Occurred At', itemIndex);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return { rawEmail, email, occurredAt, options };
}
