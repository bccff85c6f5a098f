/**
 * The access profile (docs/spec/access-rules.md §1): tolerant about spellings (statuses, types and kinds are
 * matched case-insensitively against the TeamUp, Glofox and spec spellings; ids may be numbers;
 * missing arrays mean none) and strict about what decides access (instants with an offset,
 * required status / kind / registration times, end not before start).
 *
 * Two steps: the zod schema `accessProfileSchema` checks the shape (objects, lists, text fields),
 * then `readProfile` reads the values (instants, uses, flags) and does the cross-field checks.
 *
 * `parseProfile` never throws: it returns the parsed profile, or an `INVALID_PROFILE` problem whose
 * message names the field path (e.g. `registrations[1].endsAt is before startsAt`).
 */
import { z } from 'zod';
import { isValidTimeZone, parseInstant } from './dates';
import type { AccessProfile, MembershipBlockKind } from './types';

export type MembershipStatus = 'active' | 'hold' | 'completed' | 'expired' | 'cancelled' | 'future' | 'locked' | 'unknown';
export type MembershipType = 'recurring' | 'pack' | 'prepaid' | 'payg' | 'time' | 'time_classes' | 'num_classes' | 'unknown';
export type RegistrationStatus =
	| 'registered'
	| 'attended'
	| 'waitlisted'
	| 'cancelled'
	| 'late_cancelled'
	| 'no_show'
	| 'not_registered'
	| 'unknown';

/** Source spellings (TeamUp, Glofox, the spec's own), compared after trim + lower-case + `_`. */
const MEMBERSHIP_STATUSES: Record<string, MembershipStatus> = {
	active: 'active',
	hold: 'hold', // TeamUp
	on_hold: 'hold',
	paused: 'hold', // Glofox PAUSED
	completed: 'completed', // TeamUp (expired or fully used)
	complete: 'completed', // TeamUp's filter spelling
	expired: 'expired',
	cancelled: 'cancelled',
	canceled: 'cancelled',
	future: 'future', // Glofox FUTURE
	locked: 'locked', // Glofox LOCKED: a blocked active membership
};

const MEMBERSHIP_TYPES: Record<string, MembershipType> = {
	recurring: 'recurring',
	recurring_plan: 'recurring', // TeamUp
	pack: 'pack',
	prepaid: 'prepaid',
	prepaid_plan: 'prepaid', // TeamUp
	payg: 'payg', // Glofox
	pay_as_you_go: 'payg',
	time: 'time',
	time_classes: 'time_classes',
	num_classes: 'num_classes',
};

const REGISTRATION_STATUSES: Record<string, RegistrationStatus> = {
	registered: 'registered',
	booked: 'registered', // Glofox BOOKED
	attended: 'attended',
	waitlisted: 'waitlisted',
	waitlist: 'waitlisted', // TeamUp wording
	on_waitlist: 'waitlisted', // TeamUp waitlist_spot status
	waiting: 'waitlisted', // Glofox WAITING
	waiting_list: 'waitlisted',
	cancelled: 'cancelled',
	canceled: 'cancelled', // Glofox CANCELED
	late_cancelled: 'late_cancelled',
	late_canceled: 'late_cancelled',
	no_show: 'no_show',
	noshow: 'no_show',
	not_registered: 'not_registered',
};

