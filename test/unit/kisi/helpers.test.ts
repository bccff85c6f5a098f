import { checkWindow, exactEmailMatch, metadataObject, validity } from '../../../nodes/Kisi/actions/helpers';

/** Valid From as Kisi gets it (through the shared date-time reader). */
const validFrom = (value: unknown, timeZone: string) => validity(value, '', 0, timeZone).valid_from;

describe('date-time parameters', () => {
	it('keeps a fraction of a second when there is one', () => {
		expect(validFrom('2026-03-02T14:00:00.250Z', 'UTC')).toBe('2026-03-02T14:00:00.250Z');
	});

	it('reads a value with an offset as that instant', () => {
		expect(validFrom('2026-03-02T15:00:00+01:00', 'America/New_York')).toBe('2026-03-02T14:00:00Z');
		expect(validFrom('2026-03-02T14:00:00Z', 'Europe/Berlin')).toBe('2026-03-02T14:00:00Z');
	});

	it("reads the date picker's offset-less value (and a plain date) in the workflow's time zone", () => {
		expect(validFrom('2026-03-02T15:00:00', 'Europe/Berlin')).toBe('2026-03-02T14:00:00Z');
		expect(validFrom('2026-07-02T15:00', 'Europe/London')).toBe('2026-07-02T14:00:00Z');
		expect(validFrom('2026-03-02', 'America/New_York')).toBe('2026-03-02T05:00:00Z');
	});

	it('gives null for an empty value and names field and item for a wrong one', () => {
		expect(validity('', '', 0, 'UTC').valid_until).toBeNull();
		expect(validity(undefined, undefined, 0, 'UTC').valid_until).toBeNull();
		expect(() => validity('', 'next monday', 3, 'UTC')).toThrow(
			'Item 3: "Valid Until" must be an ISO-8601 date-time with a time zone, like 2026-03-02T15:00:00Z (got "next monday")',
		);
		expect(() => validity('2026-02-30T10:00:00', '', 1, 'UTC')).toThrow(/Item 1: "Valid From"/);
	});

	it('refuses a window that ends before it starts', () => {
		expect(() => checkWindow('2026-03-02T14:00:00Z', '2026-03-01T14:00:00Z', 2)).toThrow(
			'Item 2: "Valid Until" (2026-03-01T14:00:00Z) must be after "Valid From" (2026-03-02T14:00:00Z)',
		);
		expect(() => checkWindow(null, '2026-03-01T14:00:00Z', 0)).not.toThrow();
	});
});

describe('finding a user by email', () => {
	it('matches exactly and case-insensitively, never a user whose email only contains the text', () => {
		const users = [{ id: 1, email: 'xana@demo.gym' }, { id: 2, email: 'Ana@Demo.gym' }, { id: 3, email: null }];
		expect(exactEmailMatch(users, 'ana@demo.gym')).toEqual({ id: 2, email: 'Ana@Demo.gym' });
		expect(exactEmailMatch(users, 'na@demo.gym')).toBeUndefined();
	});
});

describe('user metadata', () => {
	it('turns key/value rows into a flat object, skipping empty keys', () => {
		expect(metadataObject({ field: [{ key: 'member_id', value: 42 }, { key: ' ', value: 'x' }, { key: 'plan', value: 'Gold' }] }, 0)).toEqual({
			member_id: '42',
			plan: 'Gold',
		});
		expect(metadataObject(undefined, 0)).toEqual({});
	});

	it('enforces Kisi’s limits with the field and item named', () => {
		expect(() => metadataObject({ field: [{ key: 'k'.repeat(51), value: '' }] }, 1)).toThrow(/Item 1: "Metadata" key/);
		expect(() => metadataObject({ field: [{ key: 'k', value: 'v'.repeat(501) }] }, 1)).toThrow(/longer than 500/);
		const many = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: '' }));
		expect(() => metadataObject({ field: many }, 0)).toThrow('Item 0: "Metadata" may hold at most 50 keys (got 51)');
	});
});
