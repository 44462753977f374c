// A campaign in a real n8n: `count` WhatsApp template sends (10,000 by default) in one execution,
// to the edna sandbox answering every API call 50 ms late (no rate limit), by three senders:
//   node     edna Pulse → Message → Send Template, node version 1.2, a Campaign ID (a new one for
//            every run), Options → Parallel Sends 10; every phone distinct, so Same-Recipient
//            Spacing never applies; the channel check reads the channel's daily limit;
//   http     n8n's HTTP Request node at the version n8n 2.41.1 adds (4.5), the same v1 send, with
//            Options → Batching: Items per Batch 10, Batch Interval 50 ms (bench/sends.mjs builds it);
//   ceiling  a plain Node client in this process posting the same v1 sends straight to the sandbox,
//            10 at once over keep-alive connections: what the sandbox answers at that concurrency.
// The two n8n senders run as Webhook (answering when the last node is done) → Split Out (one item
// per phone) → the sender, each run its own published workflow, so each execution is alone in it.
// Before every run the sandbox is reset (an empty account: every run's history read and duplicate
// checks see the same nothing) and the seed's sandbox_wa, daily limit TIER_1K, raised to TIER_100K,
// as the node's channel check refuses 10,000 recipients on TIER_1K. Rounds rotate the order.
// Measured per run: wall time of the one request (so sends/s); the sandbox's send stats (pace from
// the first accepted send to the last, requests in flight at most); n8n's CPU seconds (process
// group) and its main process's resident memory every 200 ms (before the run, peak, after n8n has
// settled); the execution's startedAt → stoppedAt and each node's executionTime; when the first edna
// call, the first and the last send came, relative to the execution's start.
// Used by bench/n8n.mjs (npm run bench:n8n -- --only campaign); see BENCHMARKS.md.
import { randomUUID } from 'node:crypto';
import http from 'node:http';

import { start as startSandbox } from '../sandbox/index.mjs';
import { webhookNode } from '../scripts/lib/action-workflow.mjs';
import { chain } from '../scripts/lib/trigger-workflow.mjs';
import { groupCpuSeconds, sampleRss, settle } from './lib/n8n-process.mjs';
import { fixed, machineLoad, median, table } from './lib/stats.mjs';
import { CHANNEL, SENDER, TEMPLATE, httpRequestSender, nodeSender, splitOut } from './sends.mjs';

export const LATENCY_MS = 50;
export const CONCURRENCY = 10;
const SEND_PATH = 'v1/out-messages/whatsapp/template';
const SEND_NODE = 'Send';
const NODES = ['Webhook', splitOut.name, SEND_NODE];
const WAYS = ['node', 'http', 'ceiling'];
/** Targets (BENCHMARKS.md): the node against HTTP Request, and its share of the sandbox's ceiling. */
const TARGETS = { nodeOverHttp: 1.0, nodeShareOfCeiling: 0.8 };

const campaignSender = (credentials, campaignId) =>
	nodeSender(credentials, { typeVersion: 1.2, options: { campaignId, concurrency: CONCURRENCY } });

// HTTP Request's batching sends a batch, waits Batch Interval, sends the next batch, without waiting
// for the answers; an interval of 0 turns batching off (every item's request at once). The same
// concurrency as the node's Parallel Sends 10 is therefore 10 items every 50 ms: about 10 in flight
// at edna's 50 ms.
const httpSender = (credentials, sandbox) =>
	httpRequestSender(credentials, sandbox, { typeVersion: 4.5, options: { batching: { batch: { batchSize: CONCURRENCY, batchInterval: LATENCY_MS } } } });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const msOf = (iso) => new Date(iso).getTime();

