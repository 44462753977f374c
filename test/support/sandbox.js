// The sandbox (sandbox/) for the unit tests, as its own process started by `npm run sandbox`'s
// script: the sandbox is plain ESM, and jest runs the tests as CommonJS. Plain JavaScript for the
// same reason as io.js (n8n's lint forbids child_process and process in TypeScript, tests included).
const { spawn } = require('node:child_process');
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
