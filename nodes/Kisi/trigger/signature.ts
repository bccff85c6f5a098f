/**
 * Kisi Event Webhook signatures: `X-Signature` carries the HMAC-SHA256 of the raw request body,
 * keyed with the integration's signature key. Kisi documents the value as `sha256=<MAC>`; the MAC
 * encoding is not stated and third-party receivers compare bare hex, so both `sha256=<hex>` and
 * `<hex>` are accepted (hex in either case). Pure module: no n8n imports.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** The signature Kisi sends for `body` (with the `sha256=` prefix). */
export function signBody(body: string | Buffer, key: string): string {
	return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}

/**
 * Whether `header` is a valid signature of `body` under `key`. Never throws: a missing, malformed,
 * wrongly sized or non-hex value is simply invalid. The comparison is constant-time.
 */
export function verifySignature(body: string | Buffer | undefined, key: string | undefined, header: unknown): boolean {
	if (body === undefined || !key) return false;
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string') return false;
	const trimmed = value.trim();
	const given = /^sha256=/i.test(trimmed) ? trimmed.slice('sha256='.length) : trimmed;
	if (!HEX_SHA256.test(given)) return false;
	const expected = createHmac('sha256', key).update(body).digest();
	const actual = Buffer.from(given, 'hex');
	return actual.length === expected.length && timingSafeEqual(actual, expected);
}
