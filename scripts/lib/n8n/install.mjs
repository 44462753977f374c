// Installing n8n: a given version on Node 24 into a per-user cache, once, under a lock.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import {
	REPO_ROOT,
	envWithNode,
	isShuttingDown,
	makeLogger,
	n8nMajor,
	nodeVersionOf,
	npmCommand,
	resolveNodeBin,
	run,
	selectedN8nVersion,
	shutdownError,
	sleep,
} from './common.mjs';

const READY_MARKER = '.ready';
const requireFromRepo = createRequire(path.join(REPO_ROOT, 'package.json'));

export function cacheRoot() {
	return path.join(
		process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
		'n8n-nodes-edna-pulse',
	);
}

/** `<cache>/n8n-nodes-edna-pulse/n8n-<version>-node<major>` */
export function runtimeDir(version = selectedN8nVersion(), nodeBin = resolveNodeBin()) {
	return path.join(cacheRoot(), `n8n-${version}-node${nodeVersionOf(nodeBin).split('.')[0]}`);
}

function headersMatch(dir, version) {
	const header = path.join(dir, 'include', 'node', 'node_version.h');
	if (!existsSync(header)) return false;
	const text = readFileSync(header, 'utf8');
	const part = (name) =>
		/#define\s+NODE_\w+_VERSION\s+(\d+)/.exec(
			text.slice(text.indexOf(`#define NODE_${name}_VERSION`)),
		)?.[1];
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
		candidates.push(
			path.dirname(createRequire(nodePkg).resolve(`${platformPackage}/package.json`)),
		);
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
		const out = await run(
			cmd,
			[...pre, 'pack', `${platformPackage}@${version}`, '--json', '--pack-destination', tmp],
			{
				cwd: tmp,
				env: envWithNode(nodeBin),
			},
		);
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
		if (isShuttingDown()) throw shutdownError(`waiting for ${lockDir}`);
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

/** An exact version stays; a partial one (1.123) becomes its newest release on the npm registry. */
export async function resolveN8nVersion(spec, nodeBin = resolveNodeBin()) {
	if (/^\d+\.\d+\.\d+$/.test(spec)) return spec;
	const [npm, pre] = npmCommand(nodeBin);
	const { stdout } = await run(npm, [...pre, 'view', `n8n@${spec}`, 'version', '--json'], {
		env: envWithNode(nodeBin),
	});
	const found = [].concat(JSON.parse(stdout || '[]'));
	if (found.length === 0) throw new Error(`no n8n release matches ${spec}`);
	return found.at(-1);
}

// What one n8n line needs beyond `npm install --ignore-scripts n8n@<version>`, as data.
// n8n 1.x: n8n-nodes-base depends on xlsx as a tarball on cdn.sheetjs.com, outside the npm
// registry; the registry's last xlsx (0.18.5) is pinned instead (2.x uses @e965/xlsx, on the
// registry). Both lines run on Node 24 (1.123.x declares >=20.19 <=24.x, 2.36+ needs >=24), so one
// Node binary, one set of headers and one cache layout serve every version.
const INSTALL_QUIRKS = [{ major: 1, overrides: { xlsx: '0.18.5' } }];

/** The runtime folder's own package.json for a version: private, with that line's overrides. */
export function runtimePackageJson(version) {
	const major = n8nMajor(version);
	const overrides = Object.assign(
		{},
		...INSTALL_QUIRKS.filter((q) => q.major === major).map((q) => q.overrides),
	);
	return {
		name: 'n8n-runtime',
		private: true,
		...(Object.keys(overrides).length ? { overrides } : {}),
	};
}

// Native modules n8n needs built for the target Node, where its tree has them (1.123.x ships
// isolated-vm 6, 2.41.x isolated-vm 7; a version without it only needs sqlite3).
const NATIVE_MODULES = ['sqlite3', 'isolated-vm'];

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
		const lock = JSON.parse(
			readFileSync(path.join(dir, 'node_modules', '.package-lock.json'), 'utf8'),
		);
		return lock.packages?.['node_modules/n8n']?.version === version;
	} catch {
		return false;
	}
}

