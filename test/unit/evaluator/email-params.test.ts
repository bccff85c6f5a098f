import {
	DEFAULT_PARAMETERS,
	InvalidParameterError,
	checkEmail,
	evaluateAccess,
	isValidEmail,
	normaliseEmail,
	parseAllowedMemberships,
	resolveParameters,
} from '../../../nodes/AccessRuleEvaluator/engine';
import type { EvaluatorParameters } from '../../../nodes/AccessRuleEvaluator/engine';

describe('email', () => {
	it('normalises: trim + lower-case', () => {
		expect(normaliseEmail('  Ana.Ruiz@Example.COM ')).toBe('ana.ruiz@example.com');
		expect(normaliseEmail(42)).toBeNull();
	});

	it.each(['ana@example.com', 'a.b+gym@sub.example.co.uk', "o'neil@example.ie", 'x@y.z'])('accepts %s', (email) => {
		expect(isValidEmail(email)).toBe(true);
	});

	it.each(['', 'ana', 'ana@', '@example.com', 'ana@example', 'ana@@example.com', 'a@b@example.com', 'ana @example.com', 'ana@example..com', 'ana@.example.com', 'ana@example.com.', 'n/a', 'Ana <ana@example.com>'])(
		'rejects %p',
		(email) => {
			expect(isValidEmail(email)).toBe(false);
		},
	);

	it('checkEmail explains the problem', () => {
		expect(checkEmail(' Ana@Example.com')).toEqual({ ok: true, email: 'ana@example.com' });
		expect(checkEmail(undefined)).toEqual({ ok: false, problem: 'No email' });
		expect(checkEmail(null)).toEqual({ ok: false, problem: 'No email' });
		expect(checkEmail('  ')).toEqual({ ok: false, problem: 'Email is empty' });
		expect(checkEmail(12)).toEqual({ ok: false, problem: 'Email must be text, got a number' });
		expect(checkEmail(['a@b.c'])).toEqual({ ok: false, problem: 'Email must be text, got a list' });
		expect(checkEmail(' ana@ ')).toEqual({ ok: false, problem: "'ana@' is not a usable email (expected local@domain)" });
	});
});

