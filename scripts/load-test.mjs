#!/usr/bin/env node
// `npm run test:load`: load without loss against a real n8n on 127.0.0.1. Run with --help.
import { parseCli } from './lib/cli.mjs';
import { stopAll } from './lib/n8n/index.mjs';
import { loadFixtures, makeUnique, send } from './lib/simulator.mjs';
import { eventKeysOf, itemsOf, publishTriggerWorkflow, startEdnaN8n } from './lib/trigger-workflow.mjs';

const HELP = `Load without loss: sends mixed edna events to a real n8n and checks that none is lost or run twice.

Usage: npm run test:load [-- options]

Run 1  N distinct events (all five kinds, cycling over test/fixtures) at the given concurrency to a
       workflow holding only the trigger: every request answered 200, exactly N successful
       executions, every eventKey seen exactly once.
Each run starts its own n8n and stops it.
Run 2  N more distinct events, and a share of them sent again with the identical body
       ${'>'}= 4 s after edna got its 200 (edna's first retry delay), to a workflow
       trigger -> Remove Duplicates (previous executions, on eventKey) -> "Process event":
       N + retries successful executions, each eventKey reaching "Process event" exactly once.
       Remove Duplicates keeps its history in one database row that each execution reads, extends
       and writes back without a lock, so run 2's n8n runs one production execution at a time
       (N8N_CONCURRENCY_PRODUCTION_LIMIT=1); requests are still sent at the given concurrency.

Options:
  --events <n>         distinct events per run (default 2000)
  --concurrency <n>    requests in flight (default 20)
  --retries <share>    share of run-2 events sent twice (default 0.1)
  --retry-delay <ms>   wait before a retry (default 4000)
  --dedupe-limit <n>   N8N_CONCURRENCY_PRODUCTION_LIMIT of run 2's n8n (default 1; 0 leaves n8n's
                       default, no limit, and shows Remove Duplicates losing its history)
  --max-minutes <n>    stop n8n and fail if the whole test takes longer (default 60)
  --build              run "npm run build" first (default: use the current dist/)
  -h, --help           show this help

Exit code 0 when both runs lose nothing and run nothing twice. Everything stays on 127.0.0.1.`;

const { values: options } = parseCli({
	name: 'load-test',
	help: HELP,
	options: {
		events: { type: 'string', default: '2000' },
		concurrency: { type: 'string', default: '20' },
		retries: { type: 'string', default: '0.1' },
		'retry-delay': { type: 'string', default: '4000' },
		'dedupe-limit': { type: 'string', default: '1' },
		'max-minutes': { type: 'string', default: '60' },
		build: { type: 'boolean', default: false },
	},
});

const EVENTS = Number(options.events);
const CONCURRENCY = Number(options.concurrency);
const RETRIES = Number(options.retries);
const RETRY_DELAY = Number(options['retry-delay']);
const DEDUPE_LIMIT = Number(options['dedupe-limit']);
if (!(EVENTS > 0 && CONCURRENCY > 0 && RETRIES >= 0 && RETRIES <= 1 && RETRY_DELAY >= 0)) {
	console.error('load-test: --events and --concurrency must be positive, --retries between 0 and 1');
	process.exit(2);
}
const KEY = 'load-test-webhook-key-7f3a';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line) => console.log(line);

/** N distinct edna bodies cycling over every fixture, with the keys the node will give them. */
async function makeTraffic(count, offset, instance) {
	const keysOf = await eventKeysOf(instance);
	const fixtures = (await loadFixtures()).filter((f) => f.body !== undefined);
	const events = [];
	for (let i = 0; i < count; i++) {
		const fixture = fixtures[i % fixtures.length];
		const body = makeUnique(fixture.kind, fixture.body, offset + i + 1);
		events.push({ index: i, kind: fixture.kind, body: JSON.stringify(body), keys: keysOf(body) });
	}
	const all = events.flatMap((e) => e.keys);
	if (new Set(all).size !== all.length) throw new Error('the generated traffic repeats an eventKey; it cannot test loss');
	return { events, keys: all };
}

