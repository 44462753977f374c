#!/usr/bin/env node
// n8n's verification scanner (@n8n/scan-community-package) on this package, as n8n runs it on a
// published version: the sources (package.json, nodes/, credentials/) and the packed tarball's
// compiled .js and package.json, inline eslint-disable comments ignored. The published-package
// path of the scanner (provenance, the source commit on GitHub) needs the registry; its
// `analyzePackage` on local folders is the same lint. Exits 1 on any violation and prints them.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { parseCli } from './lib/cli.mjs';
import { REPO_ROOT, packPackage, run } from './lib/n8n/index.mjs';

const HELP = `Run n8n's community-package scanner on this package's sources and on its packed tarball.

Usage: npm run scan [-- --no-pack]

Options:
  --build      run "npm run build" before packing (default: use the current dist/)
  --no-pack    scan the sources only
  -h, --help   show this help`;

const { values } = parseCli({
	name: 'scan',
	help: HELP,
	options: {
		build: { type: 'boolean', default: false },
		'no-pack': { type: 'boolean', default: false },
	},
});

// The scanner makes a temp folder when it is imported and leaves it behind; point it at one of ours.
const work = await mkdtemp(path.join(os.tmpdir(), 'n8n-scan-'));
process.env.TMPDIR = work;
let failed = false;
try {
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(
		'@n8n/scan-community-package/scanner/scanner.mjs'
	);
	const legs = [{ name: 'sources', dir: REPO_ROOT, patterns: SOURCE_FILE_PATTERNS }];
	if (!values['no-pack']) {
		const tgz = await packPackage({ build: values.build, log: false });
		const dir = path.join(work, 'package');
		await mkdir(dir);
		await run('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1']);
		await rm(path.dirname(tgz), { recursive: true, force: true });
		// the scanner's own choice for the shipped artifact: compiled code and the published manifest
		legs.push({ name: 'packed tarball', dir, patterns: ['**/*.js', 'package.json'] });
	}
	for (const leg of legs) {
		const result = await analyzePackage(leg.dir, leg.patterns);
		// "No files found" counts as a pass in the scanner; here it means the scan saw nothing.
		if (result.passed && result.message) {
			failed = true;
			console.error(`scan: ${leg.name} (${leg.dir}): ${result.message}`);
		} else if (result.passed) {
			console.log(`scan: ${leg.name}: no violations`);
		} else {
			failed = true;
			console.error(`scan: ${leg.name}: ${result.message}`);
			if (result.details) console.error(result.details);
		}
	}
} finally {
	await rm(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
