/**
 * A deterministic large gym for benchmarks: `generateScenario({ members: 50000, seed: 1, now })`.
 * Same seed, same scenario. The same people exist on TeamUp and Glofox (same emails), with a
 * realistic mixture of membership states, bookings in the next 24 hours for a fraction, and the
 * Kisi organization of the demo (same credentials as the demo, see DEMO_CREDENTIALS).
 */
import { DateTime } from 'luxon';
import type { ScenarioInput } from './scenario';
import { DEMO_CREDENTIALS, DEMO_KISI, DEMO_TIME_ZONE } from './scenarios/demo';
import { prng } from './util';

export interface GenerateOptions {
	members: number;
	seed?: number;
	now?: Date | string;
	/** Fraction (0..1) of the people who already have a Kisi user and a share in "Members" made by the API key (default 0). */
	existingShares?: number;
	/** Rate limits of the generated scenario (default: the documented ones). */
	rateLimits?: ScenarioInput['rateLimits'];
}

/** The mixture of states (weights sum to 1). */
export const GENERATED_MIX = [
	['active_recurring', 0.64],
	['active_prepaid', 0.03],
	['pack_active', 0.05],
	['pack_used_up', 0.02],
	['payg_booked', 0.07],
	['payg_none', 0.02],
	['hold', 0.04],
	['expired', 0.05],
	['cancelled', 0.03],
	['blocked_failed', 0.02],
	['blocked_retry', 0.01],
	['future', 0.01],
	['lead', 0.01],
] as const;
export type GeneratedState = (typeof GENERATED_MIX)[number][0];

const FIRST = (
	'Ana Ben Carla Dan Eva Felix Fiona Gus Hana Ivan Jade Kai Lena Milo Nina Omar Pia Quinn Rosa Sam Tess Uma Victor Walt Xena Yara Zoe Leo Priya ' +
	'Aisha Liam Noah Olivia Emma Ava Sophia Mia Lucas Ethan Amelia Harper Elijah James Benjamin Charlotte Henry Alexander Isabella Sebastian ' +
	'Mateo Chloe Diego Elif Finn Grace Hugo Isla Jonas Kofi Lucia Mohammed Nadia Oscar Paulo Rania Sven Tomas Ursula Valentina Wei Yusuf Zara ' +
	'Arjun Bianca Cormac Dara Emeka Freya Giulia Hamid Ines Jakub Keira Lars Maeve Nikolai Orla Pedro Ravi Saoirse Tariq Ugo Vera Wren Ximena'
).split(' ');
const LAST = (
	'Ruiz Okafor Mendes Whitfield Novak Braun Gallagher Ferreira Sato Petrov Thompson Nakamura Fischer Costa Kowalski Haddad Larsen Murphy Almeida ' +
	'Parker Lee Hale Becker Singh Adams Hart Shah Martin Alvarez Yilmaz OBrien Kim Laurent MacLeod Berg Smith Jones Williams Brown Taylor Davies ' +
	'Evans Wilson Johnson Roberts Walker Wright Robinson Green Hall Wood Clarke Hughes Edwards Khan Ali Hussain Patel Nguyen Garcia Rossi Muller ' +
	'Dubois Jensen Nowak Horvat Silva Santos Kaur Chen Wang Zhang Ivanova Popescu Papadopoulos Andersson Eriksson Nielsen Byrne Kelly Walsh ' +
	'Ryan Doyle Quinn Moreau Lambert Conti Greco Bauer Wolf Schmidt Novakova Mensah Owusu Adeyemi Banda Mwangi'
).split(' ');
const DOMAINS: [string, number][] = [
	['example.com', 0.4],
	['example.net', 0.2],
	['example.org', 0.15],
	['mail.test', 0.15],
	['inbox.test', 0.1],
];

const TU_PLANS = { unlimited: 4401, pack10: 4402, pack5: 4403, prepaid3: 4404 };

type Rec = Record<string, unknown>;

