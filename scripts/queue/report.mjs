// What a queue-mode run says: its timestamped log, the checks that failed, the time each step took,
// and the summary tables at the end.
import os from 'node:os';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
export const t0 = Date.now();
export const stamp = () => `[${String(Math.round((Date.now() - t0) / 1000)).padStart(3)} s]`;
export const say = (line) => console.log(`${stamp()} ${line}`);
// Figures depend on what else the machine runs; the summary prints the load next to them.
export const loadAverage = () => os.loadavg().map((l) => l.toFixed(1)).join(' / ');

/** The checks that failed, in order; the run fails if any did. */
export const problems = [];
export function check(ok, message) {
	if (!ok) problems.push(message);
	return ok;
}

export const timings = [];
export const time = async (label, fn) => {
	const started = Date.now();
	const result = await fn();
	timings.push([label, seconds(Date.now() - started)]);
	return result;
};

export function table(header, lines) {
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
	const fmt = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
	console.log(`  ${fmt(header)}`);
	console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
	for (const l of lines) console.log(`  ${fmt(l)}`);
}

/** The summary tables of the scenarios a run got through. */
export function printSummary(report) {
	console.log('\nSummary (accepted = answered 200 in the end; executed = events with a successful execution holding exactly their eventKeys;');
	console.log('failed = executions n8n marked failed/crashed, keys recorded in flight; lost = accepted, no execution at all)');
	table(['', 'sent', 'accepted', 'executed', 'failed', 'lost', 'runs > 1', 'per worker (1 / 2)'], report.batches);
	if (report.requests.length > 0) {
		console.log('\nRequests by type and answers');
		table(['', 'events', 'ignored', 'no key', 'wrong key', 'HEAD/GET', 'answers'], report.requests);
	}
	console.log('\nTraffic (to the webhook process; the agent burst: messages written, and n8n\'s answers behind the balancer) and drain (last answer until all executions finished)');
	table(['', 'duration', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'drain'], report.traffic);
	if (report.cpu) printCpu(report);
	if (report.rounds.length > 0) printRounds(report.rounds);
	if (report.agent) printAgent(report.agent);
}

/** The agent burst: one reply per customer whichever webhook process took each message. */
function printAgent(agent) {
	console.log('\nAI assistant example, bursts of 2-4 messages per customer over 2 webhook processes');
	console.log('(agent turns = executions that reached the AI Agent; duplicates = replies beyond the first to a customer;');
	console.log(' missing = customers without a reply; delivered again → sends / model requests it caused)');
	table(
		['customers', 'messages', 'executions', 'agent turns', 'replies', 'duplicates', 'missing', 'model requests', 'per webhook process (1 / 2)', 'per worker (1 / 2)', 'delivered again'],
		[agent],
	);
}

function printCpu(report) {
	const cpuTotal = report.cpu.reduce((sum, [, ms]) => sum + ms, 0);
	console.log(`\nCPU time per batch-1 request (averaged over all request types; ${cpuTotal.toFixed(0)} ms in all):`);
	console.log(`  ${report.cpu.map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`).join(', ')}`);
	console.log(`  one webhook process (one Node.js thread) can therefore take at most ~${(1000 / report.cpu[0][1]).toFixed(0)} requests/s on an idle CPU`);
}

function printRounds(rounds) {
	for (const round of rounds) {
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
	table(['mode', 'webhook process ms', 'PostgreSQL ms'], rounds.map((r) => r.cpu));
	console.log("\nLost edna events per Acknowledge Edna Pulse mode, worker killed mid-batch, edna's re-delivery played");
	console.log('(lost = no successful run, and edna will not send it again: it got its 200, or gave up after its last retry;');
	console.log(' duplicates = successful runs beyond the first of one event, for eventKey to remove)');
	table(['mode', 'events', 'first answers', 're-sent', '200 at last', 'given up', 'ran successfully', 'duplicates', 'failed runs', 'LOST'], rounds.map((r) => r.lost));
}

/** The timings, every failed check and the verdict; returns whether the run passed. */
export function printVerdict(failed) {
	console.log(`\nTimings (${os.cpus().length} CPUs; load average at the end ${loadAverage()})`);
	table(['step', 'time'], [...timings, ['total', seconds(Date.now() - t0)]]);
	for (const p of problems) console.error(`FAIL ${p}`);
	const ok = !failed && problems.length === 0;
	console.log(`\nqueue test ${ok ? 'passed' : 'FAILED'} in ${seconds(Date.now() - t0)}`);
	return ok;
}
