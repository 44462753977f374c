#!/usr/bin/env node
// npm run bench:n8n — the edna Pulse Trigger inside a real n8n (scripts/lib/n8n/index.mjs), beside
// the floor trigger (bench/floor-trigger: a community trigger that only returns the body) and n8n's
// own Webhook node + Filter node, under n8n settings an operator can change.
// Then, at n8n's defaults, template sends (bench/sends.mjs) and one AI-agent turn (bench/agent-turn.mjs).
//
// One throwaway n8n on 127.0.0.1 holds a published workflow per target (TARGETS below), all with
// fixed webhookIds. Every target gets the same stream of message-status events, SENT, DELIVERED,
// READ, UNDELIVERED in turn, so a trigger filtering for UNDELIVERED starts a run for one in four.
// For each setting n8n is restarted with it; the targets are then loaded in rounds, the order
// rotated each round (A B C …, B C … A, …), each run bounded in time and in requests, and n8n is
// left to settle (finish the runs it accepted) before the next. Ratios are taken within a round
// and reported as medians over the rounds. Load comes from this process (autocannon); n8n is another.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import autocannon from 'autocannon';

import { parseCli } from '../scripts/lib/cli.mjs';
import {
	REPO_ROOT,
	createInstance,
	packPackage,
	setupOwnerAndApiKey,
	start,
	stopInstance,
	waitForWebhook,
} from '../scripts/lib/n8n/index.mjs';
import { benchAgentTurn } from './agent-turn.mjs';
import { fixed, machine, machineLoad, median, table } from './lib/stats.mjs';
import { benchSends } from './sends.mjs';

const DEFAULT_SETTINGS = 'defaults,pool2,lazy,tuned';

const HELP = `Usage: node bench/n8n.mjs [options]   (npm run bench:n8n -- [options])

  --settings LIST   n8n settings to compare, in order (default ${DEFAULT_SETTINGS}):
                      defaults    n8n as installed
                      pool2       N8N_EXPRESSION_ENGINE_POOL_SIZE=2 (pool4: 4)
                      lazy        N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true
                      nosave      EXECUTIONS_DATA_SAVE_ON_SUCCESS=none
                      tuned       lazy + nosave (tunedPool2: and pool size 2)
  --rounds N        rounds per setting (default 3)
  --duration S      seconds per run (default 4)
  --max-requests N  requests per run at most (default 1500)
  --warmup S        seconds of warm-up per target after each start (default 2)
  --connections N   concurrent connections (default 10)
  --no-build        use dist/ as it is (default: npm run build first)
  --keep            keep n8n's user folder (its path is printed)
  --sends N         then, at n8n defaults: N WhatsApp template sends to the edna sandbox through
                    the edna Pulse node and through n8n's HTTP Request node, in one execution each,
                    interleaved rounds (default 1000; 0 skips)
  --sends-rounds N  rounds of those sends (default 3)
  --agent-turns N   then, at n8n defaults: what the package adds to one AI-agent turn, the example
                    ai-assistant-whatsapp.json without its Wait against the agent alone (chatInput
                    from the trigger), the sandbox as edna and a scripted model answering at once;
                    N turns per workflow per round (default 10; 0 skips)
  --agent-rounds N  interleaved rounds of those turns (default 5)
  --only WHAT       triggers | sends | agent: run only that part
  --targets LIST    trigger targets to load, by name (default: all of TARGETS below), e.g.
                    floor@1.1,edna@1.1,edna-filter@1.1,webhook+filter; ratios need both of theirs
  --json FILE       also write every figure as JSON (default bench/results/n8n.json)
  -h, --help

The default run takes about 15 minutes on 2 cores (--only agent: about 5). Longer, tighter: --rounds 5 --duration 8
(about 25 minutes); every setting: --settings defaults,pool2,pool4,lazy,nosave,tuned,tunedPool2.
`;

const SETTINGS = {
	defaults: { label: 'n8n defaults', env: {} },
	lazy: { label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } },
	pool2: { label: 'N8N_EXPRESSION_ENGINE_POOL_SIZE=2', env: { N8N_EXPRESSION_ENGINE_POOL_SIZE: '2' } },
	pool4: { label: 'N8N_EXPRESSION_ENGINE_POOL_SIZE=4', env: { N8N_EXPRESSION_ENGINE_POOL_SIZE: '4' } },
	nosave: { label: 'EXECUTIONS_DATA_SAVE_ON_SUCCESS=none', env: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none' } },
	tuned: {
		label: 'LAZY_ACQUIRE=true + SAVE_ON_SUCCESS=none',
		env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true', EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none' },
	},
	tunedPool2: {
		label: 'LAZY_ACQUIRE=true + SAVE_ON_SUCCESS=none + POOL_SIZE=2',
		env: {
			N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
			N8N_EXPRESSION_ENGINE_POOL_SIZE: '2',
		},
	},
};

