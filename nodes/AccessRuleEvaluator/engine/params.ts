/**
 * The evaluator's parameters (docs/spec/access-rules.md §2): defaults, normalisation and validation.
 * Invalid parameters throw {@link InvalidParameterError} before anything is evaluated.
 */
import { parseInstant } from './dates';
import { checkEmail } from './email';

export const REGISTRATION_KINDS = ['class', 'appointment', 'course'] as const;
export type RegistrationKind = (typeof REGISTRATION_KINDS)[number];

export type DuplicateEmailPolicy = 'merge' | 'deny';
export type InvalidProfilePolicy = 'deny' | 'fail';
export type OutputMode = 'single' | 'split';

/** The Deny List, normalised: e-mails trimmed and lower-cased, source ids trimmed and lower-cased. */
export interface DenyList {
	emails: ReadonlySet<string>;
	sourceIds: ReadonlySet<string>;
}

/** The most Payment Grace Days accepted: a year. */
export const MAX_GRACE_DAYS = 366;

/** Validated parameters, with the evaluation instant resolved. */
export interface ResolvedParameters {
	grantOnMembership: boolean;
	/** Trimmed, de-duplicated, original case (for messages). */
	allowedMemberships: string[];
	allowBlockedMemberships: boolean;
	/** Whole days a membership blocked only for a failed payment keeps access; 0 = none. */
	graceDays: number;
	grantOnRegistrations: boolean;
	registrationKinds: RegistrationKind[];
	minutesBefore: number;
	minutesAfter: number;
	countWaitlisted: boolean;
	holdKeepsBookings: boolean;
	denyList: DenyList;
	lookAheadHours: number;
	/** The evaluation instant, epoch ms. */
	now: number;
	duplicateEmails: DuplicateEmailPolicy;
	onInvalidProfile: InvalidProfilePolicy;
	output: OutputMode;
}

/**
 * The defaults of §2, as the node stores them (the node's description takes its defaults and display
 * names from here, so the editor, the node and this module cannot disagree).
 */
export const DEFAULT_PARAMETERS = {
	grantOnMembership: true,
	allowedMemberships: '',
	allowBlockedMemberships: false,
	graceDays: 0,
	grantOnRegistrations: false,
	registrationKinds: [...REGISTRATION_KINDS] as RegistrationKind[],
	minutesBefore: 60,
	minutesAfter: 60,
	countWaitlisted: false,
	holdKeepsBookings: false,
	denyList: '',
	lookAheadHours: 24,
	evaluationTime: '',
	duplicateEmails: 'merge' as DuplicateEmailPolicy,
	onInvalidProfile: 'deny' as InvalidProfilePolicy,
	output: 'single' as OutputMode,
};

/**
 * Parameters as the node reads them, under the names of {@link DEFAULT_PARAMETERS}. Every key is
 * optional (defaults apply); values are checked at run time because expressions can return anything.
 */
export type EvaluatorParameters = { [K in keyof typeof DEFAULT_PARAMETERS]?: unknown };

/** The names the editor shows, used in every parameter error. */
export const DISPLAY_NAMES: Record<keyof EvaluatorParameters, string> = {
	grantOnMembership: 'Grant On Active Membership',
	allowedMemberships: 'Allowed Memberships',
	allowBlockedMemberships: 'Allow Blocked Memberships',
	graceDays: 'Payment Grace Days',
	grantOnRegistrations: 'Grant On Registrations',
	registrationKinds: 'Registration Kinds',
	minutesBefore: 'Minutes Before Start',
	minutesAfter: 'Minutes After End',
	countWaitlisted: 'Count Waitlisted',
	holdKeepsBookings: 'Hold Keeps Bookings',
	denyList: 'Deny List',
	lookAheadHours: 'Look Ahead Hours',
	evaluationTime: 'Evaluation Time',
	duplicateEmails: 'Duplicate Emails',
	onInvalidProfile: 'On Invalid Profile',
	output: 'Output',
};

/** A rule parameter is invalid; `parameter` is its node parameter name (e.g. `minutesBefore`). */
export class InvalidParameterError extends Error {
	readonly parameter: string;

