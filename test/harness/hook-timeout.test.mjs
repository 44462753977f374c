// The end-to-end harness itself: a test file whose `before` hook times out leaves no process behind
// and ends (test/support/harness.mjs), and a test never installs n8n itself (npm run setup does).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import { ensureN8n } from '../../scripts/lib/n8n/install.mjs';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'slow-setup.mjs');
const tmp = await mkdtemp(path.join(os.tmpdir(), 'edna-harness-test-'));
after(() => rm(tmp, { recursive: true, force: true }));

const alive = (pid) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
};

/** Runs the fixture under `node --test`; resolves with its exit code, output, time and the pids it recorded. */
async function runFixture(scenario) {
	const pidFile = path.join(tmp, `${scenario}.pids`);
	const started = Date.now();
	// A test run of its own, as npm test starts each file (not a subtest of this file's run).
	const { NODE_TEST_CONTEXT, ...env } = process.env;
	const child = spawn(process.execPath, ['--test', '--test-reporter=spec', FIXTURE], {
		env: { ...env, PID_FILE: pidFile, SCENARIO: scenario },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	// A file that does not end is the failure this guards against: give it a minute, then report it.
	const limit = setTimeout(() => child.kill('SIGKILL'), 60_000);
	const [code, signal] = await new Promise((resolve) => child.on('close', (...a) => resolve(a)));
	clearTimeout(limit);
	const lines = (await readFile(pidFile, 'utf8').catch(() => '')).split('\n').filter(Boolean);
	const pids = Object.fromEntries(
		lines.filter((l) => l.includes(' ')).map((l) => l.split(' ')).map(([k, v]) => [k, Number(v)]),
	);
	return { code, signal, output, ms: Date.now() - started, pids, started: lines.includes('started') };
}

/** The recorded processes are gone (the watchdog of an n8n group acts within a few seconds). */
async function assertGone(pids) {
	const deadline = Date.now() + 15_000;
	while (Object.values(pids).some(alive) && Date.now() < deadline)
		await new Promise((resolve) => setTimeout(resolve, 200));
	for (const [what, pid] of Object.entries(pids)) assert.ok(!alive(pid), `${what} (pid ${pid}) still runs`);
}

test('a hook that times out inside a long command (a first install): the file ends, the command is killed, no n8n starts', async () => {
	const run = await runFixture('install');
	assert.equal(run.signal, null, `the file did not end within a minute:\n${run.output}`);
	assert.notEqual(run.code, 0, 'the file reports the failed hook');
	assert.match(run.output, /timed out after 1000ms/);
	assert.ok(run.pids.command, `the slow command ran:\n${run.output}`);
	assert.equal(run.pids.n8n, undefined, 'no n8n was started after the hook gave up');
	await assertGone(run.pids);
});

test('a hook that times out after starting n8n: the file ends and that n8n is stopped', async () => {
	const run = await runFixture('started');
	assert.equal(run.signal, null, `the file did not end within a minute:\n${run.output}`);
	assert.notEqual(run.code, 0);
	assert.match(run.output, /timed out after 8000ms/);
	assert.ok(run.started && run.pids.n8n, `the fake n8n started:\n${run.output}`);
	await assertGone(run.pids);
});

test('inside a test file, a missing n8n is not installed: the error says to run npm run setup', async () => {
	const saved = process.env.XDG_CACHE_HOME;
	process.env.XDG_CACHE_HOME = path.join(tmp, 'empty-cache');
	try {
		await assert.rejects(ensureN8n({ version: '2.41.1', log: false }), /npm run setup -- --n8n 2\.41\.1/);
	} finally {
		if (saved === undefined) delete process.env.XDG_CACHE_HOME;
		else process.env.XDG_CACHE_HOME = saved;
	}
});
