/**
 * Kisi Event Webhook signatures: `X-Signature` carries the HMAC-SHA256 of the raw request body,
 * keyed with the integration's signature key. Kisi documents the value as `sha256=<MAC>`; the MAC
 * encoding is not stated and third-party receivers compare bare hex, so both `sha256=<hex>` and
 * `<hex>` are accepted (hex in either case). The check is the pack's one constant-time HMAC check
 * (`nodes/shared/signature.ts`, shared with the Glofox Trigger). Pure module: no n8n imports.
 *
 * The trigger stores no key: it derives the one it gives Kisi from the credential's API key and
 * the trigger's identity (`deriveSignatureKey`), on activation and again on every delivery, so
 * that every n8n process (main, workers, webhook processors) computes the same key and nothing
 * depends on the workflow's static data.
 */
import { hmacSha256Hex, verifyHexHmac } from '../../shared/signature';

/** Names what the derived key is for; a new scheme would change the version. */
const KEY_LABEL = 'n8n-nodes-gym-access kisi-trigger signature-key v1';

/**
 * The signature key of one trigger node: HMAC-SHA256, keyed with the Kisi API key, over a fixed
 * label, the workflow ID and the node ID (64 hex characters). Only someone holding the API key
 * can compute it, and the key Kisi holds reveals nothing about the API key. A new API key gives
 * a new signature key: until the trigger sends it to Kisi again (when the workflow is activated),
 * Kisi signs with the old one and deliveries are refused.
 */
export function deriveSignatureKey(apiKey: string, workflowId: string, nodeId: string): string {
	return hmacSha256Hex(`${KEY_LABEL}\n${workflowId}\n${nodeId}`, apiKey);
}

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
