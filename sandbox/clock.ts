/**
 * The sandbox clock: starts at the scenario's `now` (or the real time) and runs on in real time.
 * `set()` moves it; every service reads it for validity checks, default filters and stamps.
 */
export class Clock {
	private offsetMs = 0;

	constructor(start?: number) {
		if (start !== undefined) this.set(start);
	}

	/** Milliseconds since the epoch on the sandbox clock. */
	now(): number {
		return Date.now() + this.offsetMs;
	}

	nowIso(): string {
		return new Date(this.now()).toISOString();
	}

	/** Unix seconds on the sandbox clock. */
	nowSec(): number {
		return Math.floor(this.now() / 1000);
	}

	set(ms: number): void {
		this.offsetMs = ms - Date.now();
	}

	advance(ms: number): void {
		this.offsetMs += ms;
	}
}
