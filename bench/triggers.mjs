// The trigger section of npm run bench:n8n: the edna Pulse Trigger inside a real n8n beside the floor
// trigger (bench/floor-trigger: a community trigger that only returns the body) and n8n's own Webhook
// node + Filter node, under n8n settings an operator can change.
//
// One throwaway n8n on 127.0.0.1 holds a published workflow per target (TARGETS below), all with
// fixed webhookIds. Every target gets the same stream of message-status events, SENT, DELIVERED,
// READ, UNDELIVERED in turn, so a trigger filtering for UNDELIVERED starts a run for one in four.
// For each setting n8n is restarted with it; the targets are then loaded in rounds, the order
// rotated each round (A B C …, B C … A, …), each run bounded in time and in requests, and n8n is
// left to settle (finish the runs it accepted) before the next. Ratios are taken within a round
// and reported as medians over the rounds. Load comes from this process (autocannon); n8n is another.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import autocannon from 'autocannon';

import { REPO_ROOT, start, waitForWebhook } from '../scripts/lib/n8n/index.mjs';
import { groupCpuSeconds, settle } from './lib/n8n-process.mjs';
import { fixed, machineLoad, median, table } from './lib/stats.mjs';

export const DEFAULT_SETTINGS = 'defaults,pool2,lazy,tuned';

export const SETTINGS = {
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
export const FLOOR_DIR = path.join(REPO_ROOT, 'bench', 'floor-trigger');

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

export function triggersReport(results) {
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


/** Keeps only the targets named (e.g. `floor@1.1,edna@1.1`); throws on a name that is not one. */
export function selectTargets(names) {
	const wanted = names.split(',').filter(Boolean);
	const unknown = wanted.filter((name) => !TARGETS.some((t) => t.name === name));
	if (unknown.length > 0) throw new Error(`unknown target(s) ${unknown.join(', ')}; known: ${TARGETS.map((t) => t.name).join(', ')}`);
	TARGETS.splice(0, TARGETS.length, ...TARGETS.filter((t) => wanted.includes(t.name)));
}

/**
 * For each setting: n8n started with it, the targets warmed up, then `rounds` rounds of every
 * target. `ensureApi()` gives n8n's API client once n8n runs (the first start creates the
 * credentials and workflows). Returns one result per setting, for triggersReport().
 */
export async function benchTriggers({ instance, settings, rounds, options, warmup, ensureApi, log }) {
	const bodies = statusStream();
	const results = [];
	let created = false;
	for (const setting of settings) {
		const loadavgAtStart = machineLoad().loadavg;
		const handle = await start(instance, { env: setting.env });
		if (!created) {
			created = true;
			const api = await ensureApi();
			const edna = await api.createCredential({ name: 'bench edna key', type: 'ednaPulseApi', data: { webhookKey: KEY } });
			const header = await api.createCredential({ name: 'bench header key', type: 'httpHeaderAuth', data: { name: 'Authorization', value: `Token ${KEY}` } });
			for (const target of TARGETS) {
				const workflow = await api.createWorkflow({ name: `bench: ${target.label}`, ...target.workflow({ edna, header }) });
				await api.publishWorkflow(workflow.id);
			}
		}
		await waitForAll(instance);
		await checkFilter(instance, bodies);
		await checkAcknowledge(instance, bodies);
		log(`${setting.label}: warming up`);
		for (const target of TARGETS) {
			await load(urlOf(instance, target), bodies, { ...options, duration: warmup });
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
	return results;
}
