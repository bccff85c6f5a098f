import { paceRule, SlidingWindowPacer } from '../../../nodes/shared/pacing';

/** A clock that only moves when the pacer sleeps, so the test measures the pacer's own decisions. */
function virtualTime() {
	let now = 0;
	const sleeps: number[] = [];
	return {
		now: () => now,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			now += ms;
		},
		sleeps,
	};
}

/** Virtual time with real concurrency: sleepers wake in order of their deadlines. */
function concurrentTime() {
	let now = 0;
	const timers: Array<{ at: number; wake: () => void }> = [];
	const settle = () => new Promise((resolve) => setImmediate(resolve));
	return {
		now: () => now,
		sleep: (ms: number) => new Promise<void>((wake) => timers.push({ at: now + ms, wake })),
		async run(work: Promise<unknown>) {
			let done = false;
			void work.then(() => (done = true));
			while (!done) {
				await settle();
				if (done || timers.length === 0) continue;
				timers.sort((a, b) => a.at - b.at);
				const next = timers.shift()!;
				now = next.at;
				next.wake();
			}
		},
	};
}

describe('paceRule', () => {
	it('turns "5 per second" into at most 5 starts per window, with a margin against clock jitter', () => {
		expect(paceRule(5, 1000)).toEqual({ limit: 5, windowMs: 1020 });
		expect(paceRule(250, 60_000)).toEqual({ limit: 250, windowMs: 61_200 });
	});

	it('handles rates below one request per window', () => {
		expect(paceRule(0.5, 1000)).toEqual({ limit: 1, windowMs: 2040 });
	});

	it('refuses a rate that is not positive', () => {
		expect(() => paceRule(0, 1000)).toThrow('positive');
	});
});

describe('SlidingWindowPacer', () => {
	it('lets a burst up to the limit through at once, then spaces the rest by the window', async () => {
		const time = virtualTime();
		const pacer = new SlidingWindowPacer({ limit: 5, windowMs: 1000 }, time.sleep, time.now);
		const starts: number[] = [];
		for (let i = 0; i < 12; i++) {
			await pacer.acquire();
			starts.push(time.now());
		}
		expect(starts.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
		// Never more than 5 starts inside any 1000 ms window.
		for (let i = 5; i < starts.length; i++) expect(starts[i] - starts[i - 5]).toBeGreaterThanOrEqual(1000);
		// And no slower than needed: 12 requests at 5/s finish within the third window.
		expect(starts[11]).toBeLessThanOrEqual(2002);
	});

	it('shares one budget between concurrent callers', async () => {
		const time = concurrentTime();
		const pacer = new SlidingWindowPacer({ limit: 2, windowMs: 1000 }, time.sleep, time.now);
		const starts: number[] = [];
		await time.run(
			Promise.all(
				Array.from({ length: 6 }, async () => {
					await pacer.acquire();
					starts.push(time.now());
				}),
			),
		);
		starts.sort((a, b) => a - b);
		for (let i = 2; i < starts.length; i++) expect(starts[i] - starts[i - 2]).toBeGreaterThanOrEqual(1000);
	});

	it('measures the window from the answer, so a slow request cannot crowd the next ones', async () => {
		const time = virtualTime();
		const pacer = new SlidingWindowPacer({ limit: 2, windowMs: 1000 }, time.sleep, time.now);
		const first = await pacer.acquire();
		await time.sleep(300); // the first request takes 300 ms to be answered
		first();
		const second = await pacer.acquire();
		second();
		expect(time.now()).toBe(300);
		await pacer.acquire();
		// Not 1000 ms after the first start: 1000 ms after its answer.
		expect(time.now()).toBe(1301);
	});
});
