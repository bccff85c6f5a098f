/**
 * The sandbox clock: starts at the scenario's `now` (or the real time) and runs on in real time.
 * `set()` moves it; `freeze()` stops it (a test that pins the time of several runs keeps every
 * stamp the services write at that instant, as if the runs took no time); every service reads it
 * for validity checks, default filters and stamps.
 */
export class Clock {
	private offsetMs = 0;

	private frozenAt: number | undefined;

	constructor(start?: number) {
		if (start !== undefined) this.set(start);
	}

	/** Milliseconds since the epoch on the sandbox clock. */
	now(): number {
		return this.frozenAt ?? Date.now() + this.offsetMs;
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
		if (this.frozenAt !== undefined) this.frozenAt = ms;
	}

	advance(ms: number): void {
		this.offsetMs += ms;
		if (this.frozenAt !== undefined) this.frozenAt += ms;
	}

	/** Stops the clock where it is (`true`) or lets it run on from there (`false`). */
	freeze(frozen: boolean): void {
		if (frozen) this.frozenAt ??= this.now();
		else if (this.frozenAt !== undefined) {
			this.offsetMs = this.frozenAt - Date.now();
			this.frozenAt = undefined;
		}
	}

	get frozen(): boolean {
		return this.frozenAt !== undefined;
	}
}
