import {
	formatPath,
	normaliseMembershipStatus,
	normaliseMembershipType,
	normaliseRegistrationStatus,
	parseProfile,
} from '../../../nodes/AccessRuleEvaluator/engine';
import type { ProfileParse } from '../../../nodes/AccessRuleEvaluator/engine';

function problem(parse: ProfileParse): { field: string; message: string } {
	if (parse.ok) throw new Error('expected an invalid profile');
	return { field: parse.field, message: parse.message };
}

describe('parseProfile: valid input', () => {
	it('parses the §1 example', () => {
		const parse = parseProfile({
			source: 'glofox',
			sourceId: '62d9e7d8e803e136a87b7367',
			email: 'Ana.Ruiz@Example.com ',
			name: 'Ana Ruiz',
			memberships: [
				{
					id: '991',
					planId: '4411',
					name: '10 Class Pack',
					type: 'pack',
					status: 'active',
					startsAt: '2026-03-01T00:00:00Z',
					expiresAt: '2026-06-01T00:00:00Z',
					remainingUses: 3,
					blocked: false,
					blockReason: null,
				},
			],
			registrations: [
				{ id: '7001', kind: 'class', status: 'registered', startsAt: '2026-03-02T15:00:00Z', endsAt: '2026-03-02T16:00:00Z', eventId: '5550001', eventName: 'Morning Yoga' },
			],
		});
		expect(parse.ok).toBe(true);
		if (!parse.ok) return;
		expect(parse.profile).toEqual({
			source: 'glofox',
			sourceId: '62d9e7d8e803e136a87b7367',
			email: 'Ana.Ruiz@Example.com ',
			name: 'Ana Ruiz',
			timeZone: null,
			memberships: [
				{
					index: 0,
					id: '991',
					planId: '4411',
					name: '10 Class Pack',
					type: 'pack',
					rawType: 'pack',
					status: 'active',
					rawStatus: 'active',
					startsAt: Date.UTC(2026, 2, 1),
					expiresAt: Date.UTC(2026, 5, 1),
					remainingUses: 3,
					blocked: false,
					blockReason: null,
					blocks: [],
				},
			],
			registrations: [
				{
					index: 0,
					id: '7001',
					kind: 'class',
					status: 'registered',
					rawStatus: 'registered',
					startsAt: Date.UTC(2026, 2, 2, 15),
					endsAt: Date.UTC(2026, 2, 2, 16),
					eventId: '5550001',
					eventName: 'Morning Yoga',
				},
			],
		});
	});

	it('missing or null arrays mean none; unknown keys are ignored', () => {
		for (const input of [{ email: 'a@b.co' }, { email: 'a@b.co', memberships: null, registrations: null, extra: { x: 1 } }]) {
			const parse = parseProfile(input);
			expect(parse.ok).toBe(true);
			if (parse.ok) {
				expect(parse.profile.memberships).toEqual([]);
				expect(parse.profile.registrations).toEqual([]);
				expect(parse.profile.source).toBeNull();
				expect(parse.profile.sourceId).toBeNull();
			}
		}
	});

	it('is tolerant: numeric ids, numeric-text uses, text booleans, blank optional fields', () => {
		const parse = parseProfile({
			sourceId: 812345,
			email: 'a@b.co',
			memberships: [{ id: 991, planId: 4411, status: ' ACTIVE ', remainingUses: '2', blocked: 'TRUE', startsAt: '', expiresAt: null, name: '  ' }],
			registrations: [{ id: 7001, kind: 'Class', status: 'Booked', startsAt: '2026-03-02T15:00:00Z', endsAt: '2026-03-02T15:00:00Z' }],
		});
		expect(parse.ok).toBe(true);
		if (!parse.ok) return;
		expect(parse.profile.sourceId).toBe('812345');
		expect(parse.profile.memberships[0]).toMatchObject({ id: '991', planId: '4411', status: 'active', rawStatus: 'ACTIVE', remainingUses: 2, blocked: true, startsAt: null, expiresAt: null, name: null, type: null });
		expect(parse.profile.registrations[0]).toMatchObject({ id: '7001', kind: 'class', status: 'registered', rawStatus: 'Booked' });
	});

	it('keeps the email as given (validated separately)', () => {
		const parse = parseProfile({ email: 12 });
		expect(parse.ok && parse.profile.email).toBe(12);
	});
});

