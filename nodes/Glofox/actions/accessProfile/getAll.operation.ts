import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { accessProfileProperties, peopleOption, readAccessProfileParameters, readPeople } from '../../../shared/accessProfileParameters';
import type { ApiClient } from '../../../shared/http';
import { forEachItem } from '../../../shared/items';
import { mapPool } from '../../../shared/pacing';
import type { OperationOption } from '../../../shared/router';
import { InvalidInput } from '../../../shared/validate';
import {
	type GlofoxBooking,
	type GlofoxCredit,
	type GlofoxMember,
	mayGrant,
	membershipNeedsFullRead,
	packNeedsCredits,
	toAccessProfile,
} from '../../mapping/profile';
import { localTimestamp } from '../../mapping/time';
import { branchIdOf, listEnvelopeA, listEnvelopeB } from '../../transport';
import { branchTimezone, getMember } from '../../transport/lookups';
import { isMemberId, PeopleSession, profilesForPeople } from './people';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many access profiles',
	description:
		'One item per member: the current membership (with uses left on class packs) and the bookings around now, ready for the Access Rule Evaluator',
} as const satisfies OperationOption;

const HOUR_MS = 3_600_000;
/** Per-member reads (credits, full member) run this many at a time; the pacer keeps the rate. */
const CONCURRENCY = 4;

const properties = accessProfileProperties(
	{ people: 'members', sessions: 'Bookings', relevant: 'members with a membership or a booking that may grant access now or soon' },
	[
		{
			displayName: 'Member Status',
			name: 'activeFilter',
			type: 'options',
			options: [
				{ name: 'Active Only', value: 'true', description: 'Members not deactivated in Glofox' },
				{ name: 'Any', value: 'any', description: 'Active and deactivated members' },
				{ name: 'Inactive Only', value: 'false', description: 'Deactivated (deleted) members' },
			],
			default: 'any',
			description: 'Which members to list by their Glofox "active" flag. Default: Any when Include Inactive is on, else Active Only.',
		},
		peopleOption('Glofox member IDs'),
	],
);

export const description = updateDisplayOptions({ show: { resource: ['accessProfile'], operation: ['getAll'] } }, properties);

export interface RequestPlan {
	branch: number;
	memberPages: number;
	bookingPages: number;
	memberReads: number;
	creditReads: number;
}

/**
 * Request plan (bounded; independent of the number of bookings per member):
 * 1. `GET /2.0/branches/{id}` once, for the branch's time zone;
 * 2. `GET /2.0/members?active=…` in pages of 100 (envelope A), and, alongside,
 *    `GET /2.2/branches/{id}/bookings` in pages of 100 (envelope B) filtered to sessions that end
 *    after now − Look Back Hours (`time_finish_start_date`) and start before now + Look Ahead Hours
 *    (`time_start_end_date`), in the local timestamps that route takes;
 * 3. `GET /2.0/members/{id}` only for a member whose listed membership lacks the fields that
 *    decide access (no status, or no `expiry_date` key on a membership that may be current);
 * 4. `GET /2.0/credits?user_id=` only for a credit pack (`num_classes`) that could grant now
 *    (member active, ACTIVE, in date): the uses left are the sum of its class credits.
 * A Limit (Return All off) keeps the first members in Glofox's order; with Include Inactive on it
 * also stops the member list early, otherwise every member is read to find those who may enter.
 */