/** Loads the native modules with the target Node; throws with the reason if they do not load. */
async function checkNativeModules(dir, nodeBin) {
	const n8nDir = path.dirname(n8nPaths(dir).pkg);
	const script = `
		const paths = [${JSON.stringify(n8nDir)}, ${JSON.stringify(dir)}];
		const r = (m) => require(require.resolve(m, { paths }));
		const has = (m) => { try { require.resolve(m + '/package.json', { paths }); return true; } catch { return false; } };
		const sqlite3 = r('sqlite3');
		const db = new sqlite3.Database(':memory:');
		db.get('select 1 as one', (error, row) => {
			if (error || row.one !== 1) { console.error(error ?? row); process.exit(1); }
			if (has('isolated-vm')) {
				const ivm = r('isolated-vm');
				const isolate = new ivm.Isolate({ memoryLimit: 8 });
				if (isolate.compileScriptSync('6 * 7').runSync(isolate.createContextSync()) !== 42) process.exit(1);
			}
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
export async function ensureN8n({
	version = selectedN8nVersion(),
	log,
	nodeBin = resolveNodeBin(),
} = {}) {
	log = makeLogger(log);
	const nodeVersion = nodeVersionOf(nodeBin);
	const dir = runtimeDir(version, nodeBin);
	const result = { dir, n8nBin: n8nPaths(dir).n8nBin, nodeBin, version };
	if (looksComplete(dir, version, nodeVersion)) return result;
	// Inside a test file (node --test sets NODE_TEST_CONTEXT in each file's process) a first install
	// would run under a hook's time limit and outlive it; it is `npm run setup`'s job, before tests.
	if (process.env.NODE_TEST_CONTEXT)
		throw new Error(
			`n8n ${version} is not installed in ${dir}. Install it before running tests: npm run setup -- --n8n ${version} (npm test does this itself; a first install takes minutes)`,
		);

	await mkdir(path.dirname(dir), { recursive: true });
	await withLock(`${dir}.lock`, log, async () => {
		if (looksComplete(dir, version, nodeVersion)) return;
		const logFile = path.join(dir, 'install.log');
		await mkdir(dir, { recursive: true });
		// n8n's dependency tree includes packages with a preinstall `npx` call; npm
		// must not prompt. Kept in the directory so manual npm commands behave the same.
		await writeFile(path.join(dir, '.npmrc'), 'yes=true\nfund=false\naudit=false\n');
		// Kept if present (a folder installed by hand with the same recipe), with the overrides
		// this version needs added.
		const pkgFile = path.join(dir, 'package.json');
		const pkgText = existsSync(pkgFile) ? readFileSync(pkgFile, 'utf8') : '';
		const wanted = runtimePackageJson(version);
		const pkg = pkgText ? JSON.parse(pkgText) : wanted;
		if (wanted.overrides) pkg.overrides = { ...pkg.overrides, ...wanted.overrides };
		if (`${JSON.stringify(pkg)}\n` !== pkgText)
			await writeFile(pkgFile, `${JSON.stringify(pkg)}\n`);
		let installed = npmInstallComplete(dir, version);
		if (installed) {
			try {
				await checkNativeModules(dir, nodeBin);
				log(`using existing n8n ${version} in ${dir}`);
				await writeReady(dir, version, nodeVersion);
				return;
			} catch {
				log(
					`n8n ${version} in ${dir} is installed but its native modules do not load; rebuilding them`,
				);
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
				log(
					`installing n8n ${version} for Node ${nodeVersion} into ${dir} (first run only; a few minutes)`,
				);
				// --ignore-scripts: an optional dependency's install script downloads zlib from
				// the internet; only sqlite3 and isolated-vm need their native part (below).
				await run(
					npm,
					[...pre, 'install', '--ignore-scripts', '--no-save', '--loglevel=warn', `n8n@${version}`],
					{
						cwd: dir,
						env,
						logFile,
					},
				);
				installed = true;
				log(
					`  npm install done in ${Math.round((Date.now() - t0) / 1000)} s; building its native modules`,
				);
			}
			phase = () => 'fetching Node headers';
			const nodedir = await resolveNodeHeaders(nodeBin, log);
			const natives = NATIVE_MODULES.filter((m) =>
				existsSync(path.join(dir, 'node_modules', m, 'package.json')),
			);
			phase = () => `compiling ${natives.join(' and ')}`;
			await run(npm, [...pre, 'rebuild', ...natives, `--nodedir=${nodedir}`], {
				cwd: dir,
				env,
				logFile,
			});
			await checkNativeModules(dir, nodeBin);
		} finally {
			clearInterval(heartbeat);
		}
		if (installedVersion(dir) !== version)
			throw new Error(`n8n ${version} did not install into ${dir}`);
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
