/**
 * One e-mail check for the whole pack: the Access Rule Evaluator's. Protected Emails and every
 * node's email field accept exactly the addresses the evaluator accepts, so an address that can
 * never be synced is never protected (or looked up) by mistake either.
 */
import { checkEmail } from '../../../nodes/AccessRuleEvaluator/engine';
import { parseEmailList } from '../../../nodes/Kisi/sync/plan';
import { email, InvalidInput } from '../../../nodes/shared/validate';

const ADDRESSES = [
	'ana@example.com',
	'A.B+gym@Sub.Example.co.uk',
	"o'neil@example.ie",
	'x@y.z',
	'boss@gym',
	'boss gym.com',
	'boss@',
	'@example.com',
	'a@b@example.com',
	'boss@gym..com',
	'boss@.gym.com',
	'boss@gym.com.',
	'Ana <ana@example.com>',
	'ana(at)example.com',
	'"ana"@example.com',
	`${'a'.repeat(250)}@example.com`,
];

describe('the e-mail check', () => {
	it.each(ADDRESSES)('%s: Protected Emails and the email fields agree with the evaluator', (address) => {
		const evaluator = checkEmail(address);
		const accepts = (check: () => unknown) => {
			try {
				check();
				return true;
			} catch {
				return false;
			}
		};
		expect(accepts(() => parseEmailList([address]))).toBe(evaluator.ok);
		expect(accepts(() => email(address, 'Email', 0))).toBe(evaluator.ok);
		if (evaluator.ok) {
			expect([...parseEmailList([address])]).toEqual([evaluator.email]);
			expect(email(address, 'Email', 0)).toBe(evaluator.email);
		}
	});

	it('an address the evaluator rejects fails Protected Emails naming the field and the entry, and an email field naming the field and the item', () => {
		expect(() => parseEmailList('owner@demo.gym, boss@gym..com')).toThrow('Protected Emails [protectedEmails] contains "boss@gym..com", which is not an email address');
		let caught: unknown;
		try {
			email('boss@gym..com', 'Email', 2);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InvalidInput);
		expect((caught as Error).message).toBe('Item 2: "Email" must be an email address like ana@example.com (got "boss@gym..com")');
	});
});