const KEY = 'example-bench-webhook-key';
const FLOOR_DIR = path.join(REPO_ROOT, 'bench', 'floor-trigger');

/** SENT, DELIVERED, READ, UNDELIVERED: the statuses one message goes through, as edna sends them. */
function statusStream() {
	const delivered = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/messageStatus/delivered.json'), 'utf8'));
	return ['SENT', 'DELIVERED', 'READ', 'UNDELIVERED'].map((status) => JSON.stringify({ ...delivered, status }));
}

const HEADERS = { 'content-type': 'application/json', authorization: `Token ${KEY}` };

const trigger = (type, typeVersion, webhookId, parameters, credentials) => ({
	id: `${webhookId}-node`,
	name: 'Trigger',
	type,
	typeVersion,
	position: [0, 0],
	webhookId,
	parameters,
	...(credentials ? { credentials } : {}),
});

const floor = (version, webhookId) => ({
	nodes: [trigger('n8n-nodes-bench-floor.benchFloorTrigger', version, webhookId, {})],
	connections: {},
});

const edna = (version, webhookId, parameters) => (credentials) => ({
	nodes: [
		trigger('n8n-nodes-edna-pulse.ednaPulseTrigger', version, webhookId, parameters, {
			ednaPulseApi: { id: credentials.edna.id, name: credentials.edna.name },
		}),
	],
	connections: {},
});

const UNDELIVERED_ONLY = { event: 'messageStatus', filters: { statuses: ['UNDELIVERED'] } };

/**
 * What users build today: Webhook node (header auth with the same key) and a Filter node keeping
 * status UNDELIVERED. Shapes as n8n 2.41.1 saves them (Webhook 2.1, Filter 2.3 with filter version 3).
 */
const webhookFilter = (webhookId) => (credentials) => ({
	nodes: [
		{
			id: 'webhook-node',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			position: [0, 0],
			webhookId,
			parameters: { httpMethod: 'POST', path: webhookId, authentication: 'headerAuth', options: {} },
			credentials: { httpHeaderAuth: { id: credentials.header.id, name: credentials.header.name } },
		},
		{
			id: 'filter-node',
			name: 'Filter',
			type: 'n8n-nodes-base.filter',
			typeVersion: 2.3,
			position: [220, 0],
			parameters: {
				conditions: {
					options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 3 },
					conditions: [
						{
							id: 'status-is-undelivered',
							leftValue: '={{ $json.body.status }}',
							rightValue: 'UNDELIVERED',
							operator: { type: 'string', operation: 'equals' },
						},
					],
					combinator: 'and',
				},
				options: {},
			},
		},
	],
	connections: { Webhook: { main: [[{ node: 'Filter', type: 'main', index: 0 }]] } },
});

/**
 * The targets, each a published workflow with a fixed webhookId (so its URL is known in advance).
 * Versions: n8n evaluates a legacy expression in its isolate for every request to a version-1
 * start node, so the floor and the edna trigger are measured at 1 (saved workflows) and 1.1; 1.2
 * (new nodes) reads Options → Acknowledge Edna Pulse per request, measured in both of its modes.
 */
