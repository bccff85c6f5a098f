/**
 * The real-time templates (`workflows/*-kisi-realtime-access.json`) as the engine tests run them:
 * the template's trigger served by a TriggerEndpoint (n8n-core's hook and webhook contexts, then the
 * rest of the template through n8n's engine), the sandbox's demo gym delivering its webhooks for
 * changes made with `POST /__sandbox/change`, and a Mailbox that holds deliveries back so that a
 * test can hand them to the trigger later, in another order, or at the same moment as something else.
 *
 * One `Gym` per source says how that source's changes are written (a TeamUp customer membership or
 * attendance; a Glofox member's membership or a booking), so the behaviour tests run unchanged for both.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { buildDemoScenario, DEMO_KISI, DEMO_NOW, DEMO_TIME_ZONE } from '../../../sandbox/scenarios/demo';
import { hexId } from '../../../sandbox/util';
import type { ScenarioInput } from '../../../sandbox';
import type { SandboxFixture } from '../../harness/sandbox';
import { evaluatedAt, loadTemplate, sandboxCredentials, type TemplateName } from '../../harness/templates';
import { TriggerEndpoint } from '../reliability/trigger-endpoint';

export const NOW = new Date(DEMO_NOW);
export const WEBHOOK_SECRET = 'glofox-webhook-secret-for-the-realtime-tests';

export type Source = 'teamup' | 'glofox';

/** Local midnight `days` from the demo's today, in the gym's zone, as an instant. */
export const midnight = (days: number) => DateTime.fromJSDate(NOW, { zone: DEMO_TIME_ZONE }).startOf('day').plus({ days });
const iso = (at: DateTime) => at.toUTC().toISO({ suppressMilliseconds: true })!;
/** An instant `minutes` from the demo's now, as Kisi writes it. */
export const minutesFromNow = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString().replace('.000Z', 'Z');

/** The demo scenario without rate limits (the behaviour tests; the bench keeps them on), plus `extra`. */
export function realtimeScenario(edit: (scenario: ScenarioInput & Record<string, never>) => void = () => undefined): ScenarioInput {
	const scenario = { ...buildDemoScenario(NOW), rateLimits: false } as ScenarioInput & Record<string, never>;
	edit(scenario);
	return scenario;
}

/** A change as `POST /__sandbox/change` takes it (without the service). */
export interface Change {
	collection: string;
	upsert?: IDataObject;
	delete?: string | number;
}

export interface Gym {
	source: Source;
	template: TemplateName;
	fifteenMinuteTemplate: TemplateName;
	/** The Kisi group both templates manage. */
	groupId: number;
	/** The sync node's name in the real-time template, and in the 15-minute one. */
	syncNode: string;
	fifteenMinuteSyncNode: string;
	/** The source's id of a demo person, by e-mail. */
	idOf(scenario: ScenarioInput, email: string): string;
	/** Buying a membership valid from today's local midnight to the end of `lastDay` (days from today). */
	buy(scenario: ScenarioInput, email: string, lastDay: number): Change;
	/** Cancelling the membership `buy` sold. */
	cancel(scenario: ScenarioInput, email: string): Change;
	/** The membership `buy` sold, renewed to `lastDay`. */
	renew(scenario: ScenarioInput, email: string, lastDay: number): Change;
	/** The share's validity Kisi should end up with for `buy` (the evaluator's rules for this source). */
	membershipWindow(lastDay: number): { valid_from: string; valid_until: string };
	/** A change to the person's own record that does not change their access (a new phone number). */
	touch(scenario: ScenarioInput, email: string, phone: string): Change;
	/** Booking the demo class `key` (yoga, spin, …) for the person. */
	book(scenario: ScenarioInput, email: string, key: 'yoga' | 'spin'): Change;
	/** A new person in the source (a customer / member without a membership). */
	newPerson(email: string): Change;
}

type Records = Record<string, IDataObject[]>;
const section = (scenario: ScenarioInput, source: Source) => (scenario as unknown as Record<Source, Records>)[source];

/** Demo classes: minutes from now and length (sandbox/scenarios/demo.ts). */
const CLASSES = { yoga: { at: 45, minutes: 60, teamupEvent: 5550004 }, spin: { at: 270, minutes: 60, teamupEvent: 5550006 } } as const;
/** The access window the templates give a booking: 60 minutes before the class to 60 minutes after it. */
export function classWindow(key: keyof typeof CLASSES): { valid_from: string; valid_until: string } {
	const c = CLASSES[key];
	return { valid_from: minutesFromNow(c.at - 60), valid_until: minutesFromNow(c.at + c.minutes + 60) };
}

/** Ids the tests give new records (outside the demo's ranges). */
const TEAMUP_NEW_MEMBERSHIP = 99001;
const TEAMUP_NEW_ATTENDANCE = 99101;
const TEAMUP_NEW_CUSTOMER = 99201;

