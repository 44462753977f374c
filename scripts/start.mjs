#!/usr/bin/env node
// `npm start`: a local n8n with this package, the edna sandbox beside it playing edna, a credential
// for the sandbox and the example workflows of examples/, published, their URLs registered in the
// sandbox as edna's callback/set registers them. Run `npm start -- --help`.
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import {
	DEFAULT_N8N_VERSION,
	OWNER,
	REPO_ROOT,
	createInstance,
	ensureN8n,
	freePort,
	packPackage,
	portIsFree,
	setupOwnerAndApiKey,
	start,
	stopInstance,
	waitForWebhook,
} from './lib/n8n/index.mjs';
import { start as startSandbox } from '../sandbox/index.mjs';
import { parseCli } from './lib/cli.mjs';
import { EXAMPLE_CREDENTIAL, exampleCredential, importExamples } from './lib/examples.mjs';
import { registerInSandbox } from './lib/sandbox-registration.mjs';
import { loadFixtures, simulatorTarget } from './lib/simulator.mjs';
import { CREDENTIAL_TYPE, TRIGGER_TYPE, nodeLogicOf } from './lib/trigger-workflow.mjs';

const DEFAULT_PORT = 5678;
const DEFAULT_SANDBOX_PORT = 5690;
const DEFAULT_USER_FOLDER = path.join(REPO_ROOT, '.n8n-local');
// n8n wants labels unique per user; each run makes its own and removes the earlier ones.
const API_KEY_LABEL = 'npm start';

const HELP = `Run a local n8n ${DEFAULT_N8N_VERSION} with the edna Pulse Trigger and example workflows.

Usage: npm start [-- options]

Builds the package, installs n8n into ~/.cache/n8n-nodes-edna-pulse/ (first run only, a few
minutes), installs the package the way n8n installs community packages, starts the edna sandbox
(a local edna: sandbox/README.md) on http://127.0.0.1:${DEFAULT_SANDBOX_PORT} and n8n with its editor on
http://localhost:${DEFAULT_PORT}, creates the owner account and the credential "${EXAMPLE_CREDENTIAL}"
(the sandbox's API key, base URL and webhook key), imports and publishes every workflow in
examples/, registers their trigger URLs in the sandbox (callback/set, after edna's HEAD check), then
prints the sandbox's conversation page, each trigger's production URL and the simulator command
that sends it edna events. Write "hello" as a customer on the conversation page and the
auto-reply example answers. Ctrl-C stops both.

Workflows, credentials and executions are kept in .n8n-local/ between runs; an example whose
name already exists there is left as you last saved it.

Options:
  --port <n>           port for the editor and webhooks (default ${DEFAULT_PORT}; if it is taken,
                       a free one is picked and named)
  --sandbox-port <n>   port for the edna sandbox (default ${DEFAULT_SANDBOX_PORT}, else a free one)
  --fresh              delete .n8n-local/ first: new database, examples imported anew
  --no-build           use the current dist/ instead of running "npm run build"
  --user-folder <dir>  n8n user folder (default .n8n-local/)
  -h, --help           show this help`;

const { values } = parseCli({
	name: 'start',
	help: HELP,
	options: {
		port: { type: 'string' },
		'sandbox-port': { type: 'string' },
		fresh: { type: 'boolean', default: false },
		'no-build': { type: 'boolean', default: false },
		'user-folder': { type: 'string' },
	},
});

const t0 = Date.now();
const seconds = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const say = (line = '') => console.log(line);
const step = (line) => console.log(`\n▸ ${line}`);
const userFolder = path.resolve(values['user-folder'] ?? DEFAULT_USER_FOLDER);
/** A path as the user can read it: relative to the current folder when inside it. */
const shown = (p) =>
	path.relative(process.cwd(), p).startsWith('..') ? p : path.relative(process.cwd(), p) || '.';

