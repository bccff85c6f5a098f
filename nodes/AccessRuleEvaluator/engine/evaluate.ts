/**
 * The whole evaluation (docs/spec/access-rules.md): input items → one decision per email, in order of first
 * appearance, each with the input indexes it came from (for `pairedItem`).
 */
import { isoOf, toIso } from './dates';
import { checkEmail } from './email';
import type { EmailCheck } from './email';
import { resolveParameters } from './params';
import type { EvaluatorParameters, ResolvedParameters } from './params';
import { parseProfile } from './profile';
import type { ProfileParse } from './profile';
import { evaluateProfileRules, ruleContext, summaryDenials } from './rules';
import type { RuleContext } from './rules';
import type { AccessDecision, EvaluatedItem, Reason, Window } from './types';
import { compareWindows, mergeWindows, selectWindow, toOutputWindow } from './windows';

/**
 * An invalid profile with On Invalid Profile = Fail. `itemIndex` is the input item's index, `field`
 * the offending field path (`registrations[1].endsAt`, or `profile` for a non-object item).
 */
export class InvalidProfileError extends Error {
	readonly itemIndex: number;
	readonly field: string;
	readonly problem: string;

	constructor(itemIndex: number, field: string, problem: string) {
		super(`Invalid access profile in item ${itemIndex}: ${problem}`);
		this.name = 'InvalidProfileError';
		this.itemIndex = itemIndex;
		this.field = field;
		this.problem = problem;
	}
}

export interface EvaluateOptions {
	/** "Now" when Evaluation Time is empty. Defaults to the system clock. */
	clock?: () => Date;
}

interface Entry {
	index: number;
	parse: ProfileParse;
	email: EmailCheck;
	rawEmail: unknown;
}

interface Group {
	/** Normalised email when usable; null for an item without a usable email (never merged). */
	email: string | null;
	entries: Entry[];
}

/**
 * Evaluates input items (each item's JSON) with the node parameters. Throws `InvalidParameterError`
 * for bad parameters (before anything is evaluated) and {@link InvalidProfileError} for the first
 * invalid profile when On Invalid Profile is `fail`.
 */
export function evaluateAccess(
	items: readonly unknown[],
	parameters: EvaluatorParameters = {},
	options: EvaluateOptions = {},
): EvaluatedItem[] {
	const params = resolveParameters(parameters, options.clock);
	return evaluateWithParameters(items, params);
}

/** Same as {@link evaluateAccess} with parameters already resolved. */
export function evaluateWithParameters(items: readonly unknown[], params: ResolvedParameters): EvaluatedItem[] {
	const groups = new Map<string, Group>();
	for (let index = 0; index < items.length; index++) {
		const parse = parseProfile(items[index]);
		if (!parse.ok && params.onInvalidProfile === 'fail') throw new InvalidProfileError(index, parse.field, parse.message);
		const rawEmail = parse.ok ? parse.profile.email : parse.email;
		const email = checkEmail(rawEmail);
		// Items without a usable email are keyed by their index so that they never merge.
		const key = email.ok ? `@${email.email}` : `#${index}`;
		let group = groups.get(key);
		if (!group) {
			group = { email: email.ok ? email.email : null, entries: [] };
			groups.set(key, group);
		}
		group.entries.push({ index, parse, email, rawEmail });
	}

	const ctx = ruleContext(params);
	const out: EvaluatedItem[] = [];
	for (const group of groups.values()) {
		out.push({ decision: decide(group, ctx), inputIndexes: group.entries.map((entry) => entry.index) });
	}
	return out;
}

function firstText(entries: readonly Entry[], pick: (parse: ProfileParse) => string | null): string | null {
	for (const entry of entries) {
		const value = pick(entry.parse);
		if (value !== null) return value;
	}
	return null;
}

/** What puts the group on the Deny List (`E-mail ana@example.com`, `Source id 812345`), or null. */
function denyListed(group: Group, params: ResolvedParameters): string | null {
	const { emails, sourceIds } = params.denyList;
	if (group.email !== null && emails.has(group.email)) return `E-mail ${group.email}`;
	if (sourceIds.size === 0) return null;
	for (const entry of group.entries) {
		const id = entry.parse.ok ? entry.parse.profile.sourceId : entry.parse.sourceId;
		if (id !== null && sourceIds.has(id.toLowerCase())) return `Source id ${id}`;
	}
	return null;
}

