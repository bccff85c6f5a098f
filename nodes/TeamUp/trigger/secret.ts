/**
 * TeamUp does not sign its webhook deliveries (docs.goteamup.com/guides/webhooks documents no
 * signature header), so the only way to refuse strangers is a secret the operator adds to the URL
 * they give TeamUp (`?secret=…`) or, behind a proxy, to a header of their choice. Pure module: no
 * n8n imports.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The query parameter that carries the secret. */
export const SECRET_QUERY = 'secret';

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Whether `given` is the secret. Both are hashed first, so the comparison is constant-time and its
 * duration says nothing about the secret's length. Never throws; anything but one string is wrong.
 */
export function sameSecret(given: unknown, secret: string): boolean {
	const value = Array.isArray(given) && given.length === 1 ? given[0] : given;
	if (typeof value !== 'string' || value === '' || secret === '') return false;
	return timingSafeEqual(digest(value), digest(secret));
}

/** The URL to give TeamUp: the trigger's URL with the secret appended (when there is one). */
export function urlWithSecret(url: string, secret: string): string {
	if (secret === '') return url;
	return `${url}${url.includes('?') ? '&' : '?'}${SECRET_QUERY}=${encodeURIComponent(secret)}`;
}

/** A URL without its query and fragment, as a browser writes it, for comparing destinations. */
export function baseOfUrl(url: string): string {
	try {
		const parsed = new URL(url.trim());
		parsed.search = '';
		parsed.hash = '';
		return parsed.href;
	} catch {
		return url.trim().replace(/[?#].*$/, '');
	}
}

/** The same URL as a browser writes it (scheme and host in lower case, no default port). */
export function normalUrl(url: string): string {
	try {
		return new URL(url.trim()).href;
	} catch {
		return url.trim();
	}
}
