// Which executions n8n ran for which requests: listing and waiting for them, the eventKeys they hold,
// which worker logged them, and the matching of executions to the requests that were accepted.
import { readFileSync } from 'node:fs';

import { itemsOf } from '../lib/trigger-workflow.mjs';
import { say, seconds, sleep } from './report.mjs';

/** The statuses of an execution that is over. */
export const TERMINAL = new Set(['success', 'error', 'crashed', 'canceled']);

export const keySig = (keys) => [...keys].sort().join('\n');

export function countBy(list, fn) {
	const counts = {};
	for (const item of list) {
		const k = fn(item);
		counts[k] = (counts[k] ?? 0) + 1;
	}
	return counts;
}

export async function listAll(api, workflows, { includeData = false } = {}) {
	const lists = await Promise.all(workflows.map((w) => api.listExecutions(w.id, { includeData })));
	return lists.flatMap((list, i) => list.map((e) => ({ ...e, id: String(e.id), workflowName: workflows[i].name })));
}

/**
 * Waits until `expected` executions of the workflows are finished and none is still new, running or
 * waiting; then waits `settleMs` more (anything extra shows up) and returns them with their data.
 */
export async function waitForExecutions(api, workflows, expected, { timeoutMs, settleMs = 3000 }) {
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
export function keysInData(execution) {
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
export function workerLog(worker) {
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
export function account(requests, executions, recorded = new Map()) {
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
