/**
 * `npm start` as a user runs it (after the build the test command already made): the demo comes
 * up with the sandbox and a real n8n, runs the first syncs, prints where to log in and what to
 * try (and what it prints works), and Ctrl-C stops everything, leaving both ports free.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

import { freePort, portIsFree } from '../harness/n8n-process';
import { ROOT } from '../harness/package-types';

jest.setTimeout(300_000);

function waitFor(child: ChildProcess, output: () => string, text: string, timeoutMs: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no "${text}" after ${timeoutMs} ms:\n${output()}`)), timeoutMs);
		const check = () => {
			if (output().includes(text)) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout?.on('data', check);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`the demo exited (${code}) before "${text}":\n${output()}`));
		});
		check();
	});
}

describe('npm start (the demo)', () => {
	let demo: ChildProcess | undefined;
	afterAll(() => {
		if (demo && demo.exitCode === null) demo.kill('SIGKILL');
	});

	it('comes up with both syncs run, prints the login and what to try (the unlock checks Lena in, in both systems), and Ctrl-C stops n8n and the sandbox', async () => {
		const n8nPort = await freePort();
		const sandboxPort = await freePort();
		let output = '';
		demo = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/demo.ts'], {
			cwd: ROOT,
			env: { ...process.env, N8N_PORT: String(n8nPort), SANDBOX_PORT: String(sandboxPort) },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		demo.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		demo.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

		await waitFor(demo, () => output, 'Press Ctrl-C to stop everything.', 240_000);
		expect(output).toContain(`Sandbox (Kisi, TeamUp, Glofox) with the demo gym on http://127.0.0.1:${sandboxPort}`);
		expect(output).toContain(`Open the editor: http://127.0.0.1:${n8nPort}`);
		expect(output).toContain('Log in as owner@demo.gym / Demo-password-1');
		// Both sync templates ran once and granted the demo gym's members access.
		const syncs = [...output.matchAll(/: success — (\d+) shares created/g)].map((match) => Number(match[1]));
		expect(syncs).toHaveLength(2);
		for (const created of syncs) expect(created).toBeGreaterThan(0);
		expect((await fetch(`http://127.0.0.1:${n8nPort}/healthz`)).status).toBe(200);
		expect((await fetch(`http://127.0.0.1:${sandboxPort}/__sandbox`)).status).toBe(200);

		// "Try 1." as printed: the unlock, then the state query it names shows one new check-in in
		// Glofox and one in TeamUp.
		const unlock = /curl -s -X POST (\S+) -H 'content-type: application\/json' \\\n\s+-d '([^']+)'/.exec(output);
		const query = /curl -s (\S+\/state) \| jq '([^']+)'/.exec(output);
		expect(unlock).not.toBeNull();
		expect(query).not.toBeNull();
		const paths = query![2].split(',').map((path) => path.trim().split('.').filter(Boolean));
		expect(paths.length).toBe(2);
		const lengths = async () => {
			const state = (await (await fetch(query![1])).json()) as Record<string, unknown>;
			return paths.map((path) => (path.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], state) as unknown[]).length);
		};
		const before = await lengths();
		const answer = await fetch(unlock![1], { method: 'POST', headers: { 'content-type': 'application/json' }, body: unlock![2] });
		expect(answer.status).toBe(200);
		let after = before;
		for (const deadline = Date.now() + 30_000; Date.now() < deadline && after.some((length, i) => length === before[i]); ) {
			await new Promise((resolve) => setTimeout(resolve, 250));
			after = await lengths();
		}
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await lengths()).toEqual(before.map((length) => length + 1));

		const exited = new Promise<number | null>((resolve) => demo!.once('exit', (code) => resolve(code)));
		demo.kill('SIGINT');
		expect(await exited).toBe(0);
		expect(await portIsFree(n8nPort)).toBe(true);
		expect(await portIsFree(sandboxPort)).toBe(true);
	});
});