describe('resolveParameters', () => {
	const clock = () => new Date('2026-03-02T14:00:00Z');

	it('applies the documented defaults', () => {
		const p = resolveParameters({}, clock);
		expect(p).toEqual({
			grantOnMembership: true,
			allowedMemberships: [],
			allowBlockedMemberships: false,
			graceDays: 0,
			grantOnRegistrations: false,
			registrationKinds: ['class', 'appointment', 'course'],
			minutesBefore: 60,
			minutesAfter: 60,
			countWaitlisted: false,
			holdKeepsBookings: false,
			denyList: { emails: new Set(), sourceIds: new Set() },
			lookAheadHours: 24,
			now: Date.UTC(2026, 2, 2, 14),
			duplicateEmails: 'merge',
			onInvalidProfile: 'deny',
			output: 'single',
		});
		expect(DEFAULT_PARAMETERS.minutesBefore).toBe(60);
	});

	it('evaluationTime empty = the injected clock; ISO = that instant', () => {
		expect(resolveParameters({ evaluationTime: '' }, clock).now).toBe(Date.UTC(2026, 2, 2, 14));
		expect(resolveParameters({ evaluationTime: '   ' }, clock).now).toBe(Date.UTC(2026, 2, 2, 14));
		expect(resolveParameters({ evaluationTime: null }, clock).now).toBe(Date.UTC(2026, 2, 2, 14));
		expect(resolveParameters({ evaluationTime: '2026-07-01T09:30:00+02:00' }, clock).now).toBe(Date.UTC(2026, 6, 1, 7, 30));
		expect(resolveParameters({ evaluationTime: new Date(Date.UTC(2026, 0, 1)) }, clock).now).toBe(Date.UTC(2026, 0, 1));
	});

	it('uses the system clock by default', () => {
		const before = Date.now();
		const p = resolveParameters({});
		expect(p.now).toBeGreaterThanOrEqual(before);
		expect(p.now).toBeLessThanOrEqual(Date.now());
	});

	it('allowedMemberships: comma text or array → trimmed list, de-duplicated case-insensitively', () => {
		expect(resolveParameters({ allowedMemberships: ' Gold , 4411,,gold , Silver\nBronze' }, clock).allowedMemberships).toEqual(['Gold', '4411', 'Silver', 'Bronze']);
		expect(resolveParameters({ allowedMemberships: ['Gold', 4411, ' ', null, 'Plan, with comma'] }, clock).allowedMemberships).toEqual(['Gold', '4411', 'Plan, with comma']);
		expect(resolveParameters({ allowedMemberships: '' }, clock).allowedMemberships).toEqual([]);
		expect(resolveParameters({ allowedMemberships: 4411 }, clock).allowedMemberships).toEqual(['4411']);
		expect(parseAllowedMemberships(undefined)).toEqual([]);
	});

	it('registrationKinds: array or comma text, case-insensitive, de-duplicated', () => {
		expect(resolveParameters({ registrationKinds: ['Class', 'course', 'class'] }, clock).registrationKinds).toEqual(['class', 'course']);
		expect(resolveParameters({ registrationKinds: 'appointment, CLASS' }, clock).registrationKinds).toEqual(['appointment', 'class']);
		expect(resolveParameters({ registrationKinds: [] }, clock).registrationKinds).toEqual([]);
	});

	it('accepts numbers and booleans given as text (expressions)', () => {
		const p = resolveParameters({ minutesBefore: '30', minutesAfter: 0, lookAheadHours: '0.5', grantOnRegistrations: 'TRUE', countWaitlisted: 'false' }, clock);
		expect(p).toMatchObject({ minutesBefore: 30, minutesAfter: 0, lookAheadHours: 0.5, grantOnRegistrations: true, countWaitlisted: false });
		expect(resolveParameters({ duplicateEmails: 'DENY', onInvalidProfile: 'Fail', output: 'split' }, clock)).toMatchObject({ duplicateEmails: 'deny', onInvalidProfile: 'fail', output: 'split' });
	});

	const invalid: Array<[string, EvaluatorParameters, RegExp]> = [
		['negative minutesBefore', { minutesBefore: -5 }, /^Minutes Before Start \[minutesBefore\] must be 0 or more, got -5$/],
		['negative minutesAfter', { minutesAfter: '-1' }, /^Minutes After End \[minutesAfter\] must be 0 or more, got -1$/],
		['non-numeric minutes', { minutesBefore: 'an hour' }, /minutesBefore\] must be a number, got 'an hour'/],
		['infinite minutes', { minutesAfter: Number.POSITIVE_INFINITY }, /minutesAfter\] must be a number/],
		['negative lookAheadHours', { lookAheadHours: -1 }, /Look Ahead Hours \[lookAheadHours\] must be 0 or more/],
		['unknown kind', { registrationKinds: ['class', 'workshop'] }, /Registration Kinds \[registrationKinds\] contains an unknown kind 'workshop'/],
		['no kind while registrations grant', { grantOnRegistrations: true, registrationKinds: [] }, /registrationKinds\] is empty while Grant On Registrations is on/],
		['kinds of the wrong type', { registrationKinds: { class: true } }, /registrationKinds\] must be comma-separated text or a list/],
		['bad evaluationTime', { evaluationTime: 'yesterday' }, /Evaluation Time \[evaluationTime\] is not an ISO-8601 date-time \(got 'yesterday'\)/],
		['evaluationTime without offset', { evaluationTime: '2026-03-02T14:00:00' }, /evaluationTime\] has no UTC offset/],
		['impossible evaluationTime', { evaluationTime: '2026-02-30T14:00:00Z' }, /evaluationTime\] is not a valid ISO-8601 date-time/],
		['evaluationTime as a number', { evaluationTime: 1772460000000 }, /evaluationTime\] must be an ISO-8601 date-time string/],
		['unknown duplicate policy', { duplicateEmails: 'keep' }, /Duplicate Emails \[duplicateEmails\] must be one of 'merge', 'deny', got 'keep'/],
		['unknown invalid-profile policy', { onInvalidProfile: 'skip' }, /On Invalid Profile \[onInvalidProfile\] must be one of 'deny', 'fail'/],
		['unknown output', { output: 'both' }, /Output \[output\] must be one of 'single', 'split'/],
		['non-boolean flag', { grantOnMembership: 'yes' }, /Grant On Active Membership \[grantOnMembership\] must be true or false, got 'yes'/],
		['non-boolean allowBlocked', { allowBlockedMemberships: 1 }, /allowBlockedMemberships\] must be true or false, got 1/],
		['allowedMemberships as an object', { allowedMemberships: { a: 1 } }, /Allowed Memberships \[allowedMemberships\] must be comma-separated text or a list/],
		['allowedMemberships with an object inside', { allowedMemberships: ['Gold', { id: 1 }] }, /allowedMemberships\] must contain only text or numbers/],
	];

	it.each(invalid)('throws InvalidParameterError for %s', (_name, raw, message) => {
		let caught: unknown;
		try {
			resolveParameters(raw, clock);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InvalidParameterError);
		expect((caught as Error).message).toMatch(message);
		expect((caught as InvalidParameterError).parameter).toBe(Object.keys(raw)[Object.keys(raw).length - 1]);
	});

	it('fails before any item is evaluated (even with On Invalid Profile = deny)', () => {
		expect(() => evaluateAccess(['not a profile'], { minutesBefore: -1 })).toThrow(InvalidParameterError);
	});

	it('refuses a non-object parameter set', () => {
		expect(() => resolveParameters(null as unknown as EvaluatorParameters)).toThrow(TypeError);
	});
});
