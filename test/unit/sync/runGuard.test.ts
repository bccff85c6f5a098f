import { enterRun } from '../../../nodes/Kisi/sync/runGuard';

describe('enterRun: syncs of one group in progress in this process', () => {
	it('the first run finds the group free; a second one learns since when it is busy; free again once all have ended', () => {
		const first = enterRun('kisi\n501', new Date('2026-03-02T14:00:00Z'));
		expect(first.busySince).toBeNull();
		const second = enterRun('kisi\n501', new Date('2026-03-02T14:15:00Z'));
		expect(second.busySince).toBe('2026-03-02T14:00:00.000Z');
		expect(enterRun('kisi\n502').busySince).toBeNull(); // another group
		first.release();
		// The second run (it ran anyway) is still going: a third one still finds the group busy.
		const third = enterRun('kisi\n501');
		expect(third.busySince).toBe('2026-03-02T14:00:00.000Z');
		second.release();
		third.release();
		third.release(); // releasing twice changes nothing
		const fourth = enterRun('kisi\n501');
		expect(fourth.busySince).toBeNull();
		fourth.release();
	});
});