export const TEAMUP: Gym = {
	source: 'teamup',
	template: 'teamup-kisi-realtime-access',
	fifteenMinuteTemplate: 'teamup-kisi-access-sync',
	groupId: DEMO_KISI.teamupGroupId,
	syncNode: 'Kisi: update these people in the TeamUp Members group',
	fifteenMinuteSyncNode: 'Kisi: sync the TeamUp Members group',
	idOf: (scenario, email) => String(section(scenario, 'teamup').customers.find((c) => c.email === email)!.id),
	buy: (scenario, email, lastDay) => ({
		collection: 'customer_memberships',
		upsert: {
			id: TEAMUP_NEW_MEMBERSHIP,
			customer: Number(TEAMUP.idOf(scenario, email)),
			membership: 4404, // 3 Month Prepaid: no renewal, no payment subscription
			status: 'active',
			start_date: midnight(0).toISODate(),
			expiration_date: midnight(lastDay).toISODate(),
		},
	}),
	cancel: () => ({ collection: 'customer_memberships', upsert: { id: TEAMUP_NEW_MEMBERSHIP, status: 'cancelled' } }),
	renew: (_scenario, _email, lastDay) => ({ collection: 'customer_memberships', upsert: { id: TEAMUP_NEW_MEMBERSHIP, status: 'active', expiration_date: midnight(lastDay).toISODate() } }),
	// TeamUp's expiration date is the last day of access: open until the next local midnight.
	membershipWindow: (lastDay) => ({ valid_from: iso(midnight(0)), valid_until: iso(midnight(lastDay + 1)) }),
	touch: (scenario, email, phone) => ({ collection: 'customers', upsert: { id: Number(TEAMUP.idOf(scenario, email)), phone } }),
	book: (scenario, email, key) => ({
		collection: 'attendances',
		upsert: { id: TEAMUP_NEW_ATTENDANCE, customer: Number(TEAMUP.idOf(scenario, email)), event: CLASSES[key].teamupEvent, status: 'registered', customer_membership: null },
	}),
	newPerson: (email) => ({ collection: 'customers', upsert: { id: TEAMUP_NEW_CUSTOMER, first_name: 'New', last_name: 'Person', email } }),
};

const GLOFOX_NEW_BOOKING = 'b0b0b0b0b0b0b0b0b0b0b0b0';
const GLOFOX_NEW_MEMBER = 'c0c0c0c0c0c0c0c0c0c0c0c0';
const glofoxMembership = (status: string, lastDay: number) => ({
	type: 'time',
	status,
	start_date: Math.round(midnight(0).toSeconds()),
	// Glofox's expiry is the instant access ends: the local midnight after the last day.
	expiry_date: Math.round(midnight(lastDay + 1).toSeconds()),
	plan_code: 1001,
	user_membership_id: 'd0d0d0d0d0d0d0d0d0d0d0d0',
});
/** The last day `buy` or `renew` sold, kept per member so that `cancel` keeps the dates. */
const glofoxLastDay = new Map<string, number>();

export const GLOFOX: Gym = {
	source: 'glofox',
	template: 'glofox-kisi-realtime-access',
	fifteenMinuteTemplate: 'glofox-kisi-access-sync',
	groupId: DEMO_KISI.glofoxGroupId,
	syncNode: 'Kisi: update these people in the Glofox Members group',
	fifteenMinuteSyncNode: 'Kisi: sync the Glofox Members group',
	idOf: (scenario, email) => String(section(scenario, 'glofox').members.find((m) => m.email === email)!._id),
	buy: (scenario, email, lastDay) => {
		const id = GLOFOX.idOf(scenario, email);
		glofoxLastDay.set(id, lastDay);
		return { collection: 'members', upsert: { _id: id, membership: glofoxMembership('ACTIVE', lastDay) } };
	},
	cancel: (scenario, email) => {
		const id = GLOFOX.idOf(scenario, email);
		return { collection: 'members', upsert: { _id: id, membership: glofoxMembership('CANCELLED', glofoxLastDay.get(id) ?? 0) } };
	},
	renew: (scenario, email, lastDay) => GLOFOX.buy(scenario, email, lastDay),
	membershipWindow: (lastDay) => ({ valid_from: iso(midnight(0)), valid_until: iso(midnight(lastDay + 1)) }),
	touch: (scenario, email, phone) => ({ collection: 'members', upsert: { _id: GLOFOX.idOf(scenario, email), phone } }),
	book: (scenario, email, key) => ({
		collection: 'bookings',
		upsert: { _id: GLOFOX_NEW_BOOKING, user_id: GLOFOX.idOf(scenario, email), event_id: hexId(`demo:event:${key}`), status: 'BOOKED', attended: false, guest_bookings: 0 },
	}),
	newPerson: (email) => ({ collection: 'members', upsert: { _id: GLOFOX_NEW_MEMBER, first_name: 'New', last_name: 'Person', email, active: true, membership: null } }),
};

export const GYMS: Gym[] = [TEAMUP, GLOFOX];

/** The credentials the templates reference, on the sandbox, Glofox with its Webhook Secret. */
export function credentials(sandbox: SandboxFixture) {
	return sandboxCredentials(sandbox.url, { glofox: { webhookSecret: WEBHOOK_SECRET } });
}

