#!/usr/bin/env node
// `npm run test:queue`: the package in n8n queue mode (PostgreSQL, Redis, a main process, one or two
// webhook processes, two workers). Run with --help.
import os from 'node:os';

import { parseCli } from './lib/cli.mjs';
import { ensureN8n, packPackage } from './lib/n8n/index.mjs';
import { loadFixtures } from './lib/simulator.mjs';
import { nodeLogicBuilt } from './lib/trigger-workflow.mjs';
import { agentBurst } from './queue/agent-burst.mjs';
import { interrupted, restartWorker, shutdown, startCluster, stopOnSignals } from './queue/cluster.mjs';
import { loadAverage, printSummary, printVerdict, problems, say, seconds, time, timings } from './queue/report.mjs';
import { ensureDebianPackages } from './queue/services.mjs';
import { steadyBatch } from './queue/steady-batch.mjs';
import { loadNodeLogic } from './queue/traffic.mjs';
import { MODE_LABEL, killRound } from './queue/worker-kill.mjs';

const HELP = `Queue mode: the edna Pulse Trigger in n8n's scaled-out setup, with real PostgreSQL and Redis.

Usage: npm run test:queue [-- options]

Starts, all on 127.0.0.1 and all its own (nothing from the system's services):
  PostgreSQL and Redis (apt-get installs the Debian packages first if they are missing; needs root),
  "n8n start" (main: API, publishing), "n8n webhook" (serves /webhook/*; a second one, on a port of
  its own, when agent-burst runs) and two "n8n worker"s, each n8n process with its own user folder
  and this package installed in it as n8n installs community packages, sharing one database, one
  Redis and one encryption key. Then the scenarios (--scenarios), in this order:

steady   Batch 1: --events distinct edna events that start a run (all fixtures, made unique) to four
         published workflows, mixed with edna's HEAD/GET URL checks, requests without a key or with
         another workflow's key, and events the workflows' settings ignore, all sent to the webhook
         process.
         Passes when: no answer is 5xx; every answer is the one the node gives for that request;
         every accepted request became exactly one successful execution holding exactly its
         eventKeys; nothing else ran (unauthenticated and ignored requests started nothing);
         both workers ran executions; main answers no production webhook
         (N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true).
worker-kill
         Batch 2, once per Options → Acknowledge Edna Pulse mode (--modes): --second-batch more events to
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
agent-burst
         The AI assistant example (examples/ai-assistant-whatsapp.json: trigger, Wait 5 s, Conversation
         → Get, Filter, AI Agent with the edna Pulse node as its Reply tool) imported with its
         credentials replaced and published; the edna sandbox as edna (its re-delivery delays divided
         by 32) and a scripted OpenAI-compatible model. Warm-up customers first, until both workers
         have run the AI Agent. Then --customers customers each write a burst of 2-4 messages within
         a second; edna sends to a load balancer in front of both webhook processes, which puts
         consecutive messages of one burst on different processes.
         Passes when: n8n answered every delivery 200 (edna may have given up waiting after 10 s on
         a busy machine, and sent it again); every delivery that reached a webhook process became
         exactly one successful execution (none lost, none failed, nothing else ran), each on one
         worker; both webhook processes served some; every customer got exactly one reply, the
         answer to their own messages, from the run of their last message; the model got one prompt
         per customer, that customer's messages joined by newline in order. Then the first or last
         message of every other burst is delivered again: each runs once, stops at the filter
         (nothing unanswered), and nothing more is sent or asked of the model.
Prints sent / accepted / executed / lost per batch, lost events per mode, executions per worker,
the agent burst's customers, replies, duplicates, missing and requests per webhook process, CPU
time per request and timings. Takes about 20 minutes on a busy 2-CPU machine; fewer events make it
shorter. Everything it starts it stops, also on failure or Ctrl-C.

Options:
  --events <n>         events that start a run in batch 1 (default 1000; ignored ones come on top)
  --second-batch <n>   events that start a run in batch 2 (default 400)
  --kill-after <n>     batch-2 events sent before the worker is killed (default: 40 %)
  --concurrency <n>    requests in flight (default 8)
  --modes <list>       batch-2 rounds (default whenReceived,afterWorkflow)
  --scenarios <list>   which to run, in the order above (default steady,worker-kill,agent-burst)
  --customers <n>      customers writing a burst in agent-burst (default 20)
  --build              run "npm run build" first (default: use dist/, building only if missing)
  --keep-logs          copy every process's log to a folder in the temp dir, also on success
  -h, --help           show this help

Exit code 0 when every scenario run passes.`;

const SCENARIOS = ['steady', 'worker-kill', 'agent-burst'];

