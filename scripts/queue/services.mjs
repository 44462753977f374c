// PostgreSQL and Redis for n8n queue mode, just for one test run: installed from Debian packages
// when missing, started as this process's own throwaway servers (temp folder, free ports on
// 127.0.0.1, never the system services), and stopped when this process ends, also when it is
// interrupted or killed (a detached watchdog removes what an exit handler cannot).
import { spawn, spawnSync } from 'node:child_process';
import {
	chmodSync,
	chownSync,
	closeSync,
	existsSync,
	mkdirSync,
	openSync,
	readFileSync,
	readdirSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { freePort } from '../lib/n8n/index.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const isRoot = () => process.getuid?.() === 0;

/** The bin folder of the newest PostgreSQL server installed the Debian way, or null. */
export function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return null;
	const versions = readdirSync(root)
		.filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')) && existsSync(path.join(root, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? path.join(root, versions[0], 'bin') : null;
}

/** redis-server on PATH or where Debian puts it, or null. */
export function redisServerBin() {
	const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
	for (const dir of dirs) {
		const bin = path.join(dir, 'redis-server');
		if (dir && existsSync(bin)) return bin;
	}
	return null;
}

function runSync(cmd, args, options = {}) {
	const result = spawnSync(cmd, args, { encoding: 'utf8', ...options });
	if (result.error) throw new Error(`${cmd} ${args.join(' ')}: ${result.error.message}`);
	if (result.status !== 0) {
		throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status}):\n${(result.stderr || result.stdout).slice(-2000)}`);
	}
	return result.stdout;
}

/**
 * Installs `postgresql` and `redis-server` with apt-get when their binaries are missing (as root).
 * A temporary policy-rc.d keeps the packages from starting their system services: the test
 * starts its own servers and must leave nothing running.
 * @returns {{installed: string[], ms: number}}
 */
export function ensureDebianPackages(log) {
	const missing = [];
	if (!postgresBinDir()) missing.push('postgresql');
	if (!redisServerBin()) missing.push('redis-server');
	if (missing.length === 0) return { installed: [], ms: 0 };
	if (!isRoot()) {
		throw new Error(`${missing.join(' and ')} missing: run "sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}", or run this as root`);
	}
	const t0 = Date.now();
	const policy = '/usr/sbin/policy-rc.d';
	const ownPolicy = !existsSync(policy);
	if (ownPolicy) writeFileSync(policy, '#!/bin/sh\n# added by npm run test:queue while it installs packages\nexit 101\n', { mode: 0o755 });
	try {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		log(`installing ${missing.join(', ')} from Debian packages (apt-get update, apt-get install)`);
		runSync('apt-get', ['update'], { env });
		runSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
	} finally {
		if (ownPolicy) rmSync(policy, { force: true });
	}
	if (!postgresBinDir() || !redisServerBin()) throw new Error(`apt-get installed ${missing.join(', ')} but the binaries are not where expected`);
	return { installed: missing, ms: Date.now() - t0 };
}

/** uid/gid of the `postgres` account: PostgreSQL refuses to run as root. */
function postgresAccount() {
	const line = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith('postgres:'));
	if (!line) throw new Error('running as root, but there is no "postgres" user to run PostgreSQL as (the postgresql package creates it)');
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

// ---------------------------------------------------------------------------
// Lifetime: child process groups and the temp folder never outlive this process.

const groups = new Map(); // pid -> stop signal
let tempRoot = null;

// Polls the parent; when it is gone (even SIGKILLed), stops the groups and removes the folder.
const WATCHDOG = `
	const [parent, dir, ...specs] = process.argv.slice(1);
	const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
	const timer = setInterval(() => {
		if (alive(Number(parent))) return;
		clearInterval(timer);
		for (const spec of specs) { const [pid, sig] = spec.split(':'); try { process.kill(-Number(pid), sig); } catch {} }
		setTimeout(() => {
			for (const spec of specs) { try { process.kill(-Number(spec.split(':')[0]), 'SIGKILL'); } catch {} }
			try { require('node:fs').rmSync(dir, { recursive: true, force: true }); } catch {}
			process.exit(0);
		}, 5000);
	}, 1000);`;

function watch(pid, signal) {
	const watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), tempRoot, `${pid}:${signal}`], {
		detached: true,
		stdio: 'ignore',
	});
	watchdog.unref();
}

process.on('exit', () => {
	for (const pid of groups.keys()) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
	if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
});

/** A fresh temp folder for this run, removed on exit (also by the watchdogs). */
export async function makeTempRoot(prefix = 'edna-queue-') {
	tempRoot = await mkdtemp(path.join(os.tmpdir(), prefix));
	// PostgreSQL runs as `postgres` and must be able to reach its folder inside this one.
	chmodSync(tempRoot, 0o755);
	return tempRoot;
}

export function removeTempRoot() {
	if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
	tempRoot = null;
}

/** Spawns a server in its own process group; resolves `exited` with {code, signal}. */
function spawnServer(cmd, args, { logFile, stopSignal, ...options }) {
	const fd = openSync(logFile, 'a');
	const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], ...options });
	closeSync(fd);
	groups.set(child.pid, stopSignal);
	watch(child.pid, stopSignal);
	let exitInfo = null;
	const exited = new Promise((resolve) => {
		child.on('exit', (code, signal) => resolve((exitInfo = { code, signal })));
		child.on('error', (error) => resolve((exitInfo = { code: null, signal: null, error })));
	});
	const stop = async (timeoutMs = 10_000) => {
		if (exitInfo === null) {
			try {
				process.kill(-child.pid, stopSignal);
			} catch {
				// already gone
			}
			const timer = setTimeout(() => {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					// already gone
				}
			}, timeoutMs);
			await exited;
			clearTimeout(timer);
		}
		groups.delete(child.pid);
		return exitInfo;
	};
	return { pid: child.pid, exited, stop, isRunning: () => exitInfo === null, logFile };
}

async function waitUntil(what, check, server, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (!server.isRunning()) {
			throw new Error(`${what} exited during startup; last lines of ${server.logFile}:\n${tail(server.logFile)}`);
		}
		if (await check()) return;
		if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs / 1000} s; see ${server.logFile}`);
		await sleep(200);
	}
}