/**
 * Sends every event once; an event marked for retry is sent again, byte-identical, `RETRY_DELAY`
 * ms after its first answer, as edna redelivers. `CONCURRENCY` requests are in flight at most.
 */
async function sendAll(url, events, retryEvery) {
	const queue = events.map((event) => ({ event, retry: false, due: 0 }));
	const retries = [];
	const byStatus = {};
	const latencies = [];
	let inFlight = 0;
	let sent = 0;
	const t0 = performance.now();
	const worker = async () => {
		for (;;) {
			const now = performance.now();
			const dueRetry = retries.findIndex((job) => job.due <= now);
			const job = dueRetry >= 0 ? retries.splice(dueRetry, 1)[0] : queue.shift();
			if (job === undefined) {
				if (retries.length === 0 && inFlight === 0) return;
				await sleep(50);
				continue;
			}
			inFlight++;
			const result = await send({ url, key: KEY, body: job.event.body, timeoutMs: 60_000 });
			inFlight--;
			sent++;
			byStatus[result.status] = (byStatus[result.status] ?? 0) + 1;
			latencies.push(result.ms);
			if (!job.retry && retryEvery > 0 && (job.event.index + 1) % retryEvery === 0) {
				retries.push({ event: job.event, retry: true, due: performance.now() + RETRY_DELAY });
			}
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	const seconds = (performance.now() - t0) / 1000;
	latencies.sort((a, b) => a - b);
	const at = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]);
	return { sent, byStatus, seconds, rps: sent / seconds, latency: `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms` };
}

const count = (list) => {
	const counts = new Map();
	for (const key of list) counts.set(key, (counts.get(key) ?? 0) + 1);
	return counts;
};

/** Compares keys seen with keys expected: each exactly once, nothing else. */
function compareKeys(expected, seen) {
	const counts = count(seen);
	const missing = expected.filter((k) => !counts.has(k));
	const twice = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
	const expectedSet = new Set(expected);
	const unexpected = [...counts.keys()].filter((k) => !expectedSet.has(k));
	return { missing, twice, unexpected, ok: missing.length + twice.length + unexpected.length === 0 };
}

async function finishedExecutions(api, workflowId, expected) {
	const waitMs = Math.max(120_000, expected * 200);
	await api.waitForExecutions(workflowId, expected, { timeoutMs: waitMs, includeData: false, intervalMs: 2000 });
	await sleep(3000); // anything beyond the expected count shows up here
	return api.listExecutions(workflowId, { includeData: true });
}

function report(title, rows) {
	say(`\n${title}`);
	for (const [label, value] of rows) say(`  ${label.padEnd(44)} ${value}`);
}

