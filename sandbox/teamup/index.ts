/**
 * TeamUp API v2 (`/teamup/api/v2`): customers, memberships, customer memberships (+ usage), registration
 * blocks, invoices, events, attendances, venues, confirm attendance, check-ins. Behaviour follows
 * docs/reference/teamup-api.md; choices where TeamUp is silent are listed in sandbox/README.md.
 *
 * The store holds the state and its indexes; each resource's routes are in a module of their own
 * (`customers.ts`, `events.ts`, …), TeamUp's HTTP conventions in `http.ts`, its objects in `json.ts`.
 */
import type { Clock } from '../clock';
import type { Ctx, Route, ServiceApi } from '../service';
import { type HttpResult, ListCache, MultiIndex } from '../util';
import { attendanceRoutes } from './attendances';
import { checkinRoutes } from './checkins';
import { customerRoutes, registrationBlockRoutes } from './customers';
import { eventRoutes } from './events';
import { teamupError } from './http';
import { invoiceRoutes } from './invoices';
import { customerMembershipRoutes, membershipRoutes } from './memberships';
import type {
	Attendance,
	Block,
	Checkin,
	Customer,
	CustomerMembership,
	Destination,
	Event,
	Invoice,
	Membership,
	Rec,
	Subscription,
	TeamUpPrincipal,
	Usage,
	Venue,
} from './records';
import type { TeamUpScenario } from './schema';
import { venueRoutes } from './venues';
import { webhookDestinationRoutes } from './webhooks';

export { teamupError } from './http';
export { deliverChange } from './webhooks';
export type { TeamUpPrincipal } from './records';

export class TeamUpStore implements ServiceApi<TeamUpPrincipal> {
	readonly name = 'teamup' as const;
	readonly prefix = '/teamup/api/v2';
	readonly routes: Route<TeamUpPrincipal>[];

	tokens!: Set<string>;
	/** Undocumented calls this TeamUp offers (scenario `features`; off by default, as in TeamUp's v2 reference). */
	features!: { confirm_attendance: boolean; usage_summary: boolean };
	providerId!: number;
	provider: Rec | undefined;
	readonly venues = new Map<number, Venue>();
	readonly memberships = new Map<number, Membership>();
	readonly customers = new Map<number, Customer>();
	readonly customerMemberships = new Map<number, CustomerMembership>();
	readonly cmsByCustomer = new MultiIndex<number, CustomerMembership>();
	readonly usage = new Map<number, Usage>();
	readonly subscriptions = new Map<number, Subscription>();
	readonly blocks = new Map<number, Block>();
	readonly blocksByCustomer = new MultiIndex<number, Block>();
	readonly events = new Map<number, Event>();
	readonly eventTimes = new Map<number, { start: number; end: number }>();
	readonly attendances = new Map<number, Attendance>();
	readonly attendancesByCustomer = new MultiIndex<number, Attendance>();
	readonly attendancesByEvent = new MultiIndex<number, Attendance>();
	readonly invoices = new Map<number, Invoice>();
	readonly checkins = new Map<number, Checkin>();
	readonly destinations = new Map<number, Destination>();
	readonly cache = new ListCache();
	/** Feed items sent so far (their ids count up from 1). */
	feedItemCount = 0;

	constructor(
		t: TeamUpScenario | undefined,
		readonly clock: Clock,
	) {
		this.fill(t);
		this.routes = this.buildRoutes();
	}

	/** Loads a scenario section into the (empty) maps and indexes. */
	private fill(t: TeamUpScenario | undefined): void {
		const now = this.clock.nowIso();
		this.tokens = new Set(t?.tokens ?? []);
		this.features = { confirm_attendance: t?.features?.confirm_attendance === true, usage_summary: t?.features?.usage_summary === true };
		this.providerId = t?.provider_id ?? 1;
		this.provider = t?.provider;
		for (const v of t?.venues ?? []) this.venues.set(v.id, v);
		for (const m of t?.memberships ?? []) this.memberships.set(m.id, m);
		for (const c of t?.customers ?? []) this.customers.set(c.id, { ...c, created_at: c.created_at ?? now });
		for (const cm of t?.customer_memberships ?? []) {
			const rec = { ...cm, name: cm.name ?? this.memberships.get(cm.membership)?.name };
			this.customerMemberships.set(cm.id, rec);
			this.cmsByCustomer.add(cm.customer, rec);
		}
		for (const [id, u] of Object.entries(t?.customer_membership_usage ?? {})) this.usage.set(Number(id), u);
		for (const s of t?.payment_subscriptions ?? []) this.subscriptions.set(s.id, s);
		for (const b of t?.customer_registration_blocks ?? []) {
			const rec = { ...b, created_at: b.created_at ?? now };
			this.blocks.set(b.id, rec);
			this.blocksByCustomer.add(b.customer, rec);
		}
		for (const e of t?.events ?? []) {
			this.events.set(e.id, e);
			this.eventTimes.set(e.id, { start: Date.parse(e.starts_at), end: Date.parse(e.ends_at) });
		}
		for (const a of t?.attendances ?? []) this.addAttendance({ ...a });
		for (const i of t?.invoices ?? []) this.invoices.set(i.id, { ...i, created_at: i.created_at ?? now });
		for (const d of t?.webhook_destinations ?? []) this.destinations.set(d.id, { ...d, created_at: d.created_at ?? now });
		for (const c of t?.checkins ?? []) this.checkins.set(c.id, c);
	}

