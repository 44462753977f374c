#!/usr/bin/env node
// `npm test`: installs what the suites need (npm run setup: n8n, once), then type-check, unit tests,
// the sandbox's and the harness's tests, lint, build, n8n's scanner, and the end-to-end suites against
// a real n8n, one file at a time, each with a time limit for the whole file.
// `--unit` stops after lint (no n8n needed). Each step prints its name and duration.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { FILE_TIMEOUT_MS, runTestFile } from './lib/test-files.mjs';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
if (args.includes('--help')) {
	console.log(
		'usage: npm test [-- --unit]\n  --unit  type-check, unit, sandbox and harness tests and lint only (no real n8n)',
	);
	process.exit(0);
}

const seconds = (started) => ((Date.now() - started) / 1000).toFixed(1);
function step(name, command, commandArgs) {
	const started = Date.now();
	console.log(`\n=== ${name}`);
	const run = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: process.env });
	if (run.status !== 0) {
		console.error(`=== ${name} failed after ${seconds(started)}s`);
		process.exit(run.status ?? 1);
	}
	console.log(`=== ${name} passed in ${seconds(started)}s`);
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
const testFiles = (...dir) =>
	readdirSync(join(root, ...dir))
		.filter((f) => f.endsWith('.test.mjs'))
		.sort()
		.map((f) => join(...dir, f));

const unitOnly = args.includes('--unit');
// Before any test: a first install takes minutes, which no test hook should wait for.
if (!unitOnly) step('setup (n8n for the end-to-end suites)', process.execPath, [join('scripts', 'setup.mjs')]);
step('type-check', bin('tsc'), ['-p', 'tsconfig.test.json']);
step('unit tests', bin('jest'), ['--ci']);
step('sandbox tests', process.execPath, ['--test', ...testFiles('test', 'sandbox')]);
step('harness tests', process.execPath, ['--test', ...testFiles('test', 'harness')]);
step('lint', bin('n8n-node'), ['lint']);
if (unitOnly) process.exit(0);

step('build', 'npm', ['run', 'build']);
// n8n's verification scanner, on the sources and on the tarball as npm packs it (scripts/scan-package.mjs).
step('n8n scanner', process.execPath, [join('scripts', 'scan-package.mjs')]);

// One file at a time: each starts its own n8n, and two would compete for this machine's two cores.
const started = Date.now();
console.log(`\n=== end-to-end (real n8n), each file within ${FILE_TIMEOUT_MS / 1000} s`);
const failed = [];
for (const file of testFiles('test', 'e2e')) {
	const result = await runTestFile(file);
	const verdict = result.timedOut ? 'did not finish in time' : result.code === 0 ? 'passed' : 'FAILED';
	console.log(`--- ${file}: ${verdict} in ${(result.ms / 1000).toFixed(1)}s`);
	if (result.code !== 0) failed.push(file);
}
if (failed.length) {
	console.error(`=== end-to-end (real n8n) failed after ${seconds(started)}s: ${failed.join(', ')}`);
	process.exit(1);
}
console.log(`=== end-to-end (real n8n) passed in ${seconds(started)}s`);
