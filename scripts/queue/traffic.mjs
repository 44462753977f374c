// The traffic of a queue-mode run: the requests of a batch and the answers the node gives them
// (computed by the same dist/ code that is packed and installed in n8n), sending them as edna does,
// with its re-delivery, and checking the answers.
import { nodeLogicOf } from '../lib/trigger-workflow.mjs';
import { makeUnique, send } from '../lib/simulator.mjs';
import { countBy } from './accounting.mjs';
import { say, sleep } from './report.mjs';

let nodeLogic = null;
/** Loads the node's pure modules from dist/ right after it is packed, so both are the same build. */
export async function loadNodeLogic() {
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


/**
 * One batch of requests, in a fixed interleaved order, holding `count` events that start a run.
 * Each entry: {type, workflow, method, body, key, expect: {status}, keys}. Event i is fixture i
 * (cycling) made unique with `offset + i + 1`; events the workflow's settings ignore come on top.
 * Requests that must not start anything carry bodies from another id block, so a run they started
 * would show up as an execution matching no accepted request.
 */
export function buildBatch({ fixtures, workflows, route, count, offset }) {
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

export function latencyOf(requests) {
	const ms = requests.map((r) => r.result.ms).sort((a, b) => a - b);
	const at = (p) => Math.round(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]);
	return { p50: at(0.5), p99: at(0.99), max: at(1) };
}

/**
 * edna's re-delivery (docs/edna-api.md §W1.4, current docs): a delivery not answered 200 is sent
 * again up to three times, 4, 128 and 2048 s after the previous attempt. The test plays it with
 * those delays divided by REDELIVERY_SCALE, so the last retry comes about a minute after a failure.
 */
export const REDELIVERY_S = [4, 128, 2048];
export const REDELIVERY_SCALE = 32;

/**
 * Sends every request with `concurrency` in flight; `onSent(done, request)` after each answer. With
 * `redeliver`, an event answered other than 200 (an error, a timeout) is sent again as edna does,
 * without holding a sender meanwhile; `request.attempts` keeps every answer, `request.result` the
 * last. Refusals (401, 403) are not sent again: edna would, and would get the same answer.
 */
export async function sendBatch(requests, { concurrency, onSent, redeliver = false } = {}) {
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
	await Promise.all(Array.from({ length: concurrency }, sender));
	clearInterval(progress);
	const ms = Date.now() - started;
	return { ms, rps: (requests.length * 1000) / ms, latency: latencyOf(requests) };
}

/** Checks each answer against what the node gives for that request. */
export function checkAnswers(requests, { afterWorkflow = false } = {}) {
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