describe('status and type spellings', () => {
	it.each([
		['active', 'active'],
		['ACTIVE', 'active'],
		['hold', 'hold'],
		['On Hold', 'hold'],
		['PAUSED', 'hold'],
		['paused', 'hold'],
		['completed', 'completed'],
		['complete', 'completed'],
		['expired', 'expired'],
		['EXPIRED', 'expired'],
		['cancelled', 'cancelled'],
		['CANCELLED', 'cancelled'],
		['canceled', 'cancelled'],
		['future', 'future'],
		['FUTURE', 'future'],
		['LOCKED', 'locked'],
		['frozen', 'unknown'],
		['', 'unknown'],
	])('membership status %p → %p', (raw, expected) => {
		expect(normaliseMembershipStatus(raw)).toBe(expected);
	});

	it.each([
		['recurring', 'recurring'],
		['recurring_plan', 'recurring'],
		['pack', 'pack'],
		['PACK', 'pack'],
		['prepaid', 'prepaid'],
		['prepaid_plan', 'prepaid'],
		['payg', 'payg'],
		['PAYG', 'payg'],
		['time', 'time'],
		['time_classes', 'time_classes'],
		['num_classes', 'num_classes'],
		['monthly', 'unknown'],
		[null, null],
	])('membership type %p → %p', (raw, expected) => {
		expect(normaliseMembershipType(raw)).toBe(expected);
	});

	it.each([
		['registered', 'registered'],
		['REGISTERED', 'registered'],
		['BOOKED', 'registered'],
		['attended', 'attended'],
		['waitlisted', 'waitlisted'],
		['waitlist', 'waitlisted'],
		['WAITING', 'waitlisted'],
		['cancelled', 'cancelled'],
		['canceled', 'cancelled'],
		['CANCELED', 'cancelled'],
		['late_cancelled', 'late_cancelled'],
		['late-canceled', 'late_cancelled'],
		['no_show', 'no_show'],
		['No Show', 'no_show'],
		['not_registered', 'not_registered'],
		['plans_to_attend', 'unknown'],
	])('registration status %p → %p', (raw, expected) => {
		expect(normaliseRegistrationStatus(raw)).toBe(expected);
	});
});