	constructor(parameter: keyof EvaluatorParameters, problem: string) {
		super(`${DISPLAY_NAMES[parameter]} [${parameter}] ${problem}`);
		this.name = 'InvalidParameterError';
		this.parameter = parameter;
	}
}

function show(value: unknown): string {
	if (typeof value === 'string') return `'${value}'`;
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	if (typeof value === 'object') return 'an object';
	return String(value);
}

function bool(raw: EvaluatorParameters, key: keyof EvaluatorParameters, fallback: boolean): boolean {
	const value = raw[key];
	if (value === undefined || value === null || value === '') return fallback;
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
	throw new InvalidParameterError(key, `must be true or false, got ${show(value)}`);
}

function nonNegative(raw: EvaluatorParameters, key: keyof EvaluatorParameters, fallback: number): number {
	const value = raw[key];
	if (value === undefined || value === null || value === '') return fallback;
	const num = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
	if (!Number.isFinite(num)) throw new InvalidParameterError(key, `must be a number, got ${show(value)}`);
	if (num < 0) throw new InvalidParameterError(key, `must be 0 or more, got ${num}`);
	return num;
}

function choice<T extends string>(raw: EvaluatorParameters, key: keyof EvaluatorParameters, options: readonly T[], fallback: T): T {
	const value = raw[key];
	if (value === undefined || value === null || value === '') return fallback;
	const text = typeof value === 'string' ? value.trim() : '';
	const found = options.find((option) => option.toLowerCase() === text.toLowerCase());
	if (!found) throw new InvalidParameterError(key, `must be one of ${options.map((o) => `'${o}'`).join(', ')}, got ${show(value)}`);
	return found;
}

/** Comma-separated text (or newlines) or an array → trimmed, non-empty strings. */
function list(raw: EvaluatorParameters, key: keyof EvaluatorParameters): string[] | undefined {
	const value = raw[key];
	if (value === undefined || value === null) return undefined;
	let parts: unknown[];
	if (typeof value === 'string') parts = value.split(/[,\n]/);
	else if (Array.isArray(value)) parts = value;
	else if (typeof value === 'number') parts = [value];
	else throw new InvalidParameterError(key, `must be comma-separated text or a list, got ${show(value)}`);
	const out: string[] = [];
	for (const part of parts) {
		if (part === undefined || part === null) continue;
		if (typeof part !== 'string' && typeof part !== 'number') {
			throw new InvalidParameterError(key, `must contain only text or numbers, got ${show(part)}`);
		}
		const text = String(part).trim();
		if (text !== '') out.push(text);
	}
	return out;
}

function wholeDays(raw: EvaluatorParameters, key: keyof EvaluatorParameters, fallback: number): number {
	const days = nonNegative(raw, key, fallback);
	if (!Number.isInteger(days)) throw new InvalidParameterError(key, `must be a whole number of days, got ${days}`);
	if (days > MAX_GRACE_DAYS) throw new InvalidParameterError(key, `must be ${MAX_GRACE_DAYS} days or fewer, got ${days}`);
	return days;
}

/**
 * Deny List as given (comma-separated text, or an array from an expression) → e-mails and source
 * ids. An entry with an `@` is an e-mail and must pass the pack's one e-mail check (a typo would
 * otherwise let a banned member in); any other entry is a source id (`sourceId` of a profile, e.g.
 * TeamUp's customer id or Glofox's member `_id`) and may not contain spaces (a name typed by
 * mistake). Throws {@link InvalidParameterError} naming the entry.
 */
export function parseDenyList(value: unknown): DenyList {
	const emails = new Set<string>();
	const sourceIds = new Set<string>();
	for (const entry of list({ denyList: value }, 'denyList') ?? []) {
		if (entry.includes('@')) {
			const email = checkEmail(entry);
			if (!email.ok) throw new InvalidParameterError('denyList', `contains '${entry}', which is not a usable e-mail (expected local@domain)`);
			emails.add(email.email);
		} else if (/\s/.test(entry)) {
			throw new InvalidParameterError('denyList', `contains '${entry}', which is neither an e-mail nor a source id (ids have no spaces); separate entries with commas`);
		} else {
			sourceIds.add(entry.toLowerCase());
		}
	}
	return { emails, sourceIds };
}

