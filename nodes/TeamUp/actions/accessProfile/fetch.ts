/**
 * The request plan of Access Profile → Get Many: a bounded number of list requests, never one
 * request per customer per field.
 *
 * | What | Request |
 * |---|---|
 * | time zone | `GET /venues` |
 * | plan types | `GET /memberships` (+ `GET /memberships/{id}` for a plan the list left out) |
 * | manual blocks | `GET /customer_registration_blocks?is_active=true` |
 * | payment blocks | `GET /invoices?status=failed,retry_failed,retrying&expand=line_items,line_items.billed_item` (one list per status if TeamUp refuses the comma list; `expand=line_items` if it refuses the nested expansion) |
 * | sessions in the window | `GET /events?ends_at_gte=<now−back>&starts_at_lte=<now+ahead>` |
 * | customers | `GET /customers` (all), or `?ids=<≤100 ids>` when only some are wanted |
 * | For These People | `GET /customers?query=<e-mail>` per e-mail (exact matches kept), `GET /customers?ids=<ids>` for ids; then registration blocks, memberships and registrations with `customer=<their ids>`, never the whole customer list |
 * | memberships | `GET /customer_memberships?expand=payment_subscription,usage_summary` (all, or `customer=<ids>`); `usage_summary` is not in TeamUp's v2 reference: refused (400), the list is read with `expand=payment_subscription` |
 * | registrations | `GET /attendances?event_starts_at_gte=<earliest start>&event_starts_at_lte=<now+ahead>&expand=waitlist_spot` (all, or `customer=<ids>`) |
 * | pack usage | `GET /customer_memberships/{id}/usage` (documented) only for active packs whose list entry has no readable `usage_summary` |
 * | payers' families | `GET /customers?ids=<payers>` only when customers belong to families and a failed invoice's payer is not listed |
 * | courses (option) | `GET /course_sessions?ends_at_gte…&starts_at_lte…`, `GET /course_session_attendances?course_session_starts_at_gte…` |
 *
 * Every list is paged at 100 (TeamUp's maximum).
 */
import type { IDataObject } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/http';
import {
	HOLDING_STATUSES,
	idOf,
	inRegistrationWindow,
	isoInstant,
	type Json,
	localDate,
	membershipStatus,
	membershipType,
	registrationStatus,
	remainingUsesOf,
	requireBusinessZone,
	type TeamUpData,
} from '../../mapping/profile';
import { exactEmailMatches } from '../../mapping/checkIn';
import { chunks, idList, teamUpError, teamUpErrorText, teamUpList, teamUpListUnlessRefused } from '../../transport';

/** Ids per `customer=`/`ids=` filter: about 700 characters of query, far below URL limits. */
export const IDS_PER_REQUEST = 100;

/** Invoice statuses that block a membership (failed, or being retried). */
export const BLOCKING_INVOICE_STATUSES = ['failed', 'retry_failed', 'retrying'];

/** Line items are deferred (expanded); their billed item expanded gives its name and type. */
const INVOICE_EXPANSIONS = ['line_items,line_items.billed_item', 'line_items'];

/** Customer memberships with their payment subscription, and (undocumented, optional) pack usage. */
const MEMBERSHIP_EXPAND = 'payment_subscription,usage_summary';
const MEMBERSHIP_EXPAND_DOCUMENTED = 'payment_subscription';

/**
 * Invoices that are failed or being retried, with their line items. Whether TeamUp's `status`
 * filter takes a comma list is undocumented: one list with the comma list is tried first; if TeamUp
 * refuses it (400), one list per status. If TeamUp refuses the nested `line_items.billed_item`
 * expansion too, the same with `expand=line_items` (the billed items then come as ids).
 */
async function blockingInvoices(client: ApiClient, itemIndex: number): Promise<Json[]> {
	let refusal: { status: number; body: unknown } | undefined;
	for (const expand of INVOICE_EXPANSIONS) {
		const together = await teamUpListUnlessRefused(client, '/invoices', { status: BLOCKING_INVOICE_STATUSES.join(','), expand }, { itemIndex }, [400]);
		if (together.items) return together.items as Json[];
		const each = await Promise.all(
			BLOCKING_INVOICE_STATUSES.map(async (status) => await teamUpListUnlessRefused(client, '/invoices', { status, expand }, { itemIndex }, [400])),
		);
		const refused = each.find((answer) => answer.refused);
		if (!refused) return each.flatMap((answer) => answer.items ?? []) as Json[];
		refusal = refused.refused;
	}
	throw teamUpError(client, { method: 'GET', path: '/invoices', itemIndex }, refusal!.status, refusal!.body);
}

