/**
 * Window maths on absolute instants (epoch ms, ±Infinity when unbounded).
 *
 * A window is half-open, `[from, until)`: it contains `now` when `from <= now < until`. Two windows
 * whose ends touch (`a.until === b.from`) therefore cover time without a gap and are merged, like
 * overlapping ones (docs/spec/access-rules.md §4).
 */
import { toIso } from './dates';
import type { OutputWindow, Window } from './types';

/** A merged window and the source windows that make it up (in chronological order). */
export interface MergedWindow {
	from: number;
	until: number;
	parts: Window[];
}

export interface SelectedWindow {
	window: MergedWindow;
	/** true: the window contains now; false: it opens later, within the look-ahead. */
	activeNow: boolean;
}

/** Chronological order: by start, then end, then basis and id, so output is deterministic. */
export function compareWindows(a: Window, b: Window): number {
	if (a.from !== b.from) return a.from < b.from ? -1 : 1;
	if (a.until !== b.until) return a.until < b.until ? -1 : 1;
	if (a.basis !== b.basis) return a.basis < b.basis ? -1 : 1;
	const ai = a.refId ?? '';
	const bi = b.refId ?? '';
	return ai < bi ? -1 : ai > bi ? 1 : 0;
}

export function isEmptyWindow(window: { from: number; until: number }): boolean {
	return !(window.from < window.until);
}

export function containsInstant(window: { from: number; until: number }, now: number): boolean {
	return window.from <= now && now < window.until;
}

/** Merges overlapping or touching windows; empty windows are dropped. Input order does not matter. */
export function mergeWindows(windows: readonly Window[]): MergedWindow[] {
	const sorted = windows.filter((w) => !isEmptyWindow(w)).sort(compareWindows);
	const merged: MergedWindow[] = [];
	for (const window of sorted) {
		const last = merged[merged.length - 1];
		if (last && window.from <= last.until) {
			if (window.until > last.until) last.until = window.until;
			last.parts.push(window);
		} else {
			merged.push({ from: window.from, until: window.until, parts: [window] });
		}
	}
	return merged;
}

/**
 * The merged window that contains `now`; else the earliest one that opens after `now` and strictly
 * before `horizon` (`now + lookAhead`); else null.
 */
export function selectWindow(merged: readonly MergedWindow[], now: number, horizon: number): SelectedWindow | null {
	let scheduled: MergedWindow | null = null;
	for (const window of merged) {
		if (containsInstant(window, now)) return { window, activeNow: true };
		if (window.from > now && window.from < horizon && (scheduled === null || window.from < scheduled.from)) {
			scheduled = window;
		}
	}
	return scheduled ? { window: scheduled, activeNow: false } : null;
}

/** A window still relevant at `now`: it contains now, or opens within the look-ahead. */
export function isRelevant(window: { from: number; until: number }, now: number, horizon: number): boolean {
	if (isEmptyWindow(window)) return false;
	return containsInstant(window, now) || (window.from > now && window.from < horizon);
}

export function toOutputWindow(window: Window): OutputWindow {
	return { from: toIso(window.from), until: toIso(window.until), basis: window.basis, refId: window.refId };
}