	/**
	 * Replaces every record with those of a (checked) scenario section, keeping this instance (the
	 * server's routes are bound to it): how `POST /__sandbox/change` applies a change.
	 */
	replaceData(t: TeamUpScenario): void {
		for (const map of [
			this.venues,
			this.memberships,
			this.customers,
			this.customerMemberships,
			this.usage,
			this.subscriptions,
			this.blocks,
			this.events,
			this.eventTimes,
			this.attendances,
			this.invoices,
			this.destinations,
			this.checkins,
		] as Array<Map<number, unknown>>)
			map.clear();
		for (const index of [this.cmsByCustomer, this.blocksByCustomer, this.attendancesByCustomer, this.attendancesByEvent] as Array<MultiIndex<number, unknown>>)
			index.clear();
		this.fill(t);
		this.cache.bump();
	}

	addAttendance(a: Attendance): void {
		this.attendances.set(a.id, a);
		this.attendancesByCustomer.add(a.customer, a);
		this.attendancesByEvent.add(a.event, a);
	}

	toScenario(): TeamUpScenario {
		const usage: TeamUpScenario['customer_membership_usage'] = {};
		for (const [id, u] of this.usage) usage[String(id)] = u;
		const features = Object.fromEntries(Object.entries(this.features).filter(([, on]) => on));
		return {
			tokens: [...this.tokens],
			...(Object.keys(features).length > 0 ? { features } : {}),
			provider_id: this.providerId,
			provider: this.provider,
			venues: [...this.venues.values()],
			memberships: [...this.memberships.values()],
			customers: [...this.customers.values()],
			customer_memberships: [...this.customerMemberships.values()],
			customer_membership_usage: usage,
			payment_subscriptions: [...this.subscriptions.values()],
			customer_registration_blocks: [...this.blocks.values()],
			events: [...this.events.values()],
			attendances: [...this.attendances.values()],
			invoices: [...this.invoices.values()],
			webhook_destinations: [...this.destinations.values()],
			checkins: [...this.checkins.values()],
		};
	}

	// ------------------------------------------------------------------------------------------
	// ServiceApi

	private tokenFrom(ctx: Ctx<unknown>): string | undefined {
		const m = /^(Token|Bearer)\s+(\S+)\s*$/i.exec(String(ctx.headers.authorization ?? ''));
		return m ? m[2] : undefined;
	}
	rateKey(ctx: Ctx<undefined>): string {
		const token = this.tokenFrom(ctx);
		return token ? `token:${token}` : `ip:${ctx.ip}`;
	}
	authenticate(ctx: Ctx<undefined>): { principal: TeamUpPrincipal } | HttpResult {
		if (!ctx.headers.authorization)
			return teamupError(401, { message: 'Authentication credentials were not provided.' });
		const token = this.tokenFrom(ctx);
		if (!token || !this.tokens.has(token)) return teamupError(401, { message: 'Invalid token.' });
		const provider = ctx.headers['teamup-provider-id'];
		if (provider !== undefined) {
			const value = String(provider).trim();
			if (!/^\d+$/.test(value))
				return teamupError(400, { code: 'provider_header_invalid', message: 'The TeamUp-Provider-ID header must be an integer.' });
			if (Number(value) !== this.providerId)
				return teamupError(403, { code: 'provider_invalid', message: 'You do not have access to this provider.' });
		}
		const mode = ctx.headers['teamup-request-mode'];
		if (mode !== undefined && String(mode).trim().toLowerCase() !== 'provider')
			return teamupError(403, { code: 'mode_not_allowed', message: 'These credentials can only be used in provider mode.' });
		return { principal: { token } };
	}
	errorResult(status: number, message?: string): HttpResult {
		return teamupError(status, message ? { message } : {});
	}
	rateLimited(): HttpResult {
		return teamupError(429);
	}
	routeNotFound(): HttpResult {
		return teamupError(404);
	}

	/** The routes, in the order the server registers them (one module per resource). */
	private buildRoutes(): Route<TeamUpPrincipal>[] {
		return [
			...customerRoutes(this),
			...membershipRoutes(this),
			...customerMembershipRoutes(this),
			...registrationBlockRoutes(this),
			...invoiceRoutes(this),
			...venueRoutes(this),
			...eventRoutes(this),
			...attendanceRoutes(this),
			...checkinRoutes(this),
			...webhookDestinationRoutes(this),
		];
	}
}