function decide(group: Group, ctx: RuleContext): AccessDecision {
	const { params, now, horizon } = ctx;
	const entries = group.entries;

	const sourceIds: string[] = [];
	// People, not items: the same source record listed twice (e.g. a page that shifted while the
	// source node was listing) is one person, not a duplicate email.
	// The first copy is evaluated, later copies only add their input index.
	const people = new Set<string>();
	const repeated = new Set<Entry>();
	for (const entry of entries) {
		const id = entry.parse.ok ? entry.parse.profile.sourceId : entry.parse.sourceId;
		const source = entry.parse.ok ? entry.parse.profile.source : entry.parse.source;
		if (id !== null && !sourceIds.includes(id)) sourceIds.push(id);
		const person = id === null ? `#${entry.index}` : `${source ?? ''}\u0000${id}`;
		if (people.has(person)) repeated.add(entry);
		else people.add(person);
	}

	const invalidProfiles: Reason[] = [];
	const membershipReasons: Reason[] = [];
	const membershipDenials: Reason[] = [];
	const registrationReasons: Reason[] = [];
	const registrationDenials: Reason[] = [];
	const windows: Window[] = [];
	let valid = 0;
	let membershipCount = 0;
	let membershipGrants = false;
	let registrationGrants = false;

	for (const entry of entries) {
		if (repeated.has(entry)) continue;
		if (!entry.parse.ok) {
			invalidProfiles.push({ code: 'INVALID_PROFILE', itemIndex: entry.index, message: `Item ${entry.index}: ${entry.parse.message}` });
			continue;
		}
		valid++;
		const result = evaluateProfileRules(entry.parse.profile, ctx);
		membershipReasons.push(...result.membershipReasons);
		membershipDenials.push(...result.membershipDenials);
		registrationReasons.push(...result.registrationReasons);
		registrationDenials.push(...result.registrationDenials);
		windows.push(...result.windows);
		membershipCount += result.membershipCount;
		membershipGrants ||= result.membershipGrants;
		registrationGrants ||= result.registrationGrants;
	}

	const summary = valid > 0 ? summaryDenials(params, { membershipGrants, registrationGrants, membershipCount }) : { membership: [], registration: [] };
	const ruleDenials = [...summary.membership, ...membershipDenials, ...summary.registration, ...registrationDenials];
	const selected = selectWindow(mergeWindows(windows), now, horizon);

	const name = firstText(entries, (p) => (p.ok ? p.profile.name : p.name));
	const source = firstText(entries, (p) => (p.ok ? p.profile.source : p.source));
	const evaluatedAt = isoOf(now); // memoised: the same text for every record
	// Keys in the order of the contract (§5).
	const record = (fields: Pick<AccessDecision, 'email' | 'access' | 'activeNow' | 'validFrom' | 'validUntil' | 'reasons' | 'denials' | 'windows'>): AccessDecision => ({
		email: fields.email,
		name,
		source,
		sourceIds,
		access: fields.access,
		activeNow: fields.activeNow,
		validFrom: fields.validFrom,
		validUntil: fields.validUntil,
		reasons: fields.reasons,
		denials: fields.denials,
		windows: fields.windows,
		evaluatedAt,
	});
	const denied = (denials: Reason[], email: string | null = group.email): AccessDecision =>
		record({ email, access: 'deny', activeNow: false, validFrom: null, validUntil: null, reasons: [], denials, windows: [] });
	const otherwise = selected ? '; the rules would otherwise grant access' : '';

	// The Deny List wins over everything the rules say. Its denial stands alone (other causes, such
	// as an invalid profile or an unrecognised status, would make a sync keep the share).
	const listed = denyListed(group, params);
	if (listed !== null) {
		const denial: Reason = { code: 'DENY_LISTED', message: `${listed} is on the Deny List${otherwise}` };
		if (group.email !== null) return denied([denial]);
	}

	// No usable email: Kisi identifies people by email, so nothing else matters.
	if (group.email === null) {
		const entry = entries[0];
		const problem = entry.email.ok ? '' : entry.email.problem;
		return denied(
			[
				...(listed !== null ? [{ code: 'DENY_LISTED' as const, message: `${listed} is on the Deny List` }] : []),
				...invalidProfiles,
				{ code: 'INVALID_EMAIL', message: `${problem}: Kisi identifies people by email${otherwise}` },
			],
			typeof entry.rawEmail === 'string' ? entry.rawEmail : null,
		);
	}

	const duplicate = people.size > 1;
	const who = `${people.size} profiles share this email${sourceIds.length > 0 ? ` (${sourceIds.join(', ')})` : ''}`;

	if (duplicate && params.duplicateEmails === 'deny') {
		return denied([
			{ code: 'DUPLICATE_EMAIL', message: `${who}, and Duplicate Emails is set to deny${otherwise}` },
			...invalidProfiles,
			...ruleDenials,
		]);
	}

	if (!selected) {
		const duplicateDenial: Reason[] = duplicate
			? [{ code: 'DUPLICATE_EMAIL', message: `${who}: merged, and none of them has access` }]
			: [];
		return denied([...duplicateDenial, ...invalidProfiles, ...ruleDenials]);
	}

	const reasons = [...membershipReasons, ...registrationReasons];
	if (duplicate) reasons.push({ code: 'DUPLICATE_EMAIL', message: `${who}: merged, access is the union of their access` });
	return record({
		email: group.email,
		access: 'allow',
		activeNow: selected.activeNow,
		validFrom: toIso(selected.window.from),
		validUntil: toIso(selected.window.until),
		reasons,
		denials: [...invalidProfiles, ...ruleDenials],
		windows: [...windows].sort(compareWindows).map(toOutputWindow),
	});
}
