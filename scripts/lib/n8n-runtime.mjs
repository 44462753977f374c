// A managed local n8n for end-to-end tests, benchmarks and `npm start`:
// installs n8n on Node 24 into a per-user cache, installs community packages the
// way n8n does, and starts isolated instances that never outlive this process.
//
// Verified against n8n 2.41.1 (dist/ of the npm package):
// - Community packages: n8n extracts the npm tarball into
//   <userFolder>/.n8n/nodes/node_modules/<name>/ (tar --strip-components=1),
//   drops devDependencies/peerDependencies/optionalDependencies from its
//   package.json, runs `npm install --ignore-scripts` there, and records
//   {name: 'installed-nodes', private: true, dependencies: {<name>: <version>}} in
//   .n8n/nodes/package.json (modules/community-packages/community-packages.service.js).
// - REST: POST /rest/owner/setup {email, firstName, lastName, password} sets the auth
//   cookie itself; POST /rest/login {emailOrLdapLoginId, password}. The JWT is bound to
//   the `browser-id` request header when one is sent, so every REST call sends the same one.
//   REST responses are wrapped in {data}.
// - API keys: GET /rest/api-keys/scopes lists the scopes the user may grant;
//   POST /rest/api-keys {label, scopes, expiresAt: null} returns rawApiKey once.
// - Public API /api/v1 (header X-N8N-API-KEY): POST /workflows/{id}/publish and
//   /unpublish; PATCH /credentials/{id}; GET /executions pages with `cursor` and
//   `nextCursor`, `limit` at most 250.
// - Webhook requests: the body is parsed before the node runs; invalid JSON with
//   content-type application/json is answered 422 "Failed to parse request body" by n8n
//   itself (no execution). With responseMode 'onReceived' and no `responseData` in the
//   webhook description the reply body is the literal string "firstEntryJson" (the
//   default of that expression); {"message":"Workflow was started"} only comes when
//   responseData evaluates to an empty value.
// - /unpublish returns before the webhook is gone: poll for 404 (waitForWebhook).
// - Every main and worker process starts a task-runner broker on 5679
//   (N8N_RUNNERS_BROKER_PORT); parallel instances need their own port.
// - Workers have no HTTP server unless QUEUE_HEALTH_CHECK_ACTIVE=true; then
//   /healthz/readiness is served on QUEUE_HEALTH_CHECK_PORT (N8N_WORKER_SERVER_ADDRESS).
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_N8N_VERSION = '2.41.1';
export const ENCRYPTION_KEY = 'edna-pulse-local-encryption-key-example';
export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Local',
	lastName: 'Owner',
	password: 'EdnaPulse-local-1',
};
const READY_MARKER = '.ready';
const requireFromRepo = createRequire(path.join(REPO_ROOT, 'package.json'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function makeLogger(log) {
	if (log === false) return () => {};
	if (typeof log === 'function') return log;
	return (message) => process.stderr.write(`[n8n] ${message}\n`);
}

// ---------------------------------------------------------------------------
// Node 24 and npm

/** Node >= 24 binary: this process if it is one, else the `node` devDependency. */
export function resolveNodeBin() {
	if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
	try {
		const bin = path.join(path.dirname(requireFromRepo.resolve('node/package.json')), 'bin', 'node');
		if (existsSync(bin)) return bin;
	} catch {
		// fall through
	}
	throw new Error('n8n 2.x needs Node >= 24; run through npm scripts (they use the `node` devDependency) or install Node 24');
}

const nodeVersions = new Map();
function nodeVersionOf(nodeBin) {
	if (nodeBin === process.execPath) return process.versions.node;
	if (!nodeVersions.has(nodeBin)) {
		nodeVersions.set(nodeBin, execFileSync(nodeBin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim());
	}
	return nodeVersions.get(nodeBin);
}

/** npm, run by the Node 24 binary when npm's own script is known (npm scripts set npm_execpath). */
function npmCommand(nodeBin) {
	const execpath = process.env.npm_execpath;
	if (execpath && /npm-cli\.js$/.test(execpath) && existsSync(execpath)) return [nodeBin, [execpath]];
	return ['npm', []];
}

/** Environment whose `node` is the given binary, so install scripts and node-gyp use it. */
function envWithNode(nodeBin, extra = {}) {
	return { ...process.env, PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH}`, ...extra };
}

export function cacheRoot() {
	return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-edna-pulse');
}

/** `<cache>/n8n-nodes-edna-pulse/n8n-<version>-node<major>` */
export function runtimeDir(version = DEFAULT_N8N_VERSION, nodeBin = resolveNodeBin()) {
	return path.join(cacheRoot(), `n8n-${version}-node${nodeVersionOf(nodeBin).split('.')[0]}`);
}

function headersMatch(dir, version) {
	const header = path.join(dir, 'include', 'node', 'node_version.h');
	if (!existsSync(header)) return false;
	const text = readFileSync(header, 'utf8');
	const part = (name) => /#define\s+NODE_\w+_VERSION\s+(\d+)/.exec(text.slice(text.indexOf(`#define NODE_${name}_VERSION`)))?.[1];
	return `${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}` === version;
}

/**
 * A directory with include/node for the exact Node version (node-gyp --nodedir):
 * the binary's own prefix, the platform package of the `node` devDependency, or
 * that platform package fetched from the npm registry into the cache.
 */
export async function resolveNodeHeaders(nodeBin, log) {
	const version = nodeVersionOf(nodeBin);
	const candidates = [path.resolve(path.dirname(nodeBin), '..')];
	const platform = process.platform === 'win32' ? 'win' : process.platform;
	const prefix = process.platform === 'darwin' && process.arch === 'arm64' ? 'node-bin' : 'node';
	const platformPackage = `${prefix}-${platform}-${process.arch}`;
	try {
		const nodePkg = requireFromRepo.resolve('node/package.json');
		candidates.push(path.dirname(createRequire(nodePkg).resolve(`${platformPackage}/package.json`)));
	} catch {
		// not installed (npm may prune it after the `node` package's install script ran)
	}
	const cached = path.join(cacheRoot(), `node-headers-${version}`);
	candidates.push(cached);
	for (const dir of candidates) if (headersMatch(dir, version)) return dir;

	log(`fetching Node ${version} headers (${platformPackage}@${version} from the npm registry)`);
	const tmp = await mkdtemp(path.join(os.tmpdir(), 'node-headers-'));
	try {
		const [cmd, pre] = npmCommand(nodeBin);
		const out = await run(cmd, [...pre, 'pack', `${platformPackage}@${version}`, '--json', '--pack-destination', tmp], {
			cwd: tmp,
			env: envWithNode(nodeBin),
		});
		const tgz = path.join(tmp, JSON.parse(out.stdout)[0].filename);
		await rm(cached, { recursive: true, force: true });
		await mkdir(cached, { recursive: true });
		await run('tar', ['-xzf', tgz, '-C', cached, '--strip-components=1', 'package/include']);
	} finally {
		await rm(tmp, { recursive: true, force: true });
	}
	if (!headersMatch(cached, version)) throw new Error(`could not obtain Node ${version} headers`);
	return cached;
}

// ---------------------------------------------------------------------------
// Process helpers

/** Runs a command; resolves with {stdout, stderr}, rejects with the output on failure. */
function run(cmd, args, { cwd, env, logFile, timeoutMs = 0 } = {}) {
	return new Promise((resolve, reject) => {
		const fd = logFile ? openSync(logFile, 'a') : null;
		if (fd !== null) writeSync(fd, `\n$ ${cmd} ${args.join(' ')}\n`);
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (d) => (stdout += d));
		child.stderr?.on('data', (d) => (stderr += d));
		const timer = timeoutMs ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : null;
		child.on('error', (error) => {
			if (fd !== null) closeSync(fd);
			reject(error);
		});
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			if (fd !== null) closeSync(fd);
			if (code === 0) return resolve({ stdout, stderr });
			const where = logFile ? ` (see ${logFile})` : '';
			const error = new Error(
				`${path.basename(cmd)} ${args.join(' ')} failed with ${signal ?? `exit code ${code}`}${where}\n${stderr || stdout}`.trim(),
			);
			error.stdout = stdout;
			error.stderr = stderr;
			reject(error);
		});
	});
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** A directory lock (mkdir is atomic) holding the owner's pid; stale locks are taken over. */
async function withLock(lockDir, log, fn) {
	let waitingSince = 0;
	for (;;) {
		try {
			await mkdir(lockDir);
			await writeFile(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			const pid = Number(await readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => '0'));
			const age = Date.now() - (await stat(lockDir).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
			if ((pid && !isAlive(pid)) || (!pid && age > 10_000)) {
				log(`removing stale install lock ${lockDir}`);
				await rm(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!waitingSince || Date.now() - waitingSince > 30_000) {
				log(`another install is running (pid ${pid || '?'}); waiting for it to finish`);
				waitingSince = Date.now();
			}
			await sleep(1000);
		}
	}
	const release = () => rmSync(lockDir, { recursive: true, force: true });
	process.once('exit', release);
	try {
		return await fn();
	} finally {
		process.removeListener('exit', release);
		release();
	}
}

// ---------------------------------------------------------------------------
// Installing n8n

function n8nPaths(dir) {
	const pkg = path.join(dir, 'node_modules', 'n8n', 'package.json');
	return { pkg, n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n') };
}

function installedVersion(dir) {
	try {
		return JSON.parse(readFileSync(n8nPaths(dir).pkg, 'utf8')).version;
	} catch {
		return null;
	}
}

/** npm writes node_modules/.package-lock.json last, so its n8n entry means the install finished. */
function npmInstallComplete(dir, version) {
	if (installedVersion(dir) !== version) return false;
	try {
		const lock = JSON.parse(readFileSync(path.join(dir, 'node_modules', '.package-lock.json'), 'utf8'));
		return lock.packages?.['node_modules/n8n']?.version === version;
	} catch {
		return false;
	}
}

/** Loads the native modules with the target Node; throws with the reason if they do not load. */
async function checkNativeModules(dir, nodeBin) {
	const n8nDir = path.dirname(n8nPaths(dir).pkg);
	const script = `
		const r = (m) => require(require.resolve(m, { paths: [${JSON.stringify(n8nDir)}, ${JSON.stringify(dir)}] }));
		const sqlite3 = r('sqlite3');
		const db = new sqlite3.Database(':memory:');
		db.get('select 1 as one', (error, row) => {
			if (error || row.one !== 1) { console.error(error ?? row); process.exit(1); }
			const ivm = r('isolated-vm');
			const isolate = new ivm.Isolate({ memoryLimit: 8 });
			if (isolate.compileScriptSync('6 * 7').runSync(isolate.createContextSync()) !== 42) process.exit(1);
			db.close();
		});`;
	await run(nodeBin, ['-e', script], { cwd: dir, timeoutMs: 60_000 });
}

function readyMarker(dir) {
	try {
		return JSON.parse(readFileSync(path.join(dir, READY_MARKER), 'utf8'));
	} catch {
		return null;
	}
}

/** Cheap check used on every call: our marker matches and the files are there. */
function looksComplete(dir, version, nodeVersion) {
	const marker = readyMarker(dir);
	return (
		marker?.version === version &&
		marker?.node === nodeVersion &&
		installedVersion(dir) === version &&
		existsSync(n8nPaths(dir).n8nBin)
	);
}

function progress(dir) {
	try {
		return `${readdirSync(path.join(dir, 'node_modules')).length} top-level packages`;
	} catch {
		return 'resolving dependencies';
	}
}

/**
 * Installs n8n (once per version and Node major) into the cache and returns where it is.
 * Idempotent and safe to call concurrently: an install lock serialises callers, and an
 * existing complete install (ours or made by hand with the same recipe) is adopted
 * after its native modules load.
 * @returns {Promise<{dir: string, n8nBin: string, nodeBin: string, version: string}>}
 */
export async function ensureN8n({ version = DEFAULT_N8N_VERSION, log, nodeBin = resolveNodeBin() } = {}) {
	log = makeLogger(log);
	const nodeVersion = nodeVersionOf(nodeBin);
	const dir = runtimeDir(version, nodeBin);
	const result = { dir, n8nBin: n8nPaths(dir).n8nBin, nodeBin, version };
	if (looksComplete(dir, version, nodeVersion)) return result;

	await mkdir(path.dirname(dir), { recursive: true });
	await withLock(`${dir}.lock`, log, async () => {
		if (looksComplete(dir, version, nodeVersion)) return;
		const logFile = path.join(dir, 'install.log');
		await mkdir(dir, { recursive: true });
		// n8n's dependency tree includes packages with a preinstall `npx` call; npm
		// must not prompt. Kept in the directory so manual npm commands behave the same.
		await writeFile(path.join(dir, '.npmrc'), 'yes=true\nfund=false\naudit=false\n');
		if (!existsSync(path.join(dir, 'package.json'))) {
			await writeFile(path.join(dir, 'package.json'), '{"name":"n8n-runtime","private":true}\n');
		}
		let installed = npmInstallComplete(dir, version);
		if (installed) {
			try {
				await checkNativeModules(dir, nodeBin);
				log(`using existing n8n ${version} in ${dir}`);
				await writeReady(dir, version, nodeVersion);
				return;
			} catch {
				log(`n8n ${version} in ${dir} is installed but its native modules do not load; rebuilding them`);
			}
		}

		const [npm, pre] = npmCommand(nodeBin);
		const env = envWithNode(nodeBin);
		const t0 = Date.now();
		let phase = () => progress(dir);
		const heartbeat = setInterval(
			() => log(`  … ${Math.round((Date.now() - t0) / 1000)} s, ${phase()} (log: ${logFile})`),
			15_000,
		);
		try {
			if (!installed) {
				log(`installing n8n ${version} for Node ${nodeVersion} into ${dir} (first run only; a few minutes)`);
				// --ignore-scripts: an optional dependency's install script downloads zlib from
				// the internet; only sqlite3 and isolated-vm need their native part (below).
				await run(npm, [...pre, 'install', '--ignore-scripts', '--no-save', '--loglevel=warn', `n8n@${version}`], {
					cwd: dir,
					env,
					logFile,
				});
				installed = true;
				log(`  npm install done in ${Math.round((Date.now() - t0) / 1000)} s; building sqlite3 and isolated-vm`);
			}
			phase = () => 'fetching Node headers';
			const nodedir = await resolveNodeHeaders(nodeBin, log);
			phase = () => 'compiling sqlite3 and isolated-vm';
			await run(npm, [...pre, 'rebuild', 'sqlite3', 'isolated-vm', `--nodedir=${nodedir}`], { cwd: dir, env, logFile });
			await checkNativeModules(dir, nodeBin);
		} finally {
			clearInterval(heartbeat);
		}
		if (installedVersion(dir) !== version) throw new Error(`n8n ${version} did not install into ${dir}`);
		await writeReady(dir, version, nodeVersion);
		log(`n8n ${version} ready in ${Math.round((Date.now() - t0) / 1000)} s`);
	});
	return result;
}

async function writeReady(dir, version, nodeVersion) {
	await writeFile(
		path.join(dir, READY_MARKER),
		`${JSON.stringify({ version, node: nodeVersion, readyAt: new Date().toISOString() })}\n`,
	);
}

// ---------------------------------------------------------------------------
// Packing this package

/** `npm run build`, then `npm pack` into a fresh temp dir; returns the .tgz path. */
export async function packPackage({ log, cwd = REPO_ROOT, build = true, nodeBin = resolveNodeBin() } = {}) {
	log = makeLogger(log);
	const [npm, pre] = npmCommand(nodeBin);
	const env = envWithNode(nodeBin);
	if (build) {
		log(`building ${path.basename(cwd)}`);
		await run(npm, [...pre, 'run', 'build'], { cwd, env });
	}
	const out = await mkdtemp(path.join(os.tmpdir(), 'n8n-pack-'));
	const { stdout } = await run(npm, [...pre, 'pack', '--json', '--pack-destination', out], { cwd, env });
	const tgz = path.join(out, JSON.parse(stdout.slice(stdout.indexOf('[')))[0].filename);
	log(`packed ${tgz}`);
	return tgz;
}

// ---------------------------------------------------------------------------
// Instances

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
const INHERITED_N8N_ENV = /^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_OPTIONS$)/;

/** The headless environment of engineering notes §7.2 for one instance. */
export function baseEnv({ userFolder, port, ui = false }) {
	return {
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
export async function installCommunityPackage(userFolder, source, { nodeBin = resolveNodeBin() } = {}) {
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
			throw new Error(`${source}: n8n loads community packages named n8n-nodes-* or @scope/n8n-nodes-*, not "${pkg.name}"`);
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
				[...pre, 'install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
				{ cwd: dir, env: envWithNode(nodeBin) },
			);
		}
		const ledgerPath = path.join(nodesDir, 'package.json');
		const ledger = JSON.parse(
			await readFile(ledgerPath, 'utf8').catch(() => '{"name":"installed-nodes","private":true,"dependencies":{}}'),
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
	version = DEFAULT_N8N_VERSION,
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
	const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !INHERITED_N8N_ENV.test(k)));
	// n8n spawns its JavaScript task runner as `node` from PATH, so Node 24 goes first.
	inherited.PATH = `${path.dirname(runtime.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`;
	const merged = { ...inherited, ...baseEnv({ userFolder, port, ui }), ...env };
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
	instance.webhookUrl = (webhookId, webhookPath) => `${instance.webhookBaseUrl}/webhook/${webhookId}/${webhookPath}`;
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

// Live child process groups. n8n runs detached (its own process group, so a
// terminal's Ctrl-C does not reach it directly); these handlers make sure no group
// outlives this process: on exit (also after an uncaught exception) they are
// SIGKILLed, and on SIGINT/SIGTERM/SIGHUP they are stopped before exiting, unless
// the caller installed its own handler for that signal and stops them itself.
const live = new Set();
let handlersInstalled = false;
function installExitHandlers() {
	if (handlersInstalled) return;
	handlersInstalled = true;
	process.on('exit', () => {
		for (const handle of live) killGroup(handle.pid, 'SIGKILL');
	});
	for (const [signal, code] of [
		['SIGINT', 130],
		['SIGTERM', 143],
		['SIGHUP', 129],
	]) {
		process.on(signal, async () => {
			if (process.listenerCount(signal) > 1) return;
			await stopAll();
			process.exit(code);
		});
	}
}

/** Stops every n8n process started by this module. */
export async function stopAll({ timeoutMs = 10_000 } = {}) {
	await Promise.allSettled([...live].map((handle) => handle.stop({ timeoutMs })));
}

// Covers the one case exit handlers cannot: this process being SIGKILLed. A tiny
// detached process polls our pid and takes the n8n process group down when we are gone.
const WATCHDOG = `
	const [parent, group] = process.argv.slice(1).map(Number);
	const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
	const timer = setInterval(() => {
		if (!alive(-group)) process.exit(0);
		if (alive(parent)) return;
		clearInterval(timer);
		try { process.kill(-group, 'SIGTERM'); } catch {}
		setTimeout(() => { try { process.kill(-group, 'SIGKILL'); } catch {} process.exit(0); }, 10000);
	}, 1000);`;
function spawnWatchdog(nodeBin, group) {
	const watchdog = spawn(nodeBin, ['-e', WATCHDOG, String(process.pid), String(group)], {
		detached: true,
		stdio: 'ignore',
	});
	watchdog.unref();
}

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

function tail(file, lines = 40) {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

async function httpStatus(url, method = 'GET') {
	try {
		const res = await fetch(url, { method, signal: AbortSignal.timeout(5000) });
		await res.arrayBuffer();
		return res.status;
	} catch {
		return 0;
	}
}

/**
 * Spawns `n8n <command>` (start, webhook or worker) in its own process group and
 * waits until it is ready: GET /healthz/readiness answers 200 (for a worker, on the
 * queue health-check port, which is switched on here unless the caller configured it).
 * Output goes to `<userFolder>/n8n[-<command>].log`. `env` overrides the instance's
 * environment for this process only: a `webhook` process next to `start` in queue mode
 * needs its own N8N_PORT (await freePort()). Each process gets its own task-runner port.
 * @returns handle {pid, command, port, logFile, exited: Promise<{code, signal}>, stop({timeoutMs})}
 */
export async function start(instance, { command = 'start', args = [], env = {}, timeoutMs = 180_000 } = {}) {
	installExitHandlers();
	const procEnv = { ...instance.env, ...env };
	if (!procEnv.N8N_RUNNERS_BROKER_PORT) procEnv.N8N_RUNNERS_BROKER_PORT = String(await freePort());
	let readinessUrl = `http://127.0.0.1:${procEnv.N8N_PORT}/healthz/readiness`;
	if (command === 'worker') {
		if (procEnv.QUEUE_HEALTH_CHECK_ACTIVE === undefined) {
			procEnv.QUEUE_HEALTH_CHECK_ACTIVE = 'true';
			procEnv.QUEUE_HEALTH_CHECK_PORT = String(await freePort());
			procEnv.N8N_WORKER_SERVER_ADDRESS = '127.0.0.1';
		}
		readinessUrl =
			procEnv.QUEUE_HEALTH_CHECK_ACTIVE === 'true'
				? `http://127.0.0.1:${procEnv.QUEUE_HEALTH_CHECK_PORT ?? 5678}/healthz/readiness`
				: null;
	}
	const logFile = command === 'start' ? instance.logFile : path.join(instance.userFolder, `n8n-${command}.log`);
	const fd = openSync(logFile, 'a');
	const t0 = Date.now();
	const child = spawn(instance.nodeBin, [instance.n8nBin, command, ...args], {
		cwd: instance.userFolder,
		env: procEnv,
		detached: true,
		stdio: ['ignore', fd, fd],
	});
	closeSync(fd);
	spawnWatchdog(instance.nodeBin, child.pid);
	let exitInfo = null;
	const exited = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exitInfo = { code, signal };
			resolve(exitInfo);
		});
		child.on('error', (error) => {
			exitInfo = { code: null, signal: null, error };
			resolve(exitInfo);
		});
	});
	const handle = {
		pid: child.pid,
		command,
		port: Number(procEnv.N8N_PORT),
		env: procEnv,
		logFile,
		exited,
		startupMs: 0,
		async stop({ timeoutMs: stopTimeout = 15_000 } = {}) {
			if (exitInfo === null) {
				killGroup(child.pid, 'SIGTERM');
				const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), stopTimeout);
				await exited;
				clearTimeout(timer);
			}
			// the task runner and other children share the group; make sure none is left
			killGroup(child.pid, 'SIGKILL');
			live.delete(handle);
			const i = instance.processes.indexOf(handle);
			if (i >= 0) instance.processes.splice(i, 1);
			return exitInfo;
		},
	};
	live.add(handle);
	instance.processes.push(handle);

	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exitInfo !== null) {
			await handle.stop();
			throw new Error(
				`n8n ${command} exited during startup (${exitInfo.error?.message ?? exitInfo.signal ?? `code ${exitInfo.code}`}); last lines of ${logFile}:\n${tail(logFile)}`,
			);
		}
		if (readinessUrl ? (await httpStatus(readinessUrl)) === 200 : /n8n worker is now ready/.test(tail(logFile, 200))) break;
		if (Date.now() > deadline) {
			await handle.stop();
			throw new Error(`n8n ${command} not ready after ${timeoutMs / 1000} s; last lines of ${logFile}:\n${tail(logFile)}`);
		}
		await sleep(250);
	}
	handle.startupMs = Date.now() - t0;
	instance.log(`n8n ${command} ready on ${readinessUrl ?? 'queue'} in ${(handle.startupMs / 1000).toFixed(1)} s (pid ${child.pid})`);
	return handle;
}

