// Batch 2 of the queue-mode run, once per Options → Acknowledge Edna Pulse mode: a worker gets SIGKILL
// with executions in flight while the sender plays edna's re-delivery; every event must be accounted
// for as the mode promises.
import { randomUUID } from 'node:crypto';

import { treeCpuSeconds } from './services.mjs';
import { TERMINAL, account, countBy, keysInData, listAll, waitForExecutions, workerLog } from './accounting.mjs';
import { check, say, seconds, sleep } from './report.mjs';
import { REDELIVERY_SCALE, buildBatch, checkAnswers, sendBatch } from './traffic.mjs';

/** Options → Acknowledge Edna Pulse, one batch-2 round each. */
export const MODE_LABEL = { whenReceived: 'when received', afterWorkflow: 'after the workflow' };

// Seconds each batch-2 execution runs on its worker, so a killed worker has executions in flight.
const STEP_S = 2;

// A Wait node shorter than 65 s keeps the execution running on its worker, like a downstream call.
const step = () => [{ name: `Call downstream (${STEP_S} s)`, type: 'n8n-nodes-base.wait', typeVersion: 1.1, webhookId: randomUUID(), parameters: { resume: 'timeInterval', amount: STEP_S, unit: 'seconds' } }];

/**
 * One round in `mode` on `cluster` (see cluster.mjs): two workflows of their own, `second` events,
 * worker 1 killed after `killAfter` of them. Returns its rows of the summary and what the kill left.
 */
export async function killRound(cluster, { mode, round, fixtures, second, killAfter, concurrency }) {
	const { api, publish, workers, webhookProcess, postgres } = cluster;
	const afterWorkflow = mode === 'afterWorkflow';
	const label = `batch 2, ${MODE_LABEL[mode]}`;
	const parameters = (event) => ({ event, options: afterWorkflow ? { acknowledge: 'afterWorkflow' } : {} });
	const batch2Workflows = [
		await publish(`all kinds, ${STEP_S} s step, ${mode}`, parameters('anyEvent'), step(), 1.2),
		await publish(`statuses, ${STEP_S} s step, ${mode}`, parameters('messageStatus'), step(), 1.2),
	];
	const route2 = (kind, i) => (kind === 'messageStatus' && i % 2 === 1 ? batch2Workflows[1] : batch2Workflows[0]);
	const batch2 = buildBatch({ fixtures, workflows: batch2Workflows, route: route2, count: second, offset: 1_000_000 * (round + 1) });
	const victim = workers[0];
	// Its log goes on across rounds: executions of an earlier round (killed unfinished) do not count.
	const earlier = new Set(workerLog(victim).started.keys());
	let kill = null;
	const recorded = new Map();
	say(`${label}: ${batch2.length} requests; SIGKILL to ${victim.name} after ${killAfter} events, once it has executions running; edna's re-delivery played (delays / ${REDELIVERY_SCALE})`);
	let eventsSent = 0;
	// CPU per request where the mode can change it: the webhook process holds and answers each
	// request, and with "after the workflow" reads the finished execution back from PostgreSQL.
	const roundCpu = () => [treeCpuSeconds(webhookProcess.pid), treeCpuSeconds(postgres.pid)];
	const cpuAtStart = roundCpu();
	const sent2 = await sendBatch(batch2, {
		concurrency,
		redeliver: true,
		onSent: (_done, request) => {
			if (request.type === 'event' && request.attempts.length === 1) eventsSent++;
			if (kill || eventsSent < killAfter) return;
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
}
