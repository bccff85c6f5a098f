/**
 * Exact time compression for the rate-limited runs. Import it before anything else in a process
 * that runs a sync. With BENCH_TIME_SCALE=k the process gets a virtual clock (`Date.now`) that
 * runs at real speed, except that every deliberate wait (n8n's `sleep`, which the pack's pacer and
 * retries use) takes 1/k of its time in reality and the clock then jumps to the wait's end. So the
 * run's virtual duration is exactly what it would take in real time: its waits in full, and its
 * own work (CPU, request round trips) once, at real speed. The pacer reads that clock, so it keeps
 * the documented limits in virtual time; the sandbox, started with `rateLimitScale: k` (windows
 * divided by k), sees every gap between requests at least 1/k of its virtual length and so never
 * refuses what the real limits would accept. Whether the real limits were kept is checked on the
 * virtual send times of the requests (`virtualRequests`), not left to the compressed sandbox.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { dirname } from 'node:path';

export const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? '1') || 1;

const realNow = () => performance.timeOrigin + performance.now();
/** Virtual ms gained by compressed waits. */
let offset = 0;
/** The virtual clock, ms (fractional). */
export const virtualNow = () => realNow() + offset;

interface Wait {
	deadline: number;
	resolve: () => void;
}

if (TIME_SCALE !== 1) {
	const k = TIME_SCALE;
	Date.now = () => Math.floor(virtualNow());

	// Pending waits by virtual deadline; one real timer for the earliest, so they end in the order
	// they would in real time even when they overlap (concurrent requests waiting on one pacer).
	const waits: Wait[] = [];
	let timer: NodeJS.Timeout | undefined;
	let expectedAt = 0;
	const schedule = () => {
		if (timer) clearTimeout(timer);
		timer = undefined;
		if (!waits.length) return;
		const delay = Math.max(0, (waits[0].deadline - virtualNow()) / k);
		expectedAt = realNow() + delay;
		timer = setTimeout(fire, delay);
	};
	const fire = () => {
		timer = undefined;
		// The timer's own lateness is real: it is kept (a real-time run has it too).
		const late = Math.max(0, realNow() - expectedAt);
		const gap = waits[0].deadline + late - virtualNow();
		if (gap > 0) offset += gap;
		while (waits.length && waits[0].deadline <= virtualNow()) waits.shift()!.resolve();
		schedule();
	};
	const compressedSleep = async (ms: number): Promise<void> =>
		await new Promise<void>((resolve) => {
			const wait = { deadline: virtualNow() + Math.max(0, ms), resolve };
			let at = waits.length;
			while (at > 0 && waits[at - 1].deadline > wait.deadline) at--;
			waits.splice(at, 0, wait);
			if (at === 0) schedule();
		});

	// n8n-workflow re-exports `sleep` from @n8n/utils through a getter read at each call.
	const sleepModule = require(require.resolve('@n8n/utils/sleep', { paths: [dirname(require.resolve('n8n-workflow'))] })) as {
		sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
	};
	const realSleep = sleepModule.sleep;
	sleepModule.sleep = async (ms: number, signal?: AbortSignal) => (signal ? await realSleep(ms / k, signal) : await compressedSleep(ms));
}

/** Virtual send time of every HTTP request this process makes, by path, while recording. */
export const virtualRequests: Array<{ at: number; path: string }> = [];
let recording = false;
export function recordRequests(on: boolean): void {
	recording = on;
}
subscribe('http.client.request.start', (message) => {
	if (!recording) return;
	const request = (message as { request: ClientRequest }).request;
	virtualRequests.push({ at: virtualNow(), path: request.path });
});
