#!/usr/bin/env node
// `npm run test:queue`: the package in n8n queue mode (PostgreSQL, Redis, a main process, a webhook
// process, two workers). Run with --help.
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
	REPO_ROOT,
	createInstance,
	ensureN8n,
	freePort,
	packPackage,
	setupOwnerAndApiKey,
	start,
	stopAll,
} from './lib/n8n/index.mjs';
import {
	ensureDebianPackages,
	treeCpuSeconds,
	makeTempRoot,
	removeTempRoot,
	startPostgres,
	startRedis,
} from './queue/services.mjs';
import { loadFixtures, makeUnique, send } from './lib/simulator.mjs';
import { CREDENTIAL_TYPE, itemsOf, nodeLogicBuilt, nodeLogicOf, publishTriggerWorkflow } from './lib/trigger-workflow.mjs';

const HELP = `Queue mode: the edna Pulse Trigger in n8n's scaled-out setup, with real PostgreSQL and Redis.

Usage: npm run test:queue [-- options]

Starts, all on 127.0.0.1 and all its own (nothing from the system's services):
  PostgreSQL and Redis (apt-get installs the Debian packages first if they are missing; needs root),
  "n8n start" (main: API, publishing), "n8n webhook" (serves /webhook/*) and two "n8n worker"s,
  each n8n process with its own user folder and this package installed in it as n8n installs
  community packages, sharing one database, one Redis and one encryption key.

Batch 1  --events distinct edna events that start a run (all fixtures, made unique) to four
         published workflows, mixed with edna's HEAD/GET URL checks, requests without a key or with
         another workflow's key, and events the workflows' settings ignore, all sent to the webhook
         process.
         Passes when: no answer is 5xx; every answer is the one the node gives for that request;
         every accepted request became exactly one successful execution holding exactly its
         eventKeys; nothing else ran (unauthenticated and ignored requests started nothing);
         both workers ran executions; main answers no production webhook
         (N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true).
Batch 2  once per Options → Acknowledge Edna Pulse mode (--modes): --second-batch more events to
         two workflows (trigger 1.2) whose executions take 2 s (a Wait node, as a downstream call
         would); worker 1 gets SIGKILL once --kill-after events are sent and its log shows
         executions running (it is restarted before the next round). The sender plays edna: an
         event answered other than 200 (or not answered in 120 s) is sent again after 4, 128 and
         2048 s divided by 32 (REDELIVERY_SCALE), at most three times.
         "when received" passes when: no answer is 5xx, and every accepted request is accounted
         for: a successful execution, or an execution n8n marked as failed/crashed whose eventKeys
         were recorded while it was in flight; it reports the failed ones as lost events (edna got
         its 200 and does not send them again).
         "after the workflow" passes when: every event is answered 200 in the end, and each has a
         successful execution (re-deliveries may add duplicates, reported, for eventKey): 0 lost.
Prints sent / accepted / executed / lost per batch, lost events per mode, executions per worker,
CPU time per request and timings. Takes about 20 minutes on a busy 2-CPU machine; fewer events make it shorter.
Everything it starts it stops, also on failure or Ctrl-C.

Options:
  --events <n>         events that start a run in batch 1 (default 1000; ignored ones come on top)
  --second-batch <n>   events that start a run in batch 2 (default 400)
  --kill-after <n>     batch-2 events sent before the worker is killed (default: 40 %)
  --concurrency <n>    requests in flight (default 8)
  --modes <list>       batch-2 rounds (default whenReceived,afterWorkflow)
  --build              run "npm run build" first (default: use dist/, building only if missing)
  --keep-logs          copy every process's log to a folder in the temp dir, also on success
  -h, --help           show this help

Exit code 0 when both batches pass.`;

let options;
try {
	({ values: options } = parseArgs({
		options: {
			events: { type: 'string', default: '1000' },
			'second-batch': { type: 'string', default: '400' },
			'kill-after': { type: 'string' },
			concurrency: { type: 'string', default: '8' },
			modes: { type: 'string', default: 'whenReceived,afterWorkflow' },
			build: { type: 'boolean', default: false },
			'keep-logs': { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false },
		},
	}));
} catch (error) {
	console.error(`queue-test: ${error.message}\nRun with --help for usage.`);
	process.exit(2);
}
if (options.help) {
	console.log(HELP);
	process.exit(0);
}
const EVENTS = Number(options.events);
const SECOND = Number(options['second-batch']);
const KILL_AFTER = Number(options['kill-after'] ?? Math.round(SECOND * 0.4));
const CONCURRENCY = Number(options.concurrency);
/** Options → Acknowledge Edna Pulse, one batch-2 round each. */
const MODE_LABEL = { whenReceived: 'when received', afterWorkflow: 'after the workflow' };
const MODES = options.modes.split(',').filter(Boolean);
if (MODES.length === 0 || MODES.some((m) => !(m in MODE_LABEL))) {
	console.error(`queue-test: --modes takes ${Object.keys(MODE_LABEL).join(', ')} (comma-separated)`);
	process.exit(2);
}
if (!(EVENTS > 0 && SECOND > 0 && CONCURRENCY > 0 && KILL_AFTER >= 0 && KILL_AFTER < SECOND)) {
	console.error('queue-test: --events, --second-batch and --concurrency must be positive, --kill-after below --second-batch');
	process.exit(2);
}

