// Running one test file of node:test with a time limit for the whole file, so that nothing hangs
// silently: the file runs in its own process group, and when the limit passes the group is killed
// (n8n processes it started run in groups of their own and follow it: scripts/lib/n8n/processes.mjs
// has a watchdog for that). Used by `npm test` and `npm run test:compat`.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

import { REPO_ROOT } from './n8n/common.mjs';
import { killGroup } from './n8n/processes.mjs';

// Sized for a busy 2-core machine: today's longest end-to-end file takes about 1.5 minutes there.
export const FILE_TIMEOUT_MS = Number(process.env.EDNA_TEST_FILE_TIMEOUT_S || 900) * 1000;
// Each test and hook of a file (node --test-timeout); a hook that sets its own limit keeps it.
export const TEST_TIMEOUT_MS = 300_000;

const groups = new Set();
let forwarding = false;
function forwardSignals() {
	if (forwarding) return;
	forwarding = true;
	process.on('exit', () => {
		for (const pid of groups) killGroup(pid, 'SIGKILL');
	});
	for (const [signal, code] of [
		['SIGINT', 130],
		['SIGTERM', 143],
	]) {
		process.on(signal, () => {
			for (const pid of groups) killGroup(pid, signal);
			setTimeout(() => process.exit(code), 2000).unref();
		});
	}
}


/**
 * Runs `node --test <file>`. Output goes to this process's stdout/stderr, or to `logFile`.
 * @returns {Promise<{code: number | null, timedOut: boolean, ms: number}>}
 */
export function runTestFile(
	file,
	{ env = process.env, logFile, timeoutMs = FILE_TIMEOUT_MS, testTimeoutMs = TEST_TIMEOUT_MS } = {},
) {
	forwardSignals();
	const started = Date.now();
	return new Promise((resolve) => {
		const out = logFile ? createWriteStream(logFile) : null;
		const child = spawn(
			process.execPath,
			[
				'--test',
				'--test-concurrency=1',
				`--test-timeout=${testTimeoutMs}`,
				'--test-reporter=spec',
				file,
			],
			{ cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', out ? 'pipe' : 'inherit', out ? 'pipe' : 'inherit'] },
		);
		groups.add(child.pid);
		if (out) {
			child.stdout.pipe(out, { end: false });
			child.stderr.pipe(out, { end: false });
		}
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			const note = `\n${file} did not finish within ${timeoutMs / 1000} s: its processes were killed\n`;
			if (out) out.write(note);
			else process.stderr.write(note);
			killGroup(child.pid, 'SIGKILL');
		}, timeoutMs);
		// Whatever the file's process left in its group goes with it (and releases the output pipes).
		child.on('exit', () => killGroup(child.pid, 'SIGKILL'));
		child.on('close', (code) => {
			clearTimeout(timer);
			groups.delete(child.pid);
			const done = () => resolve({ code: timedOut ? null : code, timedOut, ms: Date.now() - started });
			if (out) out.end(done);
			else done();
		});
	});
}
