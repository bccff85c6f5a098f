/** Plain-text tables (console) and Markdown tables (README, results). */

export type Cell = string | number;

export interface Table {
	title: string;
	head: string[];
	rows: Cell[][];
	/** Lines printed under the table. */
	notes?: string[];
}

const isNumeric = (cell: Cell) => typeof cell === 'number' || /^[-+]?[\d,.]+\s*(%|×|s|ms|MB|kB)?$/.test(cell);

export function formatText(table: Table): string {
	const rows = table.rows.map((row) => row.map(String));
	const widths = table.head.map((head, i) => Math.max(head.length, ...rows.map((row) => (row[i] ?? '').length)));
	const line = (cells: string[], raw: Cell[] | null) =>
		cells
			.map((cell, i) => (raw && isNumeric(raw[i]) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
			.join('  ')
			.trimEnd();
	const out = [table.title, line(table.head, null), widths.map((w) => '─'.repeat(w)).join('  ')];
	table.rows.forEach((row, i) => out.push(line(rows[i], row)));
	for (const note of table.notes ?? []) out.push(note);
	return out.join('\n');
}

export function formatMarkdown(table: Table): string {
	const escape = (cell: Cell) => String(cell).replace(/\|/g, '\\|');
	const out = [`**${table.title}**`, '', `| ${table.head.map(escape).join(' | ')} |`, `|${table.head.map((_, i) => (table.rows.some((row) => isNumeric(row[i] ?? '')) ? '---:' : '---')).join('|')}|`];
	for (const row of table.rows) out.push(`| ${row.map(escape).join(' | ')} |`);
	if (table.notes?.length) out.push('', ...table.notes.map((note) => note.replace(/^\s+/, '')));
	return out.join('\n');
}

export const int = (n: number) => Math.round(n).toLocaleString('en');
export const fixed = (n: number, digits = 2) => n.toFixed(digits);
export const ratio = (n: number) => `${n.toFixed(3)}×`;
export const seconds = (s: number) => (s >= 100 ? `${s.toFixed(0)} s` : s >= 10 ? `${s.toFixed(1)} s` : `${s.toFixed(2)} s`);
export const ms = (n: number) => (n >= 100 ? `${n.toFixed(0)} ms` : `${n.toFixed(1)} ms`);
export const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
export const check = (ok: boolean) => (ok ? '✔' : '✘');

export function duration(s: number): string {
	if (s < 90) return seconds(s);
	if (s >= 3600) {
		const minutes = Math.round(s / 60);
		return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
	}
	const whole = Math.round(s);
	return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}
