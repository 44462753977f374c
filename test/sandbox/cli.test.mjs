// `npm run sandbox`: --help, and a run that prints its addresses and keys, serves, and stops on SIGTERM.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const CLI = path.join(import.meta.dirname, '..', '..', 'scripts', 'sandbox.mjs');

test('--help lists the options and exits 0', () => {
	const run = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
	assert.equal(run.status, 0);
	for (const option of ['--port', '--speed', '--seed', '--webhooks', '--failure-rate'])
		assert.ok(run.stdout.includes(option), option);
});

test('a bad option exits 2 with a hint', () => {
	const run = spawnSync(process.execPath, [CLI, '--speed', '0'], { encoding: 'utf8' });
	assert.equal(run.status, 2);
	assert.match(run.stderr, /--speed/);
});

test('prints the page, the API base URL and the keys, serves, and stops on SIGTERM', async () => {
	const child = spawn(process.execPath, [CLI, '--port', '0', '--quiet'], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let out = '';
	await new Promise((resolve, reject) => {
		child.stdout.on('data', (chunk) => {
			out += chunk;
			if (out.includes('Ctrl-C stops the sandbox.')) resolve();
		});
		child.once('exit', (code) => reject(new Error(`exited ${code} before it was ready:\n${out}`)));
	});
	const api = /API base URL\s+(\S+)/.exec(out)[1];
	assert.match(/conversation page\s+(\S+)/.exec(out)[1], /^http:\/\/127\.0\.0\.1:\d+\/$/);
	for (const key of [
		'sandbox-master-api-key-example',
		'sandbox-wa-only-api-key-example',
		'sandbox-webhook-key-example',
	])
		assert.ok(out.includes(key), key);
	const res = await fetch(`${api}/channel-profile`, {
		headers: { 'x-api-key': 'sandbox-master-api-key-example' },
	});
	assert.equal(res.status, 200);
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	assert.equal(await exited, 0);
});
