/**
 * Webhook signatures made of a hex HMAC-SHA256 of the raw request body under a shared secret: Kisi's
 * `X-Signature` (documented as `sha256=<MAC>`) and Glofox's `signature` (documented as the bare hex
 * MAC). One check for both: the value may carry a `sha256=` prefix or not, hex in either case, and
 * is compared in constant time. Pure module: no n8n imports.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** Lower-case hex HMAC-SHA256 of `body` keyed with `key`. */
export function hmacSha256Hex(body: string | Buffer, key: string | Buffer): string {
	return createHmac('sha256', key).update(body).digest('hex');
}

/**
 * Whether `header` is a valid signature of `body` under `key`: `<hex>` or `sha256=<hex>`, trimmed,
 * the first value of a repeated header. Never throws: a missing, malformed, wrongly sized or non-hex
 * value is simply invalid, and so is an empty key or a missing body. The comparison is constant-time.
 */
export function verifyHexHmac(body: string | Buffer | undefined, key: string | Buffer | undefined, header: unknown): boolean {
	if (body === undefined || key === undefined || key.length === 0) return false;
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string') return false;
	const trimmed = value.trim();
	const given = /^sha256=/i.test(trimmed) ? trimmed.slice('sha256='.length) : trimmed;
	if (!HEX_SHA256.test(given)) return false;
	const expected = createHmac('sha256', key).update(body).digest();
	const actual = Buffer.from(given, 'hex');
	return actual.length === expected.length && timingSafeEqual(actual, expected);
}