/** Stops every process of the instance; with `removeUserFolder`, deletes its folder too. */
export async function stopInstance(instance, { removeUserFolder = false } = {}) {
	await Promise.allSettled([...instance.processes].map((handle) => handle.stop()));
	if (removeUserFolder) await rm(instance.userFolder, { recursive: true, force: true });
}

/**
 * Polls `url` (HEAD by default) until it answers `status` (200: the trigger is
 * registered, as edna's URL check expects). Pass `status: 404` after unpublishing:
 * n8n 2.41.1 still serves the webhook for a moment after /unpublish returns.
 */
export async function waitForWebhook(url, { method = 'HEAD', status = 200, timeoutMs = 30_000, intervalMs = 200 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last = 0;
	while (Date.now() < deadline) {
		last = await httpStatus(url, method);
		if (last === status) return;
		await sleep(intervalMs);
	}
	throw new Error(`${method} ${url} did not answer ${status} within ${timeoutMs} ms (last status ${last || 'no answer'})`);
}

// ---------------------------------------------------------------------------
// REST and public API

/**
 * Creates the owner account (or logs in if it exists), creates an API key with every
 * scope the owner may grant and returns a client for the public API.
 */
export async function setupOwnerAndApiKey(instance, { owner = OWNER, label = `local-${Date.now()}` } = {}) {
	const browserId = randomUUID();
	let cookie = '';
	const rest = async (method, route, body) => {
		const res = await fetch(`${instance.baseUrl}/rest${route}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': browserId,
				...(cookie ? { cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (setCookie) cookie = setCookie.split(';')[0];
		const text = await res.text();
		const json = text ? JSON.parse(text) : null;
		if (!res.ok) {
			const error = new Error(`${method} /rest${route} -> ${res.status}: ${text.slice(0, 300)}`);
			error.status = res.status;
			throw error;
		}
		return json?.data ?? json;
	};

	try {
		await rest('POST', '/owner/setup', owner);
	} catch (error) {
		if (error.status !== 400) throw error; // 400: the instance already has an owner
		await rest('POST', '/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	}
	if (!cookie) await rest('POST', '/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	const scopes = await rest('GET', '/api-keys/scopes');
	const created = await rest('POST', '/api-keys', { label, scopes, expiresAt: null });
	return createApiClient(instance, created.rawApiKey, { rest, scopes });
}

/** Public API client for an instance and an API key (see setupOwnerAndApiKey). */
export function createApiClient(instance, apiKey, extra = {}) {
	const api = async (method, route, body, { expect } = {}) => {
		const res = await fetch(`${instance.baseUrl}/api/v1${route}`, {
			method,
			headers: {
				'X-N8N-API-KEY': apiKey,
				accept: 'application/json',
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		let json = null;
		try {
			json = text ? JSON.parse(text) : null;
		} catch {
			json = text;
		}
		const ok = expect === undefined ? res.ok : [].concat(expect).includes(res.status);
		if (!ok) {
			const error = new Error(`${method} /api/v1${route} -> ${res.status}: ${text.slice(0, 500)}`);
			error.status = res.status;
			error.body = json;
			throw error;
		}
		return expect === undefined ? json : { status: res.status, body: json };
	};

	/** All executions of a workflow, newest first, following nextCursor. */
	const listExecutions = async (workflowId, { includeData = false, status, limit = 250 } = {}) => {
		const all = [];
		let cursor;
		do {
			const query = new URLSearchParams({ limit: String(limit) });
			if (workflowId !== undefined) query.set('workflowId', String(workflowId));
			if (includeData) query.set('includeData', 'true');
			if (status) query.set('status', status);
			if (cursor) query.set('cursor', cursor);
			const page = await api('GET', `/executions?${query}`);
			all.push(...page.data);
			cursor = page.nextCursor;
		} while (cursor);
		return all;
	};

	/**
	 * Waits until the workflow has at least `count` finished executions (any status other
	 * than new/running/waiting) and returns them, newest first. With `exact`, also waits
	 * `settleMs` and fails if more than `count` appear.
	 */
	const waitForExecutions = async (
		workflowId,
		count,
		{ timeoutMs = 30_000, includeData = true, exact = false, settleMs = 500, intervalMs = 200 } = {},
	) => {
		const done = (list) => list.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
		const deadline = Date.now() + timeoutMs;
		let list = [];
		for (;;) {
			list = done(await listExecutions(workflowId, { includeData }));
			if (list.length >= count) break;
			if (Date.now() > deadline) {
				throw new Error(`workflow ${workflowId}: ${list.length} of ${count} executions after ${timeoutMs} ms`);
			}
			await sleep(intervalMs);
		}
		if (exact) {
			await sleep(settleMs);
			list = done(await listExecutions(workflowId, { includeData }));
			if (list.length !== count) throw new Error(`workflow ${workflowId}: expected ${count} executions, found ${list.length}`);
		}
		return list;
	};

	return {
		...extra,
		apiKey,
		api,
		listExecutions,
		waitForExecutions,
		getExecution: (id, { includeData = true } = {}) => api('GET', `/executions/${id}?includeData=${includeData}`),
		deleteExecution: (id) => api('DELETE', `/executions/${id}`),
		/** {name, type, data} -> created credential ({id, name, type, …}) */
		createCredential: (credential) => api('POST', '/credentials', credential),
		/** PATCH: {name?, type?, data?, isPartialData?} */
		updateCredential: (id, changes) => api('PATCH', `/credentials/${id}`, changes),
		deleteCredential: (id) => api('DELETE', `/credentials/${id}`),
		/** {name, nodes, connections, settings} -> created workflow */
		createWorkflow: (workflow) => api('POST', '/workflows', { settings: {}, ...workflow }),
		getWorkflow: (id) => api('GET', `/workflows/${id}`),
		updateWorkflow: (id, workflow) => api('PUT', `/workflows/${id}`, { settings: {}, ...workflow }),
		deleteWorkflow: (id) => api('DELETE', `/workflows/${id}`),
		publishWorkflow: (id, body = {}) => api('POST', `/workflows/${id}/publish`, body),
		unpublishWorkflow: (id) => api('POST', `/workflows/${id}/unpublish`),
	};
}
