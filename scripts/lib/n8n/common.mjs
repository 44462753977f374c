// What every part of the local n8n runtime shares: the repository root, the Node 24 binary and npm,
// and running a command to completion.
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, openSync, closeSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'..',
	'..',
	'..',
);
export const DEFAULT_N8N_VERSION = '2.41.1';
// The lines the README promises and test:compat runs: the newest 1.123 (n8n's maintained 1.x) and
// the 2.x of npm test.
export const SUPPORTED_N8N_VERSIONS = ['1.123', DEFAULT_N8N_VERSION];
// Every script and suite that does not name a version runs on this one: `npm run test:compat` sets
// it per run, so the end-to-end suites need no change to run on another n8n.
export const N8N_VERSION_ENV = 'EDNA_N8N_VERSION';

/** The n8n version to use when none is given: $EDNA_N8N_VERSION, else DEFAULT_N8N_VERSION. */
export function selectedN8nVersion() {
	return process.env[N8N_VERSION_ENV]?.trim() || DEFAULT_N8N_VERSION;
}

/** The major version of an n8n version string ('1.123.81' -> 1). */
export function n8nMajor(version = selectedN8nVersion()) {
	return Number(String(version).split('.')[0]);
}
const requireFromRepo = createRequire(path.join(REPO_ROOT, 'package.json'));
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function makeLogger(log) {
	if (log === false) return () => {};
	if (typeof log === 'function') return log;
	return (message) => process.stderr.write(`[n8n] ${message}\n`);
}
// ---------------------------------------------------------------------------
// Node 24 and npm

/** Node >= 24 binary: this process if it is one, else the `node` devDependency. */
export function resolveNodeBin() {
	if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
	try {
		const bin = path.join(
			path.dirname(requireFromRepo.resolve('node/package.json')),
			'bin',
			'node',
		);
		if (existsSync(bin)) return bin;
	} catch {
		// fall through
	}
	throw new Error(
		'n8n 2.x needs Node >= 24; run through npm scripts (they use the `node` devDependency) or install Node 24',
	);
}

const nodeVersions = new Map();
export function nodeVersionOf(nodeBin) {
	if (nodeBin === process.execPath) return process.versions.node;
	if (!nodeVersions.has(nodeBin)) {
		nodeVersions.set(
			nodeBin,
			execFileSync(nodeBin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim(),
		);
	}
	return nodeVersions.get(nodeBin);
}

/** npm, run by the Node 24 binary when npm's own script is known (npm scripts set npm_execpath). */
export function npmCommand(nodeBin) {
	const execpath = process.env.npm_execpath;
	if (execpath && /npm-cli\.js$/.test(execpath) && existsSync(execpath))
		return [nodeBin, [execpath]];
	return ['npm', []];
}

/** Environment whose `node` is the given binary, so install scripts and node-gyp use it. */
export function envWithNode(nodeBin, extra = {}) {
	return {
		...process.env,
		PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH}`,
		...extra,
	};
}

// ---------------------------------------------------------------------------
// Process helpers

// Commands started by run() that have not ended yet, and whether the runtime is shutting down.
// shutdownRuntime() (processes.mjs) ends them all and refuses new ones, so that a test hook that
// timed out in the middle of an install or a start leaves nothing behind and its file can exit.
const running = new Set();
let closing = false;

/** True once shutdownRuntime() has run: no new command, install or n8n process may start. */
export function isShuttingDown() {
	return closing;
}

/** The error every refused start gives. */
export function shutdownError(what) {
	return new Error(`${what}: the n8n runtime is shutting down (a test's after hook ran)`);
}

/** Marks the runtime as shutting down and kills every command run() started that is still running. */
export function killRunningCommands() {
	closing = true;
	for (const child of running) {
		try {
			child.kill('SIGKILL');
		} catch {
			// already gone
		}
		child.stdout?.destroy();
		child.stderr?.destroy();
	}
}

/** Runs a command; resolves with {stdout, stderr}, rejects with the output on failure. */
export function run(cmd, args, { cwd, env, logFile, timeoutMs = 0 } = {}) {
	if (closing) return Promise.reject(shutdownError(`${path.basename(cmd)} ${args.join(' ')}`));
	return new Promise((resolve, reject) => {
		const fd = logFile ? openSync(logFile, 'a') : null;
		if (fd !== null) writeSync(fd, `\n$ ${cmd} ${args.join(' ')}\n`);
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'] });
		running.add(child);
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (d) => (stdout += d));
		child.stderr?.on('data', (d) => (stderr += d));
		const timer = timeoutMs ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : null;
		child.on('error', (error) => {
			running.delete(child);
			if (fd !== null) closeSync(fd);
			reject(error);
		});
		child.on('close', (code, signal) => {
			running.delete(child);
			if (timer) clearTimeout(timer);
			if (fd !== null) closeSync(fd);
			if (code === 0) return resolve({ stdout, stderr });
			const where = logFile ? ` (see ${logFile})` : '';
			const error = new Error(
				`${path.basename(cmd)} ${args.join(' ')} failed with ${signal ?? `exit code ${code}`}${where}\n${stderr || stdout}`.trim(),
			);
			error.stdout = stdout;
			error.stderr = stderr;
			reject(error);
		});
	});
}