export function generateScenario(opts: GenerateOptions): ScenarioInput {
	const n = Math.max(0, Math.floor(opts.members));
	const seed = opts.seed ?? 1;
	const rand = prng(seed);
	const N = opts.now === undefined ? Date.now() : typeof opts.now === 'string' ? Date.parse(opts.now) : opts.now.getTime();
	const today = DateTime.fromMillis(N, { zone: DEMO_TIME_ZONE }).startOf('day');
	const dayCache = new Map<number, { date: string; sec: number; iso: string }>();
	const day = (k: number) => {
		let d = dayCache.get(k);
		if (!d) {
			const dt = today.plus({ days: k });
			d = { date: dt.toISODate()!, sec: Math.round(dt.toSeconds()), iso: dt.toUTC().toISO()! };
			dayCache.set(k, d);
		}
		return d;
	};
	const secAt = (min: number) => Math.floor((N + min * 60_000) / 1000);
	const isoAt = (min: number) => new Date(N + min * 60_000).toISOString().replace('.000Z', 'Z');
	const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
	const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
	const weighted = <T>(list: readonly (readonly [T, number])[]): T => {
		let r = rand();
		for (const [v, w] of list) if ((r -= w) < 0) return v;
		return list[list.length - 1][0];
	};
	const seedHex = (seed >>> 0).toString(16).padStart(8, '0').slice(-8);
	const gid = (tag: number, i: number) => `${tag.toString(16).padStart(2, '0')}${seedHex.slice(0, 6)}${i.toString(16).padStart(16, '0')}`;

	// --- Classes: hourly 06:00–21:00 local, today to the day after tomorrow, in several rooms ----
	const rooms = Math.max(2, Math.ceil(n / 2500));
	const names = ['HIIT', 'Yoga', 'Spin', 'Pilates', 'Boxing', 'Strength', 'Stretch', 'Bootcamp'];
	interface Cls {
		tuId: number;
		gfId: string;
		name: string;
		startMin: number;
		minutes: number;
	}
	const classes: Cls[] = [];
	for (let d = 0; d < 3; d++) {
		for (let h = 6; h <= 21; h++) {
			const startMin = Math.round((today.plus({ days: d, hours: h }).toMillis() - N) / 60_000);
			for (let r = 0; r < rooms; r++) {
				const i = classes.length;
				classes.push({ tuId: 400001 + i, gfId: gid(3, i), name: `${names[(h + r) % names.length]} (Studio ${r + 1})`, startMin, minutes: r % 3 === 0 ? 45 : 60 });
			}
		}
	}
	const upcoming = classes.filter((c) => c.startMin > -60 && c.startMin < 24 * 60);
	const capacity = 20;
	const booked = new Map<number, number>();

	// --- People ----------------------------------------------------------------------------------
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
	const kisiUsers: { id: number; email: string; name: string; created_at: string }[] = [];
	const kisiShares: { id: number; user_id: number; group_id: number; role_id: 'basic'; created_by_id: number; valid_from: null; valid_until: null; created_at: string }[] = [];
	const emails = new Set<string>();
	let cmId = 200000;
	let attId = 300000;
	let invId = 500000;
	let subId = 600000;
	let blockId = 700000;
	let creditN = 0;
	let bookingN = 0;
	let kisiUserId = 1000;
	let shareId = 100000;
	const shareFraction = opts.existingShares ?? 0;

	for (let i = 0; i < n; i++) {
		const first = pick(FIRST);
		const last = pick(LAST);
		const f = first.toLowerCase();
		const l = last.toLowerCase();
		const style = Math.floor(rand() * 8);
		const local =
			style === 0 ? `${f}.${l}` : style === 1 ? `${f}${l}` : style === 2 ? `${f[0]}.${l}` : style === 3 ? `${f}_${l}` : style === 4 ? `${l}.${f}` : style === 5 ? `${f}.${l}${int(1, 99)}` : style === 6 ? `${f}${int(70, 99)}` : `${f[0]}${l}${int(1, 999)}`;
		const domain = weighted(DOMAINS);
		let email: string | null = `${local}@${domain}`;
		for (let k = 2; emails.has(email); k++) email = `${local}${k}@${domain}`;
		emails.add(email);
		if (rand() < 0.002) email = null;
		const state: GeneratedState = weighted(GENERATED_MIX);
		const customerId = 100001 + i;
		const memberId = gid(1, i);
		const created = -int(30, 1200);
		tu.customers.push({ id: customerId, first_name: first, last_name: last, email, is_lead: state === 'lead', created_at: day(created).iso });
		const gfMember: Rec = {
			_id: memberId,
			first_name: first,
			last_name: last,
			email,
			active: true,
			lead_status: state === 'lead' ? 'LEAD' : null,
			membership: null,
			created: day(created).sec + int(28800, 72000),
			modified: day(-int(0, 60)).sec + int(28800, 72000),
		};
		gf.members.push(gfMember);

		const start = -int(1, 900);
		const addCm = (plan: keyof typeof TU_PLANS, status: string, s: number, exp: number | null, extra: Rec = {}): number => {
			const id = ++cmId;
			tu.customer_memberships.push({ id, customer: customerId, membership: TU_PLANS[plan], status, start_date: day(s).date, expiration_date: exp === null ? null : day(exp).date, ...extra });
			return id;
		};
		const gfMs = (type: string, status: string, s: number, expiry: number | null, planCode: number) => {
			gfMember.membership = { type, status, start_date: day(s).sec, expiry_date: expiry === null ? null : day(expiry).sec, plan_code: planCode, user_membership_id: gid(2, i) };
		};
		const cycleEnd = int(1, 30);
		let cm: number | null = null;
		let allowed = false;
		switch (state) {
			case 'active_recurring': {
				const sid = ++subId;
				tu.payment_subscriptions.push({ id: sid, retry_count: 0 });
				cm = addCm('unlimited', 'active', start, null, { payment_subscription: sid });
				gfMs('time', 'ACTIVE', start, cycleEnd, 1001);
				allowed = true;
				break;
			}
			case 'active_prepaid': {
				const s = -int(1, 80);
				cm = addCm('prepaid3', 'active', s, s + 90);
				gfMs('time_classes', 'ACTIVE', s, cycleEnd, 3001);
				allowed = true;
				break;
			}
			case 'pack_active':
			case 'pack_used_up': {
				const s = -int(1, 80);
				const max = rand() < 0.5 ? 10 : 5;
				const used = state === 'pack_used_up' ? max : int(0, max - 1);
				cm = addCm(max === 10 ? 'pack10' : 'pack5', state === 'pack_used_up' ? 'completed' : 'active', s, s + 90);
				tu.customer_membership_usage[String(cm)] = { max_uses: max, used_count: used, remaining_count: max - used };
				gfMs('num_classes', 'ACTIVE', s, s + 90, max === 10 ? 2001 : 2002);
				gf.credits.push({ _id: gid(4, creditN++), user_id: memberId, active: true, model: 'programs', num_sessions: max, available: max - used, start_date: day(s).sec, end_date: day(s + 90).sec });
				allowed = state === 'pack_active';
				break;
			}
			case 'payg_booked':
			case 'payg_none':
			case 'lead':
				if (state !== 'lead') gfMember.membership = { type: 'payg', status: 'ACTIVE', start_date: day(created).sec };
				break;
			case 'hold':
				cm = addCm('unlimited', 'hold', start, null, { active_hold: { id: 900000 + i, start_date: day(-int(1, 20)).date, end_date: day(int(1, 40)).date } });
				gfMs('time', 'PAUSED', start, cycleEnd, 1001);
				break;
			case 'expired': {
				const exp = -int(1, 200);
				cm = addCm('prepaid3', 'completed', exp - 90, exp);
				gfMs('time', 'EXPIRED', exp - 90, exp + 1, 1001);
				if (rand() < 0.2) gfMember.active = false;
				break;
			}
			case 'cancelled': {
				const exp = -int(1, 300);
				cm = addCm('unlimited', 'cancelled', Math.min(start, exp - 30), exp, { cancellation_reason: 'cancelled' });
				gfMs('time', 'CANCELLED', Math.min(start, exp - 30), exp, 1001);
				if (rand() < 0.2) gfMember.active = false;
				break;
			}
			case 'blocked_failed':
			case 'blocked_retry': {
				const sid = ++subId;
				const retry = state === 'blocked_retry' ? int(1, 3) : 0;
				tu.payment_subscriptions.push({ id: sid, retry_count: retry });
				cm = addCm('unlimited', 'active', start, null, { payment_subscription: sid });
				tu.invoices.push({
					id: ++invId,
					status: state === 'blocked_retry' ? 'retrying' : 'failed',
					payer: customerId,
					due_date: day(-int(1, 10)).date,
					created_at: day(-int(11, 15)).iso,
					total_amount_due: 60,
					// TeamUp's invoice names the payer and the kind of membership billed, not the customer membership.
					line_items: [{ type: 'recurring_plan_membership', billed_item: { id: 900000 + invId, name: 'Unlimited Monthly', type: 'billed_membership' }, price: 60, total_amount_due: 60 }],
				});
				gfMs('time', 'LOCKED', start, cycleEnd, 1001);
				break;
			}
			case 'future': {
				const s = int(2, 30);
				cm = addCm('prepaid3', 'active', s, s + 90);
				gfMs('time', 'FUTURE', s, s + 30, 1001);
				break;
			}
		}
		if (state === 'active_recurring' && rand() < 0.01) {
			tu.customer_registration_blocks.push({ id: ++blockId, customer: customerId, is_active: true, created_at: day(-int(1, 10)).iso });
			allowed = false;
		}

		// Bookings in the next 24 hours (and the one running now).
		const books = state === 'payg_booked' ? 1 + (rand() < 0.3 ? 1 : 0) : allowed && rand() < 0.12 ? 1 : 0;
		const chosen = new Set<number>();
		for (let b = 0; b < books && upcoming.length; b++) {
			let c = pick(upcoming);
			for (let tries = 0; tries < 5 && ((booked.get(c.tuId) ?? 0) >= capacity || chosen.has(c.tuId)); tries++) c = pick(upcoming);
			if (chosen.has(c.tuId)) continue;
			chosen.add(c.tuId);
			const full = (booked.get(c.tuId) ?? 0) >= capacity;
			const status = full ? 'waitlisted' : rand() < 0.05 ? 'late_cancelled' : 'registered';
			if (status === 'registered') booked.set(c.tuId, (booked.get(c.tuId) ?? 0) + 1);
			const att: Rec = {
				id: ++attId,
				customer: customerId,
				event: c.tuId,
				status: status === 'waitlisted' ? 'not_registered' : status,
				customer_membership: state === 'payg_booked' ? null : cm,
			};
			if (status === 'waitlisted') att.waitlist_spot = { id: attId, status: 'on_waitlist' };
			tu.attendances.push(att);
			gf.bookings.push({
				_id: gid(5, bookingN++),
				user_id: memberId,
				event_id: c.gfId,
				status: status === 'waitlisted' ? 'WAITING' : status === 'late_cancelled' ? 'CANCELED' : 'BOOKED',
				attended: false,
				is_late_cancellation: status === 'late_cancelled',
				created: secAt(-int(60, 5 * 1440)),
				modified: secAt(-int(1, 59)),
			});
		}

		if (email && rand() < shareFraction) {
			const uid = ++kisiUserId;
			kisiUsers.push({ id: uid, email: email.toLowerCase(), name: `${first} ${last}`, created_at: day(created).iso });
			kisiShares.push({ id: ++shareId, user_id: uid, group_id: DEMO_KISI.membersGroupId, role_id: 'basic', created_by_id: DEMO_KISI.users.owner, valid_from: null, valid_until: null, created_at: day(-int(1, 200)).iso });
		}
	}

	const K = DEMO_KISI;
	const nowIso = new Date(N).toISOString();
	const kisi: ScenarioInput['kisi'] = {
		apiKeys: [
			{ key: DEMO_CREDENTIALS.kisi.apiKey, user_id: K.users.owner, id: 1 },
			{ key: DEMO_CREDENTIALS.kisi.managerKey, user_id: K.users.manager, id: 3 },
		],
		organization: { id: K.organizationId, name: 'Generated Gym', domain: 'generated-gym' },
		users: [
			{ id: K.users.owner, email: 'owner@demo.gym', name: 'Olivia Owner' },
			{ id: K.users.manager, email: 'manager@demo.gym', name: 'Mia Manager' },
			{ id: K.users.staff, email: 'coach.theo@demo.gym', name: 'Theo Coach' },
			...kisiUsers,
		],
		places: [{ id: K.placeId, name: 'Main Street', time_zone: DEMO_TIME_ZONE }],
		locks: [
			{ id: K.lockIds.frontDoor, name: 'Front Door', place_id: K.placeId },
			{ id: K.lockIds.studioDoor, name: 'Studio Door', place_id: K.placeId },
		],
		groups: [
			{ id: K.membersGroupId, name: 'Members', place_id: null },
			{ id: K.placeGroupId, name: 'Main Street Staff', place_id: K.placeId },
		],
		shares: [
			{ id: 9001, email: 'coach.theo@demo.gym', group_id: K.membersGroupId, created_by_id: K.users.manager },
			{ id: 9003, email: 'coach.theo@demo.gym', group_id: K.placeGroupId, created_by_id: K.users.manager },
			...kisiShares,
		],
		role_assignments: [
			{ id: 9101, role_id: 'organization_owner', applies_to_type: 'Organization', applies_to_id: K.organizationId, assignee_id: K.users.owner },
			{ id: 9102, role_id: 'organization_administrator', applies_to_type: 'Organization', applies_to_id: K.organizationId, assignee_id: K.users.manager },
		],
	};
	const teamup = {
		tokens: [DEMO_CREDENTIALS.teamup.token],
		// As the demo: TeamUp as its v2 reference documents it (`features` off); the benchmarks
		// measure the documented path.
		provider_id: DEMO_CREDENTIALS.teamup.providerId,
		provider: { name: 'Generated Gym' },
		venues: [{ id: 310, name: 'Main Street', timezone: DEMO_TIME_ZONE }],
		memberships: [
			{ id: TU_PLANS.unlimited, name: 'Unlimited Monthly', type: 'recurring_plan', price: 60 },
			{ id: TU_PLANS.pack10, name: '10 Class Pack', type: 'pack', price: 90 },
			{ id: TU_PLANS.pack5, name: '5 Class Pack', type: 'pack', price: 50 },
			{ id: TU_PLANS.prepaid3, name: '3 Month Prepaid', type: 'prepaid_plan', price: 150 },
		],
		...tu,
		events: classes.map((c) => ({ id: c.tuId, name: c.name, starts_at: isoAt(c.startMin), ends_at: isoAt(c.startMin + c.minutes), venue: 310, status: 'active', is_appointment: false, offering_type: 70, max_occupancy: capacity })),
	};
	const glofox = {
		branch_id: DEMO_CREDENTIALS.glofox.branchId,
		api_key: DEMO_CREDENTIALS.glofox.apiKey,
		api_token: DEMO_CREDENTIALS.glofox.apiToken,
		namespace: DEMO_CREDENTIALS.glofox.namespace,
		timezone_id: DEMO_TIME_ZONE,
		branch: { name: 'Generated Gym Main Street' },
		memberships: [
			{ _id: gid(6, 1), name: 'Unlimited Monthly', plans: [{ code: 1001, name: 'Monthly', type: 'time', price: 60 }] },
			{ _id: gid(6, 2), name: 'Class Pack', plans: [{ code: 2001, name: '10 Pack', type: 'num_classes', price: 90 }, { code: 2002, name: '5 Pack', type: 'num_classes', price: 50 }] },
			{ _id: gid(6, 3), name: '8 Classes Monthly', plans: [{ code: 3001, name: 'Monthly', type: 'time_classes', price: 45 }] },
		],
		...gf,
		events: classes.map((c) => ({ _id: c.gfId, name: c.name, type: 'event', time_start: secAt(c.startMin), duration: c.minutes, size: capacity, created: secAt(-14 * 1440), modified: secAt(-14 * 1440) })),
	};
	return {
		description: `Generated gym: ${n} members, seed ${seed}, now ${nowIso}`,
		now: nowIso,
		rateLimits: opts.rateLimits ?? true,
		kisi,
		teamup: teamup as unknown as ScenarioInput['teamup'],
		glofox: glofox as unknown as ScenarioInput['glofox'],
	};
}
