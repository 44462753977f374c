/**
 * The sandbox's own answers to a few API requests, for unit tests that hold the in-test edna fake to
 * them. The sandbox is plain ESM, so it runs in a child process; this file is plain JavaScript, as
 * io.js is, because the package's lint forbids child processes in TypeScript.
 */
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

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
