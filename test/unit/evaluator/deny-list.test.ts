/**
 * The Deny List (docs/spec/access-rules.md §3.3, issue 19): e-mails or source ids that are always
 * denied with DENY_LISTED, whatever their membership or bookings say.
 */
import { InvalidParameterError, parseDenyList, resolveParameters } from '../../../nodes/AccessRuleEvaluator/engine';
import { codes, membership, one, profile, registration, run } from './helpers';

const ON = { grantOnRegistrations: true };

describe('a deny-listed person is denied whatever the rules say', () => {
	it('by e-mail, with a valid membership and a booking: DENY_LISTED alone, saying the rules would otherwise grant', () => {
		const item = profile({ sourceId: '812345', email: ' Banned.Person@Example.com ', memberships: [membership()], registrations: [registration()] });
		const d = one(item, { ...ON, denyList: 'someone@example.com, BANNED.person@example.com' });
		expect(d).toMatchObject({ email: 'banned.person@example.com', access: 'deny', activeNow: false, validFrom: null, validUntil: null, reasons: [], windows: [] });
		expect(d.denials).toEqual([{ code: 'DENY_LISTED', message: 'E-mail banned.person@example.com is on the Deny List; the rules would otherwise grant access' }]);
	});

	it('by source id (a TeamUp customer id as a number from an expression, a Glofox id in any case)', () => {
		const teamup = profile({ source: 'teamup', sourceId: '812345', memberships: [membership()] });
		const glofox = profile({ source: 'glofox', sourceId: '62d9e7d8e803e136a87b7367', memberships: [membership()] });
		const other = profile({ memberships: [membership()] });
		const out = run([teamup, glofox, other], { denyList: [812345, '62D9E7D8E803E136A87B7367'] }).map((o) => o.decision);
		expect(out.map((d) => [d.access, codes(d.denials)])).toEqual([
			['deny', ['DENY_LISTED']],
			['deny', ['DENY_LISTED']],
			['allow', []],
		]);
		expect(out[0].denials[0].message).toBe('Source id 812345 is on the Deny List; the rules would otherwise grant access');
	});

	it('one listed source id among people sharing an e-mail denies that e-mail (one Kisi user)', () => {
		const out = run([
			profile({ sourceId: '1', email: 'family@example.com', memberships: [membership()] }),
			profile({ sourceId: '2', email: 'family@example.com', memberships: [membership()] }),
		], { denyList: '2' });
		expect(out).toHaveLength(1);
		expect(out[0].decision).toMatchObject({ access: 'deny', denials: [{ code: 'DENY_LISTED' }] });
		expect(out[0].inputIndexes).toEqual([0, 1]);
	});

	it('a listed person the rules deny anyway: the message says so', () => {
		const d = one(profile({ email: 'gone@example.com', memberships: [membership({ status: 'cancelled' })] }), { denyList: 'gone@example.com' });
		expect(d.denials).toEqual([{ code: 'DENY_LISTED', message: 'E-mail gone@example.com is on the Deny List' }]);
	});

	it('wins over an invalid profile and an unrecognised status (which would make a sync keep the share)', () => {
		const broken = profile({ sourceId: '7', memberships: [membership({ status: 'frozen' })], registrations: [registration({ endsAt: '2026-03-02T14:00:00Z' })] });
		expect(one(broken, { ...ON, denyList: '7' }).denials).toEqual([{ code: 'DENY_LISTED', message: 'Source id 7 is on the Deny List' }]);
	});

	it('a listed person without a usable e-mail gets DENY_LISTED next to INVALID_EMAIL', () => {
		const d = one(profile({ sourceId: '9', email: null, memberships: [membership()] }), { denyList: '9' });
		expect(codes(d.denials)).toEqual(['DENY_LISTED', 'INVALID_EMAIL']);
	});

	it('an empty list (the default) denies nobody', () => {
		for (const denyList of ['', ' , ', [], null, undefined]) {
			expect(one(profile({ memberships: [membership()] }), { denyList }).access).toBe('allow');
		}
	});
});

describe('Deny List [denyList] entries', () => {
	it('reads comma- or newline-separated text and arrays; e-mails normalised, ids trimmed', () => {
		const list = parseDenyList(' Ana@Example.com ,812345\n62d9e7d8e803e136a87b7367 ');
		expect([...list.emails]).toEqual(['ana@example.com']);
		expect([...list.sourceIds]).toEqual(['812345', '62d9e7d8e803e136a87b7367']);
		expect([...parseDenyList(['x@example.com', 5]).sourceIds]).toEqual(['5']);
	});

	it.each([
		['ana@', "contains 'ana@', which is not a usable e-mail (expected local@domain)"],
		['ok@example.com, ana @example.com', "contains 'ana @example.com', which is not a usable e-mail (expected local@domain)"],
		['Ana Ruiz', "contains 'Ana Ruiz', which is neither an e-mail nor a source id (ids have no spaces); separate entries with commas"],
	])('%p fails the node naming the field and the entry', (value, problem) => {
		expect(() => resolveParameters({ denyList: value })).toThrow(InvalidParameterError);
		expect(() => resolveParameters({ denyList: value })).toThrow(`Deny List [denyList] ${problem}`);
	});

	it('a list holding something other than text or numbers fails', () => {
		expect(() => resolveParameters({ denyList: [{ email: 'a@b.co' }] })).toThrow('Deny List [denyList] must contain only text or numbers, got an object');
		expect(() => resolveParameters({ denyList: { email: 'a@b.co' } })).toThrow('Deny List [denyList] must be comma-separated text or a list, got an object');
	});
});