// Short Bull lock settings, so a killed worker's jobs are declared stalled within seconds rather
// than n8n's default of a minute (QUEUE_WORKER_LOCK_DURATION 60000, _STALLED_INTERVAL 30000).
const LOCK_MS = 15_000;
const STALLED_MS = 5_000;
// Seconds each batch-2 execution runs on its worker, so a killed worker has executions in flight.
const STEP_S = 2;
const TERMINAL = new Set(['success', 'error', 'crashed', 'canceled']);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const t0 = Date.now();
const stamp = () => `[${String(Math.round((Date.now() - t0) / 1000)).padStart(3)} s]`;
const say = (line) => console.log(`${stamp()} ${line}`);
// Figures depend on what else the machine runs; the summary prints the load next to them.
const loadAverage = () => os.loadavg().map((l) => l.toFixed(1)).join(' / ');

// ---------------------------------------------------------------------------
// What the node answers: computed by the same dist/ code that is packed and installed in n8n.

let nodeLogic = null;
/** Loads the node's pure modules from dist/ right after it is packed, so both are the same build. */
async function loadNodeLogic() {
	nodeLogic = await nodeLogicOf();
}

/** The node's reading of its parameters (EdnaPulseTrigger.node.ts, readSettings). */
function settingsOf(parameters) {
	const { parseFilters } = nodeLogic;
	const keep = parameters.event === 'anyEvent' ? (parameters.anyEventTypes ?? []) : [];
	return {
		event: parameters.event,
		keepTypes: keep.length > 0 ? new Set(keep) : undefined,
		output: parameters.output === 'raw' ? 'raw' : 'simplified',
		filters: parseFilters(parameters.filters ?? {}),
		strict: parameters.options?.strictValidation === true,
	};
}

/** The eventKeys an authenticated POST of `body` starts a run with on this workflow; [] if none. */
function keysFor(workflow, body) {
	const { splitBody, decide } = nodeLogic;
	const events = splitBody(body);
	if (typeof events === 'string') throw new Error(`fixture is not an edna body: ${events}`);
	const decision = decide(events, settingsOf(workflow.parameters));
	return decision.outcome === 'run' ? decision.items.map((item) => item.eventKey) : [];
}

const keySig = (keys) => [...keys].sort().join('\n');

// ---------------------------------------------------------------------------
// Traffic

/**
 * One batch of requests, in a fixed interleaved order, holding `count` events that start a run.
 * Each entry: {type, workflow, method, body, key, expect: {status}, keys}. Event i is fixture i
 * (cycling) made unique with `offset + i + 1`; events the workflow's settings ignore come on top.
 * Requests that must not start anything carry bodies from another id block, so a run they started
 * would show up as an execution matching no accepted request.
 */
function buildBatch({ fixtures, workflows, route, count, offset }) {
	const requests = [];
	let runs = 0;
	for (let i = 0; runs < count; i++) {
		const fixture = fixtures[i % fixtures.length];
		const body = makeUnique(fixture.kind, fixture.body, offset + i + 1);
		const workflow = route(fixture.kind, i);
		const keys = keysFor(workflow, body);
		requests.push({
			type: keys.length > 0 ? 'event' : 'ignored',
			workflow,
			body: JSON.stringify(body),
			key: workflow.key,
			keys,
			expect: { status: 200 },
		});
		if (keys.length > 0) runs++;
		const other = workflows[(workflows.indexOf(workflow) + 1) % workflows.length];
		const stranger = makeUnique(fixture.kind, fixture.body, offset + 500_000 + i);
		if (i % 25 === 5) {
			requests.push({ type: 'no key', workflow, body: JSON.stringify(stranger), key: '', keys: keysFor(workflow, stranger), expect: { status: 401 } });
		}
		if (i % 25 === 17) {
			// Another workflow's (valid) key: credentials must not leak between workflows.
			requests.push({ type: 'wrong key', workflow, body: JSON.stringify(stranger), key: other.key, keys: keysFor(workflow, stranger), expect: { status: 403 } });
		}
		if (i % 40 === 0) requests.push({ type: 'url check', workflow, method: i % 80 === 0 ? 'HEAD' : 'GET', expect: { status: 200 } });
	}
	return requests;
}

function latencyOf(requests) {
	const ms = requests.map((r) => r.result.ms).sort((a, b) => a - b);
	const at = (p) => Math.round(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]);
	return { p50: at(0.5), p99: at(0.99), max: at(1) };
}

/**
 * edna's re-delivery (edna-pulse-webhooks.md §1.4, current docs): a delivery not answered 200 is sent
 * again up to three times, 4, 128 and 2048 s after the previous attempt. The test plays it with
 * those delays divided by REDELIVERY_SCALE, so the last retry comes about a minute after a failure.
 */
const REDELIVERY_S = [4, 128, 2048];
const REDELIVERY_SCALE = 32;

/**
 * Sends every request with CONCURRENCY in flight; `onSent(done, request)` after each answer. With
 * `redeliver`, an event answered other than 200 (an error, a timeout) is sent again as edna does,
 * without holding a sender meanwhile; `request.attempts` keeps every answer, `request.result` the
 * last. Refusals (401, 403) are not sent again: edna would, and would get the same answer.
 */
