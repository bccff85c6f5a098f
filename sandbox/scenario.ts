/**
 * The scenario format (see docs/spec/sandbox.md): each service's objects with the real APIs' field
 * names. Shapes are checked with zod, then the APIs' own invariants (references, unique ids) are
 * checked across objects; a broken scenario is refused with messages naming the offending object.
 */
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { compileSchema } from './fastcheck';
import { GLOFOX_UNIX_FIELDS, checkGlofox, glofoxSchema } from './glofox/schema';
import { checkKisi, kisiSchema } from './kisi/schema';
import { instant } from './scenarioKit';
import { TEAMUP_DATE_FIELDS, checkTeamUp, teamupSchema } from './teamup/schema';
import { isDateOnly, isIsoInstant } from './util';

export { kisiSchema, type KisiScenario } from './kisi/schema';
export {
	teamupSchema,
	type TeamUpScenario,
	TEAMUP_ATTENDANCE_STATUSES,
	TEAMUP_BILLED_ITEM_TYPES,
	TEAMUP_CM_STATUSES,
	TEAMUP_INVOICE_STATUSES,
	TEAMUP_LINE_ITEM_TYPES,
} from './teamup/schema';
export {
	glofoxSchema,
	type GlofoxScenario,
	GLOFOX_BOOKING_STATUSES,
	GLOFOX_MEMBERSHIP_STATUSES,
	GLOFOX_MEMBERSHIP_TYPES,
} from './glofox/schema';

// ---------------------------------------------------------------------------------------------
// Rate limits
const windowLimit = z.object({ limit: z.number().positive(), windowMs: z.number().positive() }).strict();
const bucketLimit = z
	.object({ limit: z.number().positive(), windowMs: z.number().positive(), burst: z.number().positive().optional() })
	.strict();
export const rateLimitsSchema = z.union([
	z.boolean(),
	z
		.object({
			kisi: z.union([z.literal(false), z.literal(true), windowLimit]).optional(),
			teamup: z.union([z.literal(false), z.literal(true), windowLimit]).optional(),
			glofox: z.union([z.literal(false), z.literal(true), bucketLimit]).optional(),
			rateLimitScale: z.number().positive().optional(),
		})
		.strict(),
]);
export type RateLimitsConfig = z.infer<typeof rateLimitsSchema>;

export const scenarioSchema = z
	.object({
		$schema: z.string().optional(),
		description: z.string().optional(),
		now: instant.optional(),
		rateLimits: rateLimitsSchema.default(true),
		rateLimitScale: z.number().positive().optional(),
		kisi: kisiSchema.optional(),
		teamup: teamupSchema.optional(),
		glofox: glofoxSchema.optional(),
	})
	.strict();

/** What a scenario author writes (optional fields may be left out). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A checked scenario with defaults filled in. */
export type Scenario = z.output<typeof scenarioSchema>;

export class ScenarioError extends Error {
	constructor(public readonly problems: string[]) {
		super(
			`Invalid scenario (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.slice(0, 25).join('\n- ')}${problems.length > 25 ? `\n- … and ${problems.length - 25} more` : ''}`,
		);
		this.name = 'ScenarioError';
	}
}

/** `kisi.shares[3] (id 9004)` for a path into the raw input. */
function objectLabel(input: unknown, path: (string | number)[]): { label: string; rest: (string | number)[] } {
	let node: unknown = input;
	let label = '';
	let lastObjectEnd = -1;
	let lastObjectLabel = '';
	for (let i = 0; i < path.length; i++) {
		const key = path[i];
		label += typeof key === 'number' ? `[${key}]` : label === '' ? key : `.${key}`;
		node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
		if (typeof key === 'number' && node && typeof node === 'object') {
			const o = node as Record<string, unknown>;
			const id = o.id ?? o._id;
			lastObjectEnd = i;
			lastObjectLabel = id === undefined ? label : `${label} (${o.id === undefined ? '_id' : 'id'} ${String(id)})`;
		}
	}
	if (lastObjectEnd === -1) {
		if (path.length <= 1) return { label: path.length ? String(path[0]) : '(scenario)', rest: [] };
		return { label: path.slice(0, -1).join('.'), rest: path.slice(-1) };
	}
	return { label: lastObjectLabel, rest: path.slice(lastObjectEnd + 1) };
}