/** The ceiling: `phones.length` v1 sends posted straight to the sandbox, CONCURRENCY at once, keep-alive. */
async function postDirect(sandbox, phones, campaignId) {
	const url = new URL(`${sandbox.apiUrl}/${SEND_PATH}`);
	const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
	const post = (body) =>
		new Promise((resolve, reject) => {
			const req = http.request(
				{ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': sandbox.keys.master } },
				(res) => res.resume().on('end', () => resolve(res.statusCode)),
			);
			req.on('error', reject);
			req.end(body);
		});
	let next = 0;
	let refused = 0;
	const worker = async () => {
		while (next < phones.length) {
			const phone = phones[next++];
			const body = { messageId: randomUUID(), sender: SENDER, phone, templateId: TEMPLATE, textVariables: ['Alex'], buttonVariables: ['PARCEL-1'], options: { comment: `n8n campaign:${campaignId}` } };
			if ((await post(JSON.stringify(body))) !== 200) refused++;
		}
	};
	try {
		await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	} finally {
		agent.destroy();
	}
	return refused;
}

/**
 * Runs `rounds` rounds of `count` sends per sender (node, HTTP Request, the direct client; the order
 * rotated each round) in the running n8n `handle`, and returns every run and the ratios per round.
 */
export async function benchCampaign({ instance, api, handle, count = 10_000, rounds = 2, log = () => {} }) {
	const sandbox = await startSandbox({ port: 0, speed: 1000, latencyMs: LATENCY_MS });
	const began = machineLoad().loadavg;
	try {
		const edna = await api.createCredential({
			name: 'bench edna sandbox (campaign)',
			type: 'ednaPulseApi',
			data: { apiKey: sandbox.keys.master, baseUrl: sandbox.apiUrl, webhookKey: sandbox.keys.webhook },
		});
		const header = await api.createCredential({ name: 'bench edna API key (campaign)', type: 'httpHeaderAuth', data: { name: 'X-API-KEY', value: sandbox.keys.master } });
		const credentials = { edna, header };
		const tag = randomUUID().slice(0, 8);

		/** A published Webhook → Split Out → sender workflow of its own for one run. */
		const publish = async (way, label) => {
			const campaignId = `bench-${tag}-${label}`;
			const path = randomUUID();
			const sender = way === 'node' ? campaignSender(credentials, campaignId) : httpSender(credentials, sandbox);
			const workflow = await api.createWorkflow({ name: `bench: campaign ${label} through ${way}`, ...chain([webhookNode(path, { responseData: 'firstEntryJson' }), splitOut, sender]) });
			await api.publishWorkflow(workflow.id);
			return { id: workflow.id, url: `${instance.webhookBaseUrl}/webhook/${path}`, campaignId };
		};

		let phoneSerial = 0;
		const phones = (n) => Array.from({ length: n }, () => String(35_791_000_000 + phoneSerial++));
		/** An empty account, and a channel whose daily limit lets 10,000 recipients through. */
		const freshSandbox = () => {
			sandbox.reset();
			sandbox.account.channels.find((c) => c.subjectId === CHANNEL).limit = 'TIER_100K';
		};

		const runN8n = async (way, flow, n) => {
			freshSandbox();
			await settle(handle);
			const loadavg = machineLoad().loadavg;
			const cpu0 = groupCpuSeconds(handle);
			const rss = sampleRss(handle.pid);
			const body = JSON.stringify({ phones: phones(n) });
			const t0 = performance.now();
			let answer;
			for (;;) {
				const res = await fetch(flow.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(900_000) });
				const text = await res.text();
				if (res.status === 404) {
					await sleep(250); // not registered yet: nothing ran
					continue;
				}
				if (res.status !== 200) throw new Error(`${way}: ${res.status} ${text.slice(0, 300)}`);
				answer = JSON.parse(text);
				break;
			}
			const ms = performance.now() - t0;
			const drainSeconds = await settle(handle);
			const memory = rss.stop();
			const cpuSeconds = groupCpuSeconds(handle) - cpu0;
			const stats = sandbox.sendStats();
			if (stats.accepted !== n) throw new Error(`${way}: edna accepted ${stats.accepted} of ${n} sends (${stats.refused429} answered 429)`);
			if (way === 'node' && answer.outcome !== 'sent') throw new Error(`node: first item ${JSON.stringify(answer).slice(0, 300)}`);
			const edna = sandbox.record.requests().filter((r) => r.path !== SEND_PATH).map((r) => ({ path: r.path, at: msOf(r.at) }));
			const [execution] = await api.waitForExecutions(flow.id, 1, { includeData: true, timeoutMs: 120_000 });
			if (execution.status !== 'success') throw new Error(`${way}: execution ${execution.id} ${execution.status}`);
			const startedAt = msOf(execution.startedAt);
			const runData = execution.data?.resultData?.runData ?? {};
			return {
				way,
				n,
				loadavg,
				ms,
				sendsPerSecond: (n * 1000) / ms,
				// the sandbox's pace from the first accepted send to the last
				sendPhasePerSecond: stats.perSecond,
				peakPerSecond: stats.peakPerSecond,
				inFlightPeak: stats.inFlightPeak,
				executionMs: msOf(execution.stoppedAt) - startedAt,
				nodesMs: Object.fromEntries(NODES.map((name) => [name, (runData[name] ?? []).reduce((sum, r) => sum + (r.executionTime ?? 0), 0)])),
				firstCallMs: edna.length > 0 ? edna[0].at - startedAt : null,
				lookups: edna.map((r) => `${r.path} +${r.at - startedAt} ms`),
				firstSendMs: stats.firstAt - startedAt,
				sendPhaseMs: stats.lastAt - stats.firstAt,
				afterLastSendMs: msOf(execution.stoppedAt) - stats.lastAt,
				cpuSeconds,
				drainSeconds,
				rss: memory,
				rssGrowthMiB: memory.peakMiB - memory.beforeMiB,
			};
		};

		const runCeiling = async (n, label) => {
			freshSandbox();
			await settle(handle);
			const loadavg = machineLoad().loadavg;
			const list = phones(n);
			const t0 = performance.now();
			const refused = await postDirect(sandbox, list, `bench-${tag}-${label}`);
			const ms = performance.now() - t0;
			const stats = sandbox.sendStats();
			if (refused > 0 || stats.accepted !== n) throw new Error(`ceiling: edna accepted ${stats.accepted} of ${n} sends`);
			return { way: 'ceiling', n, loadavg, ms, sendsPerSecond: (n * 1000) / ms, sendPhasePerSecond: stats.perSecond, peakPerSecond: stats.peakPerSecond, inFlightPeak: stats.inFlightPeak };
		};

		const warm = Math.min(count, 500);
		log(`campaign: warming up (${warm} sends each)`);
		for (const way of ['node', 'http']) await runN8n(way, await publish(way, `warm-up-${way}`), warm);
		await runCeiling(warm, 'warm-up');

		const flows = {};
		for (let round = 0; round < rounds; round++) {
			for (const way of ['node', 'http']) flows[`${way} ${round}`] = await publish(way, `r${round + 1}-${way}`);
		}
		const runs = [];
		for (let round = 0; round < rounds; round++) {
			const order = WAYS.map((_, i) => WAYS[(i + round) % WAYS.length]);
			for (const way of order) {
				const run = way === 'ceiling' ? await runCeiling(count, `r${round + 1}-ceiling`) : await runN8n(way, flows[`${way} ${round}`], count);
				runs.push({ round, ...run });
				const memory = run.rss ? `, RSS ${fixed(run.rss.beforeMiB, 0)} → peak ${fixed(run.rss.peakMiB, 0)} MiB, execution ${fixed(run.executionMs / 1000, 2)} s` : '';
				log(`campaign round ${round + 1}/${rounds} ${way}: ${count} in ${fixed(run.ms / 1000, 2)} s, ${fixed(run.sendsPerSecond)}/s (in flight at most ${run.inFlightPeak})${memory}, loadavg ${run.loadavg[0]}`);
			}
		}
		return summarise({ count, rounds, runs, began, ended: machineLoad().loadavg });
	} finally {
		await sandbox.stop();
	}
}

