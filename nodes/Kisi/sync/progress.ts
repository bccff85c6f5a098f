/**
 * What a sync says about its progress while it writes (a first sync of a big gym writes for hours
 * at Kisi's 5 requests/s), and what a run stopped or failed part-way applied and did not. Pure
 * module: texts from {@link ApplyProgress} and the applied entries, no n8n imports.
 */
import { type AppliedEntry, type ApplyProgress, STOPPED_DURING } from './apply';

const int = (n: number) => Math.round(n).toLocaleString('en');

/** "about 2 h 05 min", "about 40 s": a rough remaining time. */
export function roughDuration(ms: number): string {
	const s = Math.max(0, Math.round(ms / 1000));
	if (s < 90) return `${s} s`;
	const minutes = Math.round(s / 60);
	if (minutes < 90) return `${minutes} min`;
	return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

function counts(p: ApplyProgress): string {
	const parts = [`${int(p.created)} created`, `${int(p.updated)} updated`, `${int(p.deleted)} removed`];
	if (p.left > 0) parts.push(`${int(p.left)} left as Kisi holds them`);
	if (p.failed > 0) parts.push(`${int(p.failed)} failed`);
	return parts.join(', ');
}

/** "Group 12: 1,234 of 5,000 changes done (1,100 created, 100 updated, 34 removed), about 12 min left". */
export function progressText(groupId: number, p: ApplyProgress): string {
	const left = p.remainingMs === null ? '' : p.done >= p.total ? '' : `, about ${roughDuration(p.remainingMs)} left`;
	return `Group ${groupId}: ${int(p.done)} of ${int(p.total)} changes done (${counts(p)})${left}`;
}

/**
 * The state of a run stopped while writing, as exact as can be known at that instant: what is done,
 * the change whose request was under way (Kisi may or may not have recorded it) and how many were
 * not made.
 */
export function stoppedText(groupId: number, p: ApplyProgress): string {
	const inFlight = p.current ? `; the change being written when it stopped (${p.current.action} ${p.current.email}) may or may not have been made` : '';
	const notMade = p.total - p.done - (p.current ? 1 : 0);
	return `Group ${groupId}: stopped after ${int(p.done)} of ${int(p.total)} changes (${counts(p)})${inFlight}; ${int(notMade)} not made. The next run makes what is still needed.`;
}

/** At most this many emails per list in an error text (the items carry every change). */
const LISTED = 100;

function list(entries: AppliedEntry[]): string {
	const shown = entries.slice(0, LISTED).map((entry) => `${entry.action} ${entry.email}`);
	return `${shown.join(', ')}${entries.length > LISTED ? `, … and ${int(entries.length - LISTED)} more` : ''}`;
}

/**
 * A run that applied only part of its changes: which were made and which were not, each list
 * complete up to {@link LISTED} emails. `problems` are the failed and not attempted entries.
 */
export function partlyAppliedDescription(applied: AppliedEntry[], problems: AppliedEntry[]): string {
	const made = applied.filter((entry) => !entry.error);
	const perhaps = problems.filter((entry) => entry.error === STOPPED_DURING);
	const notMade = problems.filter((entry) => entry.error !== STOPPED_DURING);
	const lines = [`Made (${int(made.length)}): ${made.length ? list(made) : 'none'}.`];
	if (perhaps.length) lines.push(`Under way when the run was stopped, Kisi may or may not have recorded it (${int(perhaps.length)}): ${list(perhaps)}.`);
	lines.push(`Not made (${int(notMade.length)}): ${notMade.length ? list(notMade) : 'none'}.`);
	return lines.join('\n');
}
