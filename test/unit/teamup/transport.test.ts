import { chunks, idList, nextPageNumber, teamUpApi, teamUpErrorText } from '../../../nodes/TeamUp/transport';

const problem = (status: number, body: unknown) => ({ status, body, method: 'GET', path: '/customers', credentialName: 'My TeamUp' });

describe('TeamUp error bodies', () => {
	it('quotes code, message and field errors', () => {
		expect(
			teamUpErrorText({
				code: 'parameter_invalid',
				field_errors: { offering_type: ['The offering type ID was not found'], non_field_errors: ['Start date cannot come after end date'] },
				message: 'You request was invalid',
				type: 'invalid_request_error',
			}),
		).toBe('parameter_invalid: You request was invalid. offering_type: The offering type ID was not found; Start date cannot come after end date');
		expect(teamUpErrorText({ detail: 'Not found.' })).toBe('Not found.');
		expect(teamUpErrorText('<html>')).toBe('');
		expect(teamUpErrorText(null)).toBe('');
	});

	it('401 names the credential and the Auth Scheme switch', () => {
		const { message, description } = teamUpApi.explain(problem(401, { code: 'authentication_failed', message: 'Invalid token.' }));
		expect(message).toBe('TeamUp refused the token in credential "My TeamUp" (401: authentication_failed: Invalid token.)');
		expect(description).toMatch(/Auth Scheme/);
	});

	it('403 distinguishes a wrong provider from a missing permission', () => {
		expect(teamUpApi.explain(problem(403, { code: 'provider_invalid', message: 'x' })).description).toMatch(/Provider ID/);
		expect(teamUpApi.explain(problem(403, { code: 'permission_denied', message: 'x' })).description).toMatch(/permissions/);
		expect(teamUpApi.explain(problem(400, { code: 'provider_header_missing', message: 'x' })).description).toMatch(/Provider ID in credential "My TeamUp"/);
	});

	it('429 and 5xx say what to do', () => {
		expect(teamUpApi.explain(problem(429, {})).description).toMatch(/Max Requests per Minute/);
		expect(teamUpApi.explain(problem(502, {})).description).toMatch(/try again later/);
	});

	it('paces at the credential rate, 250 per minute by default', () => {
		expect(teamUpApi.pace({}).limit).toBe(250);
		expect(teamUpApi.pace({ requestsPerMinute: 60 }).limit).toBe(60);
		expect(teamUpApi.pace({}).windowMs).toBeGreaterThanOrEqual(60_000);
	});
});

describe('paging helpers', () => {
	it.each([
		['https://goteamup.com/api/v2/events?page=3&page_size=25', 3],
		['https://elsewhere.test/x?page_size=25&page=12', 12],
		['/api/v2/customers?page=2', 2],
		['https://goteamup.com/api/v2/events?page_size=25', undefined],
		['https://goteamup.com/api/v2/events?page=last', undefined],
		[null, undefined],
		['', undefined],
	])('next %p → page %p', (next, page) => {
		expect(nextPageNumber(next)).toBe(page);
	});

	it('id lists and chunks', () => {
		expect(idList([1, '2', 3])).toBe('1,2,3');
		expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
	});
});