function key(text: string): string {
	return text.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

export function normaliseMembershipStatus(raw: string): MembershipStatus {
	return MEMBERSHIP_STATUSES[key(raw)] ?? 'unknown';
}

export function normaliseMembershipType(raw: string | null): MembershipType | null {
	if (raw === null) return null;
	return MEMBERSHIP_TYPES[key(raw)] ?? 'unknown';
}

export function normaliseRegistrationStatus(raw: string): RegistrationStatus {
	return REGISTRATION_STATUSES[key(raw)] ?? 'unknown';
}

const BLOCK_KINDS: Record<string, MembershipBlockKind> = {
	payment: 'payment',
	failed_payment: 'payment',
	manual: 'manual',
	unknown: 'unknown',
};

/** A block's kind; a missing or unknown one is `unknown` (never gets grace). */
export function normaliseBlockKind(raw: string | null): MembershipBlockKind {
	return raw === null ? 'unknown' : (BLOCK_KINDS[key(raw)] ?? 'unknown');
}

/** One block of a membership (§1 `blocks[]`), read. */
export interface Block {
	kind: MembershipBlockKind;
	/** As given (for messages), null when absent. */
	rawKind: string | null;
	/** Epoch ms; null when the source does not say. */
	since: number | null;
	reason: string | null;
}

export interface Membership {
	/** Position in the profile's `memberships` array. */
	index: number;
	id: string | null;
	planId: string | null;
	name: string | null;
	/** Normalised type; null when the profile gives none (treated as a regular membership). */
	type: MembershipType | null;
	rawType: string | null;
	status: MembershipStatus;
	rawStatus: string;
	/** Epoch ms, null when absent. */
	startsAt: number | null;
	expiresAt: number | null;
	remainingUses: number | null;
	/** `blocked` as given, or true when `blocks` lists any. */
	blocked: boolean;
	blockReason: string | null;
	/** As given; empty when the profile gives none (a `blocked: true` without them is one `unknown` block to the rules). */
	blocks: Block[];
}

export interface Registration {
	index: number;
	id: string | null;
	/** Lower-cased as given; compared with Registration Kinds. */
	kind: string;
	status: RegistrationStatus;
	rawStatus: string;
	startsAt: number;
	endsAt: number;
	eventId: string | null;
	eventName: string | null;
}

/** A profile as the engine reads it: values parsed (instants as epoch ms), spellings normalised. */
export interface ParsedProfile {
	source: string | null;
	sourceId: string | null;
	/** The email exactly as given (validated separately: a bad email is INVALID_EMAIL, not INVALID_PROFILE). */
	email: unknown;
	name: string | null;
	/** A valid IANA zone, or null. */
	timeZone: string | null;
	memberships: Membership[];
	registrations: Registration[];
}

export type ProfileParse =
	| { ok: true; profile: ParsedProfile }
	| { ok: false; field: string; message: string; email: unknown; name: string | null; source: string | null; sourceId: string | null };

// ---------------------------------------------------------------------------------------------
// Schema: structure and primitive types
//
// The zod schema checks the shape (objects, lists, text-or-number fields, required keys). Values
// that need reading (instants, uses, flags) are `z.unknown()` here and read by `readProfile` below,
// which also does the cross-field checks. Deliberately no zod transforms or refinements: zod 3
// allocates several closures per effect call, which made a profile cost ~150 µs instead of a few.

const textLeaf = z.union([z.string(), z.number()]);
const optionalTextLeaf = textLeaf.nullish();

export const blockSchema = z.object({
	kind: optionalTextLeaf,
	since: z.unknown(),
	reason: optionalTextLeaf,
});

export const membershipSchema = z.object({
	id: optionalTextLeaf,
	planId: optionalTextLeaf,
	name: optionalTextLeaf,
	type: optionalTextLeaf,
	status: textLeaf,
	startsAt: z.unknown(),
	expiresAt: z.unknown(),
	remainingUses: z.unknown(),
	blocked: z.unknown(),
	blockReason: optionalTextLeaf,
	blocks: z.array(blockSchema).nullish(),
});

export const registrationSchema = z.object({
	id: optionalTextLeaf,
	kind: textLeaf,
	status: textLeaf,
	startsAt: z.unknown(),
	endsAt: z.unknown(),
	eventId: optionalTextLeaf,
	eventName: optionalTextLeaf,
});

/** The §1 profile's shape. Unknown keys are ignored; missing arrays (or null) mean "none". */
export const accessProfileSchema = z.object({
	source: optionalTextLeaf,
	sourceId: optionalTextLeaf,
	email: z.unknown(),
	name: optionalTextLeaf,
	timeZone: optionalTextLeaf,
	memberships: z.array(membershipSchema).nullish(),
	registrations: z.array(registrationSchema).nullish(),
});

export type RawAccessProfile = z.infer<typeof accessProfileSchema>;

/** Compiles only when `Profile` is accepted by `Schema`. */
type Accepted<Profile extends Schema, Schema> = Profile;

/**
 * The schema is typed against the contract: every {@link AccessProfile} (types.ts, what the TeamUp
 * and Glofox operations output) passes its shape check. A change to either side that breaks this
 * fails to compile.
 */
export type SchemaAcceptsAccessProfile = Accepted<AccessProfile, z.input<typeof accessProfileSchema>>;

const TYPE_WORDS: Record<string, string> = {
	object: 'an object',
	array: 'a list',
	string: 'text',
	number: 'a number',
	boolean: 'true or false',
	null: 'null',
	undefined: 'missing',
};

function typeWord(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return TYPE_WORDS[typeof value] ?? typeof value;
}

function shown(value: unknown): string {
	return JSON.stringify(value) ?? typeWord(value);
}

const errorMap: z.ZodErrorMap = (issue, ctx) => {
	if (issue.code === z.ZodIssueCode.invalid_type) {
		if (issue.received === 'undefined') return { message: 'is required' };
		return { message: `must be ${TYPE_WORDS[issue.expected] ?? issue.expected} (got ${TYPE_WORDS[issue.received] ?? issue.received})` };
	}
	if (issue.code === z.ZodIssueCode.invalid_union) {
		// The only unions are the text-or-number leaves.
		if (ctx.data === undefined) return { message: 'is required' };
		return { message: `must be text or a number (got ${typeWord(ctx.data)})` };
	}
	return { message: ctx.defaultError };
};

// ---------------------------------------------------------------------------------------------
// Reading the values

type Path = Array<string | number>;

interface Issue {
	path: Path;
	message: string;
}

class Reader {
	readonly issues: Issue[] = [];

	problem(path: Path, message: string): void {
		this.issues.push({ path, message });
	}

	text(value: string | number | null | undefined): string | null {
		if (value === null || value === undefined) return null;
		const text = String(value).trim();
		return text === '' ? null : text;
	}

	required(value: string | number, path: Path): string {
		const text = String(value).trim();
		if (text === '') this.problem(path, 'is empty');
		return text;
	}

	instant(value: unknown, path: Path, required: boolean): number | null {
		const parsed = parseInstant(value);
		if (!parsed.ok) {
			this.problem(path, parsed.problem);
			return null;
		}
		if (parsed.ms === null && required) this.problem(path, 'is required');
		return parsed.ms;
	}

	uses(value: unknown, path: Path): number | null {
		if (value === undefined || value === null || value === '') return null;
		const num = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : Number.NaN;
		if (!Number.isFinite(num)) {
			this.problem(path, `must be a number or null (got ${shown(value)})`);
			return null;
		}
		return num;
	}

	flag(value: unknown, path: Path): boolean {
		if (value === undefined || value === null || value === '') return false;
		if (typeof value === 'boolean') return value;
		if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
		this.problem(path, `must be true or false (got ${shown(value)})`);
		return false;
	}
}

/** Turns a structurally valid profile into the engine's model, collecting value problems in `reader`. */
function readProfile(raw: RawAccessProfile, reader: Reader): ParsedProfile {
	const memberships = (raw.memberships ?? []).map((m, index): Membership => {
		const at = (key: string): Path => ['memberships', index, key];
		const status = reader.required(m.status, at('status'));
		const type = reader.text(m.type);
		const startsAt = reader.instant(m.startsAt, at('startsAt'), false);
		const expiresAt = reader.instant(m.expiresAt, at('expiresAt'), false);
		if (startsAt !== null && expiresAt !== null && expiresAt < startsAt) reader.problem(at('expiresAt'), 'is before startsAt');
		const blocks = (m.blocks ?? []).map((block, b): Block => {
			const rawKind = reader.text(block.kind);
			return {
				kind: normaliseBlockKind(rawKind),
				rawKind,
				since: reader.instant(block.since, ['memberships', index, 'blocks', b, 'since'], false),
				reason: reader.text(block.reason),
			};
		});
		return {
			index,
			id: reader.text(m.id),
			planId: reader.text(m.planId),
			name: reader.text(m.name),
			type: normaliseMembershipType(type),
			rawType: type,
			status: normaliseMembershipStatus(status),
			rawStatus: status,
			startsAt,
			expiresAt,
			remainingUses: reader.uses(m.remainingUses, at('remainingUses')),
			blocked: reader.flag(m.blocked, at('blocked')) || blocks.length > 0,
			blockReason: reader.text(m.blockReason),
			blocks,
		};
	});
	const registrations = (raw.registrations ?? []).map((r, index): Registration => {
		const at = (key: string): Path => ['registrations', index, key];
		const status = reader.required(r.status, at('status'));
		const kind = reader.required(r.kind, at('kind'));
		const startsAt = reader.instant(r.startsAt, at('startsAt'), true);
		const endsAt = reader.instant(r.endsAt, at('endsAt'), true);
		if (startsAt !== null && endsAt !== null && endsAt < startsAt) reader.problem(at('endsAt'), 'is before startsAt');
		return {
			index,
			id: reader.text(r.id),
			kind: kind.toLowerCase(),
			status: normaliseRegistrationStatus(status),
			rawStatus: status,
			startsAt: startsAt ?? Number.NaN,
			endsAt: endsAt ?? Number.NaN,
			eventId: reader.text(r.eventId),
			eventName: reader.text(r.eventName),
		};
	});
	const timeZone = reader.text(raw.timeZone);
	if (timeZone !== null && !isValidTimeZone(timeZone)) {
		reader.problem(['timeZone'], `is not an IANA time zone (got ${shown(raw.timeZone)}); use a name such as 'Europe/London', or leave it out`);
	}
	return {
		source: reader.text(raw.source),
		sourceId: reader.text(raw.sourceId),
		email: raw.email,
		name: reader.text(raw.name),
		timeZone: timeZone !== null && isValidTimeZone(timeZone) ? timeZone : null,
		memberships,
		registrations,
	};
}

/** `['registrations', 1, 'endsAt']` → `registrations[1].endsAt`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
	let out = '';
	for (const part of path) {
		if (typeof part === 'number') out += `[${part}]`;
		else out += out === '' ? part : `.${part}`;
	}
	return out;
}

function looseText(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

const MAX_REPORTED_ISSUES = 3;

/** Parses one input item. Never throws. */
export function parseProfile(input: unknown): ProfileParse {
	if (input === null || typeof input !== 'object' || Array.isArray(input)) {
		return {
			ok: false,
			field: 'profile',
			message: `profile must be an object (got ${typeWord(input)})`,
			email: undefined,
			name: null,
			source: null,
			sourceId: null,
		};
	}
	const result = accessProfileSchema.safeParse(input, { errorMap });
	let issues: Issue[];
	if (result.success) {
		const reader = new Reader();
		const profile = readProfile(result.data, reader);
		if (reader.issues.length === 0) return { ok: true, profile };
		issues = reader.issues;
	} else {
		issues = result.error.issues;
	}
	const described = issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => `${formatPath(issue.path) || 'profile'} ${issue.message}`);
	if (issues.length > MAX_REPORTED_ISSUES) described.push(`and ${issues.length - MAX_REPORTED_ISSUES} more problem(s)`);
	const record = input as Record<string, unknown>;
	return {
		ok: false,
		field: formatPath(issues[0].path) || 'profile',
		message: described.join('; '),
		email: record.email,
		name: looseText(record.name),
		source: looseText(record.source),
		sourceId: looseText(record.sourceId),
	};
}
