/**
 * Access Profile → Get Many "For These People": the profiles of a few members, each read alone,
 * in the shape and with the rules of the full listing (`getAll.operation.ts`, `mapping/profile.ts`).
 *
 * Requests (bounded per person, never the member list):
 * - once per execution: `GET /2.0/branches/{b}` (time zone); and, only when Glofox's answer for a
 *   member does not say whether the member is active, the list of deactivated members
 *   (`GET /2.0/members?active=false`, pages of 100): the single-member answer (`UserResponse` in
 *   Glofox's OpenAPI) has no `active`, and a soft-deleted member often keeps an ACTIVE membership,
 *   so without it a deleted member would be let in where the full listing shuts them out;
 * - per person: the member, `GET /2.0/members/{id}` for an ID or the users search for an e-mail
 *   (`GET /2.1/branches/{b}/users?filters[email]=`, once more with the address as typed when that
 *   differs from lower case); the member's bookings, `GET /2.0/bookings?branchId&user_id` from one
 *   day before the window (sessions that started earlier may still run) to its end, filtered by
 *   time here as the full listing filters; the credits, `GET /2.0/credits?user_id`, only for a
 *   credit pack that could grant now. A deactivated member's bookings are not read (they grant
 *   nothing).
 *
 * Not found: an ID or e-mail Glofox does not know gets no profile and an execution hint naming it.
 * A "not found" can be a mistyped ID, one from another location, or a lookup glitch; a profile
 * saying "no membership" for it could take a door away from whoever holds that e-mail, while no
 * profile changes nothing. Whoever really lost their membership is removed by the 15-minute sync,
 * which sees every member.
 */
import type { IDataObject } from 'n8n-workflow';

import type { AccessProfileParameters, PeopleList } from '../../../shared/accessProfileParameters';
import type { ApiClient } from '../../../shared/http';
import { mapPool } from '../../../shared/pacing';
import { type GlofoxAccessProfile, type GlofoxCredit, type GlofoxMember, mayGrant, packNeedsCredits, toAccessProfile } from '../../mapping/profile';
import { listEnvelopeA } from '../../transport';
import { branchTimezone, findMember, findMembersByEmail, memberBookings } from '../../transport/lookups';

const HOUR_MS = 3_600_000;
/** Bookings are read from this long before the window: a session that started earlier may still be running. */
const BOOKINGS_LEAD_MS = 24 * HOUR_MS;
const CONCURRENCY = 4;

/** A Glofox member id: 24 hexadecimal characters. */
export const isMemberId = (text: string): boolean => /^[a-f0-9]{24}$/i.test(text);

export interface PeopleRequests {
	branch: number;
	memberReads: number;
	emailSearches: number;
	inactivePages: number;
	bookingReads: number;
	creditReads: number;
}

/** What one execution shares between its items: the time zone, the deactivated members, who was output. */
export class PeopleSession {
	timezone?: string;
	private inactive?: Promise<Set<string>>;
	/** Member ids already given a profile in this execution: a person is output once. */
	readonly output = new Set<string>();
	readonly requests: PeopleRequests = { branch: 0, memberReads: 0, emailSearches: 0, inactivePages: 0, bookingReads: 0, creditReads: 0 };

	constructor(private readonly client: ApiClient) {}

	async zone(itemIndex: number): Promise<string> {
		if (this.timezone === undefined) {
			this.requests.branch++;
			this.timezone = await branchTimezone(this.client, itemIndex);
		}
		return this.timezone;
	}

	/** The ids of the deactivated members, read once (`GET /2.0/members?active=false`). */
	async inactiveIds(itemIndex: number): Promise<Set<string>> {
		this.inactive ??= listEnvelopeA(this.client, '/2.0/members', { active: 'false' }, {
			itemIndex,
			onPage: () => this.requests.inactivePages++,
		}).then((members) => new Set(members.map((member) => String(member._id ?? ''))));
		return await this.inactive;
	}

	get total(): number {
		const r = this.requests;
		return r.branch + r.memberReads + r.emailSearches + r.inactivePages + r.bookingReads + r.creditReads;
	}
}

export interface PeopleResult {
	profiles: GlofoxAccessProfile[];
	/** The IDs and e-mails Glofox does not know. */
	notFound: string[];
	/** People already output for an earlier item of this execution. */
	repeated: number;
}

/** The profiles of `people` for one item (see the module's header). */
export async function profilesForPeople(
	client: ApiClient,
	session: PeopleSession,
	people: PeopleList,
	parameters: AccessProfileParameters & { activeFilter: string },
	itemIndex: number,
): Promise<PeopleResult> {
	const { now: nowMs, lookAheadHours, lookBackHours, includeInactive, limit, activeFilter } = parameters;
	const range = { fromMs: nowMs - lookBackHours * HOUR_MS, untilMs: nowMs + lookAheadHours * HOUR_MS };
	const timezone = await session.zone(itemIndex);

	// Who they are: one read per ID, one search per e-mail.
	const notFound: string[] = [];
	const lookups = [
		...people.ids.map((id) => async () => {
			session.requests.memberReads++;
			const member = await findMember(client, id, itemIndex);
			return { asked: id, members: member ? [member] : [] };
		}),
		...people.emails.map((email) => async () => ({
			asked: email,
			members: await findMembersByEmail(client, email, itemIndex, () => session.requests.emailSearches++),
		})),
	];
	const found = await mapPool(lookups, CONCURRENCY, async (lookup) => {
		const { asked, members } = await lookup();
		if (members.length === 0) notFound.push(asked);
		return members as unknown as GlofoxMember[];
	});

	// Each person once, also across the items of this execution.
	let repeated = 0;
	const members: GlofoxMember[] = [];
	for (const member of found.flat()) {
		const id = String(member?._id ?? '');
		if (id === '') continue;
		if (session.output.has(id)) {
			repeated++;
			continue;
		}
		session.output.add(id);
		members.push(member);
	}

	// Whether each is active: Glofox's answer when it says, else the list of deactivated members.
	const withActive = await mapPool(members, CONCURRENCY, async (member) => {
		if (typeof member.active === 'boolean') return member;
		const inactive = await session.inactiveIds(itemIndex);
		return { ...member, active: !inactive.has(String(member._id)) };
	});
	const listed = withActive.filter((member) => activeFilter === 'any' || String(member.active !== false) === activeFilter);

	const profiles = await mapPool(listed, CONCURRENCY, async (member) => {
		let bookings: IDataObject[] = [];
		if (member.active !== false) {
			bookings = await memberBookings(client, String(member._id), range.fromMs - BOOKINGS_LEAD_MS, range.untilMs, itemIndex, () => session.requests.bookingReads++);
		}
		let credits: GlofoxCredit[] | undefined;
		if (packNeedsCredits(member, nowMs)) {
			credits = (await listEnvelopeA(client, '/2.0/credits', { user_id: member._id }, {
				itemIndex,
				onPage: () => session.requests.creditReads++,
			})) as unknown as GlofoxCredit[];
		}
		return toAccessProfile({ member, credits, bookings: bookings as never, timezone, nowMs, range });
	});

	const output = (includeInactive ? profiles : profiles.filter((profile) => mayGrant(profile, nowMs))).slice(0, limit);
	return { profiles: output, notFound, repeated };
}