const TARGETS = [
	{ name: 'floor@1', label: 'floor trigger, version 1', webhookId: '0b5e7a10-0000-4000-8000-00000000f100', workflow: () => floor(1, '0b5e7a10-0000-4000-8000-00000000f100') },
	{ name: 'floor@1.1', label: 'floor trigger, version 1.1', webhookId: '0b5e7a10-0000-4000-8000-00000000f101', workflow: () => floor(1.1, '0b5e7a10-0000-4000-8000-00000000f101') },
	{ name: 'edna@1', label: 'edna trigger, no filter, version 1', webhookId: '0b5e7a10-0000-4000-8000-00000000ed00', workflow: edna(1, '0b5e7a10-0000-4000-8000-00000000ed00', { event: 'messageStatus' }) },
	{ name: 'edna@1.1', label: 'edna trigger, no filter, version 1.1', webhookId: '0b5e7a10-0000-4000-8000-00000000ed10', workflow: edna(1.1, '0b5e7a10-0000-4000-8000-00000000ed10', { event: 'messageStatus' }) },
	{ name: 'edna@1.2', label: 'edna trigger, no filter, version 1.2 (acknowledge when received, the default)', webhookId: '0b5e7a10-0000-4000-8000-00000000ed12', workflow: edna(1.2, '0b5e7a10-0000-4000-8000-00000000ed12', { event: 'messageStatus' }) },
	// Answers only once the run has finished (responseMode lastNode): the cost of Options → Acknowledge Edna Pulse.
	{ name: 'edna-ack@1.2', label: 'edna trigger, no filter, version 1.2, acknowledge after the workflow', webhookId: '0b5e7a10-0000-4000-8000-00000000ed13', workflow: edna(1.2, '0b5e7a10-0000-4000-8000-00000000ed13', { event: 'messageStatus', options: { acknowledge: 'afterWorkflow' } }) },
	{ name: 'edna-filter@1.1', label: 'edna trigger, status filter UNDELIVERED, version 1.1', webhookId: '0b5e7a10-0000-4000-8000-00000000ed11', workflow: edna(1.1, '0b5e7a10-0000-4000-8000-00000000ed11', UNDELIVERED_ONLY), filtered: true },
	{ name: 'webhook+filter', label: 'Webhook node + Filter node (UNDELIVERED)', webhookId: '0b5e7a10-0000-4000-8000-00000000b400', workflow: webhookFilter('0b5e7a10-0000-4000-8000-00000000b400'), webhookNode: true },
];

/** Ratios reported, each numerator over denominator within one round. */
const RATIOS = {
	'edna@1.1 / floor@1.1': ['edna@1.1', 'floor@1.1'],
	'edna@1 / floor@1': ['edna@1', 'floor@1'],
	'edna-filter@1.1 / floor@1.1': ['edna-filter@1.1', 'floor@1.1'],
	'edna-filter@1.1 / floor@1': ['edna-filter@1.1', 'floor@1'],
	'edna-filter@1.1 / webhook+filter': ['edna-filter@1.1', 'webhook+filter'],
	'edna@1.1 / edna@1': ['edna@1.1', 'edna@1'],
	'edna@1.2 / edna@1.1': ['edna@1.2', 'edna@1.1'],
	'edna@1.2 / floor@1.1': ['edna@1.2', 'floor@1.1'],
	'edna-ack@1.2 / edna@1.2': ['edna-ack@1.2', 'edna@1.2'],
	'floor@1.1 / floor@1': ['floor@1.1', 'floor@1'],
	'webhook+filter / floor@1': ['webhook+filter', 'floor@1'],
};

const urlOf = (instance, target) =>
	target.webhookNode ? `${instance.webhookBaseUrl}/webhook/${target.webhookId}` : instance.webhookUrl(target.webhookId, 'webhook');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU seconds used so far by a process and its children that have exited (Linux /proc). */
function cpuSeconds(pid) {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		// utime, stime, cutime, cstime are fields 14-17 of stat; here offset by the two dropped.
		return fields.slice(11, 15).reduce((sum, v) => sum + Number(v), 0) / 100;
	} catch {
		return 0;
	}
}

/** Every process in n8n's process group (n8n and its task runner). */
function groupPids(group) {
	const pids = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
			if (Number(fields[2]) === group) pids.push(Number(entry));
		} catch {
			// gone
		}
	}
	return pids;
}

/** CPU seconds used by n8n's process group (all threads: isolates are built off the main one). */
const groupCpuSeconds = (handle) => groupPids(handle.pid).reduce((sum, pid) => sum + cpuSeconds(pid), 0);

/**
 * Waits until n8n has finished the runs it accepted: its CPU use stays under 10% of a core for a
 * quarter of a second. Returns how long that took (the time n8n still spent on the run's work).
 */
async function settle(handle, { timeoutMs = 60_000 } = {}) {
	const t0 = Date.now();
	const usage = () => groupCpuSeconds(handle);
	let last = usage();
	while (Date.now() - t0 < timeoutMs) {
		await sleep(250);
		const now = usage();
		if (now - last < 0.025) return (Date.now() - t0 - 250) / 1000;
		last = now;
	}
	return (Date.now() - t0) / 1000;
}

