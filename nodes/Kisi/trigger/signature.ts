/**
 * Kisi Event Webhook signatures: `X-Signature` carries the HMAC-SHA256 of the raw request body,
 * keyed with the integration's signature key. Kisi documents the value as `sha256=<MAC>`; the MAC
 * encoding is not stated and third-party receivers compare bare hex, so both `sha256=<hex>` and
 * `<hex>` are accepted (hex in either case). The check is the pack's one constant-time HMAC check
 * (`nodes/shared/signature.ts`, shared with the Glofox Trigger). Pure module: no n8n imports.
 */
import { hmacSha256Hex, verifyHexHmac } from '../../shared/signature';

/** The signature Kisi sends for `body` (with the `sha256=` prefix). */
export function signBody(body: string | Buffer, key: string): string {
	return `sha256=${hmacSha256Hex(body, key)}`;
}

/**
 * Whether `header` is a valid signature of `body` under `key`. Never throws: a missing, malformed,
 * wrongly sized or non-hex value is simply invalid. The comparison is constant-time.
 */
export function verifySignature(body: string | Buffer | undefined, key: string | undefined, header: unknown): boolean {
	return verifyHexHmac(body, key, header);
}
