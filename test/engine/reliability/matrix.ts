/**
 * The fault matrix (issue 10, "Faults"): one shipped sync template, run through n8n's engine
 * against the demo gym while the sandbox injects a fault on one API. Every case asserts the
 * outcome on the sandbox's Kisi state, then that a clean run converges.
 */
import type { FaultSpec, SandboxClient, SandboxFixture } from '../../harness/sandbox';
import {
	convergenceProblems,
	groupShares,
	kisiWrites,
	type Outcome,
	outcomeOf,
	printOutcomes,
	runSync,
	safetyViolations,
	seededScenario,
	type Source,
} from './helpers';

/** A sandbox fault; `seed` fixes which requests a `rate` fault hits (default: the fault's id). */
export type Fault = FaultSpec & { seed?: number };

export interface FaultCase {
	name: string;
	faults: Fault[];
	/**
	 * `converge`: the faulty run itself ends with the correct group. `loud`: it fails, and its error
	 * matches `cause`. `either`: one of the two (a random fault may or may not hit a write).
	 */
	expect: 'converge' | 'loud' | 'either';
	/** What a loud failure must say (service, request, what went wrong). */
	cause?: RegExp;
	/** The run must not have written anything to Kisi (a source failure stops the sync before its writes). */
	noKisiWrites?: boolean;
}

async function firedCount(sandbox: SandboxClient): Promise<number> {
	const faults = await sandbox.control<Array<{ fired: number }>>('GET', '/faults');
	return faults.reduce((sum, fault) => sum + fault.fired, 0);
}

/** Defines one jest test per case, plus a closing print of the observed outcomes. */
export function faultMatrix(title: string, sandbox: SandboxFixture, source: Source, cases: FaultCase[]): void {
	const outcomes: Outcome[] = [];
	afterAll(() => printOutcomes(`Fault matrix: ${title}`, outcomes));

	it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		await sandbox.load(seededScenario(source));
		await sandbox.clearFaults();
		await sandbox.clearRequests();
		const before = await groupShares(sandbox, source);
		for (const fault of c.faults) await sandbox.fault(fault);

		const started = Date.now();
		const faulty = await runSync(sandbox, source);
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		expect(await firedCount(sandbox)).toBeGreaterThan(0);
		const after = await groupShares(sandbox, source);

		// Whatever happened: nobody let in wrongly, nobody allowed locked out, no duplicate.
		expect(safetyViolations(source, before, after)).toEqual([]);
		if (c.noKisiWrites) expect(await kisiWrites(sandbox)).toEqual([]);
		if (faulty.error) {
			expect(c.expect).not.toBe('converge');
			expect(faulty.status).toBe('error');
			expect(faulty.error.message).toMatch(c.cause ?? /./);
		} else {
			expect(c.expect).not.toBe('loud');
			expect(convergenceProblems(source, after)).toEqual([]);
		}

		// The next clean run converges, still without a wrongful change.
		await sandbox.clearFaults();
		const clean = await runSync(sandbox, source);
		expect(clean.error).toBeUndefined();
		const final = await groupShares(sandbox, source);
		expect(convergenceProblems(source, final)).toEqual([]);
		expect(safetyViolations(source, after, final)).toEqual([]);
		outcomes.push({ category: `Faults (${title})`, case: c.name, outcome: `${outcomeOf(faulty)} (${seconds} s); clean run converged` });
	});
}
