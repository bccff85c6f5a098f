import { email, instant, integer, InvalidInput, numericId, objectId, optionalInstant } from '../../../nodes/shared/validate';

function messageOf(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidInput);
		return (error as Error).message;
	}
	throw new Error('expected a validation error');
}

describe('free-input validation', () => {
	it('normalises emails and names field and item when one is wrong', () => {
		expect(email('  Ana.Ruiz@Example.COM ', 'Email', 0)).toBe('ana.ruiz@example.com');
		expect(messageOf(() => email('ana.example.com', 'Email', 3))).toBe(
			'Item 3: "Email" must be an email address like ana@example.com (got "ana.example.com")',
		);
		expect(messageOf(() => email(undefined, 'Email', 0))).toContain('(got nothing)');
	});

	it('accepts ISO instants with a zone only', () => {
		expect(instant('2026-03-02T15:00:00+01:00', 'Valid From', 0)).toBe('2026-03-02T14:00:00.000Z');
		expect(messageOf(() => instant('2026-03-02 15:00', 'Valid From', 1))).toContain('Item 1: "Valid From" must be an ISO-8601');
		expect(messageOf(() => instant('2026-02-30T10:00:00Z', 'Valid From', 0))).toContain('"Valid From"');
		expect(optionalInstant('', 'Valid Until', 0)).toBeNull();
	});

	it('checks numbers and ids', () => {
		expect(integer('60', 'Minutes Before', 0)).toBe(60);
		expect(messageOf(() => integer(-5, 'Minutes Before', 2))).toBe('Item 2: "Minutes Before" must be a whole number of at least 0 (got -5)');
		expect(messageOf(() => integer(101, 'Percent', 0, { min: 0, max: 100 }))).toContain('from 0 to 100');
		expect(numericId(' 501 ', 'Group', 0)).toBe(501);
		expect(messageOf(() => numericId('abc', 'Group', 0))).toContain('numeric ID');
		expect(objectId('62D9E7D8E803E136A87B7367', 'Member ID', 0)).toBe('62d9e7d8e803e136a87b7367');
		expect(messageOf(() => objectId('62d9', 'Member ID', 4))).toContain('Item 4: "Member ID" must be a 24-character Glofox ID');
	});
});
