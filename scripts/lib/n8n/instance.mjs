// Preparing an instance: this package packed, a user folder with community packages installed as
// n8n installs them, a port and the headless environment; n8n CLI commands against that folder.
import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import {
	REPO_ROOT,
	envWithNode,
	makeLogger,
	npmCommand,
	n8nMajor,
	resolveNodeBin,
	run,
	selectedN8nVersion,
} from './common.mjs';
import { ensureN8n } from './install.mjs';

export const ENCRYPTION_KEY = 'edna-pulse-local-encryption-key-example';

// ---------------------------------------------------------------------------
// Packing this package

/** `npm run build`, then `npm pack` into a fresh temp dir; returns the .tgz path. */
export async function packPackage({
	log,
	cwd = REPO_ROOT,
	build = true,
	nodeBin = resolveNodeBin(),
} = {}) {
	log = makeLogger(log);
	const [npm, pre] = npmCommand(nodeBin);
	const env = envWithNode(nodeBin);
	if (build) {
		log(`building ${path.basename(cwd)}`);
		await run(npm, [...pre, 'run', 'build'], { cwd, env });
	}
	const out = await mkdtemp(path.join(os.tmpdir(), 'n8n-pack-'));
	const { stdout } = await run(npm, [...pre, 'pack', '--json', '--pack-destination', out], {
		cwd,
		env,
	});
	const tgz = path.join(out, JSON.parse(stdout.slice(stdout.indexOf('[')))[0].filename);
	log(`packed ${tgz}`);
	return tgz;
}

// ---------------------------------------------------------------------------
// Instances

/** Whether `port` on 127.0.0.1 can be listened on now. */
export function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

// Variables from the caller's shell that would change how n8n runs.
const INHERITED_N8N_ENV =
	/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_OPTIONS$)/;

// What one n8n line needs on top of the environment below, as data.
// n8n 1.x: SQLite defaults to its legacy single-connection driver, on which concurrent public-API
// writes fail ("SQLITE_ERROR: no such savepoint"); n8n 1.x itself asks for DB_SQLITE_POOL_SIZE > 0,
// and 3 is 2.x's default (the pooled driver is the only one there).
const VERSION_ENV = { 1: { DB_SQLITE_POOL_SIZE: '3' } };

/** The headless environment of engineering notes §7.2 for one instance. */
export function baseEnv({ userFolder, port, ui = false, version = selectedN8nVersion() }) {
	return {
		...VERSION_ENV[n8nMajor(version)],
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `http://localhost:${port}/`,
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_DISABLE_UI: ui ? 'false' : 'true',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_LOG_LEVEL: 'warn',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		// On a busy machine n8n's 5 s database ping can time out; n8n then answers every request,
		// webhooks included, 503 "Database is not ready!" for a while (SQLite does not recover it).
		DB_PING_TIMEOUT_MS: '60000',
	};
}

/**
 * Installs a package into `<userFolder>/.n8n/nodes` as n8n's community package
 * installer does. `source` is a .tgz (npm pack) or a package directory.
 * @returns {Promise<{name: string, version: string, dir: string}>}
 */
export async function installCommunityPackage(
	userFolder,
	source,
	{ nodeBin = resolveNodeBin() } = {},
) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const staging = await mkdtemp(path.join(os.tmpdir(), 'n8n-pkg-'));
	try {
		if ((await stat(source)).isDirectory()) {
			await cp(source, staging, {
				recursive: true,
				dereference: true,
				filter: (src) => !/[/\\](node_modules|\.git)$/.test(src),
			});
		} else {
			await run('tar', ['-xzf', source, '-C', staging, '--strip-components=1']);
		}
		const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(
			await readFile(path.join(staging, 'package.json'), 'utf8'),
		);
		if (!/^(@[^/]+\/)?n8n-nodes-/.test(pkg.name)) {
			throw new Error(
				`${source}: n8n loads community packages named n8n-nodes-* or @scope/n8n-nodes-*, not "${pkg.name}"`,
			);
		}
		const dir = path.join(nodesDir, 'node_modules', ...pkg.name.split('/'));
		await rm(dir, { recursive: true, force: true });
		await mkdir(path.dirname(dir), { recursive: true });
		await cp(staging, dir, { recursive: true });
		await writeFile(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
		if (Object.keys(pkg.dependencies ?? {}).length > 0) {
			const [npm, pre] = npmCommand(nodeBin);
			await run(
				npm,
				[
					...pre,
					'install',
					'--audit=false',
					'--fund=false',
					'--bin-links=false',
					'--install-strategy=shallow',
					'--ignore-scripts=true',
					'--package-lock=false',
				],
				{ cwd: dir, env: envWithNode(nodeBin) },
			);
		}
		const ledgerPath = path.join(nodesDir, 'package.json');
		const ledger = JSON.parse(
			await readFile(ledgerPath, 'utf8').catch(
				() => '{"name":"installed-nodes","private":true,"dependencies":{}}',
			),
		);
		ledger.dependencies = { ...ledger.dependencies, [pkg.name]: pkg.version };
		await writeFile(ledgerPath, JSON.stringify(ledger, null, 2));
		return { name: pkg.name, version: pkg.version, dir };
	} finally {
		await rm(staging, { recursive: true, force: true });
	}
}

