/**
 * The demo gym: ~40 people covering every access rule on both TeamUp and Glofox (same people and
 * emails where sensible), plus the Kisi organization the syncs write to. Everything is relative to
 * `now`; `demo.json` is the output for DEMO_NOW (regenerate: `npm run sandbox -- --write-demo`, or
 * `tsx sandbox/cli.ts --write-demo`).
 *
 * `demoExpectations(now)` lists, per email and source, the outcome the rules of
 * docs/spec/access-rules.md give with the default parameters (memberships on, registrations on,
 * 60/60 minutes, look-ahead 24 h, duplicates merged, waitlist not counted).
 */
import { DateTime } from 'luxon';
import type { ScenarioInput } from '../scenario';
import { hexId } from '../util';
import { DEMO_CREDENTIALS, DEMO_TIME_ZONE, demoKisiOrganization } from './demoOrganization';
import type { DemoOutcome, DemoRow } from './demoTable';

export { DEMO_CREDENTIALS, DEMO_KISI, DEMO_NOW, DEMO_TIME_ZONE } from './demoOrganization';
export { type DemoOutcome, type DemoRow, demoTableMarkdown } from './demoTable';

type Rec = Record<string, unknown>;

export function buildDemoScenario(now: Date): ScenarioInput {
	return buildDemo(now).scenario;
}

export function demoExpectations(now: Date): DemoRow[] {
	return buildDemo(now).rows;
}