function summarise(result) {
	const { runs, rounds } = result;
	const of = (round, way) => runs.find((r) => r.round === round && r.way === way);
	const perRound = { nodeOverHttp: [], nodeShareOfCeiling: [], httpShareOfCeiling: [], nodeGrowthOverHttp: [] };
	for (let round = 0; round < rounds; round++) {
		const [node, httpRun, ceiling] = WAYS.map((way) => of(round, way));
		perRound.nodeOverHttp.push(node.sendsPerSecond / httpRun.sendsPerSecond);
		perRound.nodeShareOfCeiling.push(node.sendsPerSecond / ceiling.sendsPerSecond);
		perRound.httpShareOfCeiling.push(httpRun.sendsPerSecond / ceiling.sendsPerSecond);
		perRound.nodeGrowthOverHttp.push(node.rssGrowthMiB / httpRun.rssGrowthMiB);
	}
	const ratios = Object.fromEntries(Object.entries(perRound).map(([k, v]) => [k, { median: median(v), perRound: v }]));
	return { latencyMs: LATENCY_MS, concurrency: CONCURRENCY, targets: TARGETS, ...result, ratios };
}

/** The section's lines of the report: every run, then the ratios and the targets. */
export function campaignReport(c) {
	const s = (ms) => (ms === null || ms === undefined ? '-' : fixed(ms / 1000, 2));
	const mib = (v) => (v === undefined ? '-' : fixed(v, 0));
	const rows = [['round', 'sender', 'sends/s', 'send phase/s', 'in flight ≤', 'wall s', 'execution s', 'Split Out s', 'Send node s', '1st edna call s', '1st send s', 'after last send s', 'n8n CPU s', 'RSS before MiB', 'RSS peak MiB', 'growth MiB', 'loadavg']];
	for (const r of c.runs) {
		rows.push([r.round + 1, r.way, fixed(r.sendsPerSecond), fixed(r.sendPhasePerSecond), r.inFlightPeak, s(r.ms), s(r.executionMs), s(r.nodesMs?.[splitOut.name]), s(r.nodesMs?.[SEND_NODE]), s(r.firstCallMs), s(r.firstSendMs), s(r.afterLastSendMs), fixed(r.cpuSeconds), mib(r.rss?.beforeMiB), mib(r.rss?.peakMiB), mib(r.rssGrowthMiB), r.loadavg[0]]);
	}
	const ratio = (k) => `${fixed(c.ratios[k].median, 2)} (rounds ${c.ratios[k].perRound.map((v) => fixed(v, 2)).join(', ')})`;
	const met = (k) => (c.ratios[k].median >= c.targets[k] ? 'reached' : 'missed');
	const lookups = c.runs.filter((r) => r.way === 'node').map((r) => `round ${r.round + 1}: ${r.lookups.join(', ')}`);
	return `\n\nCampaign: ${c.count} WhatsApp template sends per run, sandbox latency ${c.latencyMs} ms per call, no rate limit, concurrency ${c.concurrency}; ${c.rounds} interleaved rounds (loadavg ${c.began.join(' ')} → ${c.ended.join(' ')}):
${table(rows)}
node's edna calls other than sends (time from the execution's start): ${lookups.join('; ')}
edna Pulse node / HTTP Request, sends/s: ${ratio('nodeOverHttp')}  target ≥ ${fixed(c.targets.nodeOverHttp, 2)}: ${met('nodeOverHttp')}
edna Pulse node / sandbox ceiling: ${ratio('nodeShareOfCeiling')}  target ≥ ${fixed(c.targets.nodeShareOfCeiling, 2)}: ${met('nodeShareOfCeiling')}
HTTP Request / sandbox ceiling: ${ratio('httpShareOfCeiling')}
n8n RSS growth, node / HTTP Request: ${ratio('nodeGrowthOverHttp')}`;
}
