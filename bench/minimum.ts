/**
 * The fewest requests a sync could make, computed from the scenario alone (never from what the
 * pack did): every list the plan needs, read once at the API's maximum page size; the per-item
 * reads an API forces (no list carries the data); and one write per change.
 */
import type { ScenarioInput } from '../sandbox';
import { NOW_MS } from './config';

const HOUR = 3_600_000;
/** The templates' settings (source node defaults): 24 h look-ahead, 6 h look-back. */
const LOOK_AHEAD_H = 24;
const LOOK_BACK_H = 6;

export const PAGE = { glofox: 100, teamup: 100, kisiShares: 250, kisiGroups: 250 } as const;
/** Kisi refuses offsets above 20,000: one filter lists at most 20,000 + one page. */
export const KISI_REACHABLE = 20_000 + PAGE.kisiShares;

export interface Minimum {
	/** Pages of the lists the plan needs, at the maximum page size (at least one request per list). */
	listPages: number;
	/** Reads the API forces one by one (named in `forcedDetail`). */
	forced: number;
	forcedDetail: string;
	/** Details of the list pages. */
	listDetail: Record<string, number>;
}

const pages = (count: number, size: number) => Math.max(1, Math.ceil(count / size));

type Rec = Record<string, unknown>;

/** The branch's bookings whose class overlaps the look-back/look-ahead range (what the node reads). */
export function glofoxBookingsInWindow(scenario: ScenarioInput): Array<Rec & { user_id: string }> {
	const g = scenario.glofox as unknown as { bookings: Array<Rec & { user_id: string }>; events: Rec[] };
	const from = (NOW_MS - LOOK_BACK_H * HOUR) / 1000;
	const until = (NOW_MS + LOOK_AHEAD_H * HOUR) / 1000;
	const events = new Map(g.events.map((e) => [e._id, e as { time_start: number; duration: number }]));
	return g.bookings.filter((b) => {
		const e = events.get(b.event_id)!;
		const start = Number(b.time_start ?? e.time_start);
		const duration = Number(b.duration ?? e.duration);
		return start <= until && start + duration * 60 >= from;
	});
}

/**
 * Glofox: the member list and the branch's bookings in the look-back/look-ahead range (100 per
 * page); forced: the branch once (its time zone, needed to filter bookings in local time) and one
 * credit list per credit pack that could grant now (Glofox lists credits per member only).
 */
export function glofoxMinimum(scenario: ScenarioInput): Minimum {
	const g = scenario.glofox as unknown as { members: Rec[] };
	const nowSec = NOW_MS / 1000;
	const inWindow = glofoxBookingsInWindow(scenario).length;
	const packs = g.members.filter((m) => {
		const ms = m.membership as { type?: string; status?: string; start_date?: number | null; expiry_date?: number | null } | null;
		return (
			m.active !== false &&
			ms?.type === 'num_classes' &&
			(ms.status ?? 'ACTIVE') === 'ACTIVE' &&
			(ms.start_date == null || ms.start_date <= nowSec) &&
			(ms.expiry_date == null || ms.expiry_date > nowSec)
		);
	}).length;
	const listDetail = { members: pages(g.members.length, PAGE.glofox), bookings: pages(inWindow, PAGE.glofox) };
	return {
		listPages: listDetail.members + listDetail.bookings,
		forced: 1 + packs,
		forcedDetail: `1 branch + ${packs} credit lists`,
		listDetail,
	};
}

/**
 * TeamUp: one pass over each list a profile needs (100 per page, TeamUp's documented maximum):
 * venues, plans, active registration blocks, blocking invoices, events in the window, customers,
 * customer memberships, attendances of those events; forced: one `GET /customer_memberships/{id}/usage`
 * per active pack (no list in TeamUp's v2 reference carries a pack's uses left: the customer-membership
 * list documents no usage expansion, github.com/rob693/teamup-api-docs/blob/HEAD/customers/endpoints_customer-memberships-list.md).
 */
export function teamupMinimum(scenario: ScenarioInput): Minimum {
	const t = scenario.teamup as unknown as Record<string, Rec[]>;
	const from = NOW_MS - LOOK_BACK_H * HOUR;
	const to = NOW_MS + LOOK_AHEAD_H * HOUR;
	const windowEvents = t.events.filter((e) => Date.parse(String(e.ends_at)) >= from && Date.parse(String(e.starts_at)) <= to);
	const earliest = Math.min(...windowEvents.map((e) => Date.parse(String(e.starts_at))));
	const startOf = new Map(t.events.map((e) => [e.id, Date.parse(String(e.starts_at))]));
	const sizes: Record<string, number> = {
		venues: t.venues.length,
		memberships: t.memberships.length,
		registration_blocks: (t.customer_registration_blocks ?? []).filter((b) => b.is_active === true).length,
		invoices: (t.invoices ?? []).filter((i) => ['failed', 'retry_failed', 'retrying'].includes(String(i.status))).length,
		events: windowEvents.length,
		customers: t.customers.length,
		customer_memberships: t.customer_memberships.length,
		attendances: (t.attendances ?? []).filter((a) => {
			const start = startOf.get(a.event)!;
			return start >= earliest && start <= to;
		}).length,
	};
	const listDetail = Object.fromEntries(Object.entries(sizes).map(([name, size]) => [name, pages(size, PAGE.teamup)]));
	const packPlans = new Set(t.memberships.filter((m) => m.type === 'pack').map((m) => m.id));
	const activePacks = t.customer_memberships.filter((cm) => cm.status === 'active' && packPlans.has(cm.membership)).length;
	return {
		listPages: Object.values(listDetail).reduce((sum, n) => sum + n, 0),
		forced: activePacks,
		forcedDetail: `${activePacks} pack usage reads`,
		listDetail,
	};
}

export interface KisiMinimum extends Minimum {
	/** The share listing as the API allows it (offset cap): see {@link kisiMinimum}. */
	apiListPages: number;
	writes: number;
}

/**
 * Kisi, for a group holding `shares` shares before the run and `changes` changes to make:
 * the group found by name (one list page), the group's shares at 250 per page, one write per
 * change; forced: the key's own user (`GET /user`), without which "shares this key created" cannot
 * be told apart. `apiListPages` is the same with Kisi's offset cap: past 20,250 shares one filter
 * cannot list the group, so at least one probe page is spent learning the size before the listing
 * is split into filters of at most 20,250 shares each.
 */
export function kisiMinimum(shares: number, changes: number): KisiMinimum {
	const sharePages = pages(shares, PAGE.kisiShares);
	const probe = shares > KISI_REACHABLE ? 1 : 0;
	return {
		listPages: 1 + sharePages,
		apiListPages: 1 + sharePages + probe,
		forced: 1,
		forcedDetail: '1 own user',
		listDetail: { group: 1, shares: sharePages },
		writes: changes,
	};
}
