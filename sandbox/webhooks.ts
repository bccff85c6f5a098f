/** Kisi Event Webhook deliveries: POST of the event JSON, signed with HMAC-SHA256 of the raw body. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isLoopbackHost } from './util';

/** `sha256=<lowercase hex HMAC-SHA256 of the raw body>`, the value of Kisi's `X-Signature` header. */
export function signKisiPayload(rawBody: string | Buffer, signatureKey: string): string {
	return `sha256=${createHmac('sha256', signatureKey).update(rawBody).digest('hex')}`;
}

/** Checks an `X-Signature` value (`sha256=<hex>` or bare hex) in constant time. */
export function verifyKisiSignature(rawBody: string | Buffer, signatureKey: string, header: string | undefined): boolean {
	if (!header) return false;
	const given = header.startsWith('sha256=') ? header.slice(7) : header;
	const expected = signKisiPayload(rawBody, signatureKey).slice(7);
	const a = Buffer.from(given.toLowerCase(), 'utf8');
	const b = Buffer.from(expected, 'utf8');
	return a.length === b.length && timingSafeEqual(a, b);
}

export interface DeliveryResult {
	integrationId: number;
	url: string;
	/** HTTP status of the receiver, or null when it could not be reached. */
	status: number | null;
	ms: number;
	error?: string;
	/** Real time of the delivery. */
	at: string;
}

export const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * Delivers one event to one URL. Only loopback URLs are called: the sandbox never sends traffic
 * off the machine.
 */
export async function deliverWebhook(
	integrationId: number,
	url: string,
	rawBody: string,
	signatureKey: string | null | undefined,
	timeoutMs = DELIVERY_TIMEOUT_MS,
): Promise<DeliveryResult> {
	const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'Kisi-Webhooks (sandbox)' };
	if (signatureKey) headers['X-Signature'] = signKisiPayload(rawBody, signatureKey);
	return { integrationId, ...(await postToLoopback(url, rawBody, headers, timeoutMs)) };
}

export type PostResult = Omit<DeliveryResult, 'integrationId'>;

/**
 * POSTs a body with the given headers to a loopback URL and reports the answer's status (null when
 * it could not be reached or is not a loopback URL: the sandbox never sends traffic off the machine).
 * Every service's webhook deliveries go through here.
 */
export async function postToLoopback(url: string, rawBody: string, headers: Record<string, string>, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<PostResult> {
	const started = performance.now();
	const at = new Date().toISOString();
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return { url, status: null, ms: 0, error: 'invalid url', at };
	}
	if (!/^https?:$/.test(parsed.protocol) || !isLoopbackHost(parsed.hostname)) {
		return { url, status: null, ms: 0, error: 'not delivered: the sandbox only calls loopback URLs', at };
	}
	try {
		const res = await fetch(url, { method: 'POST', headers, body: rawBody, signal: AbortSignal.timeout(timeoutMs) });
		await res.arrayBuffer().catch(() => undefined);
		return { url, status: res.status, ms: Math.round(performance.now() - started), at };
	} catch (e) {
		const err = e as Error & { cause?: { code?: string } };
		return {
			url,
			status: null,
			ms: Math.round(performance.now() - started),
			error: err.cause?.code ?? err.name ?? String(e),
			at,
		};
	}
}
