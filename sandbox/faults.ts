/**
 * Injected faults (`POST /__sandbox/faults`). A fault matches requests of one service, optionally
 * one method and one path (relative to the service base):
 * - a plain path matches exactly (`/shares`), trailing slash ignored;
 * - `*` is a wildcard for any run of characters, `/` included (`/shares*`, `/customers/*`);
 * - a path starting with `^` is a regular expression tested against the path (`^/locks/\d+/unlock$`).
 * It fires on `rate` of the matching requests (deterministic, seeded PRNG) until it has fired
 * `times` times; it delays by `delayMs`, then destroys the socket (`reset`), or answers `status`
 * with `body` (sent verbatim) or the service's own error body for that status; with neither it only
 * delays and the request is served normally. Faults apply before rate limiting and authentication.
 */
import { z } from 'zod';
import { prng } from './util';

export const faultSchema = z
	.object({
		service: z.enum(['kisi', 'teamup', 'glofox']),
		method: z.string().optional(),
		path: z.string().optional(),
		status: z.number().int().min(100).max(599).optional(),
		times: z.number().int().positive().optional(),
		rate: z.number().min(0).max(1).optional(),
		delayMs: z.number().min(0).optional(),
		body: z.string().optional(),
		headers: z.record(z.string(), z.string()).optional(),
		reset: z.boolean().optional(),
		seed: z.number().int().optional(),
	})
	.strict();
export type FaultSpec = z.infer<typeof faultSchema>;

export interface Fault extends FaultSpec {
	id: number;
	/** How many times it fired so far. */
	fired: number;
}

interface ActiveFault {
	fault: Fault;
	matchPath: (path: string) => boolean;
	random: () => number;
}

function pathMatcher(pattern: string | undefined): (path: string) => boolean {
	if (pattern === undefined || pattern === '' || pattern === '*') return () => true;
	if (pattern.startsWith('^')) {
		const re = new RegExp(pattern);
		return (p) => re.test(p);
	}
	const norm = (p: string) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p);
	if (pattern.includes('*')) {
		const re = new RegExp(`^${norm(pattern).split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
		return (p) => re.test(p);
	}
	const exact = norm(pattern);
	return (p) => p === exact;
}

export class Faults {
	private list: ActiveFault[] = [];
	private nextId = 1;

	add(spec: FaultSpec): Fault {
		const fault: Fault = { ...spec, id: this.nextId++, fired: 0 };
		this.list.push({ fault, matchPath: pathMatcher(spec.path), random: prng(spec.seed ?? fault.id) });
		return fault;
	}

	clear(id?: number): void {
		this.list = id === undefined ? [] : this.list.filter((f) => f.fault.id !== id);
	}

	all(): Fault[] {
		return this.list.map((f) => ({ ...f.fault }));
	}

	/** The fault that fires for this request, if any (counts it). */
	match(service: string, method: string, path: string): Fault | undefined {
		for (const active of this.list) {
			const f = active.fault;
			if (f.service !== service) continue;
			if (f.method && f.method.toUpperCase() !== method.toUpperCase()) continue;
			if (!active.matchPath(path)) continue;
			if (f.times !== undefined && f.fired >= f.times) continue;
			if (f.rate !== undefined && f.rate < 1 && active.random() >= f.rate) continue;
			f.fired++;
			return f;
		}
		return undefined;
	}
}