function load(url, bodies, { duration, maxRequests, connections }) {
	return new Promise((resolve, reject) => {
		autocannon(
			{
				url,
				connections,
				duration,
				maxOverallRequests: maxRequests,
				timeout: 30,
				method: 'POST',
				headers: HEADERS,
				// Each connection sends the four statuses in turn.
				requests: bodies.map((body) => ({ method: 'POST', body, headers: HEADERS })),
			},
			(error, result) => (error ? reject(error) : resolve(result)),
		);
	});
}

async function measure(instance, handle, target, bodies, options) {
	const before = machineLoad().loadavg;
	const cpuBefore = groupCpuSeconds(handle);
	const result = await load(urlOf(instance, target), bodies, options);
	const drain = await settle(handle);
	const cpu = groupCpuSeconds(handle) - cpuBefore;
	const ok = result['2xx'];
	return {
		target: target.name,
		loadavgBefore: before,
		ok,
		non2xx: result.non2xx,
		errors: result.errors,
		timeouts: result.timeouts,
		seconds: result.duration,
		drainSeconds: drain,
		perSecond: ok / result.duration,
		// Answers per second counting the time n8n needed afterwards to finish the runs it accepted.
		processedPerSecond: ok / (result.duration + drain),
		// n8n's own CPU time per answered request, the run it started included: what the target
		// costs n8n whatever else the machine is doing (throughput on a busy machine is not).
		cpuMsPerRequest: (cpu * 1000) / ok,
		latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
	};
}

/** The filtered trigger answers as it should: a run for UNDELIVERED, none for the three others. */
async function checkFilter(instance, bodies) {
	if (!TARGETS.some((t) => t.filtered)) return;
	const answers = [];
	for (const body of bodies) {
		const res = await fetch(urlOf(instance, TARGETS.find((t) => t.filtered)), { method: 'POST', headers: HEADERS, body });
		answers.push(`${res.status} ${(await res.json()).message}`);
	}
	const started = answers.filter((a) => a.includes('Workflow was started')).length;
	if (started !== 1 || answers.some((a) => !a.startsWith('200'))) {
		throw new Error(`edna-filter answered unexpectedly:\n${answers.join('\n')}`);
	}
}

/** The acknowledging target answers only after its run: 200 with no body (responseMode lastNode). */
async function checkAcknowledge(instance, bodies) {
	if (!TARGETS.some((t) => t.name === 'edna-ack@1.2')) return;
	const res = await fetch(urlOf(instance, TARGETS.find((t) => t.name === 'edna-ack@1.2')), { method: 'POST', headers: HEADERS, body: bodies[0] });
	const text = await res.text();
	if (res.status !== 200 || text !== '') throw new Error(`edna-ack@1.2 answered ${res.status} ${text.slice(0, 80)}`);
}

async function waitForAll(instance) {
	for (const target of TARGETS) {
		if (target.webhookNode) {
			// POST-only: registered once it answers the benchmark request (one run, as warm-up does).
			const deadline = Date.now() + 60_000;
			for (;;) {
				const res = await fetch(urlOf(instance, target), { method: 'POST', headers: HEADERS, body: '{}' }).catch(() => null);
				if (res?.status === 200) break;
				if (Date.now() > deadline) throw new Error(`${target.name} not registered (last status ${res?.status})`);
				await sleep(250);
			}
		} else {
			await waitForWebhook(urlOf(instance, target), { timeoutMs: 60_000 });
		}
	}
}

function ratios(runs, rounds) {
	const rate = (round, name) => runs.find((r) => r.round === round && r.target === name);
	const out = {};
	for (const [label, [a, b]] of Object.entries(RATIOS)) {
		if (!TARGETS.some((t) => t.name === a) || !TARGETS.some((t) => t.name === b)) continue;
		const answered = [];
		const processed = [];
		const capacity = [];
		for (let round = 0; round < rounds; round++) {
			const ra = rate(round, a);
			const rb = rate(round, b);
			if (!ra || !rb) continue;
			answered.push(ra.perSecond / rb.perSecond);
			processed.push(ra.processedPerSecond / rb.processedPerSecond);
			// Requests per CPU-second of n8n: b's CPU per request over a's.
			capacity.push(rb.cpuMsPerRequest / ra.cpuMsPerRequest);
		}
		out[label] = {
			answered: median(answered),
			processed: median(processed),
			capacity: median(capacity),
			perRound: answered,
			capacityPerRound: capacity,
		};
	}
	return out;
}