export async function execute(this: IExecuteFunctions, client: ApiClient): Promise<INodeExecutionData[]> {
	/** For These People: what the items share (time zone, deactivated members, who was output) and report. */
	let session: PeopleSession | undefined;
	const report = { asked: 0, output: 0, repeated: 0, notFound: [] as string[], rejected: [] as string[], nobody: [] as number[] };
	const output = await forEachItem(this, async (itemIndex) => {
		const parameters = readAccessProfileParameters(this, itemIndex);
		const { now: nowMs, lookAheadHours, lookBackHours, includeInactive, limit, options } = parameters;
		const activeFilter = typeof options.activeFilter === 'string' && options.activeFilter !== '' ? options.activeFilter : includeInactive ? 'any' : 'true';
		if (!['true', 'false', 'any'].includes(activeFilter)) {
			throw new InvalidInput('Member Status', itemIndex, `Item ${itemIndex}: "Member Status" must be true, false or any (got "${activeFilter}")`);
		}
		const people = readPeople(this, itemIndex, isMemberId);
		if (people) {
			session ??= new PeopleSession(client);
			report.asked += people.ids.length + people.emails.length;
			report.rejected.push(...people.rejected);
			if (people.ids.length + people.emails.length === 0) {
				report.nobody.push(itemIndex);
				return [];
			}
			const result = await profilesForPeople(client, session, people, { ...parameters, activeFilter }, itemIndex);
			report.output += result.profiles.length;
			report.repeated += result.repeated;
			report.notFound.push(...result.notFound);
			return result.profiles as unknown as IDataObject[];
		}
		const range = { fromMs: nowMs - lookBackHours * HOUR_MS, untilMs: nowMs + lookAheadHours * HOUR_MS };
		const plan: RequestPlan = { branch: 0, memberPages: 0, bookingPages: 0, memberReads: 0, creditReads: 0 };

		const branchId = await branchIdOf(client);
		const timezone = await branchTimezone(client, itemIndex);
		plan.branch = 1;

		// Members and bookings are independent lists: page through both at once.
		const bookingsByMember = new Map<string, GlofoxBooking[]>();
		const [members] = await Promise.all([
			// With Include Inactive every member listed is output: a Limit stops the member list early.
			listEnvelopeA(client, '/2.0/members', { active: activeFilter }, {
				itemIndex,
				limit: includeInactive ? limit : undefined,
				onPage: () => plan.memberPages++,
			}),
			listEnvelopeB(
				client,
				`/2.2/branches/${branchId}/bookings`,
				{
					time_finish_start_date: localTimestamp(range.fromMs, timezone),
					time_start_end_date: localTimestamp(range.untilMs, timezone),
				},
				{
					itemIndex,
					onPage: (page) => {
						plan.bookingPages++;
						for (const booking of page) {
							const userId = String(booking.user_id ?? '');
							const list = bookingsByMember.get(userId);
							if (list) list.push(booking as unknown as GlofoxBooking);
							else bookingsByMember.set(userId, [booking as unknown as GlofoxBooking]);
						}
					},
				},
			),
		]);

		// A page boundary moving while paging can repeat a member: keep the first copy.
		const seen = new Set<string>();
		let unique: GlofoxMember[] = [];
		for (const member of members as unknown as GlofoxMember[]) {
			const id = String(member?._id ?? '');
			if (id === '' || seen.has(id)) continue;
			seen.add(id);
			unique.push(member);
		}
		if (includeInactive && limit !== undefined) unique = unique.slice(0, limit);

		const full = await mapPool(unique, CONCURRENCY, async (member) => {
			if (!membershipNeedsFullRead(member)) return member;
			plan.memberReads++;
			const read = (await getMember(client, member._id, itemIndex)) as unknown as GlofoxMember;
			return read && read._id ? { ...member, ...read } : member;
		});

		const profiles = await mapPool(full, CONCURRENCY, async (member) => {
			let credits: GlofoxCredit[] | undefined;
			if (packNeedsCredits(member, nowMs)) {
				credits = (await listEnvelopeA(client, '/2.0/credits', { user_id: member._id }, {
					itemIndex,
					onPage: () => plan.creditReads++,
				})) as unknown as GlofoxCredit[];
			}
			return toAccessProfile({
				member,
				credits,
				bookings: bookingsByMember.get(String(member._id)),
				timezone,
				nowMs,
				range,
			});
		});

		const output = (includeInactive ? profiles : profiles.filter((profile) => mayGrant(profile, nowMs))).slice(0, limit);
		const total = plan.branch + plan.memberPages + plan.bookingPages + plan.memberReads + plan.creditReads;
		this.addExecutionHints({
			message:
				`Access profiles: ${output.length} of ${unique.length} members, ${total} requests ` +
				`(1 branch + ${plan.memberPages} member pages + ${plan.bookingPages} booking pages + ` +
				`${plan.creditReads} credit reads + ${plan.memberReads} member reads)`,
			location: 'outputPane',
		});
		return output as unknown as IDataObject[];
	});
	if (session) addPeopleHints(this, session, report);
	return output;
}

/** The execution hints of For These People: what was asked, output and read, and who was not found. */
function addPeopleHints(
	ctx: IExecuteFunctions,
	session: PeopleSession,
	report: { asked: number; output: number; repeated: number; notFound: string[]; rejected: string[]; nobody: number[] },
): void {
	const r = session.requests;
	const list = (values: string[]) => values.slice(0, 20).join(', ') + (values.length > 20 ? ` and ${values.length - 20} more` : '');
	ctx.addExecutionHints({
		message:
			`Access profiles for these people: ${report.output} profiles for ${report.asked} people asked` +
			(report.repeated > 0 ? ` (${report.repeated} asked again by a later item, output once)` : '') +
			`, ${session.total} requests (${r.branch} branch + ${r.memberReads} member reads + ${r.emailSearches} e-mail searches + ` +
			`${r.bookingReads} booking reads + ${r.creditReads} credit reads + ${r.inactivePages} pages of deactivated members)`,
		location: 'outputPane',
	});
	if (report.notFound.length > 0) {
		ctx.addExecutionHints({
			message:
				`Not found in Glofox, so no profile and no access change from this run: ${list(report.notFound)}. ` +
				'An ID may be mistyped or from another location; whoever really left is removed by the full sync, which sees every member.',
			location: 'outputPane',
		});
	}
	if (report.rejected.length > 0) {
		ctx.addExecutionHints({
			message: `"For These People": skipped ${list(report.rejected)}: neither a Glofox member ID (24 hexadecimal characters) nor an e-mail address`,
			location: 'outputPane',
		});
	}
	if (report.nobody.length > 0) {
		ctx.addExecutionHints({
			message: `"For These People" named nobody for item${report.nobody.length > 1 ? 's' : ''} ${report.nobody.join(', ')}: no profiles for ${report.nobody.length > 1 ? 'them' : 'it'}`,
			location: 'outputPane',
		});
	}
}