const started = Date.now();
let failed = false;
let n8n;
const watchdog = setTimeout(async () => {
	console.error(`load-test: still running after ${options['max-minutes']} minutes; stopping n8n`);
	await stopAll();
	process.exit(1);
}, Number(options['max-minutes']) * 60_000);
watchdog.unref();
try {
	say(`starting n8n (127.0.0.1) with this package; ${EVENTS} events per run at concurrency ${CONCURRENCY}`);
	n8n = await startEdnaN8n({ key: KEY, build: options.build });

	// Run 1: every event reaches the workflow exactly once.
	const plain = await publishTriggerWorkflow(n8n, { name: 'load: trigger only' });
	const traffic1 = await makeTraffic(EVENTS, 0, n8n.instance);
	const sent1 = await sendAll(plain.url, traffic1.events, 0);
	const executions1 = await finishedExecutions(n8n.api, plain.workflow.id, EVENTS);
	const success1 = executions1.filter((e) => e.status === 'success').length;
	const seen1 = executions1.flatMap((e) => itemsOf(e).map((item) => item.eventKey));
	const keys1 = compareKeys(traffic1.keys, seen1);
	const ok1 = sent1.byStatus[200] === EVENTS && executions1.length === EVENTS && success1 === EVENTS && keys1.ok;
	report(`Run 1: ${EVENTS} distinct events, concurrency ${CONCURRENCY}, no retries — ${ok1 ? 'PASS' : 'FAIL'}`, [
		['requests sent / answered 200', `${sent1.sent} / ${sent1.byStatus[200] ?? 0} ${JSON.stringify(sent1.byStatus)}`],
		['throughput', `${sent1.rps.toFixed(1)} requests/s over ${sent1.seconds.toFixed(1)} s`],
		['answer time', sent1.latency],
		['executions expected / seen / successful', `${EVENTS} / ${executions1.length} / ${success1}`],
		['eventKeys expected / seen', `${traffic1.keys.length} / ${seen1.length}`],
		['eventKeys missing / seen twice / unexpected', `${keys1.missing.length} / ${keys1.twice.length} / ${keys1.unexpected.length}`],
	]);
	failed ||= !ok1;
	await n8n.stop();

	const limit = DEDUPE_LIMIT > 0 ? { N8N_CONCURRENCY_PRODUCTION_LIMIT: String(DEDUPE_LIMIT) } : {};
	say(`\nstarting a fresh n8n for run 2 (${DEDUPE_LIMIT > 0 ? `N8N_CONCURRENCY_PRODUCTION_LIMIT=${DEDUPE_LIMIT}` : "n8n's default concurrency"})`);
	n8n = await startEdnaN8n({ key: KEY, env: limit });

	// Run 2: edna's retries, removed by n8n's Remove Duplicates node across executions.
	const deduped = await publishTriggerWorkflow(n8n, {
		name: 'load: retries removed by Remove Duplicates',
		nodes: [
			{
				name: 'Remove Duplicates',
				type: 'n8n-nodes-base.removeDuplicates',
				typeVersion: 2,
				parameters: {
					operation: 'removeItemsSeenInPreviousExecutions',
					logic: 'removeItemsWithAlreadySeenKeyValues',
					dedupeValue: '={{ $json.eventKey }}',
					options: {},
				},
			},
			{ name: 'Process event', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
		],
	});
	const retryEvery = RETRIES > 0 ? Math.round(1 / RETRIES) : 0;
	const traffic2 = await makeTraffic(EVENTS, EVENTS, n8n.instance);
	const sent2 = await sendAll(deduped.url, traffic2.events, retryEvery);
	const retried = sent2.sent - EVENTS;
	const executions2 = await finishedExecutions(n8n.api, deduped.workflow.id, EVENTS + retried);
	const success2 = executions2.filter((e) => e.status === 'success').length;
	const processed = executions2.flatMap((e) => itemsOf(e, 'Process event').map((item) => item.eventKey));
	const keys2 = compareKeys(traffic2.keys, processed);
	const ok2 =
		sent2.byStatus[200] === sent2.sent &&
		executions2.length === EVENTS + retried &&
		success2 === executions2.length &&
		keys2.ok;
	report(
		`Run 2: ${EVENTS} distinct events + ${retried} edna-style retries (${RETRY_DELAY / 1000} s later), Remove Duplicates on eventKey — ${ok2 ? 'PASS' : 'FAIL'}`,
		[
			['requests sent / answered 200', `${sent2.sent} / ${sent2.byStatus[200] ?? 0} ${JSON.stringify(sent2.byStatus)}`],
			['throughput', `${sent2.rps.toFixed(1)} requests/s over ${sent2.seconds.toFixed(1)} s`],
			['answer time', sent2.latency],
			['executions expected / seen / successful', `${EVENTS + retried} / ${executions2.length} / ${success2}`],
			['events processed expected / seen', `${traffic2.keys.length} / ${processed.length}`],
			['eventKeys missing / processed twice / unexpected', `${keys2.missing.length} / ${keys2.twice.length} / ${keys2.unexpected.length}`],
		],
	);
	if (keys2.twice.length > 0) say(`  processed twice, e.g. ${keys2.twice.slice(0, 3).join(', ')}`);
	const errors = executions2.filter((e) => e.status !== 'success');
	if (errors.length > 0) {
		say(`  failed executions, e.g.: ${errors[0].data?.resultData?.error?.message ?? errors[0].status}`);
	}
	failed ||= !ok2;
} catch (error) {
	failed = true;
	console.error(`load-test: ${error.stack ?? error}`);
} finally {
	await n8n?.stop();
	await stopAll();
}
say(`\nload test ${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
