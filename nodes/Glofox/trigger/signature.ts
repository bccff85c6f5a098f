/**
 * Glofox webhook signatures. Glofox documents a `signature` header carrying
 * `Hex( HMAC-SHA256( YourSecretKey, StringToSign ))`, the secret "provided with your API
 * credentials", and does not define StringToSign (OpenAPI 2.3.0 `webhooks`, portal guide
 * "Webhooks"). What this accepts, all bound to the secret:
 * - the string signed: the raw request body, byte for byte (what integrators implement; the portal
 *   says the header "signs the payload"). No re-serialised JSON, no timestamp prefix: both would be
 *   guesses, and a guess that matched nothing would only hide a misconfiguration.
 * - the key: the secret as text (UTF-8, what integrators use), and, when the secret is written in
 *   hexadecimal, also the bytes it spells (the other way a hex secret is commonly used as a key).
 * - the value: hex in either case, optionally `sha256=`-prefixed (the pack's one check,
 *   `nodes/shared/signature.ts`), compared in constant time.
 * - the header: `signature` (documented); `x-glofox-signature` and `x-signature`, which integrators'
 *   receivers also look for; any letter case (Node lower-cases header names anyway).
 * Pure module: no n8n imports.
 */
import { verifyHexHmac } from '../../shared/signature';

/** Header names a signature is looked for under, documented one first. */
export const SIGNATURE_HEADERS = ['signature', 'x-glofox-signature', 'x-signature'] as const;

/** The signature header's value, whatever the letter case of its name; undefined when absent. */
export function signatureHeader(headers: Record<string, unknown> | undefined): unknown {
	if (!headers) return undefined;
	const byLowerName = new Map<string, unknown>();
	for (const [name, value] of Object.entries(headers)) {
		if (!byLowerName.has(name.toLowerCase())) byLowerName.set(name.toLowerCase(), value);
	}
	for (const name of SIGNATURE_HEADERS) {
		const value = byLowerName.get(name);
		if (value !== undefined && value !== null && value !== '') return value;
	}
	return undefined;
}

/** The keys the secret may have been used as: its text, and the bytes of a hex secret. */
export function secretKeys(secret: string): Array<{ reading: 'text' | 'hex bytes'; key: string | Buffer }> {
	const keys: Array<{ reading: 'text' | 'hex bytes'; key: string | Buffer }> = [{ reading: 'text', key: secret }];
	if (secret.length >= 32 && secret.length % 2 === 0 && /^[0-9a-f]+$/i.test(secret)) {
		keys.push({ reading: 'hex bytes', key: Buffer.from(secret, 'hex') });
	}
	return keys;
}

/**
 * Which reading of the secret verified `header` over `rawBody`, or null when none did (a missing,
 * malformed or wrong signature, no body, or no secret).
 */
export function verifyGlofoxSignature(rawBody: Buffer | string | undefined, secret: string | undefined, header: unknown): 'text' | 'hex bytes' | null {
	if (!secret) return null;
	for (const { reading, key } of secretKeys(secret)) {
		if (verifyHexHmac(rawBody, key, header)) return reading;
	}
	return null;
}
