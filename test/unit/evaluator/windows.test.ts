import { containsInstant, isRelevant, mergeWindows, selectWindow, toOutputWindow } from '../../../nodes/AccessRuleEvaluator/engine';
import type { Window } from '../../../nodes/AccessRuleEvaluator/engine';

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 2, 0);
const at = (hours: number) => T0 + hours * H;
const w = (from: number, until: number, refId = 'x', basis: Window['basis'] = 'registration'): Window => ({ from, until, basis, refId });

describe('mergeWindows', () => {
	it('merges overlapping windows', () => {
		const merged = mergeWindows([w(at(1), at(3), 'a'), w(at(2), at(5), 'b')]);
		expect(merged).toHaveLength(1);
		expect(merged[0]).toMatchObject({ from: at(1), until: at(5) });
		expect(merged[0].parts.map((p) => p.refId)).toEqual(['a', 'b']);
	});

	it('merges touching windows (end == next start)', () => {
		const merged = mergeWindows([w(at(3), at(4), 'b'), w(at(1), at(3), 'a')]);
		expect(merged).toEqual([{ from: at(1), until: at(4), parts: [w(at(1), at(3), 'a'), w(at(3), at(4), 'b')] }]);
	});

	it('keeps windows separated by a gap apart, even of one millisecond', () => {
		const merged = mergeWindows([w(at(1), at(3) - 1, 'a'), w(at(3), at(4), 'b')]);
		expect(merged.map((m) => [m.from, m.until])).toEqual([
			[at(1), at(3) - 1],
			[at(3), at(4)],
		]);
	});

	it('handles unbounded ends and contained windows', () => {
		const merged = mergeWindows([
			w(at(5), at(6), 'inside'),
			w(Number.NEGATIVE_INFINITY, at(10), 'm', 'membership'),
			w(at(10), Number.POSITIVE_INFINITY, 'n', 'membership'),
		]);
		expect(merged).toHaveLength(1);
		expect(merged[0].from).toBe(Number.NEGATIVE_INFINITY);
		expect(merged[0].until).toBe(Number.POSITIVE_INFINITY);
		expect(merged[0].parts.map((p) => p.refId)).toEqual(['m', 'inside', 'n']);
	});

	it('drops empty windows and does not mutate its input order', () => {
		const input = [w(at(2), at(2), 'empty'), w(at(4), at(3), 'reversed'), w(at(1), at(2), 'ok')];
		expect(mergeWindows(input).map((m) => m.parts.map((p) => p.refId))).toEqual([['ok']]);
		expect(input.map((x) => x.refId)).toEqual(['empty', 'reversed', 'ok']);
		expect(mergeWindows([])).toEqual([]);
	});

	it('chains of many windows merge transitively', () => {
		const chain = Array.from({ length: 50 }, (_, i) => w(at(i), at(i + 1), String(i)));
		expect(mergeWindows(chain.reverse())).toEqual([expect.objectContaining({ from: at(0), until: at(50) })]);
	});
});

describe('selectWindow', () => {
	const now = at(10);
	const horizon = at(34);

	it('the window containing now wins over an earlier scheduled one', () => {
		const merged = mergeWindows([w(at(12), at(13), 'later'), w(at(9), at(11), 'now')]);
		const selected = selectWindow(merged, now, horizon);
		expect(selected?.activeNow).toBe(true);
		expect(selected?.window.from).toBe(at(9));
	});

	it('half-open: a window that starts exactly now is current, one that ends exactly now is over', () => {
		expect(selectWindow(mergeWindows([w(now, at(11))]), now, horizon)?.activeNow).toBe(true);
		expect(selectWindow(mergeWindows([w(at(8), now)]), now, horizon)).toBeNull();
		expect(containsInstant({ from: now, until: at(11) }, now)).toBe(true);
		expect(containsInstant({ from: at(8), until: now }, now)).toBe(false);
	});

	it('else the earliest window opening within the look-ahead', () => {
		const selected = selectWindow(mergeWindows([w(at(20), at(21), 'b'), w(at(15), at(16), 'a')]), now, horizon);
		expect(selected).toEqual({ activeNow: false, window: expect.objectContaining({ from: at(15), until: at(16) }) });
	});

	it('a window opening exactly at the horizon is beyond it; one just before is within', () => {
		expect(selectWindow(mergeWindows([w(horizon, horizon + H)]), now, horizon)).toBeNull();
		expect(selectWindow(mergeWindows([w(horizon - 1, horizon + H)]), now, horizon)?.activeNow).toBe(false);
	});

	it('nothing current or scheduled → null', () => {
		expect(selectWindow(mergeWindows([w(at(1), at(2)), w(at(40), at(41))]), now, horizon)).toBeNull();
		expect(selectWindow([], now, horizon)).toBeNull();
	});

	it('isRelevant matches the selection rules', () => {
		expect(isRelevant({ from: at(9), until: at(11) }, now, horizon)).toBe(true);
		expect(isRelevant({ from: at(20), until: at(21) }, now, horizon)).toBe(true);
		expect(isRelevant({ from: horizon, until: horizon + 1 }, now, horizon)).toBe(false);
		expect(isRelevant({ from: at(1), until: now }, now, horizon)).toBe(false);
		expect(isRelevant({ from: at(12), until: at(12) }, now, horizon)).toBe(false);
	});
});

describe('toOutputWindow', () => {
	it('writes ISO UTC with milliseconds, null for unbounded ends', () => {
		expect(toOutputWindow(w(Number.NEGATIVE_INFINITY, Date.UTC(2026, 5, 1), '991', 'membership'))).toEqual({
			from: null,
			until: '2026-06-01T00:00:00.000Z',
			basis: 'membership',
			refId: '991',
		});
		expect(toOutputWindow(w(Date.UTC(2026, 2, 2, 14), Number.POSITIVE_INFINITY, 'r')).until).toBeNull();
	});
});