function summary(runs) {
	const out = {};
	for (const target of TARGETS) {
		const mine = runs.filter((r) => r.target === target.name);
		out[target.name] = {
			perSecond: median(mine.map((r) => r.perSecond)),
			processedPerSecond: median(mine.map((r) => r.processedPerSecond)),
			cpuMsPerRequest: median(mine.map((r) => r.cpuMsPerRequest)),
			p50: median(mine.map((r) => r.latencyMs.p50)),
			p99: median(mine.map((r) => r.latencyMs.p99)),
			failed: mine.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
		};
	}
	return out;
}

/** The throughput targets (BENCHMARKS.md), checked in each setting's own interleaved rounds. */
const HEADLINE = [
	['edna with the key / floor', 'edna@1.1 / floor@1.1', 0.9],
	['edna 1.2 (new nodes) / floor', 'edna@1.2 / floor@1.1', 0.9],
	['1-in-4 filtered / floor', 'edna-filter@1.1 / floor@1.1', 1.8],
	['1-in-4 filtered / Webhook + Filter', 'edna-filter@1.1 / webhook+filter', 1.0],
];

function headline(results) {
	const rows = [['ratio, median of interleaved rounds (answers/s)', 'target', ...results.map((s) => s.setting)]];
	for (const [label, ratio, target] of HEADLINE) {
		if (!results.some((s) => s.ratios[ratio])) continue;
		rows.push([label, `≥ ${fixed(target, 2)}`, ...results.map((s) => (s.ratios[ratio] ? `${fixed(s.ratios[ratio].answered, 2)}×` : '–'))]);
	}
	return `\n\n== Targets\n${table(rows)}`;
}

function report(results) {
	const lines = [];
	for (const s of results) {
		lines.push(`\n== ${s.label}  (n8n startup ${fixed(s.startupSeconds)} s; loadavg at start ${s.loadavgAtStart.join(' ')})`);
		lines.push(
			table([
				['target', 'answers/s', 'processed/s', 'n8n CPU ms/request', 'p50 ms', 'p99 ms', 'failed'],
				...TARGETS.map((t) => {
					const m = s.summary[t.name];
					return [t.name, fixed(m.perSecond), fixed(m.processedPerSecond), fixed(m.cpuMsPerRequest), fixed(m.p50, 0), fixed(m.p99, 0), m.failed];
				}),
			]),
		);
		lines.push('');
		lines.push(
			table([
				['ratio (median over rounds)', 'answers/s', 'processed/s', 'per n8n CPU-second', 'per round (answers/s | per CPU-s)'],
				...Object.entries(s.ratios).map(([label, r]) => [
					label,
					`${fixed(r.answered, 2)}×`,
					`${fixed(r.processed, 2)}×`,
					`${fixed(r.capacity, 2)}×`,
					`${r.perRound.map((v) => fixed(v, 2)).join(' ')} | ${r.capacityPerRound.map((v) => fixed(v, 2)).join(' ')}`,
				]),
			]),
		);
	}
	return lines.join('\n') + headline(results);
}

