/**
 * Emails identify people in Kisi, so the evaluator keys everything on a normalised email.
 * This is the pack's one e-mail check: the sync's Protected Emails (Kisi/sync/parameters.ts) and
 * every node's email field (shared/validate.ts) use it, so they accept exactly what the evaluator
 * accepts; and wherever the pack compares or keys on an address (the triggers, the exact-match
 * searches, the sync's shares) it normalises it with {@link normaliseEmail}. Pure module: no imports.
 */

/** Trim + lower-case. Returns null for anything that is not a string. */
export function normaliseEmail(raw: unknown): string | null {
	if (typeof raw !== 'string') return null;
	return raw.trim().toLowerCase();
}

/**
 * A usable email is `local@domain`: exactly one `@`, a non-empty local part, a domain made of
 * dot-separated non-empty labels with at least one dot (`example.com`; `localhost` is not an
 * address Kisi can invite), and no whitespace or angle brackets anywhere. Deliberately simple: the
 * aim is to catch typos and placeholders (`n/a`, `ana@`, `ana @example.com`), not to implement RFC
 * 5322.
 */
export function isValidEmail(email: string): boolean {
	if (email.length > 254 || /[\s<>(),;:"\\]/.test(email)) return false;
	const at = email.indexOf('@');
	if (at <= 0 || at !== email.lastIndexOf('@')) return false;
	const domain = email.slice(at + 1);
	const labels = domain.split('.');
	return labels.length >= 2 && labels.every((label) => label.length > 0);
}

export type EmailCheck =
	| { ok: true; email: string }
	| { ok: false; problem: string };

/** Normalises and validates; the problem text is a sentence fragment for an `INVALID_EMAIL` message. */
export function checkEmail(raw: unknown): EmailCheck {
	if (raw === undefined || raw === null) return { ok: false, problem: 'No email' };
	if (typeof raw !== 'string') return { ok: false, problem: `Email must be text, got a ${Array.isArray(raw) ? 'list' : typeof raw}` };
	const email = normaliseEmail(raw) as string;
	if (email === '') return { ok: false, problem: 'Email is empty' };
	if (!isValidEmail(email)) return { ok: false, problem: `'${raw.trim()}' is not a usable email (expected local@domain)` };
	return { ok: true, email };
}
