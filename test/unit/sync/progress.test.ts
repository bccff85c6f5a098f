/** What a long sync says while it writes and when it is stopped (nodes/Kisi/sync/progress.ts). */
import type { ApplyProgress } from '../../../nodes/Kisi/sync/apply';
import { partlyAppliedDescription, progressText, roughDuration, stoppedText } from '../../../nodes/Kisi/sync/progress';

const progress = (over: Partial<ApplyProgress>): ApplyProgress => ({
	total: 5000,
	done: 1234,
	created: 1200,
	updated: 30,
	deleted: 4,
	left: 0,
	failed: 0,
	elapsedMs: 250_000,
	remainingMs: 753_000,
	current: null,
	...over,
});

it('says how many of how many changes are done and about how long is left', () => {
	expect(progressText(12, progress({}))).toBe('Group 12: 1,234 of 5,000 changes done (1,200 created, 30 updated, 4 removed), about 13 min left');
	expect(progressText(12, progress({ done: 5000, remainingMs: 0, failed: 2, left: 1 }))).toBe('Group 12: 5,000 of 5,000 changes done (1,200 created, 30 updated, 4 removed, 1 left as Kisi holds them, 2 failed)');
	expect([45_000, 600_000, 2 * 3600_000 + 5 * 60_000].map(roughDuration)).toEqual(['45 s', '10 min', '2 h 05 min']);
});

it('a stop says what is done, what was under way and how many were not made', () => {
	expect(stoppedText(12, progress({ current: { action: 'create', email: 'a@gym.test' } }))).toBe(
		'Group 12: stopped after 1,234 of 5,000 changes (1,200 created, 30 updated, 4 removed); the change being written when it stopped (create a@gym.test) may or may not have been made; 3,765 not made. The next run makes what is still needed.',
	);
	expect(stoppedText(12, progress({}))).toMatch(/\(1,200 created, 30 updated, 4 removed\); 3,766 not made\./);
});

it('a part-way failure lists the changes made and not made, at most 100 of each', () => {
	const entry = (i: number, error?: string) => ({ action: 'create', email: `p${i}@gym.test`, error }) as never;
	const made = Array.from({ length: 150 }, (_, i) => entry(i));
	const failed = [entry(150, 'Kisi answered 500'), entry(151, 'not attempted: Kisi failed several times in a row')];
	const [first, second] = partlyAppliedDescription([...made, ...failed], failed).split('\n');
	expect(first).toMatch(/^Made \(150\): create p0@gym\.test, .*, create p99@gym\.test, … and 50 more\.$/);
	expect(second).toBe('Not made (2): create p150@gym.test, create p151@gym.test.');
});
