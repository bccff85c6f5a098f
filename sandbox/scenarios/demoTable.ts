/**
 * What the demo gym's people should get (the shape of `demoExpectations` in demo.ts) and the README
 * table made from it.
 */
import { demoExpectations } from './demo';
import { DEMO_NOW } from './demoOrganization';

export interface DemoOutcome {
	access: 'allow' | 'deny';
	activeNow: boolean;
	validFrom: string | null;
	validUntil: string | null;
	/** Allowed: what grants it. */
	basis?: ('membership' | 'registration')[];
	/** Denied: codes the denials must include. */
	denials?: string[];
	/** People sharing the email (merged): DUPLICATE_EMAIL among the reasons. */
	duplicate?: boolean;
}

export interface DemoRow {
	/** The normalised email (trim + lower-case) the evaluator outputs; null for the person without one. */
	email: string | null;
	names: string[];
	state: string;
	teamup: DemoOutcome | null;
	glofox: DemoOutcome | null;
	teamupCustomerIds: number[];
	glofoxMemberIds: string[];
}

/** The README table of the demo people (generated; a test keeps README.md in step with it). */
export function demoTableMarkdown(rows: DemoRow[] = demoExpectations(new Date(DEMO_NOW))): string {
	const t = (iso: string | null) => (iso === null ? 'open' : iso.replace('.000Z', 'Z'));
	const cell = (o: DemoOutcome | null): string => {
		if (!o) return '— (not in this source)';
		if (o.access === 'deny') return `**deny**: ${(o.denials ?? []).join(', ')}`;
		const when = o.activeNow ? 'now' : 'scheduled';
		const extra = o.duplicate ? ', DUPLICATE_EMAIL' : '';
		return `**allow** (${when}, ${(o.basis ?? []).join(' + ')}${extra}) ${o.validFrom === null ? 'open' : t(o.validFrom)} → ${t(o.validUntil)}`;
	};
	const lines = [
		'| Email | Person(s) | State | TeamUp | Glofox |',
		'|---|---|---|---|---|',
		...rows.map((r) => `| ${r.email ?? '(none)'} | ${r.names.join(', ')} | ${r.state} | ${cell(r.teamup)} | ${cell(r.glofox)} |`),
	];
	return lines.join('\n');
}
