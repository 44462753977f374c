// Batch 1 of the queue-mode run: steady traffic to four published workflows, mixed with edna's URL
// checks, unauthenticated requests and events the workflows ignore. Every accepted request must run
// exactly once, on either worker, and nothing else may run.
import { send } from '../lib/simulator.mjs';
import { treeCpuSeconds } from './services.mjs';
import { account, countBy, waitForExecutions, workerLog } from './accounting.mjs';
import { check, say, seconds, time } from './report.mjs';
import { buildBatch, checkAnswers, sendBatch } from './traffic.mjs';

/** Runs batch 1 on `cluster` (see cluster.mjs); returns its rows of the summary and its CPU figures. */
export async function steadyBatch(cluster, { fixtures, events, concurrency }) {
	const { api, publish, main, webhookBase, workers, mainProcess, webhookProcess, workerProcesses, postgres, redis } = cluster;
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
	const batch1 = buildBatch({ fixtures, workflows: batch1Workflows, route: route1, count: events, offset: 0 });
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
	const sent1 = await sendBatch(batch1, { concurrency });
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

	return {
		batch: ['batch 1', batch1.length, acc1.accepted.length, acc1.success.length, acc1.failed.length, acc1.lost.length, acc1.twice.length, perWorker1.join(' / ')],
		requests: ['batch 1', ...['event', 'ignored', 'no key', 'wrong key', 'url check'].map((t) => batch1.filter((r) => r.type === t).length), JSON.stringify(countBy(batch1, (r) => r.result.status))],
		traffic: ['batch 1', seconds(sent1.ms), sent1.rps.toFixed(1), sent1.latency.p50, sent1.latency.p99, sent1.latency.max, seconds(drain1)],
		cpu: cpuPerRequest,
	};
}