async function sendBatch(requests, { onSent, redeliver = false } = {}) {
	const ready = [...requests];
	let pending = requests.length; // requests whose last answer is not in yet
	let done = 0;
	const started = Date.now();
	const progress = setInterval(() => {
		const rate = (done * 1000) / (Date.now() - started);
		const resent = requests.reduce((n, r) => n + Math.max(0, (r.attempts?.length ?? 0) - 1), 0);
		say(`  ${done}/${requests.length} answered (${rate.toFixed(1)} requests/s)${redeliver ? `, ${resent} re-deliveries` : ''}`);
	}, 30_000);
	const sender = async () => {
		while (pending > 0) {
			const request = ready.shift();
			if (request === undefined) {
				await sleep(50);
				continue;
			}
			const result = await send({
				url: request.workflow.url,
				key: request.key,
				body: request.body,
				method: request.method ?? 'POST',
				timeoutMs: 120_000,
			});
			(request.attempts ??= []).push(result);
			request.result = result;
			request.answeredAt = Date.now();
			const retry = redeliver && request.type !== 'no key' && request.type !== 'wrong key' && result.status !== 200 && request.attempts.length <= REDELIVERY_S.length;
			if (retry) {
				setTimeout(() => ready.push(request), (REDELIVERY_S[request.attempts.length - 1] * 1000) / REDELIVERY_SCALE);
			} else {
				pending--;
				done++;
			}
			onSent?.(done, request);
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, sender));
	clearInterval(progress);
	const ms = Date.now() - started;
	return { ms, rps: (requests.length * 1000) / ms, latency: latencyOf(requests) };
}

/** Checks each answer against what the node gives for that request. */
function checkAnswers(requests, { afterWorkflow = false } = {}) {
	const wrong = [];
	for (const r of requests) {
		const { status, text } = r.result;
		let ok = status === r.expect.status;
		// After the workflow, n8n answers a run that succeeded with 200 and no body (responseData noData).
		if (ok && r.type === 'event') ok = afterWorkflow ? text === '' : /Workflow was started/.test(text);
		if (ok && r.type === 'ignored') ok = /no event matched/.test(text);
		if (!ok) wrong.push(r);
	}
	const serverErrors = requests.filter((r) => r.result.status >= 500 || r.result.status === 0);
	const samples = Object.entries(countBy(serverErrors, (r) => `${r.result.status} ${r.result.error ?? r.result.text.slice(0, 80)}`))
		.map(([answer, n]) => `${n} x ${answer}`)
		.join('; ');
	return { wrong, serverErrors, samples };
}

function countBy(list, fn) {
	const counts = {};
	for (const item of list) {
		const k = fn(item);
		counts[k] = (counts[k] ?? 0) + 1;
	}
	return counts;
}

// ---------------------------------------------------------------------------
// Executions

async function listAll(api, workflows, { includeData = false } = {}) {
	const lists = await Promise.all(workflows.map((w) => api.listExecutions(w.id, { includeData })));
	return lists.flatMap((list, i) => list.map((e) => ({ ...e, id: String(e.id), workflowName: workflows[i].name })));
}

/**
 * Waits until `expected` executions of the workflows are finished and none is still new, running or
 * waiting; then waits `settleMs` more (anything extra shows up) and returns them with their data.
 */
async function waitForExecutions(api, workflows, expected, { timeoutMs, settleMs = 3000 }) {
	const deadline = Date.now() + timeoutMs;
	let last = [];
	for (;;) {
		last = await listAll(api, workflows);
		const finished = last.filter((e) => TERMINAL.has(e.status)).length;
		if (finished >= expected && finished === last.length) break;
		if (Date.now() > deadline) {
			say(`  gave up waiting after ${seconds(timeoutMs)}: ${finished} of ${expected} finished, ${JSON.stringify(countBy(last, (e) => e.status))}`);
			break;
		}
		await sleep(1000);
	}
	await sleep(settleMs);
	return listAll(api, workflows, { includeData: true });
}

/** Every eventKey anywhere in an execution's data (run data, or the trigger output still queued). */
function keysInData(execution) {
	const keys = new Set();
	const pending = [execution.data];
	while (pending.length > 0) {
		const value = pending.pop();
		if (Array.isArray(value)) pending.push(...value);
		else if (value && typeof value === 'object') {
			for (const [k, v] of Object.entries(value)) {
				if (k === 'eventKey' && typeof v === 'string') keys.add(v);
				else if (typeof v === 'object') pending.push(v);
			}
		}
	}
	return [...keys];
}