/** One AI-agent turn: the example (with the conversation lookup) against the agent alone. */
function agentReport(agent) {
	const { summary: s, ratios: r, nodes: n, rounds } = agent;
	const ms = (v) => fixed(v, 1);
	const calls = (way) =>
		Object.entries(s[way].ednaCallsByPath)
			.map(([p, c]) => `${p} ${c}`)
			.join(', ');
	const ratio = (k) => `${fixed(r[k].median, 2)} (rounds ${r[k].perRound.map((v) => fixed(v, 2)).join(' ')})`;
	return `\n\nOne AI-agent turn at n8n defaults, scripted model answering at once, median of ${s.example.turns} turns per workflow over ${rounds} interleaved rounds (loadavg ${agent.loadavgAtStart.join(' ')} → ${agent.loadavgAtEnd.join(' ')}):
${table([
	['per turn, median', 'example (Conversation → Get)', 'agent alone (chatInput)'],
	['webhook → reply accepted by edna, ms', ms(s.example.replyMs), ms(s.agentAlone.replyMs)],
	['  p90, ms', ms(s.example.replyP90Ms), ms(s.agentAlone.replyP90Ms)],
	['webhook sent → execution started, ms', ms(s.example.startMs), ms(s.agentAlone.startMs)],
	['execution (startedAt → stoppedAt), ms', ms(s.example.executionMs), ms(s.agentAlone.executionMs)],
	[`  ${n.trigger}, ms`, ms(s.example.nodes[n.trigger]), ms(s.agentAlone.nodes[n.trigger])],
	[`  ${n.conversation} (Conversation → Get), ms`, ms(s.example.nodes[n.conversation]), '-'],
	[`  ${n.filter} (Filter), ms`, ms(s.example.nodes[n.filter]), '-'],
	[`  ${n.agent}, ms`, ms(s.example.nodes[n.agent]), ms(s.agentAlone.nodes[n.agent])],
	[`  ${n.model}, ms`, ms(s.example.nodes[n.model]), ms(s.agentAlone.nodes[n.model])],
	[`  ${n.tool} (Reply), ms`, ms(s.example.nodes[n.tool]), ms(s.agentAlone.nodes[n.tool])],
	['  package nodes together, ms', ms(s.example.packageMs), ms(s.agentAlone.packageMs)],
	['edna calls', s.example.ednaCalls, s.agentAlone.ednaCalls],
])}
edna calls per turn: example ${calls('example')}; agent alone ${calls('agentAlone')}
package nodes' time / execution, example: ${ratio('packageShare')}
package nodes' time / execution, agent alone: ${ratio('packageShareAlone')}
Conversation → Get / execution, example: ${ratio('conversationShare')}
example / agent alone, webhook → reply: ${ratio('lookupOverAlone')}
example / agent alone, execution: ${ratio('lookupOverAloneExecution')}`;
}

