// `npm start` (scripts/start.mjs) as a child process, for tests that check what a newcomer gets:
// started in a throw-away user folder on free ports, ready once it prints its closing line, with the
// addresses it printed, and stopped the way a user stops it (Ctrl-C: it stops n8n and the sandbox).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { REPO_ROOT, freePort } from '../lib/n8n/index.mjs';

const READY_LINE = 'Press Ctrl-C to stop n8n and the sandbox.';

/**
 * Runs `node scripts/start.mjs --fresh --user-folder <temp> --port <free> --sandbox-port <free>`
 * (plus `args`, e.g. `--no-build`). The script itself is run rather than `npm start`: npm would
 * sit between this process and it, and a signal sent to npm does not reliably reach the script.
 * Resolves when it is ready with `{ editorUrl, sandboxUrl, registered, output, stop }`;
 * `registered` maps each edna field to the line npm start printed for it. Rejects, with the
 * output so far, if it exits first or is not ready within `timeoutMs`.
 */
export async function runNpmStart({ args = [], timeoutMs = 120_000, log = () => {} } = {}) {
	const userFolder = await mkdtemp(path.join(os.tmpdir(), 'edna-npm-start-'));
	const [port, sandboxPort] = [await freePort(), await freePort()];
	const child = spawn(
		process.execPath,
		[
			path.join(REPO_ROOT, 'scripts', 'start.mjs'),
			'--fresh',
			'--user-folder',
			userFolder,
			'--port',
			String(port),
			'--sandbox-port',
			String(sandboxPort),
			...args,
		],
		{ cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	// This process may end without stop() (a failure, the test's time limit): npm start must not
	// outlive it, and on SIGTERM it stops its n8n and sandbox itself.
	const onExit = () => child.kill('SIGTERM');
	process.once('exit', onExit);

	let output = '';
	const exited = new Promise((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal })),
	);
	const ready = new Promise((resolve) => {
		const read = (chunk) => {
			output += chunk;
			if (output.includes(READY_LINE)) resolve(true);
		};
		child.stdout.setEncoding('utf8').on('data', read);
		child.stderr.setEncoding('utf8').on('data', read);
	});

	const stop = async () => {
		process.removeListener('exit', onExit);
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGINT');
			const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
			await exited;
			clearTimeout(timer);
		}
		await rm(userFolder, { recursive: true, force: true });
	};

	let timer;
	const outcome = await Promise.race([
		ready,
		exited,
		new Promise((resolve) => {
			timer = setTimeout(() => resolve('timeout'), timeoutMs);
		}),
	]);
	clearTimeout(timer);
	if (outcome !== true) {
		await stop();
		const why =
			outcome === 'timeout'
				? `not ready after ${timeoutMs / 1000} s`
				: `exited (${outcome.signal ?? `code ${outcome.code}`}) before it was ready`;
		throw new Error(`npm start ${why}; its output:\n${output}`);
	}
	log(`npm start ready (user folder ${userFolder})`);

	const editorUrl = /n8n is running \(ready after [^)]*\): (\S+)/.exec(output)?.[1];
	const sandboxUrl = /edna sandbox: (\S+?)\/?\s/.exec(output)?.[1];
	if (!editorUrl || !sandboxUrl) {
		await stop();
		throw new Error(`npm start printed no editor or sandbox address; its output:\n${output}`);
	}
	const registered = {};
	for (const [, field, line] of output.matchAll(/^ {2}(\w+CallbackUrl) +→ (.*)$/gm))
		registered[field] = line.trim();
	return { editorUrl, sandboxUrl, registered, output, stop };
}