describe('parseProfile: invalid input names the field', () => {
	it.each([
		[null, 'profile must be an object (got null)'],
		['ana@example.com', 'profile must be an object (got text)'],
		[42, 'profile must be an object (got a number)'],
		[[{ email: 'a@b.co' }], 'profile must be an object (got a list)'],
	])('not an object: %p', (input, message) => {
		expect(problem(parseProfile(input))).toEqual({ field: 'profile', message });
	});

	const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
		['memberships not an array', { memberships: 'gold' }, 'memberships', /^memberships must be a list \(got text\)$/],
		['registrations not an array', { registrations: { id: 1 } }, 'registrations', /^registrations must be a list \(got an object\)$/],
		['membership not an object', { memberships: ['gold'] }, 'memberships[0]', /^memberships\[0\] must be an object \(got text\)$/],
		['membership without status', { memberships: [{ id: '1' }] }, 'memberships[0].status', /^memberships\[0\]\.status is required$/],
		['membership with blank status', { memberships: [{ status: '  ' }] }, 'memberships[0].status', /^memberships\[0\]\.status is empty$/],
		['membership with object status', { memberships: [{ status: { a: 1 } }] }, 'memberships[0].status', /status must be text or a number \(got an object\)/],
		['membership startsAt not a date', { memberships: [{ status: 'active', startsAt: 'soon' }] }, 'memberships[0].startsAt', /^memberships\[0\]\.startsAt is not an ISO-8601 date-time \(got 'soon'\)$/],
		['membership expiresAt without offset', { memberships: [{ status: 'active', expiresAt: '2026-06-01T00:00:00' }] }, 'memberships[0].expiresAt', /expiresAt has no UTC offset/],
		['membership expiresAt before startsAt', { memberships: [{ status: 'active' }, { status: 'active', startsAt: '2026-06-01T00:00:00Z', expiresAt: '2026-05-01T00:00:00Z' }] }, 'memberships[1].expiresAt', /^memberships\[1\]\.expiresAt is before startsAt$/],
		['remainingUses not a number', { memberships: [{ status: 'active', remainingUses: 'lots' }] }, 'memberships[0].remainingUses', /remainingUses must be a number or null \(got "lots"\)/],
		['blocked not a boolean', { memberships: [{ status: 'active', blocked: 'maybe' }] }, 'memberships[0].blocked', /blocked must be true or false/],
		['registration without startsAt', { registrations: [{ kind: 'class', status: 'registered', endsAt: '2026-03-02T16:00:00Z' }] }, 'registrations[0].startsAt', /^registrations\[0\]\.startsAt is required$/],
		['registration startsAt null', { registrations: [{ kind: 'class', status: 'registered', startsAt: null, endsAt: '2026-03-02T16:00:00Z' }] }, 'registrations[0].startsAt', /startsAt is required/],
		['registration endsAt not a date', { registrations: [{ kind: 'class', status: 'registered', startsAt: '2026-03-02T15:00:00Z', endsAt: 1772470800 }] }, 'registrations[0].endsAt', /endsAt must be an ISO-8601 date-time string \(got a number\)/],
		['registration endsAt before startsAt', { registrations: [{ kind: 'class', status: 'registered', startsAt: '2026-03-02T15:00:00Z', endsAt: '2026-03-02T16:00:00Z' }, { kind: 'class', status: 'registered', startsAt: '2026-03-02T16:00:00Z', endsAt: '2026-03-02T15:00:00Z' }] }, 'registrations[1].endsAt', /^registrations\[1\]\.endsAt is before startsAt$/],
		['registration without kind', { registrations: [{ status: 'registered', startsAt: '2026-03-02T15:00:00Z', endsAt: '2026-03-02T16:00:00Z' }] }, 'registrations[0].kind', /kind is required/],
		['name is an object', { name: { first: 'Ana' } }, 'name', /^name must be text or a number \(got an object\)$/],
	];

	it.each(cases)('%s', (_title, input, field, message) => {
		const result = problem(parseProfile({ email: 'ana@example.com', ...input }));
		expect(result.field).toBe(field);
		expect(result.message).toMatch(message);
	});

	it('reports several problems, capped at three', () => {
		const result = problem(
			parseProfile({
				email: 'a@b.co',
				memberships: [{ status: 'active', startsAt: 'x' }, { status: 'active', startsAt: 'y' }, { status: ' ', startsAt: 'z' }],
			}),
		);
		expect(result.message).toBe(
			"memberships[0].startsAt is not an ISO-8601 date-time (got 'x'); memberships[1].startsAt is not an ISO-8601 date-time (got 'y'); memberships[2].status is empty; and 1 more problem(s)",
		);
	});

	it('shape problems are reported before value problems (values are read once the shape is right)', () => {
		const result = problem(parseProfile({ email: 'a@b.co', memberships: [{ startsAt: 'x' }, { status: 'active', startsAt: 'y' }] }));
		expect(result.message).toBe('memberships[0].status is required');
	});

	it('keeps what it can read for the output record', () => {
		const parse = parseProfile({ email: 'Ana@Example.com', name: ' Ana ', source: 'teamup', sourceId: 7, memberships: 'x' });
		expect(parse).toMatchObject({ ok: false, email: 'Ana@Example.com', name: 'Ana', source: 'teamup', sourceId: '7' });
	});
});

describe('formatPath', () => {
	it('joins keys and indexes', () => {
		expect(formatPath(['registrations', 1, 'endsAt'])).toBe('registrations[1].endsAt');
		expect(formatPath(['memberships', 0])).toBe('memberships[0]');
		expect(formatPath([])).toBe('');
	});
});
