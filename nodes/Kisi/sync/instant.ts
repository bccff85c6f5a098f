/**
 * Validity dates as the sync compares them: the evaluator's strict reading of an instant
 * (engine/dates.ts: ISO-8601 with an offset, a Date, or none), kept with its canonical text, and
 * the one rule for "the same instant". Pure module: no n8n imports.
 */
import { isoOf, parseInstant } from '../../AccessRuleEvaluator/engine/dates';

/** A date-time as read: `ms` epoch ms and `iso` its canonical text (both null = none); `ok` false when unreadable. */
export type Instant = { ok: true; ms: number | null; iso: string | null } | { ok: false };

const NONE: Instant = { ok: true, ms: null, iso: null };
const UNREADABLE: Instant = { ok: false };
const CACHE_LIMIT = 100_000;

/**
 * Reads date-times (null / undefined / '' → none), memoising by text: a group's shares and
 * decisions repeat the same few end dates, and parsing dominates the cost at 50,000 rows.
 */
export class InstantReader {
	private readonly cache = new Map<string, Instant>();

	read(value: unknown): Instant {
		if (typeof value !== 'string') return toInstant(value);
		let hit = this.cache.get(value);
		if (hit === undefined) {
			hit = toInstant(value);
			if (this.cache.size > CACHE_LIMIT) this.cache.clear();
			this.cache.set(value, hit);
		}
		return hit;
	}
}

function toInstant(value: unknown): Instant {
	const parsed = parseInstant(value);
	if (!parsed.ok) return UNREADABLE;
	return parsed.ms === null ? NONE : { ok: true, ms: parsed.ms, iso: isoOf(parsed.ms) };
}

/** Whether a validity's end is readable and at or before `at` (epoch ms): the share grants nothing from then on. */
export function endedBy(until: Instant, at: number): boolean {
	return until.ok && until.ms !== null && until.ms <= at;
}

/**
 * Whether two validity bounds are the same for Kisi: both readable, and either both none or the
 * same instant to the second (Kisi keeps seconds, so a sub-second difference is no change). An
 * unreadable bound equals nothing, so a share with one gets rewritten.
 */
export function sameInstant(a: Instant, b: Instant): boolean {
	if (!a.ok || !b.ok) return false;
	if (a.ms === null || b.ms === null) return a.ms === b.ms;
	return Math.floor(a.ms / 1000) === Math.floor(b.ms / 1000);
}
