import { createHmac } from 'node:crypto';

import { deriveSignatureKey, signBody, verifySignature } from '../../../nodes/Kisi/trigger/signature';

// RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?").
const RFC_KEY = 'Jefe';
const RFC_BODY = 'what do ya want for nothing?';
const RFC_MAC = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';

const key = 'a'.repeat(64);
const body = '{"uuid":"d7cf0237-a492-4e5d-b20c-f58fc3ef4eff","type":"lock.unlock","success":true}';
const mac = createHmac('sha256', key).update(body).digest('hex');

describe('Kisi webhook signature', () => {
	it('matches a known HMAC-SHA256 vector', () => {
		expect(signBody(RFC_BODY, RFC_KEY)).toBe(`sha256=${RFC_MAC}`);
		expect(verifySignature(RFC_BODY, RFC_KEY, `sha256=${RFC_MAC}`)).toBe(true);
	});

	it('accepts sha256=<hex> (Kisi’s documented form) and bare hex, in either case', () => {
		expect(verifySignature(body, key, `sha256=${mac}`)).toBe(true);
		expect(verifySignature(body, key, mac)).toBe(true);
		expect(verifySignature(body, key, mac.toUpperCase())).toBe(true);
		expect(verifySignature(body, key, `SHA256=${mac}`)).toBe(true);
		expect(verifySignature(body, key, ` sha256=${mac} `)).toBe(true);
	});

	it('checks the raw bytes, whether given as a Buffer or a string', () => {
		expect(verifySignature(Buffer.from(body), key, `sha256=${mac}`)).toBe(true);
		// Same JSON, other bytes: not the signed body.
		expect(verifySignature(JSON.stringify(JSON.parse(body), null, 2), key, `sha256=${mac}`)).toBe(false);
	});

	it('refuses a signature made with another key or over another body', () => {
		expect(verifySignature(body, 'b'.repeat(64), `sha256=${mac}`)).toBe(false);
		expect(verifySignature(`${body} `, key, `sha256=${mac}`)).toBe(false);
	});

	it('refuses missing, empty, wrongly sized and non-hex values without throwing', () => {
		for (const header of [undefined, null, '', 'sha256=', mac.slice(0, 63), `${mac}00`, `sha256=${mac.slice(0, 62)}zz`, 'g'.repeat(64), 42, {}]) {
			expect(verifySignature(body, key, header)).toBe(false);
		}
		expect(verifySignature(body, key, [`sha256=${mac}`])).toBe(true);
	});

	it('refuses everything when no key or no body is known', () => {
		expect(verifySignature(body, undefined, `sha256=${mac}`)).toBe(false);
		expect(verifySignature(body, '', `sha256=${mac}`)).toBe(false);
		expect(verifySignature(undefined, key, `sha256=${mac}`)).toBe(false);
	});
});

describe('Kisi Trigger signature key (derived, never stored)', () => {
	const apiKey = 'kisi-api-key-1';

	it('is 64 hex characters, the same every time for one API key, workflow and node', () => {
		const key = deriveSignatureKey(apiKey, 'wf1', 'node-a');
		expect(key).toMatch(/^[0-9a-f]{64}$/);
		expect(deriveSignatureKey(apiKey, 'wf1', 'node-a')).toBe(key);
		// HMAC-SHA256 keyed with the API key over a label, the workflow ID and the node ID.
		expect(key).toBe(createHmac('sha256', apiKey).update('n8n-nodes-gym-access kisi-trigger signature-key v1\nwf1\nnode-a').digest('hex'));
	});

	it('differs for another workflow, another node or another API key (a rotated key)', () => {
		const key = deriveSignatureKey(apiKey, 'wf1', 'node-a');
		const others = [
			deriveSignatureKey(apiKey, 'wf2', 'node-a'),
			deriveSignatureKey(apiKey, 'wf1', 'node-b'),
			deriveSignatureKey('kisi-api-key-2', 'wf1', 'node-a'),
		];
		expect(new Set([key, ...others]).size).toBe(4);
		// The IDs are kept apart: workflow "wf1" with node "0node" is not workflow "wf10" with node "node".
		expect(deriveSignatureKey(apiKey, 'wf1', '0node')).not.toBe(deriveSignatureKey(apiKey, 'wf10', 'node'));
	});
});