// Ctrl-C: stop n8n (its own process group) and leave. Before n8n runs, the install or build in
// progress gets the terminal's SIGINT as we do; the runtime releases its install lock on exit.
let instance;
let sandbox;
let stopping = false;
async function shutdown(code) {
	if (stopping) return;
	stopping = true;
	await sandbox?.stop();
	if (instance) {
		say('\nStopping n8n…');
		await stopInstance(instance);
		say(`Stopped. Your workflows are kept in ${shown(userFolder)}/.`);
	}
	process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => shutdown(0));

/** One `npm start` per user folder: two n8n processes on one SQLite database would corrupt it. */
async function claimUserFolder() {
	const pidFile = path.join(userFolder, 'npm-start.pid');
	let pid = 0;
	try {
		pid = Number(readFileSync(pidFile, 'utf8'));
	} catch {
		// no other run
	}
	if (pid && pid !== process.pid) {
		let alive = false;
		try {
			process.kill(pid, 0);
			alive = true;
		} catch (error) {
			alive = error.code === 'EPERM';
		}
		if (alive) {
			throw new Error(
				`another npm start (pid ${pid}) is using ${shown(userFolder)}/; stop it first, or pass --user-folder <dir> (if that process is no npm start, delete ${shown(pidFile)})`,
			);
		}
	}
	await mkdir(userFolder, { recursive: true });
	await writeFile(pidFile, String(process.pid));
	process.once('exit', () => rmSync(pidFile, { force: true }));
}

async function choosePort(option = 'port', preferred = DEFAULT_PORT, what = 'another n8n?') {
	if (values[option] !== undefined) {
		const port = Number(values[option]);
		if (!Number.isInteger(port) || port < 1 || port > 65535)
			throw new Error(`--${option} ${values[option]} is not a port`);
		if (!(await portIsFree(port)))
			throw new Error(`port ${port} is in use; pick another with --${option}`);
		return port;
	}
	if (await portIsFree(preferred)) return preferred;
	const port = await freePort();
	say(`  port ${preferred} is in use (${what}); using port ${port} instead`);
	return port;
}


/** Keys made by earlier runs are of no use (their raw value was shown once and not kept): remove them. */
async function removeOldApiKeys(api, label) {
	const listed = await api.rest('GET', '/api-keys');
	const keys = Array.isArray(listed) ? listed : (listed?.items ?? []);
	for (const key of keys) {
		if (key.label.startsWith(API_KEY_LABEL) && key.label !== label) {
			await api.rest('DELETE', `/api-keys/${key.id}`).catch(() => {});
		}
	}
}


// ---------------------------------------------------------------------------