const { values: options, fail } = parseCli({
	name: 'queue-test',
	help: HELP,
	options: {
		events: { type: 'string', default: '1000' },
		'second-batch': { type: 'string', default: '400' },
		'kill-after': { type: 'string' },
		concurrency: { type: 'string', default: '8' },
		modes: { type: 'string', default: 'whenReceived,afterWorkflow' },
		scenarios: { type: 'string', default: SCENARIOS.join(',') },
		customers: { type: 'string', default: '20' },
		build: { type: 'boolean', default: false },
		'keep-logs': { type: 'boolean', default: false },
	},
});
const EVENTS = Number(options.events);
const SECOND = Number(options['second-batch']);
const KILL_AFTER = Number(options['kill-after'] ?? Math.round(SECOND * 0.4));
const CONCURRENCY = Number(options.concurrency);
const MODES = options.modes.split(',').filter(Boolean);
const CUSTOMERS = Number(options.customers);
const chosen = options.scenarios.split(',').filter(Boolean);
if (chosen.length === 0 || chosen.some((s) => !SCENARIOS.includes(s))) fail(`--scenarios takes ${SCENARIOS.join(', ')} (comma-separated)`);
const runs = (scenario) => chosen.includes(scenario);
if (MODES.length === 0 || MODES.some((m) => !(m in MODE_LABEL))) {
	fail(`--modes takes ${Object.keys(MODE_LABEL).join(', ')} (comma-separated)`);
}
if (!(EVENTS > 0 && SECOND > 0 && CONCURRENCY > 0 && KILL_AFTER >= 0 && KILL_AFTER < SECOND)) {
	fail('--events, --second-batch and --concurrency must be positive, --kill-after below --second-batch');
}
if (!(Number.isInteger(CUSTOMERS) && CUSTOMERS > 0)) fail('--customers must be a positive whole number');

/** Everything the help describes; returns the summary's figures. */
async function run() {
	const plan = [
		runs('steady') && `${EVENTS} events`,
		runs('worker-kill') && `${SECOND} events per worker-kill round`,
		runs('agent-burst') && `an agent burst of ${CUSTOMERS} customers`,
	].filter(Boolean);
	say(`queue mode test: ${plan.join(', ')}; ${CONCURRENCY} requests in flight; ${os.cpus().length} CPUs, load average ${loadAverage()}`);
	const apt = ensureDebianPackages(say);
	if (apt.installed.length > 0) timings.push([`apt-get install ${apt.installed.join(', ')}`, seconds(apt.ms)]);
	const runtime = await time('n8n install (cached after the first run)', () => ensureN8n({ log: say }));
	const build = options.build || !nodeLogicBuilt();
	const tgz = await time(build ? 'build and pack the package' : 'pack the package', () => packPackage({ build, log: false }));
	await loadNodeLogic();
	const cluster = await startCluster({ tgz, runtime, webhookProcesses: runs('agent-burst') ? 2 : 1 });
	const fixtures = (await loadFixtures()).filter((f) => f.body !== undefined);
	const batch1 = runs('steady') ? await steadyBatch(cluster, { fixtures, events: EVENTS, concurrency: CONCURRENCY }) : null;
	const rounds = [];
	for (const [i, mode] of (runs('worker-kill') ? MODES : []).entries()) {
		// The killed worker comes back, as an orchestrator restarts it, so the next round has two.
		if (i > 0) await restartWorker(cluster.workers[0]);
		const round = { mode, round: i, fixtures, second: SECOND, killAfter: KILL_AFTER, concurrency: CONCURRENCY };
		rounds.push(await time(`batch 2, ${MODE_LABEL[mode]}`, () => killRound(cluster, round)));
	}
	let burst = null;
	if (runs('agent-burst')) {
		if (rounds.length > 0) await restartWorker(cluster.workers[0]);
		burst = await time('agent burst', () => agentBurst(cluster, { customers: CUSTOMERS }));
	}
	const parts = [batch1, ...rounds, burst].filter(Boolean);
	return {
		batches: parts.map((p) => p.batch),
		requests: [batch1, ...rounds].filter(Boolean).map((p) => p.requests),
		traffic: parts.map((p) => p.traffic),
		cpu: batch1?.cpu ?? null,
		rounds,
		agent: burst?.agent ?? null,
	};
}

stopOnSignals();
let failed = false;
let report = null;
try {
	report = await run();
} catch (error) {
	failed = true;
	if (!interrupted()) console.error(`queue-test: ${error.stack ?? error}`);
} finally {
	await shutdown({ keep: failed || problems.length > 0 || options['keep-logs'] });
}
if (report) printSummary(report);
process.exit(printVerdict(failed) ? 0 : 1);
