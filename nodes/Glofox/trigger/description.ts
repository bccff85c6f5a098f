import type { INodeProperties } from 'n8n-workflow';

/** Where Glofox takes webhook requests (its portal's "Request webhook access"; docs/reference/glofox-api.md §8). */
export const GLOFOX_ACTIVATION_EMAIL = 'apiactivation@abcfitness.com';

/**
 * Glofox has no API to register a webhook: its support sets one up on request. The node shows what
 * to send; n8n shows the webhook URLs above the parameters.
 */
export const SETUP_NOTICE =
	`Glofox sets up webhooks on request. E-mail ${GLOFOX_ACTIVATION_EMAIL} (subject "Webhooks Setup Request") with: ` +
	'your studio name and a contact; your Location ID (as in the Glofox credential); the Production URL shown above under "Webhook URLs" ' +
	'as the callback URL for the event domains MEMBERS, MEMBERSHIPS and BOOKINGS (one URL for all three); ' +
	'the environment (production, and sandbox if you have one) and a start date. ' +
	'Glofox gives you the webhook secret with your API credentials: put it in the Glofox credential\'s "Webhook Secret" field. ' +
	'Deliveries without a valid signature are refused (401). Keep the 15-minute sync running: it repairs whatever a lost webhook left behind.';

export const properties: INodeProperties[] = [
	{
		displayName: SETUP_NOTICE,
		name: 'notice',
		type: 'notice',
		default: '',
	},
];
