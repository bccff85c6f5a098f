/**
 * The request plan of Access Profile → Get Many: a bounded number of list requests, never one
 * request per customer per field.
 *
 * | What | Request |
 * |---|---|
 * | time zone | `GET /venues` |
 * | plan types | `GET /memberships` (+ `GET /memberships/{id}` for a plan the list left out) |
 * | manual blocks | `GET /customer_registration_blocks?is_active=true` |
 * | payment blocks | `GET /invoices?status=failed,retry_failed,retrying&expand=line_items` (one list per status if TeamUp refuses the comma list) |
 * | sessions in the window | `GET /events?ends_at_gte=<now−back>&starts_at_lte=<now+ahead>` |
 * | customers | `GET /customers` (all), or `?ids=<≤100 ids>` when only some are wanted |
 * | memberships | `GET /customer_memberships?expand=payment_subscription,usage_summary` (all, or `customer=<ids>`) |
 * | registrations | `GET /attendances?event_starts_at_gte=<earliest start>&event_starts_at_lte=<now+ahead>&expand=waitlist_spot` (all, or `customer=<ids>`) |
 * | pack usage | `GET /customer_memberships/{id}/usage` only for active packs whose list entry has no `usage_summary` |
 * | courses (option) | `GET /course_sessions?ends_at_gte…&starts_at_lte…`, `GET /course_session_attendances?course_session_starts_at_gte…` |
 *
 * Every list is paged at 100 (TeamUp's maximum).
 */
import type { IDataObject } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import {
	businessZone,
	HOLDING_STATUSES,
	idOf,
	inRegistrationWindow,
	isoInstant,
	type Json,
	localDate,
	membershipStatus,
	membershipType,
	registrationStatus,
	type TeamUpData,
} from '../../profile/mapping';
import { chunks, idList, nextPageNumber, TEAMUP_MAX_PAGE_SIZE, teamUpErrorText, teamUpList } from '../../transport';

/** Ids per `customer=`/`ids=` filter: about 700 characters of query, far below URL limits. */
export const IDS_PER_REQUEST = 100;

/** Invoice statuses that block a membership (failed, or being retried). */
export const BLOCKING_INVOICE_STATUSES = ['failed', 'retry_failed', 'retrying'];

/**
 * Invoices that are failed or being retried, with their line items (deferred, so expanded).
 * Whether TeamUp's `status` filter takes a comma list is undocumented: one request with the list
 * is tried first; if TeamUp rejects it (400), one list per status.
 */
async function blockingInvoices(client: ApiClient, itemIndex: number): Promise<Json[]> {
	const qs: IDataObject = { status: BLOCKING_INVOICE_STATUSES.join(','), expand: 'line_items', page: 1, page_size: TEAMUP_MAX_PAGE_SIZE };
	const first = await client.request<IDataObject>({ method: 'GET', path: '/invoices', qs, itemIndex, expect: [400] });
	if (first.status !== 400) {
		const results = Array.isArray(first.body?.results) ? (first.body.results as Json[]) : [];
		const next = nextPageNumber(first.body?.next);
		if (next === undefined || next <= 1) return results;
		const rest = await teamUpList(client, '/invoices', { status: qs.status, expand: 'line_items' }, { itemIndex, startPage: next });
		return [...results, ...(rest as Json[])];
	}
	const lists = await Promise.all(
		BLOCKING_INVOICE_STATUSES.map(async (status) => await teamUpList(client, '/invoices', { status, expand: 'line_items' }, { itemIndex })),
	);
	return lists.flat() as Json[];
}

export interface FetchOptions {
	now: number;
	lookAheadHours: number;
	lookBackHours: number;
	includeInactive: boolean;
	/** Max customers; undefined = all. */
	limit?: number;
	includeCourses: boolean;
	fallbackZone: string;
	itemIndex: number;
}

export interface FetchResult {
	data: TeamUpData;
	warnings: string[];
}

function byId(list: Json[]): Map<string, Json> {
	const map = new Map<string, Json>();
	for (const entry of list) {
		const id = idOf(entry.id);
		if (id && !map.has(id)) map.set(id, entry);
	}
	return map;
}

/** Drops repeats (a list that shifted between pages). */
function unique(list: Json[]): Json[] {
	return [...byId(list).values()];
}