/** Checks a scenario (shape and invariants); returns it with defaults filled in or throws ScenarioError. */
export function parseScenario(input: unknown): Scenario {
	// The allocation-free interpretation of the schema first (a 50,000-member scenario loads in a
	// fraction of the time); zod itself when it fails, for the messages.
	const fast = compileSchema(scenarioSchema);
	const parsed: { success: true; data: Scenario } | z.SafeParseError<unknown> = fast.check(input)
		? { success: true, data: (fast.withDefaults ? fast.withDefaults(input) : input) as Scenario }
		: scenarioSchema.safeParse(input);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((issue) => {
			const { label: l, rest } = objectLabel(input, issue.path);
			const field = rest.length ? `${rest.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[')}: ` : '';
			return `${l}: ${field}${issue.message}`;
		});
		throw new ScenarioError(problems);
	}
	const s = parsed.data;
	const problems: string[] = [];
	if (s.kisi) checkKisi(s.kisi, problems);
	if (s.teamup) checkTeamUp(s.teamup, problems);
	if (s.glofox) checkGlofox(s.glofox, problems);
	if (problems.length) throw new ScenarioError(problems);
	return s;
}

export function readScenarioFile(file: string): unknown {
	const text = readFileSync(file, 'utf8');
	try {
		return JSON.parse(text);
	} catch (e) {
		throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
	}
}

// ---------------------------------------------------------------------------------------------
// Time shifting (--realtime)

/**
 * Shifts every instant of a scenario by `deltaMs` (ISO strings and Glofox Unix seconds exactly, so
 * every relation between `now` and the data is kept), and TeamUp's date-only fields by the number
 * of calendar days the local date of `now` moves in the business's time zone.
 */
export function shiftScenario<T extends ScenarioInput>(scenario: T, deltaMs: number): T {
	const out = structuredClone(scenario) as T & Record<string, unknown>;
	const deltaSec = Math.round(deltaMs / 1000);
	const shiftIso = (s: string) => new Date(Date.parse(s) + deltaMs).toISOString();
	let dayShift = 0;
	if (out.now) {
		const tz = (out.teamup?.venues?.[0] as { timezone?: string } | undefined)?.timezone ?? 'UTC';
		const from = DateTime.fromMillis(Date.parse(out.now), { zone: tz }).startOf('day');
		const to = DateTime.fromMillis(Date.parse(out.now) + deltaMs, { zone: tz }).startOf('day');
		dayShift = Math.round(to.diff(from, 'days').days);
	}
	const shiftDate = (s: string) => DateTime.fromISO(s, { zone: 'UTC' }).plus({ days: dayShift }).toISODate()!;
	const walk = (node: unknown, service: 'kisi' | 'teamup' | 'glofox'): unknown => {
		if (Array.isArray(node)) return node.map((n) => walk(n, service));
		if (node && typeof node === 'object') {
			const o = node as Record<string, unknown>;
			for (const [k, v] of Object.entries(o)) {
				if (typeof v === 'string' && isIsoInstant(v)) o[k] = shiftIso(v);
				else if (service === 'teamup' && typeof v === 'string' && TEAMUP_DATE_FIELDS.has(k) && isDateOnly(v)) o[k] = shiftDate(v);
				else if (service === 'glofox' && typeof v === 'number' && GLOFOX_UNIX_FIELDS.has(k)) o[k] = v + deltaSec;
				else if (v && typeof v === 'object') o[k] = walk(v, service);
			}
		}
		return node;
	};
	if (out.now) out.now = shiftIso(out.now);
	if (out.kisi) walk(out.kisi, 'kisi');
	if (out.teamup) walk(out.teamup, 'teamup');
	if (out.glofox) walk(out.glofox, 'glofox');
	return out;
}
