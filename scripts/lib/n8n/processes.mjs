// Running n8n processes (start, webhook, worker) that never outlive this process, and waiting for
// their webhooks.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';

import { isShuttingDown, killRunningCommands, shutdownError, sleep } from './common.mjs';
import { freePort } from './instance.mjs';

// Live child process groups. n8n runs detached (its own process group, so a
// terminal's Ctrl-C does not reach it directly); these handlers make sure no group
// outlives this process: on exit (also after an uncaught exception) they are
// SIGKILLed, and on SIGINT/SIGTERM/SIGHUP they are stopped before exiting, unless
// the caller installed its own handler for that signal and stops them itself.
const live = new Set();
let handlersInstalled = false;
function installExitHandlers() {
	if (handlersInstalled) return;
	handlersInstalled = true;
	process.on('exit', () => {
		for (const handle of live) killGroup(handle.pid, 'SIGKILL');
	});
	for (const [signal, code] of [
		['SIGINT', 130],
		['SIGTERM', 143],
		['SIGHUP', 129],
	]) {
		process.on(signal, async () => {
			if (process.listenerCount(signal) > 1) return;
			await stopAll();
			process.exit(code);
		});
	}
}

/** Stops every n8n process started by this module. */
export async function stopAll({ timeoutMs = 10_000 } = {}) {
	await Promise.allSettled([...live].map((handle) => handle.stop({ timeoutMs })));
}

/**
 * Ends everything the runtime started in this process and refuses to start more: commands still
 * running (an npm install, a pack, a native build) are killed, n8n processes stopped, and a start()
 * or install that was on its way fails instead of starting something nobody will stop. For a test
 * file's `after` hook when its `before` may not have finished (test/support/harness.mjs).
 */
export async function shutdownRuntime({ timeoutMs = 10_000 } = {}) {
	killRunningCommands();
	await stopAll({ timeoutMs });
}

// Covers the one case exit handlers cannot: this process being SIGKILLed. A tiny
// detached process polls our pid and takes the n8n process group down when we are gone.
const WATCHDOG = `
	const [parent, group] = process.argv.slice(1).map(Number);
	const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
	const timer = setInterval(() => {
		if (!alive(-group)) process.exit(0);
		if (alive(parent)) return;
		clearInterval(timer);
		try { process.kill(-group, 'SIGTERM'); } catch {}
		setTimeout(() => { try { process.kill(-group, 'SIGKILL'); } catch {} process.exit(0); }, 10000);
	}, 1000);`;
function spawnWatchdog(nodeBin, group) {
	const watchdog = spawn(nodeBin, ['-e', WATCHDOG, String(process.pid), String(group)], {
		detached: true,
		stdio: 'ignore',
	});
	watchdog.unref();
}

/** Sends `signal` to the process group `pid` leads; false when it is gone. */
export function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