try {
	say(`edna Pulse — local n8n ${DEFAULT_N8N_VERSION} and the edna sandbox`);
	await claimUserFolder();
	const port = await choosePort();
	const sandboxPort = await choosePort('sandbox-port', DEFAULT_SANDBOX_PORT, 'another sandbox?');
	step(values['no-build'] ? 'preparing n8n, packing dist/' : 'building the package, preparing n8n');
	const log = (message) =>
		say(`  ${message.replace(/^building \S+$/, 'building (npm run build)')}`);
	const [runtime, tgz] = await Promise.all([
		ensureN8n({ log }),
		packPackage({ build: !values['no-build'], log }),
	]);
	say(`  done at ${seconds()}`);

	step('installing n8n-nodes-edna-pulse into n8n');
	if (values.fresh) {
		await rm(userFolder, { recursive: true, force: true });
		say(`  --fresh: removed ${shown(userFolder)}/`);
		await claimUserFolder();
	}
	instance = await createInstance({ runtime, tgz, port, userFolder, ui: true, log });
	await rm(path.dirname(tgz), { recursive: true, force: true });
	say(
		`  ${instance.packages.map((p) => `${p.name}@${p.version}`).join(', ')} → ${shown(instance.packages[0].dir)}`,
	);

	step(`starting the edna sandbox on port ${sandboxPort}`);
	sandbox = await startSandbox({ port: sandboxPort });
	say(`  ${sandbox.url}  (edna's API at ${sandbox.apiUrl})`);

	step(`starting n8n on port ${port}`);
	const handle = await start(instance);
	handle.exited.then((exit) => {
		if (stopping) return;
		console.error(
			`\nn8n exited on its own (${exit.signal ?? `code ${exit.code}`}); last lines are in ${handle.logFile}`,
		);
		process.exit(1);
	});

	step('owner account, example credential and workflows');
	const label = `${API_KEY_LABEL} ${new Date().toISOString()}`;
	const api = await setupOwnerAndApiKey(instance, { label });
	await removeOldApiKeys(api, label);
	const credential = await exampleCredential(api, {
		webhookKey: sandbox.keys.webhook,
		apiKey: sandbox.keys.master,
		baseUrl: sandbox.apiUrl,
	});
	const fileOf = await importExamples(api, credential, say);

	// Every published workflow with an edna trigger, the user's own included.
	const fixtures = (await loadFixtures()).filter((f) => f.body !== undefined);
	const logic = await nodeLogicOf();
	const triggers = [];
	for (const workflow of await api.listWorkflows()) {
		if (!workflow.active) continue;
		for (const node of workflow.nodes ?? []) {
			if (node.type !== TRIGGER_TYPE || node.disabled || !node.webhookId) continue;
			const parameters = node.parameters ?? {};
			const url = instance.webhookUrl(node.webhookId, 'webhook');
			const usesExampleKey = node.credentials?.[CREDENTIAL_TYPE]?.id === credential.id;
			const key =
				parameters.authentication === 'none'
					? ''
					: ` --key ${usesExampleKey ? sandbox.keys.webhook : `<the key in credential "${node.credentials?.[CREDENTIAL_TYPE]?.name ?? '?'}">`}`;
			triggers.push({
				workflow,
				node,
				url,
				command: `npm run simulate -- --url ${url}${key} ${simulatorTarget(parameters, fixtures, logic)}`,
			});
		}
	}
	// A workflow's saved draft can differ from its published version; say so rather than stop.
	await Promise.all(
		triggers.map((t) =>
			waitForWebhook(t.url, { timeoutMs: 15_000 }).catch((error) => {
				t.problem = error.message;
			}),
		),
	);
	triggers.sort((a, b) => a.workflow.name.localeCompare(b.workflow.name));
	const registered = await registerInSandbox(sandbox, triggers, fileOf);

	const editor = `http://localhost:${port}`;
	say(`\n${'─'.repeat(78)}`);
	say(`n8n is running (ready after ${seconds()}): ${editor}`);
	say(`  log in with   ${OWNER.email}  /  ${OWNER.password}`);
	say(`  credential    "${EXAMPLE_CREDENTIAL}": the sandbox's API key, base URL and webhook key`);
	say(`\nedna sandbox: ${sandbox.url}/  ← write as a customer here and watch the replies arrive`);
	say(`  API base URL  ${sandbox.apiUrl}`);
	say(`  API key       ${sandbox.keys.master}`);
	say(`  webhook key   ${sandbox.keys.webhook}`);
	for (const r of registered) {
		say(
			`  ${r.field.padEnd(28)} → ${r.trigger.workflow.name}  (${r.how}${r.problem ? `: ${r.problem}` : ''})`,
		);
	}
	const checked = triggers.every((t) => !t.problem)
		? " (each URL answered edna's HEAD check with 200)"
		: '';
	say(`\nedna Pulse triggers, published${checked}:`);
	for (const t of triggers) {
		say(`\n  ${t.workflow.name}  [${t.node.parameters?.event ?? 'messageStatus'}]`);
		say(t.url);
		say(`  ${t.command}`);
		if (t.problem) say(`  ! ${t.problem}: publish the workflow again in the editor`);
	}
	if (triggers.length === 0) say('  (none)');
	say(`\nThen open ${editor} → the workflow → Executions to see the items.`);
	say(
		`Data: ${shown(userFolder)}/ (kept; npm start -- --fresh starts over). n8n log: ${shown(handle.logFile)}`,
	);
	say('Press Ctrl-C to stop n8n and the sandbox.');
} catch (error) {
	console.error(`\nstart: ${error.message}`);
	await shutdown(1);
}
