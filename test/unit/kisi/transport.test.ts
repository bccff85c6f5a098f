import { collectionTotal, kisiApi } from '../../../nodes/Kisi/transport';

describe('X-Collection-Range', () => {
	it('reads the total of start-end/total', () => {
		expect(collectionTotal('0-249/600')).toBe(600);
		// Kisi's own example: offset 10, limit 10 of 15 items.
		expect(collectionTotal('10-19/15')).toBe(15);
		expect(collectionTotal(' 250-499/260 ')).toBe(260);
	});

	it('reads */total, what Kisi sends for an empty page', () => {
		expect(collectionTotal('*/0')).toBe(0);
		expect(collectionTotal('*/42')).toBe(42);
	});

	it('gives undefined for a missing or malformed header', () => {
		for (const value of [undefined, '', 'items 0-9/10', '0-9', '0-9/', 'a-b/c', '0-9/10/11']) {
			expect(collectionTotal(value)).toBeUndefined();
		}
	});
});

describe('Kisi error explanations', () => {
	const problem = { method: 'POST', path: '/shares', credentialName: 'Kisi production' };

	it('401 names the credential and says how to get a new key, never the key', () => {
		const { message, description } = kisiApi.explain({ ...problem, status: 401, body: { error: 'Unauthorized', code: 'afc516' } });
		expect(message).toBe('Kisi refused the API key in credential "Kisi production" (401: Unauthorized (code afc516))');
		expect(description).toMatch(/API key/);
	});

	it('422 quotes the fields Kisi names', () => {
		const { message } = kisiApi.explain({ ...problem, status: 422, body: { errors: { email: ['has already been taken'], valid_until: ['must be after valid_from'] } } });
		expect(message).toBe('Kisi rejected POST /shares (422: email has already been taken; valid_until must be after valid_from)');
	});

	it('404 and 403 say what was asked and what to check', () => {
		expect(kisiApi.explain({ ...problem, method: 'GET', path: '/groups/9', status: 404, body: { error: 'Group not found', code: '000000' } }).message).toBe(
			'Kisi found nothing at GET /groups/9 (404: Group not found (code 000000))',
		);
		expect(kisiApi.explain({ ...problem, status: 403, body: { error: 'Forbidden', code: 'afc496' } }).description).toMatch(/administrator/);
	});

	it('429 explains the per-user rate limit; 5xx says to try later', () => {
		expect(kisiApi.explain({ ...problem, status: 429, body: null }).description).toMatch(/5 requests per second/);
		expect(kisiApi.explain({ ...problem, status: 503, body: 'Service Unavailable' })).toEqual({
			message: 'Kisi answered 503 on POST /shares',
			description: 'Kisi had a server problem; try again later.',
		});
	});
});
