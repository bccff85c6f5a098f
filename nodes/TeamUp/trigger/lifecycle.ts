/**
 * The trigger's webhook destination in TeamUp: found by this node's URL, added on activation,
 * removed on deactivation. Nothing is stored in the workflow's static data.
 *
 * TeamUp's v2 reference lists `GET /webhook_destinations` and `POST /webhook_destinations`, but the
 * pages with their bodies are missing from the scraped copy (rob693/teamup-api-docs, index.json:
 * `endpoints_webhook-destinations-list` / `-create`), and no DELETE is listed at all. So:
 * - a destination is read as an object with `id` and `url` (in a list envelope or a bare array);
 * - it is created with `{"url": …}`; TeamUp refusing that (400, 403, 404, 405) does not fail the
 *   activation: the log says why, and the node's notice says where to add the URL by hand;
 * - it is removed with `DELETE /webhook_destinations/{id}`; TeamUp refusing that is logged, and
 *   the operator removes it in TeamUp (README, TeamUp Trigger).
 * When TeamUp does not let the credential list destinations, nothing is created either: the
 * trigger could not see the ones it made before, and each activation would add one more.
 */
import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import type { ApiClient } from '../../shared/http';
import { teamUpClient, teamUpErrorText, teamUpListUnlessRefused } from '../transport';
import { readSettings } from './description';
import { baseOfUrl, normalUrl, urlWithSecret } from './secret';

const PATH = '/webhook_destinations';
/** Answers meaning "this credential or this TeamUp cannot do that", as opposed to a broken call. */
const REFUSALS = [400, 403, 404, 405];

const BY_HAND =
	'Add it by hand: TeamUp → Settings → Integrations → API Integration → your application → Add Webhook Destination, and paste the trigger\'s Production URL (with ?secret=<the Secret> appended when the trigger has one).';

function refusal(status: number, body: unknown): string {
	const said = teamUpErrorText(body);
	return `${status}${said ? `: ${said}` : ''}`;
}

/** The URL TeamUp should call: the node's webhook URL, with the secret when one is set. */
function wanted(ctx: IHookFunctions): { base: string; full: string; shown: string } {
	const url = ctx.getNodeWebhookUrl('default') as string;
	const { secret } = readSettings(ctx);
	// `shown` never carries the secret: it goes to logs.
	return { base: baseOfUrl(url), full: normalUrl(urlWithSecret(url, secret)), shown: baseOfUrl(url) };
}

function isDisabled(destination: IDataObject): boolean {
	if (destination.active === false || destination.is_active === false || destination.enabled === false) return true;
	return typeof destination.status === 'string' && /^(disabled|inactive|deactivated)$/i.test(destination.status);
}

/** This node's destinations (same URL, whatever the query), or null when TeamUp refused the list. */
async function destinationsOf(ctx: IHookFunctions, client: ApiClient, base: string): Promise<IDataObject[] | null> {
	const answer = await teamUpListUnlessRefused(client, PATH, {}, {}, REFUSALS);
	if (answer.refused) {
		ctx.logger.warn(
			`TeamUp Trigger: TeamUp did not let credential "${client.credentialName()}" list its webhook destinations (${refusal(answer.refused.status, answer.refused.body)}). The trigger cannot add or remove its destination itself. ${BY_HAND}`,
		);
		return null;
	}
	return answer.items.filter((destination) => typeof destination.url === 'string' && baseOfUrl(destination.url) === base);
}

async function remove(ctx: IHookFunctions, client: ApiClient, destination: IDataObject, shown: string): Promise<void> {
	const id = String(destination.id ?? '');
	if (!/^\d+$/.test(id)) {
		ctx.logger.warn(`TeamUp Trigger: a webhook destination calling ${shown} has no id TeamUp could delete it by: remove it in TeamUp.`);
		return;
	}
	const { status, body } = await client.request({ method: 'DELETE', path: `${PATH}/${id}`, expect: REFUSALS });
	if (REFUSALS.includes(status)) {
		ctx.logger.warn(
			`TeamUp Trigger: TeamUp did not delete webhook destination ${id} (${refusal(status, body)}); its v2 reference documents no DELETE. Remove the destination calling ${shown} in TeamUp → Settings → Integrations → API Integration → your application, or TeamUp keeps calling it.`,
		);
	}
}

/**
 * Whether this node's destination is in TeamUp, calling the right URL (secret included) and not
 * disabled. Stale ones (another secret, disabled after a 410) are removed so that a fresh one is
 * added; extra copies are removed so that each feed item arrives once.
 */
export async function checkExists(this: IHookFunctions): Promise<boolean> {
	const client = teamUpClient(this);
	const { base, full, shown } = wanted(this);
	const mine = await destinationsOf(this, client, base);
	// Refused: report "exists" so that n8n does not ask to create what cannot be found again.
	if (mine === null) return true;
	const current = mine.find((destination) => normalUrl(String(destination.url)) === full && !isDisabled(destination));
	for (const destination of mine) {
		if (destination !== current) await remove(this, client, destination, shown);
	}
	return current !== undefined;
}

export async function create(this: IHookFunctions): Promise<boolean> {
	const client = teamUpClient(this);
	const { full, shown } = wanted(this);
	const { status, body } = await client.request<IDataObject>({ method: 'POST', path: PATH, body: { url: full }, expect: REFUSALS });
	if (REFUSALS.includes(status)) {
		this.logger.warn(
			`TeamUp Trigger: TeamUp did not add a webhook destination for ${shown} (${refusal(status, body)}). The workflow is active but receives nothing until the destination exists. ${BY_HAND}`,
		);
		return false;
	}
	this.logger.info(`TeamUp Trigger: added webhook destination ${String(body?.id ?? '')} calling ${shown} in TeamUp`);
	return true;
}

/** Removes every destination calling this node's URL; refusals are logged, never thrown. */
export async function deleteWebhook(this: IHookFunctions): Promise<boolean> {
	const client = teamUpClient(this);
	const { base, shown } = wanted(this);
	const mine = await destinationsOf(this, client, base);
	for (const destination of mine ?? []) await remove(this, client, destination, shown);
	return true;
}