function buildDemo(now: Date): { scenario: ScenarioInput; rows: DemoRow[] } {
	const N = now.getTime();
	const today = DateTime.fromMillis(N, { zone: DEMO_TIME_ZONE }).startOf('day');
	/** Local midnight `n` days from today. */
	const day = (n: number) => today.plus({ days: n });
	const date = (n: number) => day(n).toISODate()!;
	const mid = (n: number) => Math.round(day(n).toSeconds());
	const midIso = (n: number) => day(n).toUTC().toISO()!;
	const isoMin = (min: number) => new Date(N + min * 60_000).toISOString();
	const tuIso = (min: number) => isoMin(min).replace('.000Z', 'Z');
	const sec = (min: number) => Math.floor((N + min * 60_000) / 1000);
	const daysAgoIso = (d: number) => isoMin(-d * 1440);
	const B = DEMO_CREDENTIALS.glofox.branchId;
	const NS = DEMO_CREDENTIALS.glofox.namespace;
	const gid = (label: string) => hexId(`demo:${label}`);

	// --- Classes: minutes from now and duration ------------------------------------------------
	interface Cls {
		key: string;
		name: string;
		at: number;
		minutes: number;
		tuId: number;
		offeringType: number;
		appointment?: boolean;
		gfType?: 'event' | 'course' | 'timeslot' | null;
		private?: boolean;
	}
	const classes: Cls[] = [
		{ key: 'hiit', name: 'Lunch HIIT', at: -120, minutes: 45, tuId: 5550001, offeringType: 71 },
		{ key: 'core', name: 'Core Blast', at: -90, minutes: 45, tuId: 5550002, offeringType: 71 },
		{ key: 'stretch', name: 'Lunchtime Stretch', at: -30, minutes: 60, tuId: 5550003, offeringType: 72 },
		{ key: 'yoga', name: 'Afternoon Yoga', at: 45, minutes: 60, tuId: 5550004, offeringType: 72 },
		{ key: 'pt', name: 'Personal Training', at: 120, minutes: 60, tuId: 5550005, offeringType: 80, appointment: true, gfType: 'timeslot' },
		{ key: 'spin', name: 'Evening Spin', at: 270, minutes: 60, tuId: 5550006, offeringType: 73 },
		{ key: 'pilates', name: 'Morning Pilates', at: 1020, minutes: 60, tuId: 5550007, offeringType: 72 },
		{ key: 'bootcamp', name: 'Weekend Bootcamp', at: 3 * 1440 - 300, minutes: 60, tuId: 5550008, offeringType: 71 },
		{ key: 'course', name: 'Beginners Strength Course', at: 1440 + 240, minutes: 90, tuId: 0, offeringType: 0, gfType: 'course' },
		{ key: 'stafftraining', name: 'Staff Training', at: 1440, minutes: 60, tuId: 0, offeringType: 0, private: true },
	];
	const cls = (key: string) => classes.find((c) => c.key === key)!;
	const regWindow = (key: string) => {
		const c = cls(key);
		return { from: isoMin(c.at - 60), until: isoMin(c.at + c.minutes + 60), startsMin: c.at - 60 };
	};

	// --- Scenario collections ------------------------------------------------------------------
	const tu = {
		customers: [] as Rec[],
		customer_memberships: [] as Rec[],
		customer_membership_usage: {} as Record<string, Rec>,
		payment_subscriptions: [] as Rec[],
		customer_registration_blocks: [] as Rec[],
		attendances: [] as Rec[],
		invoices: [] as Rec[],
	};
	const gf = { members: [] as Rec[], credits: [] as Rec[], bookings: [] as Rec[] };
	const rows: DemoRow[] = [];
	let customerId = 812300;
	let cmId = 990;
	let attendanceId = 7000;
	let subId = 8000;
	let invoiceId = 6000;

	const TU_PLANS = { unlimited: 4401, pack10: 4402, pack5: 4403, prepaid3: 4404, premium: 4406 };
	/** Name, price and invoice line-item type of each plan. */
	const TU_PLAN_INFO: Record<keyof typeof TU_PLANS, { name: string; price: number; lineItem: string }> = {
		unlimited: { name: 'Unlimited Monthly', price: 60, lineItem: 'recurring_plan_membership' },
		pack10: { name: '10 Class Pack', price: 90, lineItem: 'pack_membership' },
		pack5: { name: '5 Class Pack', price: 50, lineItem: 'pack_membership' },
		prepaid3: { name: '3 Month Prepaid', price: 150, lineItem: 'prepaid_plan_membership' },
		premium: { name: 'Premium', price: 90, lineItem: 'recurring_plan_membership' },
	};
	/** TeamUp plans billed every month (a renewal date and a payment subscription). */
	const RECURRING = new Set<keyof typeof TU_PLANS>(['unlimited', 'premium']);
	const GF_CAT = {
		unlimited: { id: gid('membership:unlimited'), code: 1001 },
		pack10: { id: gid('membership:classpack'), code: 2001 },
		pack5: { id: gid('membership:classpack'), code: 2002 },
		eight: { id: gid('membership:eight'), code: 3001 },
	};

	interface TuMs {
		plan: keyof typeof TU_PLANS;
		status: 'active' | 'hold' | 'completed' | 'cancelled';
		start: number;
		exp: number | null;
		usage?: [number, number];
		hold?: [number, number];
		retry?: number;
		invoice?: 'failed' | 'retrying' | 'paid';
		cancellation?: string;
	}
	interface Reg {
		cls: string;
		status: 'registered' | 'attended' | 'no_show' | 'late_cancelled' | 'waitlisted';
		withMembership?: boolean;
	}
	const addTu = (first: string, last: string, email: string | null, ms: TuMs[], regs: Reg[], extra: Rec = {}): number => {
		const id = ++customerId;
		tu.customers.push({ id, first_name: first, last_name: last, email, created_at: daysAgoIso(400 - (id - 812300) * 7), ...extra });
		let lastCm: number | null = null;
		for (const m of ms) {
			const cm: Rec = {
				id: ++cmId,
				customer: id,
				membership: TU_PLANS[m.plan],
				status: m.status,
				start_date: date(m.start),
				expiration_date: m.exp === null ? null : date(m.exp),
			};
			lastCm = cm.id as number;
			if (RECURRING.has(m.plan)) cm.renewal_date = date(m.start + 30 * Math.ceil((1 - m.start) / 30));
			if (m.hold) cm.active_hold = { id: cmId + 3000, start_date: date(m.hold[0]), end_date: date(m.hold[1]) };
			if (m.cancellation) cm.cancellation_reason = m.cancellation;
			if (m.retry !== undefined || RECURRING.has(m.plan)) {
				const sid = ++subId;
				tu.payment_subscriptions.push({ id: sid, retry_count: m.retry ?? 0, start_date: date(m.start), end_date: null });
				cm.payment_subscription = sid;
			}
			if (m.usage) tu.customer_membership_usage[String(cm.id)] = { max_uses: m.usage[0], used_count: m.usage[1], remaining_count: m.usage[0] - m.usage[1] };
			if (m.invoice) {
				// As TeamUp's invoice list shows it: the payer and, per line item, the billed item and the
				// kind of membership billed; nothing names the customer membership.
				const plan = TU_PLAN_INFO[m.plan];
				tu.invoices.push({
					id: ++invoiceId,
					status: m.invoice,
					payer: id,
					due_date: date(m.invoice === 'paid' ? -28 : -3),
					created_at: daysAgoIso(m.invoice === 'paid' ? 30 : 5),
					total_amount_due: plan.price,
					line_items: [
						{
							type: plan.lineItem,
							billed_item: { id: invoiceId + 90000, name: plan.name, type: 'billed_membership' },
							price: plan.price,
							total_amount_due: plan.price,
						},
					],
				});
			}
			tu.customer_memberships.push(cm);
		}
		for (const r of regs) {
			const c = cls(r.cls);
			const a: Rec = {
				id: ++attendanceId,
				customer: id,
				event: c.tuId,
				status: r.status === 'waitlisted' ? 'not_registered' : r.status,
				customer_membership: r.withMembership ? lastCm : null,
			};
			if (r.status === 'waitlisted') a.waitlist_spot = { id: attendanceId + 20000, status: 'on_waitlist', added_at: daysAgoIso(1) };
			tu.attendances.push(a);
		}
		return id;
	};

	interface GfMs {
		cat?: keyof typeof GF_CAT;
		type: 'payg' | 'time' | 'time_classes' | 'num_classes';
		status: 'FUTURE' | 'ACTIVE' | 'LOCKED' | 'PAUSED' | 'EXPIRED' | 'CANCELLED';
		start: number;
		expiry?: number | null;
	}
	const addGf = (
		key: string,
		first: string,
		last: string,
		email: string | null,
		ms: GfMs | null,
		bookings: { cls: string; status: 'BOOKED' | 'WAITING' | 'CANCELED'; attended?: boolean; credit?: string; late?: boolean }[],
		extra: Rec = {},
	): string => {
		const id = gid(`member:${key}`);
		let membership: Rec | null = null;
		if (ms) {
			membership = { type: ms.type, status: ms.status, start_date: mid(ms.start), user_membership_id: gid(`user-membership:${key}`) };
			if (ms.type !== 'payg') {
				const cat = GF_CAT[ms.cat!];
				Object.assign(membership, { expiry_date: ms.expiry == null ? null : mid(ms.expiry), plan_code: cat.code });
			}
		}
		const created = sec(-(300 + gf.members.length * 5) * 1440);
		gf.members.push({ _id: id, first_name: first, last_name: last, email, active: true, membership, created, modified: sec(-2 * 1440), ...extra });
		for (const b of bookings) {
			const c = cls(b.cls);
			const rec: Rec = {
				_id: gid(`booking:${key}:${b.cls}`),
				user_id: id,
				event_id: gid(`event:${b.cls}`),
				status: b.status,
				attended: b.attended ?? false,
				guest_bookings: 0,
				created: sec(c.at - 2 * 1440),
				modified: sec(b.attended ? c.at + 5 : c.at - 2 * 1440),
			};
			if (b.credit) rec.metadata = { service: { type: 'credit', id: b.credit } };
			if (b.status === 'CANCELED') {
				rec.canceled_at = sec(c.at - 3 * 60);
				rec.is_late_cancellation = b.late ?? false;
				rec.modified = sec(c.at - 3 * 60);
			}
			gf.bookings.push(rec);
		}
		return id;
	};
	const addCredit = (key: string, member: string, numSessions: number, available: number, start: number, end: number | null, active = true): string => {
		const id = gid(`credit:${key}`);
		gf.credits.push({
			_id: id,
			branch_id: B,
			namespace: NS,
			user_id: member,
			active,
			model: 'programs',
			category_id: null,
			model_ids: null,
			num_sessions: numSessions,
			available,
			start_date: mid(start),
			end_date: end === null ? null : mid(end),
			membership_id: GF_CAT.pack10.id,
			membership_name: 'Class Pack',
			created: mid(start),
			modified: sec(-1440),
		});
		return id;
	};

	// Outcome helpers
	const tuMs = (start: number, exp: number | null): Pick<DemoOutcome, 'validFrom' | 'validUntil'> => ({
		validFrom: midIso(start),
		validUntil: exp === null ? null : midIso(exp + 1),
	});
	const gfMs = (start: number, expiry: number | null): Pick<DemoOutcome, 'validFrom' | 'validUntil'> => ({
		validFrom: midIso(start),
		validUntil: expiry === null ? null : midIso(expiry),
	});
	const allowNow = (w: Pick<DemoOutcome, 'validFrom' | 'validUntil'>, basis: DemoOutcome['basis'], duplicate?: boolean): DemoOutcome => ({
		access: 'allow',
		activeNow: true,
		...w,
		basis,
		...(duplicate ? { duplicate } : {}),
	});
	const deny = (...denials: string[]): DemoOutcome => ({ access: 'deny', activeNow: false, validFrom: null, validUntil: null, denials });
	const reg = (key: string, activeNow: boolean): DemoOutcome => {
		const w = regWindow(key);
		return { access: 'allow', activeNow, validFrom: w.from, validUntil: w.until, basis: ['registration'] };
	};
	const row = (email: string | null, names: string[], state: string, teamup: DemoOutcome | null, glofox: DemoOutcome | null, tuIds: number[], gfIds: string[]) =>
		rows.push({ email: email === null ? null : email.trim().toLowerCase(), names, state, teamup, glofox, teamupCustomerIds: tuIds, glofoxMemberIds: gfIds });

	// --- People ---------------------------------------------------------------------------------
	{
		const e = 'ana.ruiz@example.com';
		const t = addTu('Ana', 'Ruiz', e, [{ plan: 'unlimited', status: 'active', start: -180, exp: null, invoice: 'paid' }], []);
		const g = addGf('ana', 'Ana', 'Ruiz', e, { cat: 'unlimited', type: 'time', status: 'ACTIVE', start: -180, expiry: 30 }, []);
		row(e, ['Ana Ruiz'], 'Active recurring membership (Kisi user with a share made by the API key)', allowNow(tuMs(-180, null), ['membership']), allowNow(gfMs(-180, 30), ['membership']), [t], [g]);
	}
	{
		const e = 'ben.okafor@example.com';
		const t = addTu('Ben', 'Okafor', e, [{ plan: 'unlimited', status: 'active', start: -90, exp: null }], [{ cls: 'yoga', status: 'registered', withMembership: true }]);
		tu.customer_registration_blocks.push({ id: 4001, customer: t, is_active: false, created_at: daysAgoIso(40), deactivated_at: daysAgoIso(10) });
		const g = addGf('ben', 'Ben', 'Okafor', e, { cat: 'unlimited', type: 'time', status: 'ACTIVE', start: -90, expiry: 30 }, [{ cls: 'yoga', status: 'BOOKED' }]);
		row(e, ['Ben Okafor'], 'Active recurring + registered for Afternoon Yoga (in 45 min); an old, deactivated registration block', allowNow(tuMs(-90, null), ['membership', 'registration']), allowNow(gfMs(-90, 30), ['membership', 'registration']), [t], [g]);
	}
	{
		const e = 'carla.mendes@example.com';
		const t = addTu('Carla', 'Mendes', e, [{ plan: 'unlimited', status: 'hold', start: -200, exp: null, hold: [-10, 20] }], []);
		const g = addGf('carla', 'Carla', 'Mendes', e, { cat: 'unlimited', type: 'time', status: 'PAUSED', start: -200, expiry: 20 }, []);
		row(e, ['Carla Mendes'], 'Membership on hold (TeamUp `hold`) / paused (Glofox `PAUSED`)', deny('MEMBERSHIP_ON_HOLD'), deny('MEMBERSHIP_ON_HOLD'), [t], [g]);
	}
	{
		const e = 'dan.whitfield@example.com';
		const t = addTu('Dan', 'Whitfield', e, [{ plan: 'prepaid3', status: 'completed', start: -92, exp: -2 }], []);
		const g = addGf('dan', 'Dan', 'Whitfield', e, { cat: 'unlimited', type: 'time', status: 'EXPIRED', start: -400, expiry: -1 }, []);
		row(e, ['Dan Whitfield'], 'Expired (TeamUp `completed` prepaid, Glofox `EXPIRED`); still has a Kisi share made by the API key: loses access', deny('MEMBERSHIP_EXPIRED'), deny('MEMBERSHIP_EXPIRED'), [t], [g]);
	}
	{
		const e = 'eva.novak@example.com';
		const t = addTu('Eva', 'Novak', e, [{ plan: 'unlimited', status: 'cancelled', start: -300, exp: -10, cancellation: 'cancelled' }], []);
		const g = addGf('eva', 'Eva', 'Novak', e, { cat: 'unlimited', type: 'time', status: 'CANCELLED', start: -300, expiry: -10 }, []);
		row(e, ['Eva Novak'], 'Cancelled membership', deny('MEMBERSHIP_CANCELLED'), deny('MEMBERSHIP_CANCELLED'), [t], [g]);
	}
	{
		const e = 'felix.braun@example.com';
		const t = addTu('Felix', 'Braun', e, [{ plan: 'prepaid3', status: 'active', start: 7, exp: 97 }], []);
		const g = addGf('felix', 'Felix', 'Braun', e, { cat: 'unlimited', type: 'time', status: 'FUTURE', start: 7, expiry: 37 }, []);
		row(e, ['Felix Braun'], 'Membership starts in 7 days (TeamUp `active` with a future start date, Glofox `FUTURE`)', deny('MEMBERSHIP_NOT_STARTED'), deny('MEMBERSHIP_NOT_STARTED'), [t], [g]);
	}
	{
		const e = 'fiona.gallagher@example.com';
		const t = addTu('Fiona', 'Gallagher', e, [{ plan: 'unlimited', status: 'active', start: 1, exp: null }], []);
		row(e, ['Fiona Gallagher'], 'TeamUp only: membership starts tomorrow (local midnight, within the 24 h look-ahead): scheduled access', { access: 'allow', activeNow: false, ...tuMs(1, null), basis: ['membership'] }, null, [t], []);
	}
	{
		const e = 'gus.ferreira@example.com';
		const t = addTu('Gus', 'Ferreira', e, [{ plan: 'pack10', status: 'completed', start: -60, exp: 30, usage: [10, 10] }], []);
		const g = addGf('gus', 'Gus', 'Ferreira', e, { cat: 'pack10', type: 'num_classes', status: 'ACTIVE', start: -60, expiry: 30 }, []);
		addCredit('gus', g, 10, 0, -60, 30);
		row(e, ['Gus Ferreira'], 'Used-up pack (TeamUp `completed` pack, 0 of 10 left; Glofox num_classes with 0 credits available)', deny('PACK_USED_UP'), deny('PACK_USED_UP'), [t], [g]);
	}
	{
		const e = 'hana.sato@example.com';
		const t = addTu('Hana', 'Sato', e, [{ plan: 'pack5', status: 'active', start: -20, exp: 70, usage: [5, 4] }], []);
		const g = addGf('hana', 'Hana', 'Sato', e, { cat: 'pack5', type: 'num_classes', status: 'ACTIVE', start: -20, expiry: 70 }, []);
		addCredit('hana', g, 5, 1, -20, 70);
		row(e, ['Hana Sato'], 'Pack with 1 use left', allowNow(tuMs(-20, 70), ['membership']), allowNow(gfMs(-20, 70), ['membership']), [t], [g]);
	}
	{
		const e = 'ivan.petrov@example.com';
		const t = addTu('Ivan', 'Petrov', e, [{ plan: 'unlimited', status: 'active', start: -150, exp: null, invoice: 'failed' }], []);
		const g = addGf('ivan', 'Ivan', 'Petrov', e, { cat: 'unlimited', type: 'time', status: 'LOCKED', start: -150, expiry: 15 }, []);
		row(e, ['Ivan Petrov'], 'Failed payment (TeamUp invoice `failed` for the membership; Glofox `LOCKED`)', deny('MEMBERSHIP_BLOCKED'), deny('MEMBERSHIP_BLOCKED'), [t], [g]);
	}
	{
		const e = 'jade.thompson@example.com';
		const t = addTu('Jade', 'Thompson', e, [{ plan: 'unlimited', status: 'active', start: -120, exp: null, retry: 2, invoice: 'retrying' }], []);
		const g = addGf('jade', 'Jade', 'Thompson', e, { cat: 'unlimited', type: 'time', status: 'LOCKED', start: -120, expiry: 10 }, []);
		row(e, ['Jade Thompson'], 'Retrying payment (TeamUp invoice `retrying`, payment_subscription.retry_count 2; Glofox `LOCKED`)', deny('MEMBERSHIP_BLOCKED'), deny('MEMBERSHIP_BLOCKED'), [t], [g]);
	}
	{
		const e = 'kai.nakamura@example.com';
		const t = addTu('Kai', 'Nakamura', e, [{ plan: 'unlimited', status: 'active', start: -60, exp: null }], []);
		tu.customer_registration_blocks.push({ id: 4002, customer: t, is_active: true, created_at: daysAgoIso(5), deactivated_at: null });
		const g = addGf('kai', 'Kai', 'Nakamura', e, { cat: 'unlimited', type: 'time', status: 'LOCKED', start: -60, expiry: 5 }, []);
		row(e, ['Kai Nakamura'], 'Active registration block (TeamUp customer_registration_blocks is_active) / Glofox `LOCKED`', deny('MEMBERSHIP_BLOCKED'), deny('MEMBERSHIP_BLOCKED'), [t], [g]);
	}
	{
		const e = 'lena.fischer@example.com';
		const t = addTu('Lena', 'Fischer', e, [], [{ cls: 'yoga', status: 'registered' }]);
		const g = addGf('lena', 'Lena', 'Fischer', e, { type: 'payg', status: 'ACTIVE', start: -40 }, [{ cls: 'yoga', status: 'BOOKED' }]);
		row(e, ['Lena Fischer'], 'PAYG / drop-in with a booking in 45 minutes (Afternoon Yoga): access from 60 min before start', reg('yoga', true), reg('yoga', true), [t], [g]);
	}
	{
		const e = 'milo.costa@example.com';
		const t = addTu('Milo', 'Costa', e, [], [{ cls: 'pilates', status: 'registered' }]);
		const g = addGf('milo', 'Milo', 'Costa', e, { type: 'payg', status: 'ACTIVE', start: -50 }, [{ cls: 'pilates', status: 'BOOKED' }]);
		row(e, ['Milo Costa'], 'PAYG with a booking tomorrow morning (Morning Pilates, 17 h from now): scheduled access', reg('pilates', false), reg('pilates', false), [t], [g]);
	}
	{
		const e = 'nina.kowalski@example.com';
		const t = addTu('Nina', 'Kowalski', e, [], [{ cls: 'hiit', status: 'attended' }]);
		const g = addGf('nina', 'Nina', 'Kowalski', e, { type: 'payg', status: 'ACTIVE', start: -60 }, [{ cls: 'hiit', status: 'BOOKED', attended: true }]);
		row(e, ['Nina Kowalski'], 'PAYG whose class window has just ended (Lunch HIIT ended 75 min ago; window closed 15 min ago; attended)', deny('REGISTRATION_ENDED'), deny('REGISTRATION_ENDED'), [t], [g]);
	}
	{
		const e = 'omar.haddad@example.com';
		const t = addTu('Omar', 'Haddad', e, [], [{ cls: 'spin', status: 'waitlisted' }]);
		const g = addGf('omar', 'Omar', 'Haddad', e, { type: 'payg', status: 'ACTIVE', start: -70 }, [{ cls: 'spin', status: 'WAITING' }]);
		row(e, ['Omar Haddad'], 'PAYG on the waitlist for Evening Spin (TeamUp `not_registered` + waitlist_spot `on_waitlist`; Glofox `WAITING`); waitlist not counted by default', deny('NO_ACTIVE_MEMBERSHIP'), deny('PAYG_NEEDS_REGISTRATION'), [t], [g]);
	}
	{
		const e = 'pia.larsen@example.com';
		const t = addTu('Pia', 'Larsen', e, [], [{ cls: 'yoga', status: 'late_cancelled' }]);
		const g = addGf('pia', 'Pia', 'Larsen', e, { type: 'payg', status: 'ACTIVE', start: -80 }, [{ cls: 'yoga', status: 'CANCELED', late: true }]);
		row(e, ['Pia Larsen'], 'PAYG who late-cancelled Afternoon Yoga (Glofox `CANCELED`, is_late_cancellation)', deny('REGISTRATION_CANCELLED'), deny('REGISTRATION_CANCELLED'), [t], [g]);
	}
	{
		const e = 'quinn.murphy@example.com';
		const t = addTu('Quinn', 'Murphy', e, [], [{ cls: 'core', status: 'no_show' }]);
		const g = addGf('quinn', 'Quinn', 'Murphy', e, { type: 'payg', status: 'ACTIVE', start: -90 }, [{ cls: 'bootcamp', status: 'BOOKED' }]);
		row(e, ['Quinn Murphy'], 'TeamUp: no-show for Core Blast (window still open). Glofox (no no-show state): PAYG booked only for Weekend Bootcamp in ~3 days', deny('REGISTRATION_NO_SHOW'), deny('REGISTRATION_TOO_FAR_AHEAD'), [t], [g]);
	}
	{
		const e = 'rosa.almeida@example.com';
		const t = addTu('Rosa', 'Almeida', e, [{ plan: 'pack10', status: 'active', start: -30, exp: 60, usage: [10, 7] }], [
			{ cls: 'spin', status: 'registered', withMembership: true },
			{ cls: 'pilates', status: 'registered', withMembership: true },
		]);
		const g = addGf('rosa', 'Rosa', 'Almeida', e, { cat: 'pack10', type: 'num_classes', status: 'ACTIVE', start: -30, expiry: 60 }, []);
		const credit = addCredit('rosa', g, 10, 3, -30, 60);
		addCredit('rosa-old', g, 5, 2, -120, -40, false);
		gf.bookings.push(
			...['spin', 'pilates'].map((c) => ({
				_id: gid(`booking:rosa:${c}`),
				user_id: g,
				event_id: gid(`event:${c}`),
				status: 'BOOKED',
				attended: false,
				guest_bookings: 0,
				created: sec(-3 * 1440),
				modified: sec(-3 * 1440),
				metadata: { service: { type: 'credit', id: credit } },
			})),
		);
		row(e, ['Rosa Almeida'], 'Credit pack with credits left and bookings (TeamUp 10 Class Pack, 3 left; Glofox num_classes, 3 credits on the active pack, an old inactive pack with 2)', allowNow(tuMs(-30, 60), ['membership', 'registration']), allowNow(gfMs(-30, 60), ['membership', 'registration']), [t], [g]);
	}
	{
		const e = 'parkers@example.com';
		const t1 = addTu('Sam', 'Parker', e, [{ plan: 'unlimited', status: 'active', start: -400, exp: null }], []);
		const t2 = addTu('Tess', 'Parker', e, [{ plan: 'prepaid3', status: 'completed', start: -120, exp: -30 }], []);
		const g1 = addGf('sam', 'Sam', 'Parker', e, { cat: 'unlimited', type: 'time', status: 'ACTIVE', start: -400, expiry: 25 }, []);
		const g2 = addGf('tess', 'Tess', 'Parker', e, { cat: 'unlimited', type: 'time', status: 'EXPIRED', start: -120, expiry: -30 }, []);
		row(e, ['Sam Parker', 'Tess Parker'], 'Two people sharing one email (Sam active, Tess expired): merged, union = Sam', allowNow(tuMs(-400, null), ['membership'], true), allowNow(gfMs(-400, 25), ['membership'], true), [t1, t2], [g1, g2]);
	}
	{
		const e1 = 'Uma.Lee@Example.com ';
		const e2 = 'uma.lee@example.com';
		const t1 = addTu('Uma', 'Lee', e1, [{ plan: 'unlimited', status: 'active', start: -100, exp: null }], []);
		const t2 = addTu('Uma', 'Lee', e2, [{ plan: 'unlimited', status: 'cancelled', start: -500, exp: -200, cancellation: 'mistake' }], []);
		const g1 = addGf('uma', 'Uma', 'Lee', e1, { cat: 'unlimited', type: 'time', status: 'ACTIVE', start: -100, expiry: 20 }, []);
		const g2 = addGf('uma2', 'Uma', 'Lee', e2, { cat: 'unlimited', type: 'time', status: 'CANCELLED', start: -500, expiry: -200 }, []);
		row(e2, ['Uma Lee', 'Uma Lee (second account)'], 'Two accounts whose emails differ only by case and a trailing space ("Uma.Lee@Example.com " active, "uma.lee@example.com" cancelled): merged', allowNow(tuMs(-100, null), ['membership'], true), allowNow(gfMs(-100, 20), ['membership'], true), [t1, t2], [g1, g2]);
	}
	{
		const t = addTu('Victor', 'Hale', null, [{ plan: 'unlimited', status: 'active', start: -70, exp: null }], []);
		const g = addGf('victor', 'Victor', 'Hale', null, { cat: 'unlimited', type: 'time', status: 'ACTIVE', start: -70, expiry: 20 }, []);
		row(null, ['Victor Hale'], 'No email (active membership)', deny('INVALID_EMAIL'), deny('INVALID_EMAIL'), [t], [g]);
	}
	{
		const e = 'walt.becker@example.com';
		const t = addTu('Walt', 'Becker', e, [], []);
		const g = addGf('walt', 'Walt', 'Becker', e, { cat: 'unlimited', type: 'time', status: 'ACTIVE', start: -500, expiry: 10 }, [], { active: false });
		row(e, ['Walt Becker'], 'Glofox `active: false` member (soft-deleted) whose membership still says ACTIVE; TeamUp customer without any membership', deny('NO_ACTIVE_MEMBERSHIP'), deny('NO_ACTIVE_MEMBERSHIP'), [t], [g]);
	}
	{
		const e = 'xena.lead@example.com';
		const t = addTu('Xena', 'Lead', e, [], [], { is_lead: true });
		const g = addGf('xena', 'Xena', 'Lead', e, null, [], { lead_status: 'LEAD' });
		row(e, ['Xena Lead'], 'A lead: no membership, no booking', deny('NO_ACTIVE_MEMBERSHIP'), deny('NO_ACTIVE_MEMBERSHIP'), [t], [g]);
	}
	{
		const e = 'yara.singh@example.com';
		const t = addTu('Yara', 'Singh', e, [{ plan: 'prepaid3', status: 'active', start: -45, exp: 44 }], []);
		const g = addGf('yara', 'Yara', 'Singh', e, { cat: 'eight', type: 'time_classes', status: 'ACTIVE', start: -15, expiry: 15 }, []);
		row(e, ['Yara Singh'], 'Prepaid (TeamUp `prepaid_plan`) / Glofox `time_classes` subscription', allowNow(tuMs(-45, 44), ['membership']), allowNow(gfMs(-15, 15), ['membership']), [t], [g]);
	}
	{
		const e = 'zoe.adams@example.com';
		const t = addTu('Zoe', 'Adams', e, [], [{ cls: 'pt', status: 'registered' }]);
		row(e, ['Zoe Adams'], 'TeamUp only: an appointment (Personal Training, in 2 h): scheduled access, kind `appointment`', reg('pt', false), null, [t], []);
	}
	{
		const e = 'leo.hart@example.com';
		const t = addTu('Leo', 'Hart', e, [{ plan: 'prepaid3', status: 'active', start: -89, exp: 0 }], []);
		const g = addGf('leo', 'Leo', 'Hart', e, { cat: 'unlimited', type: 'time', status: 'ACTIVE', start: -30, expiry: 1 }, []);
		row(e, ['Leo Hart'], 'Membership ends tonight (TeamUp expiration_date today; Glofox expiry at the next local midnight)', allowNow(tuMs(-89, 0), ['membership']), allowNow(gfMs(-30, 1), ['membership']), [t], [g]);
	}
	{
		const e = 'priya.shah@example.com';
		const t = addTu('Priya', 'Shah', e, [], [{ cls: 'stretch', status: 'registered' }]);
		const g = addGf('priya', 'Priya', 'Shah', e, { type: 'payg', status: 'ACTIVE', start: -20 }, [{ cls: 'stretch', status: 'BOOKED' }]);
		row(e, ['Priya Shah'], 'PAYG in a class running now (Lunchtime Stretch started 30 min ago)', reg('stretch', true), reg('stretch', true), [t], [g]);
	}
	// Grace and Hugo are on TeamUp's Premium plan (the tiered template's "Premium Members" tier);
	// Grace is also registered for classes, so she is in all three of its tiers.
	const fillers: [string, string, number, number, string[], 'unlimited' | 'premium'][] = [
		['Chloe', 'Martin', -365, 12, ['spin'], 'unlimited'],
		['Diego', 'Alvarez', -240, 18, [], 'unlimited'],
		['Elif', 'Yilmaz', -210, 3, ['pilates'], 'unlimited'],
		['Finn', "O'Brien", -160, 26, [], 'unlimited'],
		['Grace', 'Kim', -130, 9, ['spin', 'pilates'], 'premium'],
		['Hugo', 'Laurent', -75, 14, [], 'premium'],
		['Isla', 'MacLeod', -40, 21, ['spin'], 'unlimited'],
		['Jonas', 'Berg', -12, 18, [], 'unlimited'],
	];
	for (const [first, last, start, expiry, regs, plan] of fillers) {
		const key = first.toLowerCase();
		const e = `${first}.${last}`.toLowerCase().replace(/'/g, '') + '@example.com';
		const t = addTu(first, last, e, [{ plan, status: 'active', start, exp: null }], regs.map((c) => ({ cls: c, status: 'registered' as const, withMembership: true })));
		const g = addGf(key, first, last, e, { cat: 'unlimited', type: 'time', status: 'ACTIVE', start, expiry }, regs.map((c) => ({ cls: c, status: 'BOOKED' as const })));
		const basis: DemoOutcome['basis'] = regs.length ? ['membership', 'registration'] : ['membership'];
		const kind = plan === 'premium' ? "recurring membership, on TeamUp's Premium plan" : 'recurring membership';
		row(e, [`${first} ${last}`], `Active ${kind}${regs.length ? ` (registered for ${regs.map((c) => cls(c).name).join(', ')})` : ''}`, allowNow(tuMs(start, null), basis), allowNow(gfMs(start, expiry), basis), [t], [g]);
	}

	const kisi = demoKisiOrganization(daysAgoIso, midIso);

	const teamup: ScenarioInput['teamup'] = {
		tokens: [DEMO_CREDENTIALS.teamup.token],
		// TeamUp as its v2 reference documents it: no confirm_attendance, no usage_summary (the
		// nodes fall back to documented calls). Tests of the undocumented path switch `features` on.
		provider_id: DEMO_CREDENTIALS.teamup.providerId,
		provider: { name: 'Demo Gym' },
		venues: [
			{
				id: 310,
				name: 'Main Street',
				timezone: DEMO_TIME_ZONE,
				address: '1 Main Street, London',
				physical_address: { street: '1 Main Street', street_secondary: null, city: 'London', region: null, postal_code: 'E1 1AA', country: 'GB', lat: 51.5155, lng: -0.0722 },
			},
		],
		memberships: [
			{ id: TU_PLANS.unlimited, name: TU_PLAN_INFO.unlimited.name, type: 'recurring_plan', price: TU_PLAN_INFO.unlimited.price },
			{ id: TU_PLANS.pack10, name: TU_PLAN_INFO.pack10.name, type: 'pack', price: TU_PLAN_INFO.pack10.price },
			{ id: TU_PLANS.pack5, name: TU_PLAN_INFO.pack5.name, type: 'pack', price: TU_PLAN_INFO.pack5.price },
			{ id: TU_PLANS.prepaid3, name: TU_PLAN_INFO.prepaid3.name, type: 'prepaid_plan', price: TU_PLAN_INFO.prepaid3.price, duration: 3, duration_unit: 'months' },
			{ id: 4405, name: 'Off-Peak Monthly', type: 'recurring_plan', price: 40 },
			{ id: TU_PLANS.premium, name: TU_PLAN_INFO.premium.name, type: 'recurring_plan', price: TU_PLAN_INFO.premium.price },
		],
		...tu,
		events: classes
			.filter((c) => c.tuId)
			.map((c) => ({
				id: c.tuId,
				name: c.name,
				starts_at: tuIso(c.at),
				ends_at: tuIso(c.at + c.minutes),
				venue: 310,
				status: 'active' as const,
				is_appointment: c.appointment ?? false,
				offering_type: c.offeringType,
				max_occupancy: c.appointment ? 1 : 20,
			})),
	} as unknown as ScenarioInput['teamup'];

	const glofox: ScenarioInput['glofox'] = {
		branch_id: B,
		api_key: DEMO_CREDENTIALS.glofox.apiKey,
		api_token: DEMO_CREDENTIALS.glofox.apiToken,
		namespace: NS,
		timezone_id: DEMO_TIME_ZONE,
		branch: {
			name: 'Demo Gym Main Street',
			address: { street: '1 Main Street', city: 'London', state: null, country: 'United Kingdom', country_code: 'GB', postal_code: 'E1 1AA', latitude: 51.5155, longitude: -0.0722, currency: 'GBP' },
			phone: '+44 20 7946 0000',
			email: 'hello@demo.gym',
			website: 'https://demo.gym',
			opening_times: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'].map((dow) => ({ dow, start: '06:00', end: '22:00', is_open: true })),
		},
		memberships: [
			{ _id: GF_CAT.unlimited.id, name: 'Unlimited Monthly', plans: [{ code: 1001, name: 'Monthly', type: 'time', price: 60, upfront_fee: 0, starts_on: 'PURCHASE_DATE', auto_renewal: true, duration_time_unit: 'month', duration_time_unit_count: 1 }] },
			{
				_id: GF_CAT.pack10.id,
				name: 'Class Pack',
				plans: [
					{ code: 2001, name: '10 Pack', type: 'num_classes', price: 90, upfront_fee: 0, starts_on: 'PURCHASE_DATE', auto_renewal: false, duration_time_unit: 'month', duration_time_unit_count: 3, credits: [{ model: 'programs', num_sessions: 10, model_ids: [], expiry: null, end_date: null }] },
					{ code: 2002, name: '5 Pack', type: 'num_classes', price: 50, upfront_fee: 0, starts_on: 'PURCHASE_DATE', auto_renewal: false, duration_time_unit: 'month', duration_time_unit_count: 3, credits: [{ model: 'programs', num_sessions: 5, model_ids: [], expiry: null, end_date: null }] },
				],
			},
			{ _id: GF_CAT.eight.id, name: '8 Classes Monthly', plans: [{ code: 3001, name: 'Monthly', type: 'time_classes', price: 45, upfront_fee: 0, starts_on: 'PURCHASE_DATE', auto_renewal: true, duration_time_unit: 'month', duration_time_unit_count: 1, credits: [{ model: 'programs', num_sessions: 8, model_ids: [], expiry: { interval: 'month', interval_count: 1 }, end_date: null }] }] },
			{ _id: gid('membership:staff'), name: 'Staff Access', private: true, plans: [{ code: 4001, name: 'Staff', type: 'time', price: 0, upfront_fee: 0, starts_on: 'PURCHASE_DATE', auto_renewal: true, duration_time_unit: 'year', duration_time_unit_count: 1 }] },
		],
		...gf,
		events: classes.map((c) => ({
			_id: gid(`event:${c.key}`),
			name: c.name,
			type: c.gfType ?? 'event',
			program_id: gid(`program:${c.key}`),
			time_start: sec(c.at),
			duration: c.minutes,
			size: c.key === 'pt' ? 1 : 20,
			private: c.private ?? false,
			trainers: [gid('trainer:theo')],
			created: sec(c.at - 14 * 1440),
			modified: sec(c.at - 14 * 1440),
		})),
	} as unknown as ScenarioInput['glofox'];

	const scenario: ScenarioInput = {
		description: `Demo gym generated by sandbox/scenarios/demo.ts for now = ${new Date(N).toISOString()}`,
		now: new Date(N).toISOString(),
		kisi,
		teamup,
		glofox,
	};
	return { scenario, rows };
}