export async function fetchTeamUpData(client: ApiClient, options: FetchOptions): Promise<FetchResult> {
	const { itemIndex } = options;
	const list = async (path: string, qs: IDataObject = {}) => (await teamUpList(client, path, qs, { itemIndex })) as Json[];
	const from = new Date(options.now - options.lookBackHours * 3_600_000).toISOString();
	const to = new Date(options.now + options.lookAheadHours * 3_600_000).toISOString();
	const warnings: string[] = [];

	const [venues, plans, registrationBlocks, invoiceLists, events, courseSessions] = await Promise.all([
		list('/venues'),
		list('/memberships'),
		list('/customer_registration_blocks', { is_active: true }),
		blockingInvoices(client, itemIndex),
		list('/events', { ends_at_gte: from, starts_at_lte: to }),
		options.includeCourses ? list('/course_sessions', { ends_at_gte: from, starts_at_lte: to }) : Promise.resolve([] as Json[]),
	]);
	// Also filtered here, whatever the filters did.
	const invoices = unique(invoiceLists).filter((invoice) =>
		BLOCKING_INVOICE_STATUSES.includes(String(invoice.status ?? '').toLowerCase()),
	);
	const eventMap = byId(events);
	const sessionMap = byId(courseSessions);
	const window = { now: options.now, lookAheadHours: options.lookAheadHours, lookBackHours: options.lookBackHours };
	const earliestStart = (sessions: Json[]) => {
		const starts = sessions.map((s) => Date.parse(isoInstant(s.starts_at) ?? '')).filter((ms) => Number.isFinite(ms));
		return starts.length > 0 ? new Date(Math.min(...starts)).toISOString() : undefined;
	};
	const eventsFrom = earliestStart(events);
	const sessionsFrom = earliestStart(courseSessions);

	const attendancesFor = async (customers?: string[]) => {
		if (!eventsFrom) return [] as Json[];
		const qs: IDataObject = { event_starts_at_gte: eventsFrom, event_starts_at_lte: to, expand: 'waitlist_spot' };
		if (!customers) return await list('/attendances', qs);
		const pages = await Promise.all(chunks(customers, IDS_PER_REQUEST).map(async (ids) => await list('/attendances', { ...qs, customer: idList(ids) })));
		return pages.flat();
	};
	const courseAttendancesFor = async (customers?: string[]) => {
		if (!options.includeCourses || !sessionsFrom) return [] as Json[];
		const qs: IDataObject = { course_session_starts_at_gte: sessionsFrom, course_session_starts_at_lte: to };
		if (!customers) return await list('/course_session_attendances', qs);
		const pages = await Promise.all(
			chunks(customers, IDS_PER_REQUEST).map(async (ids) => await list('/course_session_attendances', { ...qs, customer: idList(ids) })),
		);
		return pages.flat();
	};
	const membershipsFor = async (customers?: string[]) => {
		const qs: IDataObject = { expand: 'payment_subscription,usage_summary' };
		if (!customers) return await list('/customer_memberships', qs);
		const pages = await Promise.all(
			chunks(customers, IDS_PER_REQUEST).map(async (ids) => await list('/customer_memberships', { ...qs, customer: idList(ids) })),
		);
		return pages.flat();
	};
	const customersByIds = async (ids: string[]) => {
		const pages = await Promise.all(chunks(ids, IDS_PER_REQUEST).map(async (batch) => await list('/customers', { ids: idList(batch) })));
		const found = byId(pages.flat());
		// Keep the order asked for.
		return ids.map((id) => found.get(id)).filter((customer): customer is Json => customer !== undefined);
	};

	let customers: Json[];
	let customerMemberships: Json[];
	let attendances: Json[];
	let courseAttendances: Json[];
	if (options.includeInactive) {
		customers = unique(
			(await teamUpList(client, '/customers', {}, { itemIndex, limit: options.limit })) as Json[],
		);
		// All customers: whole lists. Some: only theirs.
		const scope = options.limit === undefined ? undefined : customers.map((c) => idOf(c.id)!).filter(Boolean);
		if (scope && scope.length === 0) {
			customerMemberships = [];
			attendances = [];
			courseAttendances = [];
		} else {
			[customerMemberships, attendances, courseAttendances] = await Promise.all([
				membershipsFor(scope),
				attendancesFor(scope),
				courseAttendancesFor(scope),
			]);
		}
	} else {
		[customerMemberships, attendances, courseAttendances] = await Promise.all([
			membershipsFor(),
			attendancesFor(),
			courseAttendancesFor(),
		]);
		// Who matters: an active membership, or a place (or waitlist spot) in a session of the window.
		const relevant = new Set<string>();
		for (const cm of customerMemberships) {
			const customer = idOf(cm.customer);
			if (customer && membershipStatus(cm.status) === 'active') relevant.add(customer);
		}
		const holding = (attendance: Json, session: Json | undefined) => {
			const customer = idOf(attendance.customer);
			if (!customer || !session) return;
			const starts = Date.parse(isoInstant(session.starts_at) ?? '');
			const ends = Date.parse(isoInstant(session.ends_at) ?? '') || starts;
			if (!inRegistrationWindow(starts, ends, window)) return;
			if (HOLDING_STATUSES.has(registrationStatus(attendance, session))) relevant.add(customer);
		};
		for (const attendance of attendances) holding(attendance, eventMap.get(idOf(attendance.event) ?? ''));
		for (const attendance of courseAttendances) holding(attendance, sessionMap.get(idOf(attendance.course_session) ?? ''));
		let ids = [...relevant].sort((a, b) => Number(a) - Number(b));
		if (options.limit !== undefined) ids = ids.slice(0, options.limit);
		customers = ids.length > 0 ? await customersByIds(ids) : [];
		const wanted = new Set(ids);
		customerMemberships = customerMemberships.filter((cm) => wanted.has(idOf(cm.customer) ?? ''));
	}
	customerMemberships = unique(customerMemberships);
	attendances = unique(attendances);
	courseAttendances = unique(courseAttendances);

	// Pack usage: from the list's usage_summary when TeamUp expanded it, else one call per active pack.
	const usage = new Map<string, unknown>();
	const planMap = byId(plans);
	const listed = new Set(customers.map((c) => idOf(c.id)));
	// Plans the list left out (drafts, retired plans): read one by one, as there are few.
	const missingPlans = new Set<string>();
	for (const cm of customerMemberships) {
		const planId = typeof cm.membership === 'object' ? undefined : idOf(cm.membership);
		if (planId && !planMap.has(planId) && listed.has(idOf(cm.customer))) missingPlans.add(planId);
	}
	for (const planId of missingPlans) {
		const { status, body } = await client.request<Json>({ method: 'GET', path: `/memberships/${planId}`, itemIndex, expect: [404] });
		if (status !== 404 && body && typeof body === 'object') planMap.set(planId, body);
	}
	const packsWithoutUsage = customerMemberships.filter((cm) => {
		if (!listed.has(idOf(cm.customer))) return false;
		if (membershipStatus(cm.status) !== 'active') return false;
		if (cm.usage_summary !== undefined && cm.usage_summary !== null) return false;
		const plan = planMap.get(idOf(cm.membership) ?? '') ?? (typeof cm.membership === 'object' ? (cm.membership as Json) : undefined);
		return membershipType(plan?.type ?? cm.membership_type ?? cm.type) === 'pack';
	});
	if (packsWithoutUsage.length > 0) {
		const today = localDate(options.now, businessZone(venues, options.fallbackZone));
		for (const cm of packsWithoutUsage) {
			const id = idOf(cm.id)!;
			const { status, body } = await client.request({
				method: 'GET',
				path: `/customer_memberships/${id}/usage`,
				qs: { date: today },
				itemIndex,
				expect: [403],
			});
			if (status === 403) {
				// Usage needs the super admin permission. Without it, packs keep their TeamUp status
				// (a used-up pack is `completed`) but carry no remainingUses.
				warnings.push(
					`TeamUp refused to show pack usage (403${teamUpErrorText(body) ? `: ${teamUpErrorText(body)}` : ''}): give the token the super admin permission to get remainingUses for packs.`,
				);
				break;
			}
			usage.set(id, body);
		}
	}

	return {
		data: {
			customers,
			customerMemberships,
			plans: planMap,
			usage,
			registrationBlocks,
			invoices,
			events: eventMap,
			attendances,
			courseSessions: sessionMap,
			courseAttendances,
			venues,
		},
		warnings,
	};
}