function tail(file, lines = 40) {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

async function httpStatus(url, method = 'GET') {
	try {
		const res = await fetch(url, { method, signal: AbortSignal.timeout(5000) });
		await res.arrayBuffer();
		return res.status;
	} catch {
		return 0;
	}
}

/**
 * Spawns `n8n <command>` (start, webhook or worker) in its own process group and
 * waits until it is ready: GET /healthz/readiness answers 200 (for a worker, on the
 * queue health-check port, which is switched on here unless the caller configured it).
 * Output goes to `<userFolder>/n8n[-<command>].log`. `env` overrides the instance's
 * environment for this process only: a `webhook` process next to `start` in queue mode
 * needs its own N8N_PORT (await freePort()). Each process gets its own task-runner port.
 * @returns handle {pid, command, port, logFile, exited: Promise<{code, signal}>, stop({timeoutMs})}
 */
export async function start(
	instance,
	{ command = 'start', args = [], env = {}, timeoutMs = 180_000 } = {},
) {
	if (isShuttingDown()) throw shutdownError(`n8n ${command}`);
	installExitHandlers();
	const procEnv = { ...instance.env, ...env };
	if (!procEnv.N8N_RUNNERS_BROKER_PORT) procEnv.N8N_RUNNERS_BROKER_PORT = String(await freePort());
	let readinessUrl = `http://127.0.0.1:${procEnv.N8N_PORT}/healthz/readiness`;
	if (command === 'worker') {
		if (procEnv.QUEUE_HEALTH_CHECK_ACTIVE === undefined) {
			procEnv.QUEUE_HEALTH_CHECK_ACTIVE = 'true';
			procEnv.QUEUE_HEALTH_CHECK_PORT = String(await freePort());
			procEnv.N8N_WORKER_SERVER_ADDRESS = '127.0.0.1';
		}
		readinessUrl =
			procEnv.QUEUE_HEALTH_CHECK_ACTIVE === 'true'
				? `http://127.0.0.1:${procEnv.QUEUE_HEALTH_CHECK_PORT ?? 5678}/healthz/readiness`
				: null;
	}
	// n8n 1.x answers readiness once the database is migrated, seconds before `start` has mounted
	// its REST routes (until then /rest/* is 404); 2.x mounts them first. GET /rest/login answers
	// 401 or 200 once they are there.
	const restUrl =
		command === 'start'
			? `http://127.0.0.1:${procEnv.N8N_PORT}/${procEnv.N8N_ENDPOINT_REST || 'rest'}/login`
			: null;
	const logFile =
		command === 'start' ? instance.logFile : path.join(instance.userFolder, `n8n-${command}.log`);
	const fd = openSync(logFile, 'a');
	const t0 = Date.now();
	const child = spawn(instance.nodeBin, [instance.n8nBin, command, ...args], {
		cwd: instance.userFolder,
		env: procEnv,
		detached: true,
		stdio: ['ignore', fd, fd],
	});
	closeSync(fd);
	spawnWatchdog(instance.nodeBin, child.pid);
	let exitInfo = null;
	const exited = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exitInfo = { code, signal };
			resolve(exitInfo);
		});
		child.on('error', (error) => {
			exitInfo = { code: null, signal: null, error };
			resolve(exitInfo);
		});
	});
	const handle = {
		pid: child.pid,
		command,
		port: Number(procEnv.N8N_PORT),
		env: procEnv,
		logFile,
		exited,
		startupMs: 0,
		async stop({ timeoutMs: stopTimeout = 15_000 } = {}) {
			if (exitInfo === null) {
				killGroup(child.pid, 'SIGTERM');
				const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), stopTimeout);
				await exited;
				clearTimeout(timer);
			}
			// the task runner and other children share the group; make sure none is left
			killGroup(child.pid, 'SIGKILL');
			live.delete(handle);
			const i = instance.processes.indexOf(handle);
			if (i >= 0) instance.processes.splice(i, 1);
			return exitInfo;
		},
	};
	live.add(handle);
	instance.processes.push(handle);

	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exitInfo !== null) {
			await handle.stop();
			throw new Error(
				`n8n ${command} exited during startup (${exitInfo.error?.message ?? exitInfo.signal ?? `code ${exitInfo.code}`}); last lines of ${logFile}:\n${tail(logFile)}`,
			);
		}
		if (
			readinessUrl
				? (await httpStatus(readinessUrl)) === 200 &&
					(!restUrl || (await httpStatus(restUrl)) !== 404)
				: /n8n worker is now ready/.test(tail(logFile, 200))
		)
			break;
		if (Date.now() > deadline) {
			await handle.stop();
			throw new Error(
				`n8n ${command} not ready after ${timeoutMs / 1000} s; last lines of ${logFile}:\n${tail(logFile)}`,
			);
		}
		await sleep(250);
	}
	handle.startupMs = Date.now() - t0;
	instance.log(
		`n8n ${command} ready on ${readinessUrl ?? 'queue'} in ${(handle.startupMs / 1000).toFixed(1)} s (pid ${child.pid})`,
	);
	return handle;
}

/** Stops every process of the instance; with `removeUserFolder`, deletes its folder too. */
export async function stopInstance(instance, { removeUserFolder = false } = {}) {
	await Promise.allSettled([...instance.processes].map((handle) => handle.stop()));
	if (removeUserFolder) await rm(instance.userFolder, { recursive: true, force: true });
}

/**
 * Polls `url` (HEAD by default) until it answers `status` (200: the trigger is
 * registered, as edna's URL check expects). Pass `status: 404` after unpublishing:
 * n8n 2.41.1 still serves the webhook for a moment after /unpublish returns.
 */
export async function waitForWebhook(
	url,
	{ method = 'HEAD', status = 200, timeoutMs = 30_000, intervalMs = 200 } = {},
) {
	const deadline = Date.now() + timeoutMs;
	let last = 0;
	while (Date.now() < deadline) {
		last = await httpStatus(url, method);
		if (last === status) return;
		await sleep(intervalMs);
	}
	throw new Error(
		`${method} ${url} did not answer ${status} within ${timeoutMs} ms (last status ${last || 'no answer'})`,
	);
}
