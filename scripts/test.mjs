#!/usr/bin/env node
// `npm test`: type-check, unit tests, lint, build, n8n's scanner, then the end-to-end suites against
// a real n8n.
// `--unit` stops after the unit tests (no n8n needed). Each step prints its name and duration.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
if (args.includes('--help')) {
	console.log('usage: npm test [-- --unit]\n  --unit  type-check, unit tests and lint only (no real n8n)');
	process.exit(0);
}

function step(name, command, commandArgs) {
	const started = Date.now();
	console.log(`\n=== ${name}`);
	const run = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: process.env });
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (run.status !== 0) {
		console.error(`=== ${name} failed after ${seconds}s`);
		process.exit(run.status ?? 1);
	}
	console.log(`=== ${name} passed in ${seconds}s`);
}

const bin = (name) => join(root, 'node_modules', '.bin', name);

step('type-check', bin('tsc'), ['-p', 'tsconfig.test.json']);
step('unit tests', bin('jest'), ['--ci']);
const sandboxTests = readdirSync(join(root, 'test', 'sandbox'))
	.filter((f) => f.endsWith('.test.mjs'))
	.sort()
	.map((f) => join('test', 'sandbox', f));
step('sandbox tests', process.execPath, ['--test', ...sandboxTests]);
step('lint', bin('n8n-node'), ['lint']);
if (args.includes('--unit')) process.exit(0);

step('build', 'npm', ['run', 'build']);
// n8n's verification scanner, on the sources and on the tarball as npm packs it (scripts/scan-package.mjs).
step('n8n scanner', process.execPath, [join('scripts', 'scan-package.mjs')]);
const e2e = readdirSync(join(root, 'test', 'e2e'))
	.filter((f) => f.endsWith('.test.mjs'))
	.sort()
	.map((f) => join('test', 'e2e', f));
// One file at a time: each starts its own n8n, and two would compete for this machine's two cores.
step('end-to-end (real n8n)', process.execPath, ['--test', '--test-concurrency=1', ...e2e]);
