// The n8n queue-mode cluster of a run: PostgreSQL and Redis of its own, a main process, one or two
// webhook processes and two workers sharing them, each with the package installed in its own user
// folder; publishing trigger workflows through main; stopping all of it, also on a signal.
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createInstance, freePort, setupOwnerAndApiKey, start, stopAll } from '../lib/n8n/index.mjs';
import { CREDENTIAL_TYPE, publishTriggerWorkflow } from '../lib/trigger-workflow.mjs';
import { say, seconds, time, timings } from './report.mjs';
import { makeTempRoot, removeTempRoot, startPostgres, startRedis } from './services.mjs';

// Short Bull lock settings, so a killed worker's jobs are declared stalled within seconds rather
// than n8n's default of a minute (QUEUE_WORKER_LOCK_DURATION 60000, _STALLED_INTERVAL 30000).
const LOCK_MS = 15_000;
const STALLED_MS = 5_000;

const state = {
	root: undefined,
	postgres: undefined,
	redis: undefined,
	finishing: false, // the normal end has begun: a signal now changes nothing
	interrupted: false, // a signal handler is stopping everything and will exit
};

/** Whether a signal stopped the run (its handler stops everything and exits). */
export const interrupted = () => state.interrupted;

/**
 * Starts PostgreSQL, Redis and the n8n processes (main, `webhookProcesses` webhook processes, two
 * workers) with the package `tgz` installed from `runtime`, creates the owner, and returns them with
 * `publish(name, parameters, nodes?, typeVersion?)`, which publishes a trigger workflow with a
 * credential of its own through main. `webhook`, `webhookBase` and `webhookProcess` are the first
 * webhook process; `webhookServers` lists all of them as `{name, instance, base, process}`, each on a
 * port of its own and serving every production URL.
 */
export async function startCluster({ tgz, runtime, webhookProcesses = 1 }) {
	const root = await makeTempRoot();
	state.root = root;
	const [postgres, redis] = await time('PostgreSQL and Redis up', () => Promise.all([startPostgres(root), startRedis(root)]));
	say(`${postgres.version} on port ${postgres.port}, Redis ${redis.version} on port ${redis.port} (temp folder ${root})`);
	Object.assign(state, { postgres, redis });

	const webhookPorts = [];
	for (let i = 0; i < webhookProcesses; i++) webhookPorts.push(await freePort());
	const webhookBase = `http://127.0.0.1:${webhookPorts[0]}`;
	const shared = {
		NODE_ENV: 'production',
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		// n8n's default pool of 2 connections is too small for a webhook process taking concurrent
		// requests: its database ping (every 2 s, 5 s timeout) then waits for a connection, times out,
		// and n8n answers every request 503 "Database is not ready!" until the next ping succeeds.
		DB_POSTGRESDB_POOL_SIZE: '10',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_WORKER_LOCK_DURATION: String(LOCK_MS),
		QUEUE_WORKER_LOCK_RENEW_TIME: String(LOCK_MS / 3),
		QUEUE_WORKER_STALLED_INTERVAL: String(STALLED_MS),
		// The URLs n8n shows point at the (first) webhook process; main serves no production webhook.
		N8N_WEBHOOK_URL: `${webhookBase}/`,
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_FORMAT: 'json',
	};
	// One user folder per process, each with the package installed, as separate hosts or containers have.
	const make = (name, port) =>
		createInstance({ tgz, runtime, port, env: shared, userFolder: path.join(root, name), log: (m) => say(`${name}: ${m}`) });
	const main = await make('main');
	const webhooks = [];
	for (const [i, port] of webhookPorts.entries()) webhooks.push(await make(i === 0 ? 'webhook' : `webhook-${i + 1}`, port));
	const workers = [await make('worker-1'), await make('worker-2')];

	const mainProcess = await time('n8n main ready (migrations on an empty database)', () => start(main, { command: 'start' }));
	const webhookLabel = webhookProcesses === 1 ? 'n8n webhook process' : `${webhookProcesses} n8n webhook processes`;
	const started = await time(`${webhookLabel} and 2 workers ready`, () =>
		Promise.all([...webhooks.map((w) => start(w, { command: 'webhook' })), ...workers.map((w) => start(w, { command: 'worker' }))]),
	);
	const webhookServers = webhooks.map((instance, i) => ({
		name: i === 0 ? 'webhook' : `webhook-${i + 1}`,
		instance,
		base: `http://127.0.0.1:${webhookPorts[i]}`,
		process: started[i],
	}));
	const workerProcesses = started.slice(webhooks.length);
	workers.forEach((w, i) => {
		w.name = `worker-${i + 1}`;
		w.process = workerProcesses[i];
	});
	const [webhook] = webhooks;
	const webhookProcess = started[0];

	const api = await setupOwnerAndApiKey(main);
	const keyed = (label) => `example-queue-${label}-key`;
	const publish = async (name, parameters, nodes = [], typeVersion = 1) => {
		const key = keyed(name.replace(/\W+/g, '-'));
		const credential = await api.createCredential({ name: `edna ${name}`, type: CREDENTIAL_TYPE, data: { webhookKey: key } });
		const published = await publishTriggerWorkflow({ instance: main, api, credential }, { name, parameters, nodes, typeVersion });
		return { name, parameters, key, id: published.workflow.id, url: published.url };
	};
	return { root, postgres, redis, main, webhook, webhookBase, webhookServers, workers, mainProcess, webhookProcess, workerProcesses, api, publish };
}

/** The killed worker comes back, as an orchestrator restarts it. */
export async function restartWorker(worker) {
	worker.process = await time(`${worker.name} restarted`, () => start(worker, { command: 'worker' }));
}

async function stopEverything() {
	await stopAll(); // every n8n process (webhook, workers, main)
	await state.redis?.stop();
	await state.postgres?.stop();
}

function keepLogs() {
	if (!state.root) return null;
	const target = path.join(os.tmpdir(), `edna-queue-logs-${new Date().toISOString().replace(/[:.]/g, '-')}`);
	mkdirSync(target, { recursive: true });
	for (const name of readdirSync(state.root)) {
		const dir = path.join(state.root, name);
		for (const file of existsSync(dir) ? readdirSync(dir) : []) {
			if (file.endsWith('.log')) cpSync(path.join(dir, file), path.join(target, `${name}-${file}`));
		}
	}
	return target;
}

/** Ctrl-C and the other signals stop n8n, Redis and PostgreSQL before the process exits. */
export function stopOnSignals() {
	for (const [signal, code] of [
		['SIGINT', 130],
		['SIGTERM', 143],
		['SIGHUP', 129],
	]) {
		process.on(signal, async () => {
			if (state.finishing || state.interrupted) return;
			state.interrupted = true;
			say(`${signal}: stopping n8n, Redis and PostgreSQL`);
			await stopEverything();
			removeTempRoot();
			process.exit(code);
		});
	}
}

/** The end of a run: everything stopped, the temp folder removed; with `keep`, the logs copied first. */
export async function shutdown({ keep }) {
	// After a signal, its handler stops everything and exits; the run itself just stops here.
	if (state.interrupted) await new Promise(() => {});
	state.finishing = true;
	const logsAt = keep ? keepLogs() : null;
	const stopStarted = Date.now();
	await stopEverything();
	removeTempRoot();
	timings.push(['stop everything', seconds(Date.now() - stopStarted)]);
	if (logsAt) say(`logs of every process copied to ${logsAt}`);
}
