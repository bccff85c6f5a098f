/**
 * The sync's parameters, read and checked before anything else: the node calls
 * {@link readSyncOptions} before its first request, {@link planGroupSync} again on its input.
 * Every failure is a {@link SyncParameterError} naming the parameter. Pure module: no n8n imports.
 */
import { isValidEmail, normaliseEmail } from '../../AccessRuleEvaluator/engine/email';
import type { Scope } from './types';

export type Ownership = 'createdByThisKey' | 'allSharesInGroup';

/** A sync parameter is invalid; `parameter` is the node parameter name. */
export class SyncParameterError extends Error {
	readonly parameter: string;

	constructor(parameter: string, message: string) {
		super(message);
		this.name = 'SyncParameterError';
		this.parameter = parameter;
	}
}

export interface SyncOptionsInput {
	/** Default `wholeGroup`. */
	scope?: Scope;
	/** Default `createdByThisKey`. */
	ownership?: Ownership;
	/** Comma-separated text or a list; compared case-insensitively. */
	protectedEmails?: unknown;
	/** A whole number, a percentage string (`"10%"`), or empty for the default. */
	maxRevocations?: unknown;
	/** Passed to Kisi on create. Default false. */
	notify?: boolean;
}

export interface SyncOptions {
	scope: Scope;
	ownership: Ownership;
	protectedEmails: ReadonlySet<string>;
	maxRevocations: MaxRevocations;
	notify: boolean;
}

/** Checks the node-level options; throws {@link SyncParameterError} on the first bad one. */
export function readSyncOptions(input: SyncOptionsInput): SyncOptions {
	return {
		scope: parseScope(input.scope),
		ownership: parseOwnership(input.ownership),
		maxRevocations: parseMaxRevocations(input.maxRevocations),
		protectedEmails: parseEmailList(input.protectedEmails),
		notify: input.notify === true,
	};
}

export function parseScope(value: unknown): Scope {
	const scope = value ?? 'wholeGroup';
	if (scope !== 'wholeGroup' && scope !== 'listedPeople') {
		throw new SyncParameterError('scope', `Scope [scope] must be 'wholeGroup' or 'listedPeople', got '${String(scope)}'`);
	}
	return scope;
}

export function parseOwnership(value: unknown): Ownership {
	const ownership = value ?? 'createdByThisKey';
	if (ownership !== 'createdByThisKey' && ownership !== 'allSharesInGroup') {
		throw new SyncParameterError('ownership', `Ownership [ownership] must be 'createdByThisKey' or 'allSharesInGroup', got '${String(ownership)}'`);
	}
	return ownership;
}

// ---------------------------------------------------------------------------------------------
// maxRevocations

export type MaxRevocations = { kind: 'default' } | { kind: 'count'; count: number } | { kind: 'percent'; percent: number };

export const DEFAULT_REVOCATION_PERCENT = 10;
export const DEFAULT_REVOCATION_MINIMUM = 5;

/**
 * Validates `maxRevocations`: empty (null, undefined, blank) = the default (10% of the managed
 * shares, at least 5); a whole number ≥ 0 (number or numeric text); or a percentage text `"N%"`
 * with 0 ≤ N ≤ 100 (decimals allowed). Throws {@link SyncParameterError} naming the parameter.
 */
export function parseMaxRevocations(value: unknown): MaxRevocations {
	if (value === undefined || value === null) return { kind: 'default' };
	if (typeof value === 'number') {
		if (!Number.isInteger(value) || value < 0) {
			throw new SyncParameterError('maxRevocations', `Max Revocations [maxRevocations] must be a whole number of 0 or more, or a percentage such as "10%", got ${value}`);
		}
		return { kind: 'count', count: value };
	}
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return { kind: 'default' };
		const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
		if (percent) {
			const share = Number(percent[1]);
			if (share > 100) throw new SyncParameterError('maxRevocations', `Max Revocations [maxRevocations] must be a percentage between 0% and 100%, got "${text}"`);
			return { kind: 'percent', percent: share };
		}
		if (/^\d+$/.test(text)) return { kind: 'count', count: Number(text) };
	}
	throw new SyncParameterError(
		'maxRevocations',
		`Max Revocations [maxRevocations] must be a whole number (e.g. 20) or a percentage of the managed shares (e.g. "10%"), got ${typeof value === 'string' ? `"${value}"` : typeof value}`,
	);
}

/** The revocation limit for a number of managed shares. Percentages round up. */
export function revocationLimit(setting: MaxRevocations, managedCount: number): number {
	switch (setting.kind) {
		case 'count':
			return setting.count;
		case 'percent':
			return Math.ceil(roundPercent((managedCount * setting.percent) / 100));
		default:
			return Math.max(DEFAULT_REVOCATION_MINIMUM, Math.ceil(roundPercent((managedCount * DEFAULT_REVOCATION_PERCENT) / 100)));
	}
}

/** Avoids 10% of 30 becoming 3.0000000000000004 → 4. */
function roundPercent(value: number): number {
	return Math.round(value * 1e9) / 1e9;
}

export function describeLimit(setting: MaxRevocations, managedCount: number, limit: number): string {
	switch (setting.kind) {
		case 'count':
			return `the limit of ${limit} (maxRevocations)`;
		case 'percent':
			return `the limit of ${limit} (maxRevocations ${setting.percent}% of ${managedCount} managed shares)`;
		default:
			return `the limit of ${limit} (default: ${DEFAULT_REVOCATION_PERCENT}% of ${managedCount} managed shares, at least ${DEFAULT_REVOCATION_MINIMUM}; set maxRevocations to change it)`;
	}
}

// ---------------------------------------------------------------------------------------------
// protectedEmails

/**
 * Protected emails as comma-separated text (or newlines / semicolons) or a list → normalised set.
 * Each entry must pass the pack's one e-mail check (the evaluator's, engine/email.ts): an entry
 * the evaluator would not accept is refused, since a typo would silently leave that person
 * unprotected.
 */
export function parseEmailList(value: unknown): Set<string> {
	const out = new Set<string>();
	if (value === undefined || value === null) return out;
	if (typeof value !== 'string' && !Array.isArray(value)) {
		throw new SyncParameterError('protectedEmails', 'Protected Emails [protectedEmails] must be comma-separated text or a list of emails');
	}
	const parts: unknown[] = typeof value === 'string' ? value.split(/[,;\n]/) : value;
	for (const part of parts) {
		const email = normaliseEmail(part);
		if (!email) continue;
		if (!isValidEmail(email)) {
			throw new SyncParameterError('protectedEmails', `Protected Emails [protectedEmails] contains "${String(part).trim()}", which is not an email address`);
		}
		out.add(email);
	}
	return out;
}