/** Which worker logged "Worker started/finished execution <id>": n8n's job processor, at info level. */
function workerLog(worker) {
	const started = new Map();
	const finished = new Set();
	let text = '';
	try {
		text = readFileSync(worker.process.logFile, 'utf8');
	} catch {
		// no log yet
	}
	for (const line of text.split('\n')) {
		const m = /Worker (started|finished) execution (\d+) \(job/.exec(line);
		if (!m) continue;
		if (m[1] === 'started') {
			let at = null;
			try {
				at = Date.parse(JSON.parse(line).metadata?.timestamp) || null;
			} catch {
				// a line that is not JSON: no time
			}
			started.set(m[2], at);
		} else finished.add(m[2]);
	}
	return { started, finished };
}

/**
 * Matches executions to the accepted requests by their exact eventKey sets (the traffic never repeats
 * a key). `recorded` maps execution ids to keys seen while they were in flight (for executions n8n
 * later marks failed, whose stored data no longer holds the trigger output).
 */
function account(requests, executions, recorded = new Map()) {
	const events = requests.filter((r) => r.type === 'event');
	const accepted = events.filter((r) => r.result.status === 200);
	// Every event, answered 200 in the end or not: a re-delivered one may have run more than once.
	const bySig = new Map(events.map((r) => [keySig(r.keys), { request: r, executions: [] }]));
	const strangers = new Set(requests.filter((r) => r.type !== 'event').flatMap((r) => r.keys));
	const unmatched = [];
	let strangerRuns = 0;
	for (const execution of executions) {
		const keys = execution.status === 'success' ? itemsOf(execution).map((i) => i.eventKey) : (recorded.get(execution.id) ?? keysInData(execution));
		execution.keys = keys;
		const entry = bySig.get(keySig(keys));
		if (entry && entry.request.workflow.name === execution.workflowName) entry.executions.push(execution);
		else {
			unmatched.push(execution);
			if (keys.some((k) => strangers.has(k))) strangerRuns++;
		}
	}
	const all = [...bySig.values()];
	const entries = all.filter((e) => e.request.result.status === 200);
	const successes = (e) => e.executions.filter((x) => x.status === 'success').length;
	return {
		accepted,
		entries,
		// Events edna stopped re-sending without a 200 (after its last retry).
		givenUp: all.filter((e) => e.request.result.status !== 200),
		// Events with no successful run that edna will not send again: delivered (200) or given up.
		lostEvents: all.filter((e) => successes(e) === 0),
		succeeded: all.filter((e) => successes(e) >= 1),
		duplicates: all.reduce((n, e) => n + Math.max(0, successes(e) - 1), 0),
		unsuccessfulRuns: all.reduce((n, e) => n + e.executions.length - successes(e), 0),
		success: entries.filter((e) => e.executions.length === 1 && e.executions[0].status === 'success'),
		failed: entries.filter((e) => e.executions.length === 1 && e.executions[0].status !== 'success'),
		lost: entries.filter((e) => e.executions.length === 0),
		twice: entries.filter((e) => e.executions.length > 1),
		unmatched,
		strangerRuns,
	};
}

// ---------------------------------------------------------------------------
// Reporting

const problems = [];
function check(ok, message) {
	if (!ok) problems.push(message);
	return ok;
}

function table(header, lines) {
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
	const fmt = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
	console.log(`  ${fmt(header)}`);
	console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
	for (const l of lines) console.log(`  ${fmt(l)}`);
}

// ---------------------------------------------------------------------------
// Run

let root;
let postgres;
let redis;
let finishing = false; // the normal end has begun: a signal now changes nothing
let interrupted = false; // a signal handler is stopping everything and will exit

async function stopEverything() {
	await stopAll(); // every n8n process (webhook, workers, main)
	await redis?.stop();
	await postgres?.stop();
}

function keepLogs() {
	if (!root) return null;
	const target = path.join(os.tmpdir(), `edna-queue-logs-${new Date().toISOString().replace(/[:.]/g, '-')}`);
	mkdirSync(target, { recursive: true });
	for (const name of readdirSync(root)) {
		const dir = path.join(root, name);
		for (const file of existsSync(dir) ? readdirSync(dir) : []) {
			if (file.endsWith('.log')) cpSync(path.join(dir, file), path.join(target, `${name}-${file}`));
		}
	}
	return target;
}

for (const [signal, code] of [
	['SIGINT', 130],
	['SIGTERM', 143],
	['SIGHUP', 129],
]) {
	process.on(signal, async () => {
		if (finishing || interrupted) return;
		interrupted = true;
		say(`${signal}: stopping n8n, Redis and PostgreSQL`);
		await stopEverything();
		removeTempRoot();
		process.exit(code);
	});
}

const timings = [];
const time = async (label, fn) => {
	const started = Date.now();
	const result = await fn();
	timings.push([label, seconds(Date.now() - started)]);
	return result;
};

let failed = false;
let report = null;
try {
	say(`queue mode test: ${EVENTS} + ${SECOND} events, ${CONCURRENCY} requests in flight; ${os.cpus().length} CPUs, load average ${loadAverage()}`);
	const apt = ensureDebianPackages(say);
	if (apt.installed.length > 0) timings.push([`apt-get install ${apt.installed.join(', ')}`, seconds(apt.ms)]);
	const runtime = await time('n8n install (cached after the first run)', () => ensureN8n({ log: say }));
	const build = options.build || !nodeLogicBuilt();
	const tgz = await time(build ? 'build and pack the package' : 'pack the package', () => packPackage({ build, log: false }));
	await loadNodeLogic();

	root = await makeTempRoot();
	[postgres, redis] = await time('PostgreSQL and Redis up', () => Promise.all([startPostgres(root), startRedis(root)]));
	say(`${postgres.version} on port ${postgres.port}, Redis ${redis.version} on port ${redis.port} (temp folder ${root})`);

	const webhookPort = await freePort();
	const webhookBase = `http://127.0.0.1:${webhookPort}`;
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
		// The URLs n8n shows point at the webhook process; main serves no production webhook.
		N8N_WEBHOOK_URL: `${webhookBase}/`,
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_FORMAT: 'json',
	};
	// One user folder per process, each with the package installed, as separate hosts or containers have.
	const make = (name, port) =>
		createInstance({ tgz, runtime, port, env: shared, userFolder: path.join(root, name), log: (m) => say(`${name}: ${m}`) });
	const main = await make('main');
	const webhook = await make('webhook', webhookPort);
	const workers = [await make('worker-1'), await make('worker-2')];

	const mainProcess = await time('n8n main ready (migrations on an empty database)', () => start(main, { command: 'start' }));
	const [webhookProcess, ...workerProcesses] = await time('n8n webhook process and 2 workers ready', () =>
		Promise.all([start(webhook, { command: 'webhook' }), ...workers.map((w) => start(w, { command: 'worker' }))]),
	);
	workers.forEach((w, i) => {
		w.name = `worker-${i + 1}`;
		w.process = workerProcesses[i];
	});

	const api = await setupOwnerAndApiKey(main);
	const keyed = (label) => `example-queue-${label}-key`;
	const publish = async (name, parameters, nodes = [], typeVersion = 1) => {
		const key = keyed(name.replace(/\W+/g, '-'));
		const credential = await api.createCredential({ name: `edna ${name}`, type: CREDENTIAL_TYPE, data: { webhookKey: key } });
		const published = await publishTriggerWorkflow({ instance: main, api, credential }, { name, parameters, nodes, typeVersion });
		return { name, parameters, key, id: published.workflow.id, url: published.url };
	};
	const fixtures = (await loadFixtures()).filter((f) => f.body !== undefined);

	// ---- Batch 1
	const batch1Workflows = await time('4 workflows published through main', async () => [
		await publish('all kinds', { event: 'anyEvent' }),
		await publish('statuses', { event: 'messageStatus' }),
		await publish('incoming text and buttons', { event: 'incomingMessage', filters: { contentTypes: ['TEXT', 'BUTTON'] } }),
		await publish('templates', { event: 'anyEvent', anyEventTypes: ['templateStatus', 'templateCategory'] }),
	]);
	const [all, statuses, incoming, templates] = batch1Workflows;
	const route1 = (kind, i) => {
		if (i % 2 === 0) return all;
		if (i % 31 === 1) return statuses; // whatever the kind: other kinds are ignored
		return { messageStatus: statuses, incomingMessage: incoming }[kind] ?? templates;
	};
	const batch1 = buildBatch({ fixtures, workflows: batch1Workflows, route: route1, count: EVENTS, offset: 0 });
	say(`batch 1: ${batch1.length} requests (${JSON.stringify(countBy(batch1, (r) => r.type))}) to the webhook process`);
	// CPU each part spends per request: a figure that does not depend on what else the machine runs.
	const cpuGroups = [
		['webhook process', [webhookProcess.pid]],
		['2 workers', workerProcesses.map((w) => w.pid)],
		['main', [mainProcess.pid]],
		['PostgreSQL', [postgres.pid]],
		['Redis', [redis.pid]],
	];
	const cpuNow = () => cpuGroups.map(([, pids]) => pids.reduce((sum, pid) => sum + treeCpuSeconds(pid), 0));
	const cpuBefore = cpuNow();
	const sent1 = await sendBatch(batch1);
	// Main must not serve production webhooks when N8N_DISABLE_PRODUCTION_MAIN_PROCESS is set.
	const viaMain = await send({ url: all.url.replace(webhookBase, main.baseUrl), key: all.key, body: batch1[0].body });
	say(`  sent in ${seconds(sent1.ms)} (${sent1.rps.toFixed(1)} requests/s); answers ${JSON.stringify(countBy(batch1, (r) => r.result.status))}`);
	const answers1 = checkAnswers(batch1);
	const accepted1 = batch1.filter((r) => r.type === 'event' && r.result.status === 200).length;
	const drain1Start = Date.now();
	const executions1 = await waitForExecutions(api, batch1Workflows, accepted1, { timeoutMs: 240_000 });
	const drain1 = Date.now() - drain1Start;
	const cpuPerRequest = cpuNow().map((after, i) => [cpuGroups[i][0], ((after - cpuBefore[i]) * 1000) / batch1.length]);
	const acc1 = account(batch1, executions1);
	const logs1 = workers.map(workerLog);
	const ranOn = (id, logs) => workers.filter((_, i) => logs[i].started.has(id)).map((w) => w.name);
	const perWorker1 = workers.map((_, i) => acc1.success.filter((e) => logs1[i].started.has(e.executions[0].id)).length);
	const onBoth = acc1.success.filter((e) => ranOn(e.executions[0].id, logs1).length !== 1);

	check(answers1.serverErrors.length === 0, `batch 1: ${answers1.serverErrors.length} requests answered 5xx or not at all (${answers1.samples})`);
	check(answers1.wrong.length === 0, `batch 1: ${answers1.wrong.length} answers differ from the node's (e.g. ${answers1.wrong.slice(0, 3).map((r) => `${r.type} -> ${r.result.status} ${r.result.text.slice(0, 80)}`).join('; ')})`);
	check(acc1.accepted.length === batch1.filter((r) => r.type === 'event').length, 'batch 1: not every event the node accepts was accepted');
	check(acc1.success.length === acc1.accepted.length, `batch 1: ${acc1.accepted.length} accepted but ${acc1.success.length} ran successfully exactly once`);
	check(acc1.lost.length === 0 && acc1.twice.length === 0 && acc1.failed.length === 0, `batch 1: ${acc1.lost.length} lost, ${acc1.twice.length} run twice, ${acc1.failed.length} failed`);
	check(acc1.unmatched.length === 0, `batch 1: ${acc1.unmatched.length} executions match no accepted request (${acc1.strangerRuns} from unauthenticated or ignored requests)`);
	check(executions1.length === acc1.accepted.length, `batch 1: ${executions1.length} executions for ${acc1.accepted.length} accepted requests`);
	check(perWorker1.every((n) => n > 0), `batch 1: executions per worker ${perWorker1.join(' / ')}: not both workers ran executions`);
	check(onBoth.length === 0, `batch 1: ${onBoth.length} executions not logged by exactly one worker`);
	check(viaMain.status === 404, `main answered a production webhook with ${viaMain.status} (expected 404)`);
	say(`  batch 1: ${acc1.success.length}/${acc1.accepted.length} accepted requests ran exactly once; per worker ${perWorker1.join(' / ')}; main answered ${viaMain.status}`);

	// ---- Batch 2, once per Acknowledge Edna Pulse mode: a worker dies with executions in flight
	// A Wait node shorter than 65 s keeps the execution running on its worker, like a downstream call.
	const step = () => [{ name: `Call downstream (${STEP_S} s)`, type: 'n8n-nodes-base.wait', typeVersion: 1.1, webhookId: randomUUID(), parameters: { resume: 'timeInterval', amount: STEP_S, unit: 'seconds' } }];
	const killRound = async (mode, round) => {
		const afterWorkflow = mode === 'afterWorkflow';
		const label = `batch 2, ${MODE_LABEL[mode]}`;
		const parameters = (event) => ({ event, options: afterWorkflow ? { acknowledge: 'afterWorkflow' } : {} });
		const batch2Workflows = [
			await publish(`all kinds, ${STEP_S} s step, ${mode}`, parameters('anyEvent'), step(), 1.2),
			await publish(`statuses, ${STEP_S} s step, ${mode}`, parameters('messageStatus'), step(), 1.2),
		];
		const route2 = (kind, i) => (kind === 'messageStatus' && i % 2 === 1 ? batch2Workflows[1] : batch2Workflows[0]);
		const batch2 = buildBatch({ fixtures, workflows: batch2Workflows, route: route2, count: SECOND, offset: 1_000_000 * (round + 1) });
		const victim = workers[0];
		// Its log goes on across rounds: executions of an earlier round (killed unfinished) do not count.
		const earlier = new Set(workerLog(victim).started.keys());
		let kill = null;
		const recorded = new Map();
		say(`${label}: ${batch2.length} requests; SIGKILL to ${victim.name} after ${KILL_AFTER} events, once it has executions running; edna's re-delivery played (delays / ${REDELIVERY_SCALE})`);
		let eventsSent = 0;
		// CPU per request where the mode can change it: the webhook process holds and answers each
		// request, and with "after the workflow" reads the finished execution back from PostgreSQL.
		const roundCpu = () => [treeCpuSeconds(webhookProcess.pid), treeCpuSeconds(postgres.pid)];
		const cpuAtStart = roundCpu();
		const sent2 = await sendBatch(batch2, {
			redeliver: true,
			onSent: (_done, request) => {
				if (request.type === 'event' && request.attempts.length === 1) eventsSent++;
				if (kill || eventsSent < KILL_AFTER) return;
				kill = {};
				kill.done = (async () => {
					// In the middle of its work: wait (at most 20 s) until its log shows 2 executions started, not finished.
					const busyBy = Date.now() + 20_000;
					for (;;) {
						const log = workerLog(victim);
						const running = [...log.started.keys()].filter((id) => !earlier.has(id) && !log.finished.has(id)).length;
						if (running >= 2 || Date.now() > busyBy) break;
						await sleep(100);
					}
					kill.at = Date.now();
					kill.eventsSent = eventsSent;
					process.kill(-victim.process.pid, 'SIGKILL'); // the whole host gone: worker and its task runner
					kill.exit = await victim.process.exited;
					// Keys of everything not finished now: n8n replaces a failed execution's data with the error.
					const snapshot = await listAll(api, batch2Workflows, { includeData: true });
					for (const e of snapshot) if (!TERMINAL.has(e.status)) recorded.set(e.id, keysInData(e));
					kill.inFlightStatuses = countBy(snapshot.filter((e) => !TERMINAL.has(e.status)), (e) => e.status);
					say(`  ${victim.name} killed (${kill.exit.signal}); ${recorded.size} executions not finished at that moment ${JSON.stringify(kill.inFlightStatuses)}`);
				})();
				kill.done.catch(() => {}); // awaited below, after the batch; not an unhandled rejection meanwhile
			},
		});
		await kill?.done;
		const resent = batch2.reduce((n, r) => n + r.attempts.length - 1, 0);
		const firstAnswers = countBy(batch2, (r) => r.attempts[0].status);
		const interim = countBy(batch2.flatMap((r) => r.attempts.slice(0, -1)), (r) => r.status || r.error);
		say(`  sent in ${seconds(sent2.ms)} (${sent2.rps.toFixed(1)} requests/s); last answers ${JSON.stringify(countBy(batch2, (r) => r.result.status))}; ${resent} re-deliveries after ${JSON.stringify(interim)}`);
		const answers2 = checkAnswers(batch2, { afterWorkflow });
		const accepted2 = batch2.filter((r) => r.type === 'event' && r.result.status === 200).length;
		const drain2Start = Date.now();
		const executions2 = await waitForExecutions(api, batch2Workflows, accepted2, { timeoutMs: 240_000 });
		const drain2 = Date.now() - drain2Start;
		const [webhookCpu, postgresCpu] = roundCpu().map((after, i) => ((after - cpuAtStart[i]) * 1000) / batch2.reduce((n, r) => n + r.attempts.length, 0));
		const acc2 = account(batch2, executions2, recorded);
		const logs2 = workers.map(workerLog);
		const victimLog = logs2[0];
		const b2ids = new Set(executions2.map((e) => e.id));
		const victimStarted = [...victimLog.started.keys()].filter((id) => b2ids.has(id));
		const victimUnfinished = victimStarted.filter((id) => !victimLog.finished.has(id));
		const succeededOn = (i) => acc2.succeeded.filter((e) => e.executions.some((x) => x.status === 'success' && logs2[i].started.has(x.id))).length;
		const perWorker2 = workers.map((_, i) => succeededOn(i));
		const survivorAfterKill = [...logs2[1].started].filter(([id, at]) => b2ids.has(id) && at !== null && at > (kill?.at ?? Infinity)).length;
		const unsuccessful = executions2.filter((e) => e.status !== 'success');
		const failedStatuses = countBy(unsuccessful, (e) => e.status);
		// Does n8n's record of a failed execution still hold the event (could it be retried from n8n)?
		const failedWithEvent = unsuccessful.filter((e) => keysInData(e).length > 0).length;
		const failedMessages = countBy(unsuccessful, (e) => e.data?.resultData?.error?.message?.slice(0, 90) ?? '(no message)');
		const resolvedAt = Math.max(0, ...unsuccessful.map((e) => Date.parse(e.stoppedAt) || 0));
		const nonTerminal = executions2.filter((e) => !TERMINAL.has(e.status));

		check(kill !== null, `${label}: the worker was never killed`);
		check(answers2.wrong.length === 0, `${label}: ${answers2.wrong.length} last answers differ from the node's (e.g. ${answers2.wrong.slice(0, 3).map((r) => `${r.type} -> ${r.result.status} ${r.result.text.slice(0, 60)}`).join('; ')})`);
		check(acc2.unmatched.length === 0, `${label}: ${acc2.unmatched.length} executions match no event`);
		check(nonTerminal.length === 0, `${label}: ${nonTerminal.length} executions still ${JSON.stringify(countBy(nonTerminal, (e) => e.status))} after the wait`);
		check(perWorker2[1] > 0, `${label}: the surviving worker ran nothing`);
		if (afterWorkflow) {
			// Done when: every event has a successful run after re-delivery (duplicates are for eventKey), none lost.
			check(acc2.givenUp.length === 0, `${label}: ${acc2.givenUp.length} events still not answered 200 after edna's last re-delivery`);
			check(acc2.lostEvents.length === 0, `${label}: ${acc2.lostEvents.length} events lost (no successful run)`);
		} else {
			// As measured before: n8n marks the dead worker's executions failed; nothing vanishes without a trace.
			check(answers2.serverErrors.length === 0, `${label}: ${answers2.serverErrors.length} requests answered 5xx or not at all (${answers2.samples})`);
			check(acc2.lost.length === 0, `${label}: ${acc2.lost.length} accepted requests vanished without a trace`);
			check(acc2.twice.length === 0, `${label}: ${acc2.twice.length} accepted requests ran twice`);
		}
		return {
			label: MODE_LABEL[mode],
			victim,
			batch: [label, batch2.length, acc2.accepted.length, acc2.succeeded.length, unsuccessful.length, acc2.lost.length, acc2.twice.length, perWorker2.join(' / ')],
			requests: [label, ...['event', 'ignored', 'no key', 'wrong key', 'url check'].map((t) => batch2.filter((r) => r.type === t).length), JSON.stringify(countBy(batch2, (r) => r.result.status))],
			traffic: [label, seconds(sent2.ms), sent2.rps.toFixed(1), sent2.latency.p50, sent2.latency.p99, sent2.latency.max, seconds(drain2)],
			cpu: [MODE_LABEL[mode], webhookCpu.toFixed(0), postgresCpu.toFixed(0)],
			lost: [MODE_LABEL[mode], batch2.filter((r) => r.type === 'event').length, JSON.stringify(firstAnswers), resent, acc2.accepted.length, acc2.givenUp.length, acc2.succeeded.length, acc2.duplicates, unsuccessful.length, acc2.lostEvents.length],
			kill: kill && {
				afterEvents: kill.eventsSent,
				notFinished: recorded.size,
				statuses: kill.inFlightStatuses,
				victimStarted: victimStarted.length,
				victimUnfinished: victimUnfinished.length,
				survivorAfterKill,
				failedStatuses,
				failedMessages,
				failedWithEvent,
				resolvedAfter: resolvedAt ? seconds(resolvedAt - kill.at) : '-',
			},
		};
	};
	const rounds = [];
	for (const [i, mode] of MODES.entries()) {
		if (i > 0) {
			// The killed worker comes back, as an orchestrator restarts it, so the next round has two.
			const victim = workers[0];
			victim.process = await time(`${victim.name} restarted`, () => start(victim, { command: 'worker' }));
		}
		rounds.push(await time(`batch 2, ${MODE_LABEL[mode]}`, () => killRound(mode, i)));
	}

	report = {
		batches: [
			['batch 1', batch1.length, acc1.accepted.length, acc1.success.length, acc1.failed.length, acc1.lost.length, acc1.twice.length, perWorker1.join(' / ')],
			...rounds.map((r) => r.batch),
		],
		requests: [
			['batch 1', ...['event', 'ignored', 'no key', 'wrong key', 'url check'].map((t) => batch1.filter((r) => r.type === t).length), JSON.stringify(countBy(batch1, (r) => r.result.status))],
			...rounds.map((r) => r.requests),
		],
		traffic: [
			['batch 1', seconds(sent1.ms), sent1.rps.toFixed(1), sent1.latency.p50, sent1.latency.p99, sent1.latency.max, seconds(drain1)],
			...rounds.map((r) => r.traffic),
		],
		cpu: cpuPerRequest,
		rounds,
	};
} catch (error) {
	failed = true;
	if (!interrupted) console.error(`queue-test: ${error.stack ?? error}`);
} finally {
	// After a signal, its handler stops everything and exits; the run itself just stops here.
	if (interrupted) await new Promise(() => {});
	finishing = true;
	const logsAt = failed || problems.length > 0 || options['keep-logs'] ? keepLogs() : null;
	const stopStarted = Date.now();
	await stopEverything();
	removeTempRoot();
	timings.push(['stop everything', seconds(Date.now() - stopStarted)]);
	if (logsAt) say(`logs of every process copied to ${logsAt}`);
}

