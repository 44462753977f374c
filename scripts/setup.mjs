#!/usr/bin/env node
// `npm run setup`: installs what the test suites need before any of them starts, with progress and
// no test-style time limit: n8n (into the cache, once per version), and on request Chromium
// (test:ui) and PostgreSQL with Redis (test:queue). `npm test` runs it for its own n8n first.
// Each part is skipped in a moment when it is already there.
import { ensureChromium } from './lib/browser.mjs';
import { parseCli } from './lib/cli.mjs';
import {
	SUPPORTED_N8N_VERSIONS,
	cacheRoot,
	ensureN8n,
	resolveN8nVersion,
	selectedN8nVersion,
} from './lib/n8n/index.mjs';
import { ensureDebianPackages } from './queue/services.mjs';

const { values } = parseCli({
	name: 'setup',
	help: `Install what the test suites need, before they run.

Usage: npm run setup [-- options]

Options:
  --n8n <list>   comma-separated n8n versions to install into the cache (default: ${selectedN8nVersion()});
                 a partial version such as 1.123 means its newest release on the npm registry
  --browser      also Debian's Chromium (npm run test:ui)
  --queue        also Debian's PostgreSQL and Redis (npm run test:queue)
  --all          every supported n8n (${SUPPORTED_N8N_VERSIONS.join(', ')}), --browser and --queue:
                 what .ci/run needs
  -h, --help     show this help

n8n goes to ${cacheRoot()} (set XDG_CACHE_HOME to use another cache, e.g. an empty one to see
what a first run on a new machine does). Debian packages need root or password-less sudo.`,
	options: {
		n8n: { type: 'string' },
		browser: { type: 'boolean', default: false },
		queue: { type: 'boolean', default: false },
		all: { type: 'boolean', default: false },
	},
});

const say = (message) => console.log(`[setup] ${message}`);
const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;
// npm test's n8n first: it is the one most runs need.
const specs = values.all
	? [selectedN8nVersion(), ...SUPPORTED_N8N_VERSIONS.filter((v) => v !== selectedN8nVersion())]
	: (values.n8n ?? selectedN8nVersion())
			.split(',')
			.map((v) => v.trim())
			.filter(Boolean);

const parts = [];
for (const spec of specs) {
	parts.push({
		name: `n8n ${spec}`,
		install: async () => {
			const version = await resolveN8nVersion(spec);
			const { dir } = await ensureN8n({ version, log: (m) => say(m) });
			return `n8n ${version} in ${dir}`;
		},
	});
}
if (values.all || values.browser)
	parts.push({ name: 'Chromium', install: async () => `Chromium at ${ensureChromium(say)}` });
if (values.all || values.queue)
	parts.push({
		name: 'PostgreSQL and Redis',
		install: async () => {
			const { installed } = ensureDebianPackages(say);
			return installed.length ? `installed ${installed.join(', ')}` : 'PostgreSQL and Redis present';
		},
	});

const started = Date.now();
for (const part of parts) {
	const t0 = Date.now();
	say(`${part.name}: checking`);
	try {
		const what = await part.install();
		say(`${part.name}: ready in ${seconds(Date.now() - t0)} (${what})`);
	} catch (error) {
		console.error(`[setup] ${part.name} failed after ${seconds(Date.now() - t0)}: ${error.message}`);
		console.error('[setup] stopped: the suites that need it cannot run. Fix the cause and run npm run setup again.');
		process.exit(1);
	}
}
say(`everything ready in ${seconds(Date.now() - started)}`);