async function main() {
	const { values } = parseCli({
		name: 'bench:n8n',
		help: HELP.trimEnd(),
		options: {
			settings: { type: 'string', default: DEFAULT_SETTINGS },
			rounds: { type: 'string', default: '3' },
			duration: { type: 'string', default: '4' },
			'max-requests': { type: 'string', default: '1500' },
			warmup: { type: 'string', default: '2' },
			connections: { type: 'string', default: '10' },
			sends: { type: 'string', default: '1000' },
			'sends-rounds': { type: 'string', default: '3' },
			'agent-turns': { type: 'string', default: '10' },
			'agent-rounds': { type: 'string', default: '5' },
			only: { type: 'string' },
			targets: { type: 'string' },
			'no-build': { type: 'boolean', default: false },
			keep: { type: 'boolean', default: false },
			json: { type: 'string', default: path.join(REPO_ROOT, 'bench/results/n8n.json') },
		},
	});
	if (values.only !== undefined && !['triggers', 'sends', 'agent'].includes(values.only)) {
		throw new Error(`--only ${values.only}: expected triggers, sends or agent`);
	}
	const only = (part) => values.only === undefined || values.only === part;
	const sendCount = only('sends') ? Number(values.sends) : 0;
	const agentTurns = only('agent') ? Number(values['agent-turns']) : 0;
	const settings = (only('triggers') ? values.settings : '').split(',').filter(Boolean).map((name) => {
		if (!SETTINGS[name]) throw new Error(`unknown setting "${name}"; known: ${Object.keys(SETTINGS).join(', ')}`);
		return { name, ...SETTINGS[name] };
	});
	if (values.targets !== undefined) {
		const wanted = values.targets.split(',').filter(Boolean);
		const unknown = wanted.filter((name) => !TARGETS.some((t) => t.name === name));
		if (unknown.length > 0) throw new Error(`unknown target(s) ${unknown.join(', ')}; known: ${TARGETS.map((t) => t.name).join(', ')}`);
		TARGETS.splice(0, TARGETS.length, ...TARGETS.filter((t) => wanted.includes(t.name)));
	}
	const rounds = Number(values.rounds);
	const options = {
		duration: Number(values.duration),
		maxRequests: Number(values['max-requests']),
		connections: Number(values.connections),
	};
	const log = (message) => process.stderr.write(`[bench] ${message}\n`);
	const began = { at: new Date().toISOString(), ...machineLoad() };
	log(`loadavg ${began.loadavg.join(' ')} on ${began.cpus} CPUs`);

	const tgz = await packPackage({ build: !values['no-build'], log });
	const instance = await createInstance({ tgz, extraPackages: [FLOOR_DIR], env: { NODE_ENV: 'production' }, log });
	const bodies = statusStream();
	const results = [];
	let api;
	let sends = null;
	let agent = null;
	try {
		for (const setting of settings) {
			const loadavgAtStart = machineLoad().loadavg;
			const handle = await start(instance, { env: setting.env });
			if (!api) {
				api = await setupOwnerAndApiKey(instance);
				const edna = await api.createCredential({ name: 'bench edna key', type: 'ednaPulseApi', data: { webhookKey: KEY } });
				const header = await api.createCredential({
					name: 'bench header key',
					type: 'httpHeaderAuth',
					data: { name: 'Authorization', value: `Token ${KEY}` },
				});
				for (const target of TARGETS) {
					const created = await api.createWorkflow({ name: `bench: ${target.label}`, ...target.workflow({ edna, header }) });
					await api.publishWorkflow(created.id);
				}
			}
			await waitForAll(instance);
			await checkFilter(instance, bodies);
			await checkAcknowledge(instance, bodies);
			log(`${setting.label}: warming up`);
			for (const target of TARGETS) {
				await load(urlOf(instance, target), bodies, { ...options, duration: Number(values.warmup) });
				await settle(handle);
			}
			const runs = [];
			for (let round = 0; round < rounds; round++) {
				// Rotate the order each round so no target always follows the same one.
				const order = TARGETS.map((_, i) => TARGETS[(i + round) % TARGETS.length]);
				for (const target of order) {
					const run = await measure(instance, handle, target, bodies, options);
					runs.push({ round, ...run });
					log(`${setting.name} round ${round + 1}/${rounds} ${target.name}: ${fixed(run.perSecond)}/s (${fixed(run.processedPerSecond)} processed/s, ${fixed(run.cpuMsPerRequest)} n8n CPU ms/request), loadavg ${run.loadavgBefore[0]}`);
				}
			}
			results.push({
				setting: setting.name,
				label: setting.label,
				env: setting.env,
				startupSeconds: handle.startupMs / 1000,
				loadavgAtStart,
				runs,
				summary: summary(runs),
				ratios: ratios(runs, rounds),
			});
			await handle.stop();
		}
		if (sendCount > 0) {
			const handle = await start(instance);
			api ??= await setupOwnerAndApiKey(instance);
			sends = await benchSends({ instance, api, count: sendCount, rounds: Number(values['sends-rounds']), log });
			await handle.stop();
		}
		if (agentTurns > 0) {
			const loadavgAtStart = machineLoad().loadavg;
			const handle = await start(instance);
			api ??= await setupOwnerAndApiKey(instance);
			agent = await benchAgentTurn({ instance, api, turns: agentTurns, rounds: Number(values['agent-rounds']), log });
			agent.loadavgAtStart = loadavgAtStart;
			agent.loadavgAtEnd = machineLoad().loadavg;
			await handle.stop();
		}
	} finally {
		await stopInstance(instance, { removeUserFolder: !values.keep });
		if (values.keep) log(`n8n user folder kept: ${instance.userFolder}`);
	}

	const finished = { at: new Date().toISOString(), ...machineLoad() };
	const sendsReport = sends
		? `\n\nTemplate sends to the edna sandbox at n8n defaults, ${sends.count} per execution, median of ${sends.rounds} interleaved rounds:\n${table([
				['sending node', 'sends/s'],
				['edna Pulse node (Send Template)', fixed(sends.summary.node)],
				['HTTP Request node (same v1 call)', fixed(sends.summary.httpRequest)],
			])}\nedna Pulse node / HTTP Request: ${fixed(sends.ratio, 2)} (rounds: ${sends.ratios.map((r) => fixed(r, 2)).join(', ')})`
		: '';
	process.stdout.write(`${results.length ? report(results) : ''}${sendsReport}${agent ? agentReport(agent) : ''}\n\nloadavg before ${began.loadavg.join(' ')}, after ${finished.loadavg.join(' ')} (${os.cpus().length} CPUs)\n`);
	mkdirSync(path.dirname(values.json), { recursive: true });
	writeFileSync(
		values.json,
		`${JSON.stringify({ machine: machine(), n8n: instance.version ?? '2.41.1', options: { rounds, ...options, warmup: Number(values.warmup) }, began, finished, results, sends, agent }, null, 2)}\n`,
	);
	log(`figures written to ${path.relative(process.cwd(), values.json)}`);
}

await main();
