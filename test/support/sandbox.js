// The sandbox (sandbox/) for the unit tests, as its own process started by `npm run sandbox`'s
// script: the sandbox is plain ESM, and jest runs the tests as CommonJS. Plain JavaScript for the
// same reason as io.js (n8n's lint forbids child_process and process in TypeScript, tests included).
const { execFileSync, spawn } = require('node:child_process');
const { join } = require('node:path');

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'sandbox.mjs');
const MASTER_KEY = 'sandbox-master-api-key-example';

/** Starts a sandbox on a free port; resolves when it prints its addresses. */
exports.startSandbox = () =>
	new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [SCRIPT, '--port', '0', '--quiet', '--speed', '10000'], {
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let out = '';
		const exited = (code) => reject(new Error(`the sandbox exited ${code}:\n${out}`));
		child.once('exit', exited);
		child.stdout.on('data', (chunk) => {
			out += chunk;
			const url = /API base URL\s+(\S+)/.exec(out);
			if (!url || !out.includes('Ctrl-C')) return;
			child.off('exit', exited);
			const apiUrl = url[1];
			resolve({
				apiUrl,
				/** POSTs `body` to edna's API with the master key; `{status, body}`. */
				async post(endpoint, body) {
					const res = await fetch(`${apiUrl}/${endpoint}`, {
						method: 'POST',
						headers: { 'x-api-key': MASTER_KEY, 'content-type': 'application/json' },
						body: JSON.stringify(body),
					});
					return { status: res.status, body: await res.json() };
				},
				stop: () =>
					new Promise((done) => {
						if (child.exitCode !== null) return done();
						child.once('exit', () => done());
						child.kill('SIGTERM');
					}),
			});
		});
	});

/**
 * The sandbox's own answers to a few API requests, for unit tests that hold the in-test edna fake to
 * them: started with its seed in a child process, asked, stopped.
 */
const sandboxIndex = join(__dirname, '..', '..', 'sandbox', 'index.mjs');

/** Starts the sandbox with its seed, sends `requests` with `apiKey`, stops it; their statuses and bodies. */
exports.sandboxAnswers = (apiKey, requests) => {
	const script = `
		const { start } = await import(${JSON.stringify(sandboxIndex)});
		const sandbox = await start({ port: 0 });
		const out = [];
		try {
			for (const r of ${JSON.stringify(requests)}) {
				const res = await fetch(sandbox.apiUrl + '/' + r.path, {
					method: r.method,
					headers: { 'X-API-KEY': ${JSON.stringify(apiKey)}, 'content-type': 'application/json' },
					body: r.body === undefined ? undefined : JSON.stringify(r.body),
				});
				out.push({ status: res.status, body: await res.json() });
			}
		} finally {
			await sandbox.stop();
		}
		process.stdout.write(JSON.stringify(out));
	`;
	const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
		encoding: 'utf8',
		timeout: 20000,
	});
	return JSON.parse(output);
};