/**
 * Prepares an isolated n8n: a user folder with the packages installed, a port and
 * the environment. Nothing runs yet; use cli() to import, then start().
 * `env` entries override the defaults (a value of undefined removes a variable), e.g.
 * DB_TYPE=postgresdb and EXECUTIONS_MODE=queue for queue mode.
 * `ui: true` serves the editor (N8N_DISABLE_UI=false).
 */
export async function createInstance({
	tgz,
	extraPackages = [],
	port,
	env = {},
	userFolder,
	ui = false,
	version = selectedN8nVersion(),
	runtime,
	log,
} = {}) {
	log = makeLogger(log);
	runtime ??= await ensureN8n({ version, log });
	userFolder ??= await mkdtemp(path.join(os.tmpdir(), 'n8n-edna-'));
	await mkdir(path.join(userFolder, '.n8n', 'nodes'), { recursive: true });
	port = port || (await freePort());
	const packages = [];
	for (const source of [tgz, ...extraPackages].filter(Boolean)) {
		packages.push(await installCommunityPackage(userFolder, source, { nodeBin: runtime.nodeBin }));
	}
	const inherited = Object.fromEntries(
		Object.entries(process.env).filter(([k]) => !INHERITED_N8N_ENV.test(k)),
	);
	// n8n spawns its JavaScript task runner as `node` from PATH, so Node 24 goes first.
	inherited.PATH = `${path.dirname(runtime.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`;
	const merged = {
		...inherited,
		...baseEnv({ userFolder, port, ui, version: runtime.version }),
		...env,
	};
	for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
	const instance = {
		...runtime,
		userFolder,
		port,
		baseUrl: `http://127.0.0.1:${port}`,
		webhookBaseUrl: (merged.N8N_WEBHOOK_URL ?? `http://127.0.0.1:${port}/`).replace(/\/$/, ''),
		env: merged,
		packages,
		logFile: path.join(userFolder, 'n8n.log'),
		processes: [],
		log,
	};
	instance.webhookUrl = (webhookId, webhookPath) =>
		`${instance.webhookBaseUrl}/webhook/${webhookId}/${webhookPath}`;
	return instance;
}

/**
 * Runs an n8n CLI command (import:credentials, import:workflow, publish:workflow, …)
 * against the instance's user folder. Run before start(): CLI changes do not reach a
 * running n8n. Resolves with {stdout, stderr}.
 */
export async function cli(instance, args, { env = {}, timeoutMs = 180_000 } = {}) {
	return run(instance.nodeBin, [instance.n8nBin, ...args], {
		cwd: instance.userFolder,
		env: { ...instance.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...env },
		timeoutMs,
	});
}

/** Writes `data` as JSON to a temp file in the user folder and runs `n8n <command> --input=<file>`. */
export async function importJson(instance, command, data) {
	const file = path.join(instance.userFolder, `import-${randomUUID()}.json`);
	await writeFile(file, JSON.stringify(data, null, 2));
	try {
		return await cli(instance, [command, `--input=${file}`]);
	} finally {
		await rm(file, { force: true });
	}
}

/**
 * Marks an imported workflow active from the CLI, before start(): 2.x `publish:workflow`;
 * 1.x has no publish and uses `update:workflow --active=true` (deprecated in 2.x).
 */
export async function publishWorkflowCli(instance, workflowId) {
	const args =
		n8nMajor(instance.version) >= 2
			? ['publish:workflow', `--id=${workflowId}`]
			: ['update:workflow', `--id=${workflowId}`, '--active=true'];
	return cli(instance, args);
}
