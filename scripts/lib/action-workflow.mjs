// The edna Pulse action node inside a real n8n, run the way a workflow runs it: a published workflow
// "Webhook → edna Pulse" whose Webhook node answers with the action node's output items
// (responseMode lastNode), so a test or a benchmark sends one HTTP request per run and reads the
// items back, then reads the execution itself from n8n's public API.
import { randomUUID } from 'node:crypto';

import { CREDENTIAL_TYPE, chain, itemsOf } from './trigger-workflow.mjs';

export const ACTION_NAME = 'edna Pulse';
export const ACTION_TYPE = 'n8n-nodes-edna-pulse.ednaPulse';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The action node as a workflow stores it. */
export function actionNode({
	parameters,
	credential,
	name = ACTION_NAME,
	typeVersion = 1,
	extra = {},
}) {
	return {
		id: randomUUID(),
		name,
		type: ACTION_TYPE,
		typeVersion,
		position: [240, 0],
		parameters,
		credentials: credential
			? { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } }
			: undefined,
		...extra,
	};
}

/**
 * n8n's Webhook node on POST `/webhook/<path>`, answering with the last node's output once the
 * execution has finished (`responseData`: all items, or the first item's JSON).
 */
export function webhookNode(path, { responseData = 'allEntries' } = {}) {
	return {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId: path,
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData, options: {} },
	};
}

/**
 * Creates and publishes "Webhook → <nodes…>" (the last node's items are the HTTP answer) and
 * returns `run(body)`: POSTs `body` (the Webhook node's item is `{ body, headers, … }`, so node
 * parameters read it as `$json.body.<field>`), waits for that run's execution and returns
 * `{ status, answer, execution, items }` (items: the JSON output of `itemsNode`, by default the last).
 */
export async function publishActionWorkflow(
	{ instance, api },
	{ name = `edna Pulse action ${randomUUID().slice(0, 8)}`, nodes, itemsNode } = {},
) {
	const path = randomUUID();
	const workflow = await api.createWorkflow({ name, ...chain([webhookNode(path), ...nodes]) });
	await api.publishWorkflow(workflow.id);
	const url = `${instance.webhookBaseUrl}/webhook/${path}`;
	const outputOf = itemsNode ?? nodes.at(-1)?.name ?? 'Webhook';
	let runs = 0;

	const run = async (body = {}) => {
		// A POST answered 404 reached no workflow (the webhook is not registered yet): safe to repeat.
		const deadline = Date.now() + 30_000;
		let res;
		for (;;) {
			res = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(120_000),
			});
			if (res.status !== 404 || Date.now() > deadline) break;
			await res.arrayBuffer();
			await sleep(200);
		}
		const text = await res.text();
		let answer = text;
		try {
			answer = JSON.parse(text);
		} catch {
			// not JSON: kept as text
		}
		if (res.status === 404) throw new Error(`${url} is not registered: ${text}`);
		runs++;
		const [execution] = await api.waitForExecutions(workflow.id, runs);
		return { status: res.status, answer, execution, items: itemsOf(execution, outputOf) };
	};
	return { workflow, url, run };
}

/** The error n8n recorded for an execution that failed: `{ node, message, description, httpCode }`. */
export function errorOf(execution) {
	const error = execution?.data?.resultData?.error;
	if (!error) return null;
	return {
		node: error.node?.name,
		message: error.message,
		description: error.description,
		httpCode: error.httpCode,
		raw: error,
	};
}