/** Allowed Memberships as given (comma text or array) → trimmed, de-duplicated (case-insensitively). */
export function parseAllowedMemberships(value: unknown): string[] {
	const items = list({ allowedMemberships: value }, 'allowedMemberships') ?? [];
	const seen = new Set<string>();
	const out: string[] = [];
	for (const item of items) {
		const key = item.toLowerCase();
		if (!seen.has(key)) {
			seen.add(key);
			out.push(item);
		}
	}
	return out;
}

/**
 * Applies defaults and validates. `clock` supplies "now" when Evaluation Time is empty (inject a
 * fixed clock in tests). Throws {@link InvalidParameterError}.
 */
export function resolveParameters(raw: EvaluatorParameters = {}, clock: () => Date = () => new Date()): ResolvedParameters {
	if (raw === null || typeof raw !== 'object') throw new TypeError('Evaluator parameters must be an object');
	const d = DEFAULT_PARAMETERS;
	const grantOnRegistrations = bool(raw, 'grantOnRegistrations', d.grantOnRegistrations);

	const kindsGiven = list(raw, 'registrationKinds');
	let registrationKinds: RegistrationKind[] = [...d.registrationKinds];
	if (kindsGiven !== undefined) {
		registrationKinds = [];
		for (const kind of kindsGiven) {
			const known = REGISTRATION_KINDS.find((k) => k === kind.toLowerCase());
			if (!known) {
				throw new InvalidParameterError('registrationKinds', `contains an unknown kind '${kind}'; use class, appointment or course`);
			}
			if (!registrationKinds.includes(known)) registrationKinds.push(known);
		}
		if (registrationKinds.length === 0 && grantOnRegistrations) {
			throw new InvalidParameterError('registrationKinds', 'is empty while Grant On Registrations is on; select at least one kind');
		}
	}

	let now: number;
	const evaluationTime = raw.evaluationTime;
	if (evaluationTime === undefined || evaluationTime === null || (typeof evaluationTime === 'string' && evaluationTime.trim() === '')) {
		now = clock().getTime();
		if (!Number.isFinite(now)) throw new InvalidParameterError('evaluationTime', 'is empty and the clock returned an invalid date');
	} else {
		const parsed = parseInstant(evaluationTime);
		if (!parsed.ok || parsed.ms === null) {
			throw new InvalidParameterError('evaluationTime', `${parsed.ok ? 'is empty' : parsed.problem}; use an ISO-8601 instant such as 2026-03-02T14:00:00Z, or leave it empty for now`);
		}
		now = parsed.ms;
	}

	return {
		grantOnMembership: bool(raw, 'grantOnMembership', d.grantOnMembership),
		allowedMemberships: parseAllowedMemberships(raw.allowedMemberships),
		allowBlockedMemberships: bool(raw, 'allowBlockedMemberships', d.allowBlockedMemberships),
		graceDays: wholeDays(raw, 'graceDays', d.graceDays),
		grantOnRegistrations,
		registrationKinds,
		minutesBefore: nonNegative(raw, 'minutesBefore', d.minutesBefore),
		minutesAfter: nonNegative(raw, 'minutesAfter', d.minutesAfter),
		countWaitlisted: bool(raw, 'countWaitlisted', d.countWaitlisted),
		holdKeepsBookings: bool(raw, 'holdKeepsBookings', d.holdKeepsBookings),
		denyList: parseDenyList(raw.denyList),
		lookAheadHours: nonNegative(raw, 'lookAheadHours', d.lookAheadHours),
		now,
		duplicateEmails: choice(raw, 'duplicateEmails', ['merge', 'deny'] as const, d.duplicateEmails),
		onInvalidProfile: choice(raw, 'onInvalidProfile', ['deny', 'fail'] as const, d.onInvalidProfile),
		output: choice(raw, 'output', ['single', 'split'] as const, d.output),
	};
}
