#!/usr/bin/env node
// Local n8n runtime. Run `npm run n8n -- --help`.
import path from 'node:path';

import { parseCli } from './lib/cli.mjs';
import {
	DEFAULT_N8N_VERSION,
	N8N_VERSION_ENV,
	createInstance,
	ensureN8n,
	packPackage,
	runtimeDir,
	selectedN8nVersion,
	start,
	stopInstance,
} from './lib/n8n/index.mjs';

const HELP = `Manage the local n8n used by the end-to-end tests, benchmarks and npm start.

Usage: npm run n8n -- <command> [options]

Commands:
  install              install n8n into the cache if needed and print its folder
  path                 print the cache folder (for CI caching); installs nothing
  pack                 build this package and npm-pack it; prints the .tgz path
  start                install, pack, then run n8n with this package installed
                       as a community package, until Ctrl-C

Options:
  --n8n-version <v>    n8n version (default: $${N8N_VERSION_ENV}, else ${DEFAULT_N8N_VERSION})
  --no-build           pack/start: skip "npm run build" (use the current dist/)
  --tgz <file>         start: install this tarball instead of packing
  --package <dir|tgz>  start: also install another community package (repeatable)
  --port <n>           start: port (default: a free one)
  --ui                 start: serve the editor UI
  --user-folder <dir>  start: n8n user folder (default: a new temp folder)
  --keep               start: keep the temp user folder after stopping
  -h, --help           show this help

The cache lives in \${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-edna-pulse/n8n-<version>-node<major>/.`;

const { values, positionals } = parseCli({
	name: 'n8n-runtime',
	help: HELP,
	allowPositionals: true,
	options: {
		'n8n-version': { type: 'string', default: selectedN8nVersion() },
		'no-build': { type: 'boolean', default: false },
		tgz: { type: 'string' },
		package: { type: 'string', multiple: true, default: [] },
		port: { type: 'string' },
		ui: { type: 'boolean', default: false },
		'user-folder': { type: 'string' },
		keep: { type: 'boolean', default: false },
	},
});
const [command] = positionals;
const version = values['n8n-version'];

if (!command) {
	console.log(HELP);
	process.exit(2);
}

try {
	switch (command) {
		case 'path':
			console.log(runtimeDir(version));
			break;
		case 'install': {
			const t0 = Date.now();
			const runtime = await ensureN8n({ version });
			console.error(`n8n ${version} ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
			console.log(runtime.dir);
			break;
		}
		case 'pack':
			console.log(await packPackage({ build: !values['no-build'] }));
			break;
		case 'start': {
			const [runtime, tgz] = await Promise.all([
				ensureN8n({ version }),
				values.tgz ? path.resolve(values.tgz) : packPackage({ build: !values['no-build'] }),
			]);
			const instance = await createInstance({
				runtime,
				tgz,
				extraPackages: values.package.map((p) => path.resolve(p)),
				port: values.port ? Number(values.port) : undefined,
				userFolder: values['user-folder'] ? path.resolve(values['user-folder']) : undefined,
				ui: values.ui,
			});
			const handle = await start(instance);
			console.log(`n8n is running: ${values.ui ? `http://localhost:${instance.port}/` : instance.baseUrl}`);
			console.log(`user folder: ${instance.userFolder}`);
			console.log(`log: ${handle.logFile}`);
			console.log('Press Ctrl-C to stop.');
			let stopping = false;
			const stop = async () => {
				if (stopping) return;
				stopping = true;
				await stopInstance(instance, { removeUserFolder: !values.keep && !values['user-folder'] });
				process.exit(0);
			};
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
			const exit = await handle.exited;
			if (stopping) break; // stop() exits once cleanup is done
			console.error(`n8n exited on its own (${exit.signal ?? `code ${exit.code}`}); see ${handle.logFile}`);
			await stopInstance(instance);
			process.exit(1);
			break;
		}
		default:
			console.error(`n8n-runtime: unknown command "${command}"\nRun with --help for usage.`);
			process.exit(2);
	}
} catch (error) {
	console.error(`n8n-runtime: ${error.message}`);
	process.exit(1);
}