export interface FetchOptions {
	now: number;
	lookAheadHours: number;
	lookBackHours: number;
	includeInactive: boolean;
	/** Max customers; undefined = all. */
	limit?: number;
	includeCourses: boolean;
	itemIndex: number;
	/** For These People: only these customers (ids) and the customers with these e-mails. */
	people?: { ids: string[]; emails: string[] };
}

export interface FetchResult {
	data: TeamUpData;
	warnings: string[];
	/** For These People: the ids and e-mails TeamUp has no customer for. */
	notFound: string[];
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

	const [venues, plans, allRegistrationBlocks, invoiceLists, events, courseSessions] = await Promise.all([
		list('/venues'),
		list('/memberships'),
		// For These People: read below, for those people only.
		options.people ? Promise.resolve([] as Json[]) : list('/customer_registration_blocks', { is_active: true }),
		blockingInvoices(client, itemIndex),
		list('/events', { ends_at_gte: from, starts_at_lte: to }),
		options.includeCourses ? list('/course_sessions', { ends_at_gte: from, starts_at_lte: to }) : Promise.resolve([] as Json[]),
	]);
	// Membership dates are days in the venue's time zone: without one, stop before reading people.
	const zone = requireBusinessZone(venues);
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
	// `usage_summary` is not in TeamUp's v2 reference: the first list asks for it and, if TeamUp
	// refuses (400), that list and the others are read with the documented expansion only.
	let summaryRefused: { status: number; body: unknown } | undefined;
	const membershipsFor = async (customers?: string[]) => {
		if (customers && customers.length === 0) return [] as Json[];
		const batches: Array<string[] | undefined> = customers ? chunks(customers, IDS_PER_REQUEST) : [undefined];
		const read = async (batch: string[] | undefined, expand: string) =>
			await teamUpListUnlessRefused(
				client,
				'/customer_memberships',
				batch ? { expand, customer: idList(batch) } : { expand },
				{ itemIndex },
				expand === MEMBERSHIP_EXPAND ? [400] : [],
			);
		let expand = MEMBERSHIP_EXPAND;
		let first = await read(batches[0], expand);
		if (first.refused) {
			summaryRefused = first.refused;
			expand = MEMBERSHIP_EXPAND_DOCUMENTED;
			first = await read(batches[0], expand);
		}
		const rest = await Promise.all(batches.slice(1).map(async (batch) => await read(batch, expand)));
		return [first, ...rest].flatMap((answer) => (answer.items ?? []) as Json[]);
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
	let registrationBlocks = allRegistrationBlocks;
	const notFound: string[] = [];
	if (options.people) {
		// The customers asked for: by e-mail (TeamUp's `query` also matches names and parts of
		// addresses, so only exact matches count; several customers may share one e-mail), then by id.
		const byEmail = await Promise.all(
			options.people.emails.map(async (email) => exactEmailMatches(await list('/customers', { query: email }), email)),
		);
		options.people.emails.forEach((email, index) => {
			if (byEmail[index].length === 0) notFound.push(email);
		});
		const known = new Set(byEmail.flat().map((c) => idOf(c.id)));
		const wantedIds = options.people.ids.filter((id) => !known.has(id));
		const byIds = wantedIds.length > 0 ? await customersByIds(wantedIds) : [];
		const foundIds = new Set(byIds.map((c) => idOf(c.id)));
		notFound.push(...wantedIds.filter((id) => !foundIds.has(id)));
		customers = unique([...byIds, ...byEmail.flat()]);
		if (options.limit !== undefined) customers = customers.slice(0, options.limit);
		const scope = customers.map((c) => idOf(c.id)!).filter(Boolean);
		if (scope.length === 0) {
			[customerMemberships, attendances, courseAttendances, registrationBlocks] = [[], [], [], []];
		} else {
			[customerMemberships, attendances, courseAttendances, registrationBlocks] = await Promise.all([
				membershipsFor(scope),
				attendancesFor(scope),
				courseAttendancesFor(scope),
				Promise.all(
					chunks(scope, IDS_PER_REQUEST).map(async (ids) => await list('/customer_registration_blocks', { is_active: true, customer: idList(ids) })),
				).then((pages) => pages.flat()),
			]);
		}
	} else if (options.includeInactive) {
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

	// Plans the list left out (drafts, retired plans): read one by one, as there are few.
	const planMap = byId(plans);
	const listed = new Set(customers.map((c) => idOf(c.id)));
	const missingPlans = new Set<string>();
	for (const cm of customerMemberships) {
		const planId = typeof cm.membership === 'object' ? undefined : idOf(cm.membership);
		if (planId && !planMap.has(planId) && listed.has(idOf(cm.customer))) missingPlans.add(planId);
	}
	for (const planId of missingPlans) {
		const { status, body } = await client.request<Json>({ method: 'GET', path: `/memberships/${planId}`, itemIndex, expect: [404] });
		if (status !== 404 && body && typeof body === 'object') planMap.set(planId, body);
	}

	// Pack usage: from the list's usage_summary when TeamUp expanded it readably, else one
	// documented `/usage` call per active pack of a listed customer.
	const today = localDate(options.now, zone);
	const usage = new Map<string, unknown>();
	const packsWithoutUsage = customerMemberships.filter((cm) => {
		if (!listed.has(idOf(cm.customer))) return false;
		if (membershipStatus(cm.status) !== 'active') return false;
		const plan = planMap.get(idOf(cm.membership) ?? '') ?? (typeof cm.membership === 'object' ? (cm.membership as Json) : undefined);
		if (membershipType(plan?.type ?? cm.membership_type ?? cm.type) !== 'pack') return false;
		return remainingUsesOf(cm.usage_summary, today) === undefined;
	});
	if (packsWithoutUsage.length > 0) {
		const packs = `${packsWithoutUsage.length} active pack${packsWithoutUsage.length === 1 ? '' : 's'}`;
		warnings.push(
			summaryRefused
				? `TeamUp refused expand=usage_summary, which is not in its v2 reference (${summaryRefused.status}${teamUpErrorText(summaryRefused.body) ? `: ${teamUpErrorText(summaryRefused.body)}` : ''}): pack usage was read with GET /customer_memberships/{id}/usage instead (${packs}).`
				: `TeamUp's customer-membership list carried no usage_summary (an expansion its v2 reference does not document): pack usage was read with GET /customer_memberships/{id}/usage instead (${packs}).`,
		);
		const unread: string[] = [];
		for (const [index, cm] of packsWithoutUsage.entries()) {
			const id = idOf(cm.id)!;
			const { status, body } = await client.request({
				method: 'GET',
				path: `/customer_memberships/${id}/usage`,
				qs: { date: today },
				itemIndex,
				expect: [400, 403, 404],
			});
			if (status === 403) {
				// Usage needs the super admin permission. Without it, packs count on their TeamUp status
				// alone (a used-up pack is `completed`) and carry no remainingUses.
				unread.push(...packsWithoutUsage.slice(index).map((pack) => idOf(pack.id)!));
				warnings.push(
					`TeamUp refused to show pack usage (403${teamUpErrorText(body) ? `: ${teamUpErrorText(body)}` : ''}): give the token the super admin permission to get remainingUses for packs.`,
				);
				break;
			}
			if (status !== 400 && status !== 404) usage.set(id, body);
			if (remainingUsesOf(usage.get(id), today) === undefined) unread.push(id);
		}
		if (unread.length > 0) {
			warnings.push(
				`The usage of ${unread.length === 1 ? 'pack' : 'packs'} ${unread.slice(0, 10).join(', ')}${unread.length > 10 ? ` and ${unread.length - 10} more` : ''} is unknown: ${unread.length === 1 ? 'it counts' : 'they count'} as TeamUp's status says (only an active pack grants access; TeamUp marks a used-up pack completed), without remainingUses.`,
			);
		}
	}

	// The payers of failed invoices who are not listed, when families exist: a family manager pays
	// for the family's memberships.
	const families = customers.some((c) => idOf(c.family) !== null);
	const missingPayers = families
		? [...new Set(invoices.map((invoice) => idOf(invoice.payer)).filter((id): id is string => id !== null && !listed.has(id)))]
		: [];
	const payers = missingPayers.length > 0 ? await customersByIds(missingPayers) : [];

	return {
		data: {
			customers,
			customerMemberships,
			plans: planMap,
			usage,
			registrationBlocks,
			invoices,
			payers,
			events: eventMap,
			attendances,
			courseSessions: sessionMap,
			courseAttendances,
			venues,
		},
		warnings,
		notFound,
	};
}
