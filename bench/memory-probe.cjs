/**
 * Bench only: where an n8n process's memory is. Preloaded into n8n with
 * `NODE_OPTIONS=--require <this file>` and `GYM_MEMORY_PROBE_DIR=<dir>` (bench/storage.ts does both);
 * every process that inherits NODE_OPTIONS (n8n's task runner too) writes `<dir>/<pid>.jsonl`, one
 * line every 250 ms: the process's resident memory from /proc (VmRSS, its anonymous and file-backed
 * parts, VmHWM), `process.memoryUsage()` (V8 heap, external, array buffers) and the V8 heap spaces.
 * When the resident memory reaches a new high (by 32 MB or more) the line also carries
 * /proc/self/smaps_rollup. Worker threads load this file too and write to the same file, marked with
 * their thread id (0 = the main thread). Samples come from the main thread, so a long synchronous stretch of work
 * shows as a gap; the benchmark samples /proc from outside as well.
 */
'use strict';
const { appendFileSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const v8 = require('node:v8');
const { isMainThread, threadId } = require('node:worker_threads');

const dir = process.env.GYM_MEMORY_PROBE_DIR;
if (dir) {
	const file = join(dir, `${process.pid}.jsonl`);
	const kb = (text, name) => Number(new RegExp(`${name}:\\s+(\\d+)\\s+kB`).exec(text)?.[1] ?? 0);
	const MB = 1024 * 1024;
	let highKb = 0;
	appendFileSync(file, `${JSON.stringify({ start: Date.now(), pid: process.pid, ppid: process.ppid, thread: threadId, argv: process.argv.slice(1, 3) })}\n`);
	const sample = () => {
		try {
			const status = readFileSync('/proc/self/status', 'utf8');
			const rssKb = kb(status, 'VmRSS');
			const usage = process.memoryUsage();
			const spaces = {};
			for (const space of v8.getHeapSpaceStatistics()) spaces[space.space_name.replace(/_space$/, '')] = Math.round(space.space_used_size / MB);
			const line = {
				t: Date.now(),
				// Node preloads this file in worker threads too: their heaps are their own, RSS is the process's.
				thread: isMainThread ? 0 : threadId,
				rssKb,
				anonKb: kb(status, 'RssAnon'),
				fileKb: kb(status, 'RssFile'),
				hwmKb: kb(status, 'VmHWM'),
				heapTotal: usage.heapTotal,
				heapUsed: usage.heapUsed,
				external: usage.external,
				arrayBuffers: usage.arrayBuffers,
				spaces,
			};
			if (isMainThread && rssKb > highKb + 32 * 1024) {
				highKb = rssKb;
				line.smapsRollup = readFileSync('/proc/self/smaps_rollup', 'utf8')
					.split('\n')
					.slice(1)
					.filter(Boolean)
					.map((row) => row.replace(/\s+/g, ' '))
					.join('; ');
			}
			appendFileSync(file, `${JSON.stringify(line)}\n`);
		} catch {
			// A probe never disturbs the process it measures.
		}
	};
	setInterval(sample, 250).unref();
	sample();
}
