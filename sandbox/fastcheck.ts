/**
 * A fast path for zod schemas on big inputs. `safeParse` of a 50,000-member scenario allocates
 * millions of short-lived objects; this interprets the same schema without allocating: `check`
 * says whether a value is valid, `withDefaults` returns the value zod would output (defaults
 * filled, the input objects reused where nothing changes). Parts of a schema it does not know
 * (transforms, strip-mode objects, …) are handed to zod itself, so the verdict is always zod's;
 * when `check` fails the caller runs zod for the error messages.
 */
import type { ZodTypeAny, z } from 'zod';

interface Compiled {
	check: (v: unknown) => boolean;
	/** null: the value is output unchanged. */
	withDefaults: ((v: unknown) => unknown) | null;
}

const cache = new WeakMap<ZodTypeAny, Compiled>();
const predicates = new WeakMap<ZodTypeAny, (v: never) => boolean>();

/** `base.refine(predicate, message)`, with the predicate known to the fast path (no zod context per call). */
export function refined<T extends ZodTypeAny>(base: T, predicate: (v: z.output<T>) => boolean, message: string): z.ZodEffects<T> {
	const schema = base.refine(predicate, { message });
	predicates.set(schema, predicate as (v: never) => boolean);
	return schema;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function viaZod(schema: ZodTypeAny): Compiled {
	return { check: (v) => schema.safeParse(v).success, withDefaults: (v) => schema.parse(v) };
}

/** A refinement (`.refine`) run against a context that only records failure. */
function refinementCheck(refinement: (v: unknown, ctx: unknown) => unknown): (v: unknown) => boolean {
	const state = { failed: false };
	const ctx = {
		addIssue: () => {
			state.failed = true;
		},
		path: [],
	};
	return (v) => {
		state.failed = false;
		const r = refinement(v, ctx);
		return !state.failed && r !== false && !(r instanceof Promise);
	};
}

export function compileSchema(schema: ZodTypeAny): Compiled {
	const cached = cache.get(schema);
	if (cached) return cached;
	const compiled = compile(schema);
	cache.set(schema, compiled);
	return compiled;
}

function compile(schema: ZodTypeAny): Compiled {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const def = schema._def as any;
	switch (def.typeName as string) {
		case 'ZodString': {
			const checks: ((s: string) => boolean)[] = [];
			for (const c of def.checks as { kind: string; value?: number; regex?: RegExp }[]) {
				if (c.kind === 'min') checks.push((s) => s.length >= c.value!);
				else if (c.kind === 'max') checks.push((s) => s.length <= c.value!);
				else if (c.kind === 'regex') checks.push((s) => ((c.regex!.lastIndex = 0), c.regex!.test(s)));
				else return viaZod(schema);
			}
			return { check: (v) => typeof v === 'string' && checks.every((f) => f(v)), withDefaults: null };
		}
		case 'ZodNumber': {
			const checks: ((n: number) => boolean)[] = [];
			for (const c of def.checks as { kind: string; value?: number; inclusive?: boolean }[]) {
				if (c.kind === 'int') checks.push((n) => Number.isInteger(n));
				else if (c.kind === 'min') checks.push(c.inclusive ? (n) => n >= c.value! : (n) => n > c.value!);
				else if (c.kind === 'max') checks.push(c.inclusive ? (n) => n <= c.value! : (n) => n < c.value!);
				else if (c.kind === 'finite') checks.push((n) => Number.isFinite(n));
				else return viaZod(schema);
			}
			return { check: (v) => typeof v === 'number' && !Number.isNaN(v) && checks.every((f) => f(v)), withDefaults: null };
		}
		case 'ZodBoolean':
			return { check: (v) => typeof v === 'boolean', withDefaults: null };
		case 'ZodLiteral': {
			const value = def.value;
			return { check: (v) => v === value, withDefaults: null };
		}
		case 'ZodEnum': {
			const values = new Set<unknown>(def.values);
			return { check: (v) => typeof v === 'string' && values.has(v), withDefaults: null };
		}
		case 'ZodOptional':
		case 'ZodNullable': {
			const inner = compileSchema(def.innerType);
			const empty = def.typeName === 'ZodOptional' ? undefined : null;
			const wd = inner.withDefaults;
			return { check: (v) => v === empty || inner.check(v), withDefaults: wd && ((v) => (v === empty ? v : wd(v))) };
		}
		case 'ZodDefault': {
			const inner = compileSchema(def.innerType);
			const defaultValue = def.defaultValue as () => unknown;
			const wd = inner.withDefaults;
			return {
				check: (v) => v === undefined || inner.check(v),
				withDefaults: (v) => {
					const value = v === undefined ? defaultValue() : v;
					return wd ? wd(value) : value;
				},
			};
		}
		case 'ZodEffects': {
			if (def.effect?.type !== 'refinement') return viaZod(schema);
			const inner = compileSchema(def.schema);
			const known = predicates.get(schema) as ((v: unknown) => boolean) | undefined;
			const refine = known ?? refinementCheck(def.effect.refinement);
			return { check: (v) => inner.check(v) && refine(v), withDefaults: inner.withDefaults };
		}
		case 'ZodArray': {
			if (def.minLength || def.maxLength || def.exactLength) return viaZod(schema);
			const el = compileSchema(def.type);
			const wd = el.withDefaults;
			return {
				check: (v) => {
					if (!Array.isArray(v)) return false;
					for (let i = 0; i < v.length; i++) if (!el.check(v[i])) return false;
					return true;
				},
				withDefaults: wd && ((v) => (v as unknown[]).map(wd)),
			};
		}
		case 'ZodObject': {
			const mode = def.unknownKeys as string;
			if ((mode !== 'passthrough' && mode !== 'strict') || def.catchall?._def?.typeName !== 'ZodNever') return viaZod(schema);
			const shape = def.shape() as Record<string, ZodTypeAny>;
			const fields = Object.entries(shape).map(([key, s]) => ({ key, ...compileSchema(s) }));
			const known = new Set(Object.keys(shape));
			const withDefaults = fields.filter((f) => f.withDefaults);
			return {
				check: (v) => {
					if (!isPlainObject(v)) return false;
					for (const f of fields) if (!f.check(v[f.key])) return false;
					if (mode === 'strict') for (const k in v) if (!known.has(k)) return false;
					return true;
				},
				withDefaults: withDefaults.length
					? (v) => {
							const o = v as Record<string, unknown>;
							const out: Record<string, unknown> = { ...o };
							for (const f of withDefaults) {
								const r = f.withDefaults!(o[f.key]);
								if (r !== undefined || f.key in o) out[f.key] = r;
							}
							return out;
						}
					: null,
			};
		}
		case 'ZodUnion': {
			const options = (def.options as ZodTypeAny[]).map(compileSchema);
			if (options.some((o) => o.withDefaults)) return viaZod(schema);
			return { check: (v) => options.some((o) => o.check(v)), withDefaults: null };
		}
		case 'ZodRecord': {
			const value = compileSchema(def.valueType);
			const key = compileSchema(def.keyType);
			if (value.withDefaults) return viaZod(schema);
			return {
				check: (v) => {
					if (!isPlainObject(v)) return false;
					for (const k in v) if (!key.check(k) || !value.check(v[k])) return false;
					return true;
				},
				withDefaults: null,
			};
		}
		default:
			return viaZod(schema);
	}
}
