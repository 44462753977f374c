#!/usr/bin/env node
// `npm run test:compat`: the end-to-end suites on each supported n8n line, one suite at a time,
// and a table version × suite. The suites are unchanged: the runtime reads the version from
// $EDNA_N8N_VERSION (scripts/lib/n8n/common.mjs), which is set here per run.
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { parseCli } from './lib/cli.mjs';
import {
	N8N_VERSION_ENV,
	REPO_ROOT,
	ensureN8n,
	envWithNode,
	n8nMajor,
	npmCommand,
	resolveN8nVersion,
	resolveNodeBin,
	run,
	SUPPORTED_N8N_VERSIONS,
} from './lib/n8n/index.mjs';
import { runTestFile } from './lib/test-files.mjs';

// Suites that cannot run on an older n8n line for reasons outside this package, with the reason the
// table prints. The example workflows are n8n 2.x workflows: their Slack (v2.7) and Edit Fields (Set
// v3.5) nodes and the Data table the log example writes to through the public API are not in 1.123.
const SUITE_NEEDS = {
	examples: { major: 2, why: 'examples use Slack v2.7, Set v3.5 and data tables (n8n 2.x)' },
	'ai-assistant': { major: 2, why: 'the AI assistant example uses AI Agent 3.1 (n8n 2.x)' },
	'agent-tools': { major: 2, why: "what n8n 2.x shows the model of a tool; n8n 1.x's AI Agent fails the execution on a refused tool call instead of telling the model" },
};
const E2E_DIR = path.join(REPO_ROOT, 'test', 'e2e');
const allSuites = () =>
	readdirSync(E2E_DIR)
		.filter((f) => f.endsWith('.test.mjs'))
		.sort()
		.map((f) => f.replace(/\.test\.mjs$/, ''));

const HELP = `Run the end-to-end suites on several n8n versions and print a table version × suite.

Usage: npm run test:compat [-- options]

Options:
  --versions <list>  comma-separated n8n versions (default: ${SUPPORTED_N8N_VERSIONS.join(',')});
                     a partial version such as 1.123 means its newest release on the npm registry
  --suites <list>    comma-separated suites of test/e2e (default: all: ${allSuites().join(', ')})
  --no-build         use the current dist/ (default: npm run build first)
  --log-dir <dir>    where each run's output goes (default: a new temp folder)
  -h, --help         show this help

Each version is installed into the cache on first use (npm run n8n -- --help). Exits 1 if any
suite failed on any version.`;

const { values } = parseCli({
	name: 'test:compat',
	help: HELP,
	options: {
		versions: { type: 'string', default: SUPPORTED_N8N_VERSIONS.join(',') },
		suites: { type: 'string' },
		'no-build': { type: 'boolean', default: false },
		'log-dir': { type: 'string' },
	},
});

const list = (text) =>
	text
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
const suites = values.suites ? list(values.suites) : allSuites();
const unknown = suites.filter((s) => !allSuites().includes(s));
if (unknown.length) {
	console.error(
		`test:compat: no suite ${unknown.join(', ')} in test/e2e (${allSuites().join(', ')})`,
	);
	process.exit(2);
}

const nodeBin = resolveNodeBin();
const [npm, npmPre] = npmCommand(nodeBin);
const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;
const say = (message) => console.log(`[compat] ${message}`);

/** One suite on one version: its file with the version in the environment, output to a log. */
async function runSuite(version, suite, logFile) {
	const { code } = await runTestFile(path.join(E2E_DIR, `${suite}.test.mjs`), {
		env: { ...process.env, [N8N_VERSION_ENV]: version },
		logFile,
	});
	return code;
}

/** "67/68" from the spec reporter's summary, or '' when the run ended before it. */
async function counts(logFile) {
	const text = await readFile(logFile, 'utf8');
	const n = (name) => Number(new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(text)?.[1]);
	const tests = n('tests');
	return Number.isFinite(tests) && tests > 0 ? `${n('pass')}/${tests}` : '';
}

async function main() {
	const started = Date.now();
	const versions = [];
	for (const spec of list(values.versions)) versions.push(await resolveN8nVersion(spec, nodeBin));
	const logDir = values['log-dir']
		? path.resolve(values['log-dir'])
		: await mkdtemp(path.join(os.tmpdir(), 'edna-compat-'));
	await mkdir(logDir, { recursive: true });
	say(`n8n ${versions.join(', ')} × ${suites.join(', ')}; logs in ${logDir}`);

	if (!values['no-build'])
		await run(npm, [...npmPre, 'run', 'build'], { cwd: REPO_ROOT, env: envWithNode(nodeBin) });

	const installs = new Map();
	for (const version of versions) {
		const t0 = Date.now();
		await ensureN8n({ version, log: (m) => say(m) });
		installs.set(version, Date.now() - t0);
	}

	const results = [];
	for (const version of versions) {
		for (const suite of suites) {
			const needs = SUITE_NEEDS[suite];
			if (needs && n8nMajor(version) < needs.major) {
				results.push({ version, suite, skipped: needs.why });
				say(`${version} ${suite}: not run (${needs.why})`);
				continue;
			}
			const logFile = path.join(logDir, `${version}-${suite}.log`);
			const t0 = Date.now();
			const code = await runSuite(version, suite, logFile);
			const result = {
				version,
				suite,
				passed: code === 0,
				ms: Date.now() - t0,
				counts: await counts(logFile),
				logFile,
			};
			results.push(result);
			say(
				`${version} ${suite}: ${result.passed ? 'passed' : 'FAILED'} (${result.counts || 'no summary'}) in ${seconds(result.ms)}${result.passed ? '' : `; see ${logFile}`}`,
			);
		}
	}

	// version × suite: passed/FAILED, tests passed/run, duration
	const cell = (r) =>
		r.skipped
			? 'n/a'
			: `${r.passed ? 'passed' : 'FAILED'} ${r.counts} ${seconds(r.ms)}`.replace(/\s+/g, ' ');
	const header = ['n8n', 'install', ...suites];
	const rows = versions.map((version) => [
		version,
		seconds(installs.get(version)),
		...suites.map((suite) => cell(results.find((r) => r.version === version && r.suite === suite))),
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
	const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	console.log(`\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
	for (const row of rows) console.log(line(row));
	for (const r of results.filter((r) => r.skipped))
		console.log(`n/a: ${r.suite} on ${r.version}: ${r.skipped}`);
	const ran = results.filter((r) => !r.skipped);
	const failed = ran.filter((r) => !r.passed);
	console.log(
		`\n${failed.length ? `${failed.length} of ${ran.length} runs failed` : `all ${ran.length} runs passed`} in ${seconds(Date.now() - started)} (install: time to install or find each n8n in the cache)`,
	);
	process.exit(failed.length ? 1 : 0);
}

main().catch((error) => {
	console.error(`test:compat: ${error.message}`);
	process.exit(1);
});
