// `npm run sandbox`: --help, and a run that prints its addresses and keys, serves, and stops on SIGTERM.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const CLI = path.join(import.meta.dirname, '..', '..', 'scripts', 'sandbox.mjs');

test('--help lists the options and exits 0', () => {
	const run = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
	assert.equal(run.status, 0);
	for (const option of [
		'--port',
		'--speed',
		'--seed',
		'--webhooks',
		'--failure-rate',
		'--latency-ms',
		'--rate-limit',
		'--rate-burst',
		'--v1-message-id-not-unique',
	])
		assert.ok(run.stdout.includes(option), option);
});

test('a bad option exits 2 with a hint', () => {
	for (const [args, hint] of [
		[['--speed', '0'], /--speed/],
		[['--latency-ms', '-5'], /--latency-ms/],
		[['--rate-limit', '0'], /--rate-limit/],
		[['--rate-burst', '3'], /--rate-burst needs --rate-limit/],
	]) {
		const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
		assert.equal(run.status, 2, args.join(' '));
		assert.match(run.stderr, hint);
	}
});

/** Runs the CLI with `args` until it has printed its banner; returns the child and the banner. */
async function run(args) {
	const child = spawn(process.execPath, [CLI, '--port', '0', '--quiet', ...args], {
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
	return { child, out };
}

test('prints the page, the API base URL and the keys, serves, and stops on SIGTERM', async () => {
	const { child, out } = await run([]);
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

test('--latency-ms, --rate-limit, --rate-burst, --v1-message-id-not-unique set the limits', async () => {
	const { child, out } = await run([
		'--latency-ms',
		'20',
		'--rate-limit',
		'5',
		'--rate-burst',
		'2',
		'--v1-message-id-not-unique',
	]);
	assert.match(
		out,
		/limits\s+latency 20 ms; 5 sends\/s \(burst 2\), then 429; v1 messageId may repeat/,
	);
	const page = /conversation page\s+(\S+)/.exec(out)[1];
	const limits = await (await fetch(`${page}sandbox/limits`)).json();
	assert.deepEqual(limits, {
		latencyMs: 20,
		rateLimit: { perSecond: 5, burst: 2 },
		v1MessageIdUnique: false,
	});
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	assert.equal(await exited, 0);
});