/**
 * The real-time template of `gym`, pinned to `at` (the instant its source and evaluator treat as
 * now), activated: the TeamUp Trigger registers its webhook destination in the sandbox's TeamUp;
 * for Glofox the test plays Glofox support and registers the URL with the secret. With `connected`
 * false the source does not call it (a Mailbox holds the deliveries instead).
 */
export async function activate(gym: Gym, sandbox: SandboxFixture, { at = NOW, connected = true }: { at?: Date; connected?: boolean } = {}): Promise<TriggerEndpoint> {
	const template = loadTemplate(gym.template);
	const endpoint = new TriggerEndpoint({ ...evaluatedAt(template, at), id: template.id }, credentials(sandbox));
	await endpoint.start();
	if (gym.source === 'glofox' && connected) await sandbox.control('POST', '/glofox/webhooks', { url: endpoint.url, secret: WEBHOOK_SECRET });
	if (gym.source === 'teamup' && !connected) {
		const destinations = sandbox.running.state.teamup.destinations;
		for (const [id, destination] of destinations) if (destination.url === endpoint.url) destinations.delete(id);
	}
	return endpoint;
}

/** Applies a change in the source; the source delivers its webhook(s) to whoever is registered. */
export async function change(sandbox: SandboxFixture, gym: Gym, body: Change, duplicate = false): Promise<{ delivered: Array<{ url: string; status: number | null }> }> {
	return await sandbox.control('POST', `/change${duplicate ? '?duplicate=1' : ''}`, { service: gym.source, ...body });
}

/** The group's shares in Kisi now. */
export async function groupShares(sandbox: SandboxFixture, gym: Gym): Promise<IDataObject[]> {
	return ((await sandbox.state()).kisi.shares as IDataObject[]).filter((share) => share.group_id === gym.groupId);
}

/** The person's shares in the group (more than one would be a duplicate). */
export async function sharesOf(sandbox: SandboxFixture, gym: Gym, email: string): Promise<IDataObject[]> {
	return (await groupShares(sandbox, gym)).filter((share) => String(share.email).toLowerCase() === email);
}

/** Kisi writes since the request log was cleared, as `METHOD path status`. */
export async function kisiWrites(sandbox: SandboxFixture): Promise<string[]> {
	return (await sandbox.requests({ service: 'kisi' })).filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path} ${request.status}`);
}

/** Freezes the sandbox clock at `at`: the shares it writes are stamped with it. */
export async function freezeClock(sandbox: SandboxFixture, at: Date = NOW): Promise<void> {
	await sandbox.control('POST', '/clock', { now: at.toISOString(), frozen: true });
}

export interface HeldDelivery {
	headers: IncomingHttpHeaders;
	body: string;
}

/**
 * A webhook receiver that only keeps what it gets (answers 200), registered in the source as n8n's
 * trigger would be: its deliveries are the source's own (headers, bytes, signature), to be handed to
 * the trigger later with `deliverTo`.
 */
export class Mailbox {
	readonly held: HeldDelivery[] = [];
	private server?: Server;
	url = '';

	async open(sandbox: SandboxFixture, gym: Gym): Promise<void> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				this.held.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end('{}');
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/held`;
		if (gym.source === 'glofox') await sandbox.control('POST', '/glofox/webhooks', { url: this.url, secret: WEBHOOK_SECRET });
		else {
			const destinations = sandbox.running.state.teamup.destinations;
			const id = Math.max(0, ...destinations.keys()) + 1;
			destinations.set(id, { id, url: this.url, active: true });
		}
	}

	/** Stops receiving: removes itself from the source and closes. */
	async close(sandbox: SandboxFixture, gym: Gym): Promise<void> {
		if (gym.source === 'glofox') await sandbox.control('DELETE', `/glofox/webhooks?url=${encodeURIComponent(this.url)}`);
		else {
			const destinations = sandbox.running.state.teamup.destinations;
			for (const [id, destination] of destinations) if (destination.url === this.url) destinations.delete(id);
		}
		const server = this.server;
		this.server = undefined;
		if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Takes the deliveries held so far (oldest first). */
	take(): HeldDelivery[] {
		return this.held.splice(0);
	}
}

/** Hands a held delivery to the trigger as the source sent it; answers the trigger's status. */
export async function deliverTo(trigger: TriggerEndpoint, delivery: HeldDelivery): Promise<number> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	for (const name of ['teamup-webhook-id', 'signature']) {
		const value = delivery.headers[name];
		if (typeof value === 'string') headers[name] = value;
	}
	const response = await fetch(trigger.url, { method: 'POST', headers, body: delivery.body });
	await response.text();
	return response.status;
}

/** The execution hints of a node in a run (n8n keeps them in the run data). */
export function hintsOf(run: { runData: Record<string, Array<{ hints?: Array<{ message: string }> }>> }, node: string): string[] {
	return (run.runData[node]?.[0]?.hints ?? []).map((hint) => hint.message);
}