function tail(file, lines = 20) {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

// ---------------------------------------------------------------------------
// PostgreSQL

/**
 * initdb into `<root>/postgres/data` (as the `postgres` user when running as root), then runs
 * `postgres` on a free port of 127.0.0.1 with its unix socket in the same folder, trust
 * authentication, and an empty database `database`.
 * @returns {Promise<{host, port, user, database, version, startupMs, stop}>}
 */
export async function startPostgres(root, { database = 'n8n' } = {}) {
	const t0 = Date.now();
	const bin = postgresBinDir();
	if (!bin) throw new Error('PostgreSQL is not installed (ensureDebianPackages first)');
	const dir = path.join(root, 'postgres');
	const data = path.join(dir, 'data');
	mkdirSync(dir, { recursive: true });
	const account = isRoot() ? postgresAccount() : {};
	if (isRoot()) chownSync(dir, account.uid, account.gid);
	const asPostgres = { ...account, cwd: dir, env: { ...process.env, LC_ALL: 'C', LANG: 'C' } };
	runSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], asPostgres);
	const port = await freePort();
	const logFile = path.join(dir, 'postgres.log');
	const server = spawnServer(
		path.join(bin, 'postgres'),
		[
			...['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
			// A throwaway database: a commit need not wait for the disk (the data survives a crash of
			// n8n, not of PostgreSQL, which this test does not simulate).
			...['-c', 'synchronous_commit=off'],
		],
		// SIGINT is PostgreSQL's fast shutdown: disconnects clients, then stops cleanly.
		{ ...asPostgres, logFile, stopSignal: 'SIGINT' },
	);
	const client = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'];
	await waitUntil(
		'PostgreSQL',
		() => spawnSync(path.join(bin, 'pg_isready'), [...client, '-q'], { cwd: dir }).status === 0,
		server,
	);
	runSync(path.join(bin, 'createdb'), [...client, database], { cwd: dir });
	const version = runSync(path.join(bin, 'postgres'), ['--version']).trim();
	return { host: '127.0.0.1', port, user: 'postgres', database, version, logFile, pid: server.pid, startupMs: Date.now() - t0, stop: server.stop };
}

// ---------------------------------------------------------------------------
// Redis

function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let reply = '';
		socket.setTimeout(1000, () => socket.destroy());
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			reply += d;
			if (reply.includes('\r\n')) socket.end();
		});
		socket.on('close', () => resolve(reply.startsWith('+PONG')));
		socket.on('error', () => resolve(false));
	});
}

/**
 * redis-server on a free port of 127.0.0.1, in-memory only (no RDB or AOF files).
 * @returns {Promise<{host, port, version, startupMs, stop}>}
 */
export async function startRedis(root) {
	const t0 = Date.now();
	const bin = redisServerBin();
	if (!bin) throw new Error('redis-server is not installed (ensureDebianPackages first)');
	const dir = path.join(root, 'redis');
	mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const server = spawnServer(
		bin,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
		{ cwd: dir, logFile: path.join(dir, 'redis.log'), stopSignal: 'SIGTERM' },
	);
	await waitUntil('Redis', () => redisPing(port), server);
	const version = runSync(bin, ['--version']).trim().split(' ').find((w) => w.startsWith('v='))?.slice(2) ?? '?';
	return { host: '127.0.0.1', port, version, logFile: server.logFile, pid: server.pid, startupMs: Date.now() - t0, stop: server.stop };
}

/**
 * CPU seconds (user + system) used so far by a process and its descendants, including children
 * that already ended and were reaped (Linux /proc; 0 elsewhere). By parentage, not process group:
 * PostgreSQL's backends each start a session of their own.
 */
export function treeCpuSeconds(rootPid) {
	const procs = new Map(); // pid -> {ppid, ticks}
	let names = [];
	try {
		names = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
	} catch {
		return 0;
	}
	for (const name of names) {
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			// The fields after the command name: state is field 3, ppid 4; utime, stime, cutime, cstime 14-17.
			const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
			procs.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
		} catch {
			// the process ended meanwhile
		}
	}
	const inTree = (pid) => {
		for (let p = pid, hops = 0; p > 1 && hops < 64; p = procs.get(p)?.ppid ?? 0, hops++) if (p === rootPid) return true;
		return false;
	};
	let ticks = 0;
	for (const [pid, { ticks: t }] of procs) if (inTree(pid)) ticks += t;
	return ticks / 100; // USER_HZ is 100 on Linux
}