if (report) {
	console.log('\nSummary (accepted = answered 200 in the end; executed = events with a successful execution holding exactly their eventKeys;');
	console.log('failed = executions n8n marked failed/crashed, keys recorded in flight; lost = accepted, no execution at all)');
	table(['', 'sent', 'accepted', 'executed', 'failed', 'lost', 'runs > 1', 'per worker (1 / 2)'], report.batches);
	console.log('\nRequests by type and answers');
	table(['', 'events', 'ignored', 'no key', 'wrong key', 'HEAD/GET', 'answers'], report.requests);
	console.log('\nTraffic (to the webhook process) and drain (last answer until all executions finished)');
	table(['', 'duration', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'drain'], report.traffic);
	const cpuTotal = report.cpu.reduce((sum, [, ms]) => sum + ms, 0);
	console.log(`\nCPU time per batch-1 request (averaged over all request types; ${cpuTotal.toFixed(0)} ms in all):`);
	console.log(`  ${report.cpu.map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`).join(', ')}`);
	console.log(`  one webhook process (one Node.js thread) can therefore take at most ~${(1000 / report.cpu[0][1]).toFixed(0)} requests/s on an idle CPU`);
	for (const round of report.rounds) {
		const k = round.kill;
		if (!k) continue;
		console.log(`\nWorker kill, ${round.label}, after ${k.afterEvents} batch-2 events:`);
		console.log(`  not finished at that moment: ${k.notFinished} ${JSON.stringify(k.statuses)}; the killed worker had started ${k.victimStarted} batch-2 executions, ${k.victimUnfinished} without finishing`);
		console.log(`  the surviving worker started ${k.survivorAfterKill} batch-2 executions after the kill`);
		console.log(`  executions n8n marked not successful: ${JSON.stringify(k.failedStatuses)}, last one ${k.resolvedAfter} after the kill`);
		for (const [message, n] of Object.entries(k.failedMessages)) console.log(`    ${n} x "${message}"`);
		console.log(`  of those, ${k.failedWithEvent} still hold the event in n8n's execution data (the others: keys known only from the in-flight snapshot)`);
	}
	console.log('\nCPU time per batch-2 request sent (re-deliveries included), by mode');
	table(['mode', 'webhook process ms', 'PostgreSQL ms'], report.rounds.map((r) => r.cpu));
	console.log("\nLost edna events per Acknowledge Edna Pulse mode, worker killed mid-batch, edna's re-delivery played");
	console.log('(lost = no successful run, and edna will not send it again: it got its 200, or gave up after its last retry;');
	console.log(' duplicates = successful runs beyond the first of one event, for eventKey to remove)');
	table(['mode', 'events', 'first answers', 're-sent', '200 at last', 'given up', 'ran successfully', 'duplicates', 'failed runs', 'LOST'], report.rounds.map((r) => r.lost));
}
console.log(`\nTimings (${os.cpus().length} CPUs; load average at the end ${loadAverage()})`);
table(['step', 'time'], [...timings, ['total', seconds(Date.now() - t0)]]);
for (const p of problems) console.error(`FAIL ${p}`);
const ok = !failed && problems.length === 0;
console.log(`\nqueue test ${ok ? 'passed' : 'FAILED'} in ${seconds(Date.now() - t0)}`);
process.exit(ok ? 0 : 1);
